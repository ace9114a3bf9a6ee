/* xarchive: what an X data archive says about its owner and their Spaces. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "err.h"
#include "json.h"
#include "strnum.h"
#include "timefmt.h"
#include "xalloc.h"
#include "xarchive.h"
#include "banned.h"

struct sp_xarchive {
	json_t	*manifest;	/* owned, or NULL */
	json_t	*user;		/* user fields gathered so far */
	json_t	*spaces;	/* id -> space record, audio included */
	json_t	*meta;		/* id -> true: the Spaces the metadata lists */
	int	 has_followers, has_following;
	uint64_t followers, following;
	size_t	 item;		/* position of the item being taken, from 1 */
	/* From the manifests: */
	int	 manifests, partial;
	int64_t	 size, maxpart;
	char	 generated[SP_INSTANT_LEN];	/* generationDate, or "" */
};

/* The data files the listing reads: manifest key and documented base. */
static const struct {
	const char *key, *base;
} wanted[] = {
	{ "account", "account" }, { "profile", "profile" },
	{ "ageinfo", "ageinfo" }, { "follower", "follower" },
	{ "following", "following" }, { "spacesMetadata", "spaces-metadata" },
	{ "periscopeAccountInformation", "periscope-account-information" },
};

/* Spaces began in closed tests in late 2020: earlier is no Space time. */
#define SPACES_EPOCH_MS	1604188800000LL		/* 2020-11-01T00:00Z */

struct sp_xarchive *
sp_xarchive_new(void)
{
	struct sp_xarchive *x = sp_xcalloc(1, sizeof(*x));

	x->user = json_object();
	x->spaces = json_object();
	x->meta = json_object();
	return x;
}

void
sp_xarchive_free(struct sp_xarchive *x)
{
	if (x == NULL)
		return;
	json_decref(x->manifest);
	json_decref(x->user);
	json_decref(x->spaces);
	json_decref(x->meta);
	free(x);
}

/* A manifest number: written as a string ("53687091200"), or a number. */
static int64_t
man_num(const json_t *o, const char *key)
{
	double d;

	if (sp_json_num(o, key, &d) != 0 || !(d >= 0) || d > 9e18)
		return -1;
	return (int64_t)d;
}

void
sp_xarchive_manifest(struct sp_xarchive *x, json_t *manifest)
{
	json_t *info = json_object_get(manifest, "archiveInfo"), *v;
	int64_t ms;

	json_decref(x->manifest);
	x->manifest = manifest;
	x->manifests++;
	v = json_object_get(info, "isPartialArchive");
	if (json_is_true(v) || (json_is_string(v) &&
	    strcmp(json_string_value(v), "true") == 0)) {
		x->partial = 1;
		x->size = man_num(info, "sizeBytes");
		x->maxpart = man_num(info, "maxPartSizeBytes");
	}
	if (sp_xarchive_instant(json_object_get(info, "generationDate"),
	    &ms) == 0)
		sp_fmt_instant(ms, x->generated);
}

int
sp_xarchive_partial(const struct sp_xarchive *x, int64_t *size,
    int64_t *maxpart, int64_t *parts, int *manifests)
{
	if (!x->partial)
		return 0;
	*size = x->size;
	*maxpart = x->maxpart;
	*parts = x->size > 0 && x->maxpart > 0 ?
	    (x->size + x->maxpart - 1) / x->maxpart : -1;
	*manifests = x->manifests;
	return 1;
}

/* The part of name after its last '/'. */
static const char *
base_of(const char *name)
{
	const char *s = strrchr(name, '/');

	return s ? s + 1 : name;
}

/*
 * Whether name is "data/<file>" or ".../data/<file>": archives unpacked
 * and zipped again by hand gain a top folder.
 */
static const char *
in_data(const char *name)
{
	const char *p = name;

	for (;;) {
		if (strncmp(p, "data/", 5) == 0)
			return p + 5;
		if ((p = strchr(p, '/')) == NULL)
			return NULL;
		p++;
	}
}

/* "tweets-part1.js" -> type "tweets", part 1; -1 when not a data file. */
static int
split_data_name(const char *file, char *type, size_t n)
{
	size_t len = strlen(file), stem, d;
	long long part = 0;
	const char *errstr;
	char num[16];

	if (len < 4 || strcmp(file + len - 3, ".js") != 0 ||
	    strchr(file, '/') != NULL)
		return -1;
	stem = len - 3;
	for (d = stem; d > 0 && isdigit((unsigned char)file[d - 1]); d--)
		;
	if (d < stem && stem - d < sizeof(num) && d > 5 &&
	    strncmp(file + d - 5, "-part", 5) == 0) {
		snprintf(num, sizeof(num), "%.*s", (int)(stem - d), file + d);
		if (sp_strtoll(num, 0, 100000, &part, &errstr) == 0)
			stem = d - 5;
		else
			part = 0;
	}
	snprintf(type, n, "%.*s", (int)stem, file);
	return (int)part;
}

