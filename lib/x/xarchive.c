/* xarchive: what an X data archive says about its owner and their Spaces. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
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
	int	 has_followers, has_following;
	uint64_t followers, following;
};

/* The data files the listing reads: manifest key and documented base. */
static const struct {
	const char *key, *base;
} wanted[] = {
	{ "account", "account" }, { "profile", "profile" },
	{ "ageinfo", "ageinfo" }, { "follower", "follower" },
	{ "following", "following" }, { "spacesMetadata", "spaces-metadata" },
};

struct sp_xarchive *
sp_xarchive_new(void)
{
	struct sp_xarchive *x = sp_xcalloc(1, sizeof(*x));

	x->user = json_object();
	x->spaces = json_object();
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
	free(x);
}

void
sp_xarchive_manifest(struct sp_xarchive *x, json_t *manifest)
{
	json_decref(x->manifest);
	x->manifest = manifest;
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

/* A Space's audio: ".../spaces_media/space-<id>_<n>.<ext>". */
static int
media_name(const char *name, const char *dir, char *id, size_t idlen,
    int *part)
{
	const char *file = base_of(name), *us, *p;
	size_t dlen = strlen(dir), k;
	long long n;
	const char *errstr;
	char num[16];

	if (file == name || (size_t)(file - name) < dlen + 1 ||
	    strncmp(file - dlen - 1, dir, dlen) != 0 || file[-1] != '/')
		return 0;
	if (file - dlen - 1 != name && file[-dlen - 2] != '/')
		return 0;
	if (strncmp(file, "space-", 6) != 0 || (us = strrchr(file, '_')) ==
	    NULL)
		return 0;
	p = file + 6;
	if (us == p || (size_t)(us - p) >= idlen)
		return 0;
	for (k = 0; p + k < us; k++)
		if (!isalnum((unsigned char)p[k]))
			return 0;
	snprintf(id, idlen, "%.*s", (int)(us - p), p);
	for (k = 0, p = us + 1; isdigit((unsigned char)p[k]) && k + 1 <
	    sizeof(num); k++)
		num[k] = p[k];
	num[k] = '\0';
	if (k == 0 || (p[k] != '.' && p[k] != '\0') ||
	    sp_strtoll(num, 0, 1000000, &n, &errstr) != 0)
		return 0;
	*part = (int)n;
	return 1;
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
	if (media_name(name, mdir, e->id, sizeof(e->id), &e->part) ||
	    media_name(name, "spaces_media", e->id, sizeof(e->id), &e->part)) {
		e->kind = SP_X_MEDIA;
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
 * An instant as archives write it (ISO 8601, or epoch milliseconds as a
 * number or a string of digits) in the toolkit's form; -1 when it is not.
 */
static int
norm_instant(const json_t *v, char out[SP_INSTANT_LEN])
{
	const char *errstr;
	long long n;
	int64_t ms;

	if (json_is_integer(v))
		ms = json_integer_value(v);
	else if (json_is_real(v))
		ms = (int64_t)json_real_value(v);
	else if (!json_is_string(v))
		return -1;
	else if (sp_strtoll(json_string_value(v), 0, 253402300799999LL, &n,
	    &errstr) == 0)
		ms = n;
	else if (sp_parse_instant(json_string_value(v), NULL, &ms) != 0)
		return -1;
	if (ms < -62135596800000LL || ms > 253402300799999LL)
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
 * Copy an archive object into a record: snake_case keys, ids as strings,
 * instants normalised, counts as numbers.  Unknown fields pass through;
 * a value that should be a time and is not is left out, with a warning.
 */
static json_t *
normalise(const json_t *in, const char *what,
    void (*warn)(const char *fmt, ...))
{
	json_t *out = json_object(), *v, *a, *el;
	const char *k;
	char key[SP_XTYPE_LEN], id[64], when[SP_INSTANT_LEN];
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
			if (norm_instant(v, when) == 0)
				json_object_set_new(out, key,
				    json_string(when));
			else if (warn && !json_is_null(v) &&
			    !(json_is_string(v) && json_string_length(v) == 0))
				warn("%s: %s is not a time; left out", what, k);
		} else if (strncmp(key, "total_", 6) == 0 &&
		    sp_json_num(in, k, &d) == 0)
			json_object_set_new(out, key, json_integer((json_int_t)d));
		else
			json_object_set(out, key, v);
	}
	return out;
}

static json_t *
speakers(const json_t *in, const char *what,
    void (*warn)(const char *fmt, ...))
{
	json_t *out = json_array(), *el;
	char id[64];
	size_t i;

	json_array_foreach(in, i, el) {
		if (json_is_object(el))
			json_array_append_new(out, normalise(el, what, warn));
		else if (sp_json_idv(el, id, sizeof(id)) == 0)
			json_array_append_new(out, json_pack("{s:s}", "user_id",
			    id));
	}
	return out;
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

static void
add_space(struct sp_xarchive *x, const json_t *item,
    void (*warn)(const char *fmt, ...))
{
	char id[64], what[96];
	json_t *rec, *s, *sp;
	const char *k;
	json_t *v;

	if (sp_json_id(item, "id", id, sizeof(id)) != 0 ||
	    strlen(id) >= SP_XID_LEN) {
		if (warn)
			warn("spaces-metadata: a Space without a usable id; "
			    "left out");
		return;
	}
	snprintf(what, sizeof(what), "Space %s", id);
	rec = normalise(item, what, warn);
	if ((sp = json_object_get(item, "speakers")) != NULL &&
	    json_is_array(sp))
		json_object_set_new(rec, "speakers", speakers(sp, what, warn));
	s = space_rec(x, id);
	json_object_foreach(rec, k, v)
		if (strcmp(k, "audio") != 0 && strcmp(k, "type") != 0 &&
		    strcmp(k, "source") != 0)
			json_object_set(s, k, v);
	json_decref(rec);
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v && *v)
		json_object_set_new(o, key, json_string(v));
}

/* Take one item of a wanted file. */
static void
take(struct sp_xarchive *x, int w, const json_t *item,
    void (*warn)(const char *fmt, ...))
{
	char id[64], when[SP_INSTANT_LEN], *loc;
	const char *s;
	size_t a, b;
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

			if (sp_parse_date(s, &y, &m, &d) == 0)
				set_str(x->user, "birth_date", s);
			else if (warn)
				warn("ageinfo: birthDate '%s' is not a date; "
				    "left out", s);
		}
		break;
	case 5:
		add_space(x, item, warn);
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

void
sp_xarchive_media(struct sp_xarchive *x, const char *id, int part,
    const struct sp_xmedia *m)
{
	json_t *audio = json_object_get(space_rec(x, id), "audio"), *a, *el;
	size_t i;

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
	/* Keep the parts in order whatever order the zip holds them in. */
	json_array_foreach(audio, i, el)
		if (json_integer_value(json_object_get(el, "part")) > part)
			break;
	json_array_insert_new(audio, i, a);
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
    "total_participated", "invited_user_ids", "speakers", NULL };
static const char *const user_keys[] = { "type", "id", "username", "name",
    "created_at", "followers_count", "following_count", "location",
    "country", "country_basis", "birth_date", NULL };

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

json_t *
sp_xarchive_spaces(const struct sp_xarchive *x, const char *id)
{
	json_t **v, *out = json_array(), *s;
	const char *k;
	size_t n = 0, i;

	if (id) {
		if ((s = json_object_get(x->spaces, id)) != NULL)
			json_array_append_new(out, ordered(s, space_keys));
		return out;
	}
	v = sp_xcalloc(json_object_size(x->spaces) + 1, sizeof(*v));
	json_object_foreach(x->spaces, k, s)
		v[n++] = s;
	qsort(v, n, sizeof(*v), by_created);
	for (i = 0; i < n; i++)
		json_array_append_new(out, ordered(v[i], space_keys));
	free(v);
	return out;
}

const char *
sp_xarchive_created_at(const struct sp_xarchive *x, const char *id)
{
	return sp_json_str(json_object_get(x->spaces, id), "created_at");
}