/* Whether name lies in a folder called dir, at any depth. */
static int
in_dir(const char *name, const char *dir)
{
	const char *file = base_of(name), *p = name;
	size_t dlen = strlen(dir);

	while (p < file) {
		if (strncmp(p, dir, dlen) == 0 && p[dlen] == '/')
			return 1;
		if ((p = strchr(p, '/')) == NULL || p >= file)
			return 0;
		p++;
	}
	return 0;
}

/* s[0..n) is a Space id: letters and digits only, and not too long. */
static int
id_like(const char *s, size_t n)
{
	size_t k;

	if (n == 0 || n >= SP_XID_LEN)
		return 0;
	for (k = 0; k < n; k++)
		if (!isalnum((unsigned char)s[k]))
			return 0;
	return 1;
}

/* s is a part number: 1 to 6 digits. */
static int
part_like(const char *s, int *part)
{
	long long n;
	const char *errstr;
	size_t k;

	for (k = 0; isdigit((unsigned char)s[k]); k++)
		;
	if (k == 0 || k > 6 || s[k] != '\0' ||
	    sp_strtoll(s, 0, 999999, &n, &errstr) != 0)
		return 0;
	*part = (int)n;
	return 1;
}

/*
 * A Space's audio, by its file name under spaces_media/: the one name seen
 * in a real archive, "space-<id>_<n>.ts" (simonw/til, 2022), and the
 * variants a change at X or a hand-made archive could give: "space-<id>"
 * (part 0), "<id>_<n>", "<id>-<n>", any extension or none.  1 with id and
 * part, or 0 when the name gives no Space.
 */
static int
media_name(const char *file, char *id, size_t idlen, int *part)
{
	char stem[256];
	const char *dot, *p, *sep;
	size_t n;

	dot = strrchr(file, '.');
	n = dot && dot != file ? (size_t)(dot - file) : strlen(file);
	if (n >= sizeof(stem))
		return 0;
	memcpy(stem, file, n);
	stem[n] = '\0';
	p = strncmp(stem, "space-", 6) == 0 ? stem + 6 : stem;
	sep = strrchr(p, '_');
	if (sep == NULL && p == stem)
		sep = strrchr(p, '-');
	if (sep && id_like(p, (size_t)(sep - p)) && part_like(sep + 1, part)) {
		snprintf(id, idlen, "%.*s", (int)(sep - p), p);
		return 1;
	}
	if (p != stem && id_like(p, strlen(p))) {
		snprintf(id, idlen, "%.*s", (int)strlen(p), p);
		*part = 0;
		return 1;
	}
	return 0;
}

/* A file's stem as a safe fallback name: [A-Za-z0-9_-], never empty. */
static void
fallback_id(const char *file, char *id, size_t idlen)
{
	const char *dot = strrchr(file, '.');
	size_t n = dot && dot != file ? (size_t)(dot - file) : strlen(file);
	size_t k, j = 0;

	for (k = 0; k < n && j + 1 < idlen; k++)
		id[j++] = isalnum((unsigned char)file[k]) || file[k] == '-' ?
		    file[k] : '_';
	id[j] = '\0';
	if (j == 0)
		snprintf(id, idlen, "unnamed");
}

void
sp_xarchive_classify(const struct sp_xarchive *x, const char *name,
    struct sp_xentry *e)
{
	const char *file, *key, *fn, *mdir;
	json_t *types, *t, *files, *f;
	size_t i;

	memset(e, 0, sizeof(*e));
	file = in_data(name);
	if (file && strcmp(file, "manifest.js") == 0) {
		e->kind = SP_X_MANIFEST;
		return;
	}
	mdir = "spaces_media";
	if (x->manifest) {
		/* The manifest names every data file and media folder. */
		types = json_object_get(x->manifest, "dataTypes");
		json_object_foreach(types, key, t) {
			files = json_object_get(t, "files");
			json_array_foreach(files, i, f) {
				fn = sp_json_str(f, "fileName");
				if (fn == NULL || file == NULL ||
				    in_data(fn) == NULL ||
				    strcmp(in_data(fn), file) != 0)
					continue;
				e->kind = SP_X_DATA;
				snprintf(e->key, sizeof(e->key), "%s", key);
				e->part = split_data_name(file, e->type,
				    sizeof(e->type));
				if (e->part < 0)
					e->part = (int)i;
				return;
			}
		}
		if ((fn = sp_ytd_manifest_media(x->manifest, "spacesMedia")))
			mdir = base_of(fn);
	}
	/* Every file under spaces_media/ is Space audio, whatever its name. */
	if (in_dir(name, mdir) || in_dir(name, "spaces_media")) {
		e->kind = SP_X_MEDIA;
		e->named = media_name(base_of(name), e->id, sizeof(e->id),
		    &e->part);
		if (!e->named) {
			fallback_id(base_of(name), e->id, sizeof(e->id));
			e->part = 0;
		}
		return;
	}
	if (file && (e->part = split_data_name(file, e->type,
	    sizeof(e->type))) >= 0) {
		e->kind = SP_X_DATA;
		return;
	}
	e->kind = SP_X_OTHER;
	e->part = 0;
	e->type[0] = '\0';
}

/* Which of the wanted files e is: an index into wanted[], or -1. */
static int
which(const struct sp_xentry *e)
{
	size_t i;

	if (e->kind != SP_X_DATA)
		return -1;
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (e->key[0] ? strcmp(e->key, wanted[i].key) == 0 :
		    strcmp(e->type, wanted[i].base) == 0)
			return (int)i;
	return -1;
}

int
sp_xarchive_wants(const struct sp_xentry *e)
{
	return which(e) >= 0;
}

/*
 * The tweets' "Tue Mar 22 19:19:02 +0000 2022" (x-formats 1.5: tweets.js
 * created_at), by way of the ISO form sp_parse_instant reads.
 */
static int
tweet_time(const char *s, int64_t *ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4], wday[4], hms[9], off[6], iso[40];
	const char *m;
	int day, year, used = 0;

	if (strlen(s) > 40 || sscanf(s, "%3s %3s %d %8s %5s %d%n", wday, mon,
	    &day, hms, off, &year, &used) != 6 || s[used] != '\0' ||
	    strlen(mon) != 3 || (m = strstr(months, mon)) == NULL ||
	    (m - months) % 3 != 0 || day < 1 || day > 31 || year < 1 ||
	    year > 9999)
		return -1;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%sZ", year,
	    (int)(m - months) / 3 + 1, day, hms);
	if (strcmp(off, "+0000") != 0) {
		/* The offset in place of the Z. */
		iso[strlen(iso) - 1] = '\0';
		snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), "%s",
		    off);
	}
	return sp_parse_instant(iso, NULL, ms);
}

/* Epoch seconds below this, milliseconds above (1e11 s is year 5138). */
#define SECONDS_BELOW	100000000000LL

int
sp_xarchive_instant(const json_t *v, int64_t *ms)
{
	const char *errstr;
	long long n;
	int64_t t;
	double d;

	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_real(v)) {
		d = json_real_value(v);
		if (!(d > -1e15 && d < 1e15))
			return -1;
		/* Seconds with a fraction keep their milliseconds. */
		if (d > -(double)SECONDS_BELOW && d < (double)SECONDS_BELOW)
			d *= 1000;
		n = (long long)d;
		goto ms;
	} else if (!json_is_string(v))
		return -1;
	else if (sp_strtoll(json_string_value(v), -253402300799999LL,
	    253402300799999LL, &n, &errstr) != 0) {
		if (sp_parse_instant(json_string_value(v), NULL, &t) != 0 &&
		    tweet_time(json_string_value(v), &t) != 0)
			return -1;
		n = t;
		goto ms;
	}
	if (n > -SECONDS_BELOW && n < SECONDS_BELOW)
		n *= 1000;
ms:
	if (n < -62135596800000LL || n > 253402300799999LL)
		return -1;
	*ms = n;
	return 0;
}

static int
norm_instant(const json_t *v, char out[SP_INSTANT_LEN])
{
	int64_t ms;

	if (sp_xarchive_instant(v, &ms) != 0)
		return -1;
	sp_fmt_instant(ms, out);
	return 0;
}

/* "creatorUserId" -> "creator_user_id". */
static void
snake(const char *k, char *out, size_t n)
{
	size_t j = 0;

	for (; *k && j + 2 < n; k++) {
		if (isupper((unsigned char)*k)) {
			if (j > 0 && out[j - 1] != '_')
				out[j++] = '_';
			out[j++] = (char)tolower((unsigned char)*k);
		} else
			out[j++] = *k;
	}
	out[j] = '\0';
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * A Space's instant: before Spaces existed it is a mistake or a
 * placeholder, never a date to name files by.  0 (1970) is taken as
 * absent, with a warning; other early instants are kept, with one.
 * Returns 0 to keep the instant, -1 to leave it out.
 */
static int
space_instant(int64_t ms, const char *what, const char *k,
    void (*warn)(const char *fmt, ...))
{
	char when[SP_INSTANT_LEN], esc[SP_ESC_LEN];

	if (ms >= SPACES_EPOCH_MS)
		return 0;
	sp_esc(k, esc, sizeof(esc));
	if (ms == 0) {
		if (warn)
			warn("%s: %s is 0 (1970); taken as absent", what, esc);
		return -1;
	}
	if (warn)
		warn("%s: %s %s is before Spaces existed (2020-11-01)", what,
		    esc, sp_fmt_instant(ms, when));
	return 0;
}

/*
 * Copy an archive object into a record: snake_case keys, ids as strings,
 * instants normalised, counts as numbers.  Unknown fields pass through;
 * a value that should be a time and is not is left out, with a warning.
 * In a Space (space set), instants before Spaces existed are warned of.
 */
static json_t *
normalise(const json_t *in, const char *what, int space,
    void (*warn)(const char *fmt, ...))
{
	json_t *out = json_object(), *v, *a, *el;
	const char *k;
	char key[SP_XTYPE_LEN], id[64], when[SP_INSTANT_LEN], esc[SP_ESC_LEN];
	int64_t ms;
	double d;
	size_t i;

	json_object_foreach((json_t *)in, k, v) {
		snake(k, key, sizeof(key));
		if (strcmp(key, "creator_user_id") == 0)
			snprintf(key, sizeof(key), "creator_id");
		else if (strcmp(key, "host_user_ids") == 0)
			snprintf(key, sizeof(key), "host_ids");
		else if (strcmp(key, "userid") == 0)
			snprintf(key, sizeof(key), "user_id");
		if (strcmp(key, "id") == 0 || has_suffix(key, "_id")) {
			if (sp_json_idv(v, id, sizeof(id)) == 0)
				json_object_set_new(out, key, json_string(id));
			else
				json_object_set(out, key, v);
		} else if (has_suffix(key, "_ids") && json_is_array(v)) {
			a = json_array();
			json_array_foreach(v, i, el)
				if (sp_json_idv(el, id, sizeof(id)) == 0)
					json_array_append_new(a, json_string(id));
			json_object_set_new(out, key, a);
		} else if (has_suffix(key, "_at") || strcmp(key, "start") == 0 ||
		    strcmp(key, "end") == 0) {
			if (sp_xarchive_instant(v, &ms) == 0) {
				if (!space || space_instant(ms, what, k,
				    warn) == 0)
					json_object_set_new(out, key,
					    json_string(sp_fmt_instant(ms,
					    when)));
			} else if (warn && !json_is_null(v) &&
			    !(json_is_string(v) && json_string_length(v) == 0))
				warn("%s: %s is not a time; left out", what,
				    sp_esc(k, esc, sizeof(esc)));
		} else if (strncmp(key, "total_", 6) == 0 &&
		    sp_json_num(in, k, &d) == 0 && d >= 0 && d < 9e15)
			/* A count; one out of range passes through as it is. */
			json_object_set_new(out, key, json_integer((json_int_t)d));
		else
			json_object_set(out, key, v);
	}
	return out;
}

/*
 * The speakers of a Space.  X's README says only what they hold ("users
 * that have participated in this space ... participants' Twitter user IDs
 * and start/end time of their spoken sessions"), not how it is nested;
 * no real non-empty spaces-metadata.js has been published.  So every
 * plausible nesting is read, by the key's letters alone (case and '_'
 * ignored):
 *   [ {userId, start, end}, ... ]          one element a session
 *   [ {userId, sessions: [{start, end}]} ] one element a person
 *   [ {userId, sessions: [[start, end]]} ] sessions as pairs
 *   [ {"speaker": {...}} ]                 each element wrapped
 *   [ {user: {id}, ...} ]                  the person nested
 *   [ "id", ... ]                          ids alone
 *   { "<id>": [{start, end}] | {...} }     a map from person to sessions
 * and normalised to one entry a person, in the order they first appear:
 * {"user_id", "sessions": [{"started_at", "ended_at"}]}, sessions by time.
 */
static const char *const id_keys[] = { "userid", "id", "twitteruserid",
    "speakerid", "participantid", "twitterid", "restid", "idstr", NULL };
static const char *const user_keys_in[] = { "user", "speaker",
    "participant", NULL };
static const char *const start_keys[] = { "start", "starttime", "startedat",
    "startat", "begin", "joinedat", "from", "sessionstart", "startms",
    "starttimems", "speakingstart", NULL };
static const char *const end_keys[] = { "end", "endtime", "endedat", "endat",
    "leftat", "to", "sessionend", "endms", "endtimems", "speakingend",
    NULL };
static const char *const session_keys[] = { "sessions", "spokensessions",
    "speakingsessions", "spokensegments", "segments", "times", "periods",
    "intervals", "spokentimes", "spoken", NULL };

/* Whether key, with case and '_' ignored, is one of names. */
static int
key_is(const char *key, const char *const *names)
{
	char k[64];
	size_t j = 0, i;

	for (; *key && j + 1 < sizeof(k); key++)
		if (*key != '_' && *key != '-')
			k[j++] = (char)tolower((unsigned char)*key);
	k[j] = '\0';
	for (i = 0; names[i]; i++)
		if (strcmp(k, names[i]) == 0)
			return 1;
	return 0;
}

/* The first member of o whose key is one of names, or NULL. */
static json_t *
member(const json_t *o, const char *const *names)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v)
		if (key_is(k, names))
			return v;
	return NULL;
}

struct spk {
	json_t		*out;		/* the array being built */
	const char	*what;
	void		(*warn)(const char *fmt, ...);
	int		 bad;		/* times that were not times */
};

/* The entry of person id in out, made when first seen. */
static json_t *
person(struct spk *k, const char *id)
{
	json_t *el;
	size_t i;

	json_array_foreach(k->out, i, el)
		if (strcmp(sp_json_str(el, "user_id"), id) == 0)
			return el;
	el = json_pack("{s:s, s:[]}", "user_id", id, "sessions");
	json_array_append_new(k->out, el);
	return el;
}

/* One session {start, end} or [start, end] of person p. */
static void
session(struct spk *k, json_t *p, const json_t *s)
{
	char when[SP_INSTANT_LEN];
	json_t *a, *b, *o;
	int64_t ms;

	if (json_is_array(s)) {
		a = json_array_get(s, 0);
		b = json_array_get(s, 1);
	} else if (json_is_object(s)) {
		a = member(s, start_keys);
		b = member(s, end_keys);
	} else
		return;
	if (a == NULL && b == NULL)
		return;
	o = json_object();
	if (a && sp_xarchive_instant(a, &ms) == 0 &&
	    space_instant(ms, k->what, "a speaker's start", k->warn) == 0)
		json_object_set_new(o, "started_at",
		    json_string(sp_fmt_instant(ms, when)));
	else if (a && !json_is_null(a))
		k->bad++;
	if (b && sp_xarchive_instant(b, &ms) == 0 &&
	    space_instant(ms, k->what, "a speaker's end", k->warn) == 0)
		json_object_set_new(o, "ended_at",
		    json_string(sp_fmt_instant(ms, when)));
	else if (b && !json_is_null(b))
		k->bad++;
	if (json_object_size(o) > 0)
		json_array_append(json_object_get(p, "sessions"), o);
	json_decref(o);
}

/* The sessions held by o (a person's object, or what a map key gives). */
static void
sessions_of(struct spk *k, json_t *p, const json_t *o)
{
	json_t *ss, *s;
	size_t i;

	if (json_is_array(o)) {
		/* A list of sessions, or one [start, end] pair. */
		if (json_array_size(o) == 2 && !json_is_array(json_array_get(o,
		    0)) && !json_is_object(json_array_get(o, 0)))
			session(k, p, o);
		else
			json_array_foreach(o, i, s)
				session(k, p, s);
		return;
	}
	if (!json_is_object(o))
		return;
	if ((ss = member(o, session_keys)) != NULL)
		sessions_of(k, p, ss);
	session(k, p, o);
}

/* One element of the list: a person, or one of their sessions. */
static int
speaker(struct spk *k, const json_t *el)
{
	char id[64];
	json_t *u, *v;

	if (sp_json_idv(el, id, sizeof(id)) == 0) {
		person(k, id);
		return 0;
	}
	if (!json_is_object(el))
		return -1;
	/* {"speaker": {...}}: unwrap. */
	if (json_object_size(el) == 1 && json_is_object(v =
	    json_object_iter_value(json_object_iter((json_t *)el))) &&
	    member(el, id_keys) == NULL)
		return speaker(k, v);
	if ((v = member(el, id_keys)) == NULL || sp_json_idv(v, id,
	    sizeof(id)) != 0) {
		u = member(el, user_keys_in);
		if (u == NULL || (sp_json_idv(u, id, sizeof(id)) != 0 &&
		    ((v = member(u, id_keys)) == NULL ||
		    sp_json_idv(v, id, sizeof(id)) != 0)))
			return -1;
	}
	sessions_of(k, person(k, id), el);
	return 0;
}

static int
by_start(const void *a, const void *b)
{
	const char *x = sp_json_str(*(json_t *const *)a, "started_at");
	const char *y = sp_json_str(*(json_t *const *)b, "started_at");

	if ((x == NULL) != (y == NULL))
		return x == NULL ? 1 : -1;
	return x ? strcmp(x, y) : 0;
}

/* Sort p's sessions by their start, the ones without a start last. */
static void
sort_sessions(json_t *p)
{
	json_t *ss = json_object_get(p, "sessions"), **v, *out;
	size_t n = json_array_size(ss), i;

	if (n < 2)
		return;
	v = sp_xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(ss, i));
	qsort(v, n, sizeof(*v), by_start);
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, v[i]);
	free(v);
	json_object_set_new(p, "sessions", out);
}

/*
 * DESIGN's core fields of a speaker, beside the sessions: start, when the
 * person first spoke, and end, when they last stopped (ISO 8601; absent
 * when not known).
 */
static void
span_of(json_t *p)
{
	json_t *ss = json_object_get(p, "sessions"), *s, *v;
	const char *first = NULL, *last = NULL;
	size_t i;

	json_array_foreach(ss, i, s) {
		v = json_object_get(s, "started_at");
		if (json_is_string(v) && (first == NULL ||
		    strcmp(json_string_value(v), first) < 0))
			first = json_string_value(v);
		v = json_object_get(s, "ended_at");
		if (json_is_string(v) && (last == NULL ||
		    strcmp(json_string_value(v), last) > 0))
			last = json_string_value(v);
	}
	if (first)
		json_object_set_new(p, "start", json_string(first));
	if (last)
		json_object_set_new(p, "end", json_string(last));
}

static json_t *
speakers(const json_t *in, const char *what,
    void (*warn)(const char *fmt, ...))
{
	struct spk k = { json_array(), what, warn, 0 };
	char esc[SP_ESC_LEN];
	const char *key;
	json_t *el;
	size_t i;

	if (json_is_object(in)) {
		json_object_foreach((json_t *)in, key, el) {
			if (!id_like(key, strlen(key))) {
				if (warn)
					warn("%s: speakers: '%s' is not a user "
					    "id; left out", what, sp_esc(key, esc,
					    sizeof(esc)));
				continue;
			}
			sessions_of(&k, person(&k, key), el);
		}
	} else
		json_array_foreach(in, i, el)
			if (speaker(&k, el) != 0 && warn)
				warn("%s: speaker %zu has no user id; left out",
				    what, i + 1);
	if (k.bad && warn)
		warn("%s: %d speaker time%s not a time; left out", what, k.bad,
		    k.bad == 1 ? " is" : "s are");
	json_array_foreach(k.out, i, el) {
		sort_sessions(el);
		span_of(el);
	}
	return k.out;
}

/* The record of Space id, made when first needed. */
static json_t *
space_rec(struct sp_xarchive *x, const char *id)
{
	json_t *s = json_object_get(x->spaces, id);

	if (s == NULL) {
		s = sp_rec_new("space", "archive");
		json_object_set_new(s, "id", json_string(id));
		json_object_set_new(s, "audio", json_array());
		json_object_set_new(x->spaces, id, s);
	}
	return s;
}

/*
 * One Space of the metadata.  Its id is "id", as the README lists it; a
 * record without one falls back to "spaceId" then "broadcastId" (what a
 * Periscope-era or renamed field would be called), and one with none is
 * reported by its position in the file.
 */
static void
add_space(struct sp_xarchive *x, const json_t *item,
    void (*warn)(const char *fmt, ...))
{
	static const char *const idk[] = { "id", "spaceId", "broadcastId" };
	char id[64], what[96];
	json_t *rec, *s, *sp;
	const char *k;
	json_t *v;
	size_t i;

	for (i = 0; i < sizeof(idk) / sizeof(idk[0]); i++)
		if (sp_json_id(item, idk[i], id, sizeof(id)) == 0)
			break;
	if (i == sizeof(idk) / sizeof(idk[0])) {
		if (warn)
			warn("spaces-metadata: item %zu: a Space without an id "
			    "(id, spaceId, broadcastId); left out", x->item);
		return;
	}
	if (!id_like(id, strlen(id))) {
		if (warn)
			warn("spaces-metadata: item %zu: %s is not a Space id; "
			    "left out", x->item, idk[i]);
		return;
	}
	snprintf(what, sizeof(what), "Space %s", id);
	rec = normalise(item, what, 1, warn);
	if ((sp = json_object_get(item, "speakers")) != NULL) {
		if (json_is_array(sp) || json_is_object(sp))
			json_object_set_new(rec, "speakers", speakers(sp, what,
			    warn));
		else {
			json_object_del(rec, "speakers");
			if (warn && !json_is_null(sp))
				warn("%s: speakers is not a list; left out",
				    what);
		}
	}
	s = space_rec(x, id);
	json_object_foreach(rec, k, v)
		if (strcmp(k, "audio") != 0 && strcmp(k, "type") != 0 &&
		    strcmp(k, "source") != 0 && strcmp(k, "id") != 0)
			json_object_set(s, k, v);
	json_decref(rec);
	json_object_set_new(x->meta, id, json_true());
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

/* An age in years, as a number or a string of digits: 0, or -1. */
static int
age_of(const json_t *v, json_int_t *age)
{
	const char *errstr;
	long long n;

	if (json_is_integer(v) && json_integer_value(v) >= 0 &&
	    json_integer_value(v) <= 150) {
		*age = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && sp_strtoll(json_string_value(v), 0, 150, &n,
	    &errstr) == 0) {
		*age = n;
		return 0;
	}
	return -1;
}

/* Take one item of a wanted file. */
static void
take(struct sp_xarchive *x, int w, const json_t *item,
    void (*warn)(const char *fmt, ...))
{
	char id[64], when[SP_INSTANT_LEN], esc[SP_ESC_LEN], *loc;
	const char *s;
	size_t a, b;
	json_int_t n;
	json_t *v;

	switch (w) {
	case 0:		/* account */
		if (sp_json_id(item, "accountId", id, sizeof(id)) == 0)
			set_str(x->user, "id", id);
		set_str(x->user, "username", sp_json_str(item, "username"));
		set_str(x->user, "name", sp_json_str(item,
		    "accountDisplayName"));
		if ((v = json_object_get(item, "createdAt")) != NULL &&
		    norm_instant(v, when) == 0)
			set_str(x->user, "created_at", when);
		break;
	case 1:		/* profile */
		v = json_object_get(item, "description");
		if ((s = sp_json_str(v, "location")) == NULL)
			break;
		/* Trim: the real value "Porto, Portugal " has a blank. */
		for (a = 0; isspace((unsigned char)s[a]); a++)
			;
		for (b = strlen(s); b > a && isspace((unsigned char)s[b - 1]);
		    b--)
			;
		loc = sp_xstrndup(s + a, b - a);
		set_str(x->user, "location", loc);
		if (*loc && (s = sp_country_from_location(loc)) != NULL) {
			set_str(x->user, "country", s);
			set_str(x->user, "country_basis", "profile-location");
		}
		free(loc);
		break;
	case 2:		/* ageinfo: only the age the user gave, never X's guess */
		v = json_object_get(item, "ageInfo");
		s = sp_json_str(v, "birthDate");
		if (s && *s) {
			int y, m, d;

			if (sp_parse_date(s, &y, &m, &d) == 0) {
				set_str(x->user, "birth_date", s);
				break;
			}
			if (warn)
				warn("ageinfo: birthDate '%s' is not a date; "
				    "left out", sp_esc(s, esc, sizeof(esc)));
		}
		/*
		 * Without a birth date, the age the user gave (["46"] in a
		 * real archive) is a fact too; a range ("13-99") is not.
		 */
		v = json_object_get(v, "age");
		if (json_is_array(v))
			v = json_array_get(v, 0);
		if (age_of(v, &n) == 0)
			json_object_set_new(x->user, "age", json_integer(n));
		break;
	case 5:
		add_space(x, item, warn);
		break;
	case 6:		/* periscope-account-information: the shell account */
		if (sp_json_id(item, "id", id, sizeof(id)) == 0)
			set_str(x->user, "periscope_id", id);
		break;
	}
}

int
sp_xarchive_data(struct sp_xarchive *x, const struct sp_xentry *e,
    struct sp_ytd *y, char *err, size_t errlen,
    void (*warn)(const char *fmt, ...))
{
	json_t *item;
	int w = which(e), r, bad = 0;

	if (w == 3)
		x->has_followers = 1;
	if (w == 4)
		x->has_following = 1;
	for (;;) {
		/* Followers are counted, not parsed: millions of them. */
		item = NULL;
		r = w == 3 || w == 4 ? sp_ytd_skip(y) : sp_ytd_next(y, &item);
		if (r == 0)
			break;
		if (r < 0) {
			if (!bad)
				snprintf(err, errlen, "%s", sp_ytd_error(y));
			bad = r;
			if (r == -2 || sp_ytd_stuck(y))
				break;
			continue;
		}
		x->item = sp_ytd_count(y);
		if (w == 3)
			x->followers++;
		else if (w == 4)
			x->following++;
		else if (w >= 0)
			take(x, w, item, warn);
		json_decref(item);
	}
	return bad;
}

int
sp_xarchive_has_part(const struct sp_xarchive *x, const char *id, int part)
{
	json_t *audio, *el;
	size_t i;

	audio = json_object_get(json_object_get(x->spaces, id), "audio");
	json_array_foreach(audio, i, el)
		if (json_integer_value(json_object_get(el, "part")) == part)
			return 1;
	return 0;
}

int
sp_xarchive_media(struct sp_xarchive *x, const char *id, int part,
    const struct sp_xmedia *m)
{
	json_t *audio, *a, *el;
	char when[SP_INSTANT_LEN];
	size_t i;

	if (sp_xarchive_has_part(x, id, part))
		return -1;
	audio = json_object_get(space_rec(x, id), "audio");
	a = json_pack("{s:s, s:i, s:I}", "path", m->path, "part", part,
	    "bytes", (json_int_t)m->bytes);
	if (m->sample_rate > 0) {
		json_object_set_new(a, "duration", json_real((double)m->samples /
		    m->sample_rate));
		json_object_set_new(a, "frames", json_integer((json_int_t)
		    m->frames));
		json_object_set_new(a, "sample_rate",
		    json_integer(m->sample_rate));
		json_object_set_new(a, "channels", json_integer(m->channels));
	}
	/* The wall clock of its first sample: spoken sessions map onto it. */
	if (m->has_start)
		json_object_set_new(a, "started_at",
		    json_string(sp_fmt_instant(m->started_ms, when)));
	/* Keep the parts in order whatever order the zip holds them in. */
	json_array_foreach(audio, i, el)
		if (json_integer_value(json_object_get(el, "part")) > part)
			break;
	json_array_insert_new(audio, i, a);
	return 0;
}

/*
 * A copy of rec with the keys of first in that order, then the others as
 * they came, then "source": records read the same whatever the archive's
 * key order was.
 */
static json_t *
ordered(const json_t *rec, const char *const *first)
{
	json_t *out = json_object(), *v;
	const char *k;
	size_t i;

	for (i = 0; first[i]; i++)
		if ((v = json_object_get(rec, first[i])) != NULL)
			json_object_set(out, first[i], v);
	json_object_foreach((json_t *)rec, k, v)
		if (json_object_get(out, k) == NULL && strcmp(k, "source") != 0)
			json_object_set(out, k, v);
	if ((v = json_object_get(rec, "source")) != NULL)
		json_object_set(out, "source", v);
	return out;
}

static const char *const space_keys[] = { "type", "id", "creator_id",
    "host_ids", "created_at", "ended_at", "total_participating",
    "total_participated", "invited_user_ids", "speakers", "speaker_ids",
    "speakers_complete", "archive_generated_at", NULL };
static const char *const user_keys[] = { "type", "id", "username", "name",
    "created_at", "followers_count", "following_count", "location",
    "country", "country_basis", "birth_date", "age", "periscope_id",
    "archive_generated_at", NULL };

json_t *
sp_xarchive_user(const struct sp_xarchive *x)
{
	json_t *u, *info;
	const char *s;

	if (json_object_size(x->user) == 0 && !x->has_followers &&
	    !x->has_following && x->manifest == NULL)
		return NULL;
	u = sp_rec_new("user", "archive");
	/* The manifest's userInfo stands in for a missing account.js. */
	info = json_object_get(x->manifest, "userInfo");
	if (json_object_get(x->user, "id") == NULL &&
	    (s = sp_json_str(info, "accountId")) != NULL)
		json_object_set_new(u, "id", json_string(s));
	if (json_object_get(x->user, "username") == NULL &&
	    (s = sp_json_str(info, "userName")) != NULL)
		json_object_set_new(u, "username", json_string(s));
	if (json_object_get(x->user, "name") == NULL &&
	    (s = sp_json_str(info, "displayName")) != NULL)
		json_object_set_new(u, "name", json_string(s));
	json_object_update(u, x->user);
	if (x->has_followers)
		json_object_set_new(u, "followers_count",
		    json_integer((json_int_t)x->followers));
	if (x->has_following)
		json_object_set_new(u, "following_count",
		    json_integer((json_int_t)x->following));
	/* The age the user gave is theirs at the time of the archive. */
	if (json_object_get(u, "birth_date"))
		json_object_del(u, "age");
	if (x->generated[0])
		json_object_set_new(u, "archive_generated_at",
		    json_string(x->generated));
	info = ordered(u, user_keys);
	json_decref(u);
	return info;
}

static int
by_created(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *cx = sp_json_str(x, "created_at");
	const char *cy = sp_json_str(y, "created_at");
	int c;

	if ((cx == NULL) != (cy == NULL))
		return cx == NULL ? 1 : -1;
	if (cx && (c = strcmp(cx, cy)) != 0)
		return c;
	return strcmp(sp_json_str(x, "id"), sp_json_str(y, "id"));
}

/*
 * What the record of one Space says beyond the metadata's fields: who
 * spoke (distinct people), whether that list is whole, when the archive
 * was made.  X's README: an archive made while the Space is live holds
 * "only the active speakers at that moment": a Space without an end, or
 * with people still in it (totalParticipating), or that ended after the
 * archive was made, was live then.
 */
static json_t *
space_out(const struct sp_xarchive *x, const json_t *s)
{
	json_t *r = json_deep_copy(s), *ids, *el, *v;
	const char *end;
	size_t i;
	int live;

	if (x->generated[0])
		json_object_set_new(r, "archive_generated_at",
		    json_string(x->generated));
	if (json_object_get(x->meta, sp_json_str(s, "id")) == NULL) {
		v = ordered(r, space_keys);
		json_decref(r);
		return v;
	}
	if (json_object_get(r, "speakers")) {
		ids = json_array();
		json_array_foreach(json_object_get(r, "speakers"), i, el)
			json_array_append(ids, json_object_get(el, "user_id"));
		json_object_set_new(r, "speaker_ids", ids);
	}
	end = sp_json_str(r, "ended_at");
	v = json_object_get(r, "total_participating");
	live = end == NULL || (json_is_integer(v) && json_integer_value(v) >
	    0) || (x->generated[0] && strcmp(x->generated, end) < 0);
	json_object_set_new(r, "speakers_complete", json_boolean(!live));
	v = ordered(r, space_keys);
	json_decref(r);
	return v;
}

json_t *
sp_xarchive_spaces(const struct sp_xarchive *x, const char *id)
{
	json_t **v, *out = json_array(), *s;
	const char *k;
	size_t n = 0, i;

	if (id) {
		if ((s = json_object_get(x->spaces, id)) != NULL)
			json_array_append_new(out, space_out(x, s));
		return out;
	}
	v = sp_xcalloc(json_object_size(x->spaces) + 1, sizeof(*v));
	json_object_foreach(x->spaces, k, s)
		v[n++] = s;
	qsort(v, n, sizeof(*v), by_created);
	for (i = 0; i < n; i++)
		json_array_append_new(out, space_out(x, v[i]));
	free(v);
	return out;
}

json_t *
sp_xarchive_ids(const struct sp_xarchive *x, int which)
{
	json_t **v, *out = json_array(), *s;
	const char *k;
	size_t n = 0, i;

	v = sp_xcalloc(json_object_size(x->spaces) + 1, sizeof(*v));
	json_object_foreach(x->spaces, k, s)
		if (which == 0 ? json_object_get(x->meta, k) != NULL :
		    json_array_size(json_object_get(s, "audio")) > 0)
			v[n++] = s;
	qsort(v, n, sizeof(*v), by_created);
	for (i = 0; i < n; i++)
		json_array_append(out, json_object_get(v[i], "id"));
	free(v);
	return out;
}

const char *
sp_xarchive_created_at(const struct sp_xarchive *x, const char *id)
{
	return sp_json_str(json_object_get(x->spaces, id), "created_at");
}
