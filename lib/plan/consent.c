/* consent: the host's append-only consent ledger, its fold, clip checks. */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "consent.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

char *
sp_consent_default_path(void)
{
	const char *s = getenv("SPACES_CONSENT"), *x, *home;

	if (s && *s)
		return sp_xstrdup(s);
	if ((x = getenv("XDG_DATA_HOME")) && *x == '/')
		return sp_xasprintf("%s/spaces/consent.ndjson", x);
	home = getenv("HOME");
	return sp_xasprintf("%s/.local/share/spaces/consent.ndjson",
	    home && *home ? home : ".");
}

int
sp_use_parse(const char *s)
{
	if (strcmp(s, "clips") == 0)
		return SP_USE_CLIPS;
	if (strcmp(s, "podcast") == 0)
		return SP_USE_PODCAST;
	if (strcmp(s, "all") == 0)
		return SP_USE_ALL;
	return -1;
}

const char *
sp_use_name(int use)
{
	return use == SP_USE_CLIPS ? "clips" : use == SP_USE_PODCAST ?
	    "podcast" : "all";
}

void
sp_ledger_init(struct sp_ledger *l)
{
	memset(l, 0, sizeof(*l));
}

void
sp_ledger_release(struct sp_ledger *l)
{
	free(l->v);
	sp_ledger_init(l);
}

static void
ledger_add(struct sp_ledger *l, const struct sp_consent *c)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = sp_xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = *c;
}

static void
bad_line(struct sp_ledger *l, size_t lineno)
{
	if (l->bad++ == 0)
		l->first_bad = lineno;
}

int
sp_ledger_read(struct sp_ledger *l, const char *path, char *err,
    size_t errlen)
{
	struct sp_ndjson r;
	struct sp_consent c;
	json_t *rec;
	FILE *fp;
	int fd, rc, ret = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return sp_fail(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
	}
	/* A writer holds the lock for one whole line. */
	while (flock(fd, LOCK_SH) == -1)
		if (errno != EINTR) {
			sp_fail(err, errlen, "cannot lock '%s': %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
	if ((fp = fdopen(fd, "r")) == NULL) {
		sp_fail(err, errlen, "'%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	sp_ndjson_init(&r, fp, path);
	while ((rc = sp_ndjson_next(&r, &rec)) != 0) {
		if (rc == -2) {
			ret = sp_fail(err, errlen, "cannot read '%s': %s",
			    path, strerror(errno));
			break;
		}
		if (rc == -1) {
			bad_line(l, r.lineno);
			continue;
		}
		if (sp_consent_from_record(rec, &c) == 0)
			ledger_add(l, &c);
		else
			bad_line(l, r.lineno);
		json_decref(rec);
	}
	sp_ndjson_release(&r);
	fclose(fp);
	return ret;
}

/* Write all of buf to fd. */
static int
write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, buf, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
sync_dir(const char *path)
{
	char *dir = sp_xstrdup(path), *slash = strrchr(dir, '/');
	int fd, rc = 0;

	if (slash == NULL)
		snprintf(dir, 2, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1)
		rc = -1;
	if (fd != -1)
		close(fd);
	free(dir);
	return rc;
}

int
sp_ledger_append(const char *path, const struct sp_consent *c, char *err,
    size_t errlen)
{
	struct stat st;
	json_t *rec;
	char *body, *line, *dir, *slash, last;
	int fd, created = 0, e;

	dir = sp_xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (sp_mkdirs(dir) != 0) {
			e = errno;
			sp_fail(err, errlen, "cannot make '%s': %s", dir,
			    strerror(e));
			free(dir);
			errno = e;
			return -1;
		}
	}
	free(dir);
	if ((fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)) == -1 &&
	    errno == ENOENT) {
		fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0600);
		if (fd != -1)
			created = 1;
		else if (errno == EEXIST)
			fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	}
	if (fd == -1)
		return sp_fail(err, errlen, "cannot open '%s': %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX) == -1)
		if (errno != EINTR)
			goto fail;
	rec = sp_consent_record(c);
	body = json_dumps(rec, JSON_COMPACT);
	json_decref(rec);
	if (body == NULL)
		sp_errx(SP_EXIT_ENV, "out of memory");
	/* A crash may have left a line without its end: end it first. */
	last = '\n';
	if (fstat(fd, &st) == -1 || (st.st_size > 0 &&
	    pread(fd, &last, 1, st.st_size - 1) != 1))
		last = '\n';
	line = sp_xasprintf("%s%s\n", last == '\n' ? "" : "\n", body);
	free(body);
	if (write_all(fd, line, strlen(line)) == -1) {
		free(line);
		goto fail;
	}
	free(line);
	if (fsync(fd) == -1 || (created && sync_dir(path) == -1))
		goto fail;
	if (close(fd) == -1)
		return sp_fail(err, errlen, "cannot write '%s': %s", path,
		    strerror(errno));
	return 0;
fail:
	e = errno;
	sp_fail(err, errlen, "cannot write '%s': %s", path, strerror(e));
	close(fd);
	errno = e;
	return -1;
}

json_t *
sp_consent_record(const struct sp_consent *c)
{
	char buf[SP_INSTANT_LEN];
	json_t *r = json_object();

	json_object_set_new(r, "type", json_string("consent"));
	json_object_set_new(r, "action", json_string(c->action ==
	    SP_CONSENT_GRANT ? "grant" : "revoke"));
	if (c->user_id[0])
		json_object_set_new(r, "user_id", json_string(c->user_id));
	if (c->username[0])
		json_object_set_new(r, "username", json_string(c->username));
	json_object_set_new(r, "space_id", json_string(c->space_id));
	json_object_set_new(r, "use", json_string(sp_use_name(c->use)));
	json_object_set_new(r, "at", json_string(sp_fmt_instant(c->at, buf)));
	if (c->evidence[0])
		json_object_set_new(r, "evidence", json_string(c->evidence));
	json_object_set_new(r, "source", json_string("user"));
	return r;
}

int
sp_consent_from_record(const json_t *rec, struct sp_consent *c)
{
	const char *s, *t = sp_rec_type(rec);

	memset(c, 0, sizeof(*c));
	if (t == NULL || strcmp(t, "consent") != 0)
		return -1;
	if ((s = sp_json_str(rec, "action")) == NULL)
		return -1;
	if (strcmp(s, "grant") == 0)
		c->action = SP_CONSENT_GRANT;
	else if (strcmp(s, "revoke") == 0)
		c->action = SP_CONSENT_REVOKE;
	else
		return -1;
	if (sp_json_id(rec, "user_id", c->user_id, sizeof(c->user_id)) != 0)
		c->user_id[0] = '\0';
	if ((s = sp_json_str(rec, "username")) != NULL) {
		s += *s == '@';
		/* X names have no "@": one would not read back the same. */
		if (strlen(s) >= sizeof(c->username) || strchr(s, '@'))
			return -1;
		snprintf(c->username, sizeof(c->username), "%s", s);
	}
	if (!c->user_id[0] && !c->username[0])
		return -1;
	if (json_object_get(rec, "space_id") == NULL)
		snprintf(c->space_id, sizeof(c->space_id), "*");
	else if (sp_json_id(rec, "space_id", c->space_id,
	    sizeof(c->space_id)) != 0)
		return -1;
	if ((s = sp_json_str(rec, "use")) == NULL)
		c->use = SP_USE_ALL;
	else if ((c->use = sp_use_parse(s)) < 0)
		return -1;
	if ((s = sp_json_str(rec, "at")) == NULL ||
	    sp_parse_instant(s, NULL, &c->at) != 0)
		return -1;
	if ((s = sp_json_str(rec, "evidence")) != NULL) {
		if (strlen(s) >= sizeof(c->evidence))
			return -1;
		snprintf(c->evidence, sizeof(c->evidence), "%s", s);
	}
	return 0;
}

static int
person_is(const struct sp_consent *c, const char *uid, const char *name)
{
	if (c->user_id[0] && uid && *uid)
		return strcmp(c->user_id, uid) == 0;
	if (c->username[0] && name && *name)
		return strcasecmp(c->username, name) == 0;
	return 0;
}

int
sp_consent_state(const struct sp_ledger *l, const char *user_id,
    const char *username, const char *space_id, int use,
    const struct sp_consent **last)
{
	const struct sp_consent *c, *found = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		c = &l->v[i];
		if (!person_is(c, user_id, username) ||
		    (c->use & use) != use)
			continue;
		if (strcmp(c->space_id, "*") != 0 && (space_id == NULL ||
		    strcmp(c->space_id, space_id) != 0))
			continue;
		found = c;
	}
	if (last)
		*last = found;
	if (found == NULL)
		return SP_CONSENT_NONE;
	return found->action == SP_CONSENT_GRANT ? SP_CONSENT_GRANTED :
	    SP_CONSENT_REVOKED;
}

/* The voice of turn t in voices (borrowed), made when new. */
static json_t *
voice_of(json_t *voices, const struct sp_turn *t)
{
	json_t *v;
	const char *id, *name;
	size_t i;

	json_array_foreach(voices, i, v) {
		id = sp_json_str(v, "user_id");
		name = sp_json_str(v, "username");
		if (t->host && json_is_true(json_object_get(v, "host")))
			return v;
		if (t->user_id[0] && id)  {
			if (strcmp(id, t->user_id) == 0)
				return v;
			continue;
		}
		if (t->username[0] && name && strcasecmp(name,
		    t->username) == 0)
			return v;
	}
	v = json_object();
	if (t->user_id[0])
		json_object_set_new(v, "user_id", json_string(t->user_id));
	if (t->username[0])
		json_object_set_new(v, "username", json_string(t->username));
	if (t->host)
		json_object_set_new(v, "host", json_true());
	json_object_set_new(v, "ranges", json_array());
	json_array_append_new(voices, v);
	return v;
}

/* Add [a, b) to ranges, joining it to the last range it touches. */
static void
add_range(json_t *ranges, double a, double b)
{
	json_t *last = json_array_get(ranges, json_array_size(ranges) - 1);
	double la, lb;

	if (last) {
		la = json_real_value(json_array_get(last, 0));
		lb = json_real_value(json_array_get(last, 1));
		if (a <= lb + 1e-6 && b >= la - 1e-6) {
			json_array_set_new(last, 0, json_real(fmin(a, la)));
			json_array_set_new(last, 1, json_real(fmax(b, lb)));
			return;
		}
	}
	json_array_append_new(ranges, json_pack("[f,f]", a, b));
}

/* Spans by start, then by turn. */
static int
by_start(const void *a, const void *b)
{
	const struct sp_consent_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->turn < y->turn ? -1 : x->turn > y->turn;
}

/* A turn and its index, to sort turns by who they name. */
struct named {
	const struct sp_turn	*t;
	size_t			 i;
};

/* By id, then name (exactly), then index. */
static int
by_person(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c;

	if ((c = strcmp(x->t->user_id, y->t->user_id)) != 0 ||
	    (c = strcmp(x->t->username, y->t->username)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
by_index(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	return i < j ? -1 : i > j;
}

void
sp_consent_index_init(struct sp_consent_index *ix, const struct sp_ledger *l,
    const struct sp_turns *tt)
{
	const struct sp_turn *t, *p;
	struct named *order;
	size_t i, k;

	memset(ix, 0, sizeof(*ix));
	ix->ledger = l;
	ix->turns = tt;
	if (tt->n == 0)
		return;
	ix->span = sp_xreallocarray(NULL, tt->n, sizeof(*ix->span));
	for (i = 0; i < tt->n; i++) {
		t = &tt->v[i];
		if (isnan(t->start) || isnan(t->end))
			continue;
		ix->span[ix->nspan].start = t->start;
		ix->span[ix->nspan].end = t->end;
		ix->span[ix->nspan++].turn = i;
	}
	qsort(ix->span, ix->nspan, sizeof(*ix->span), by_start);
	for (k = 0; k < ix->nspan; k++)
		ix->span[k].maxend = k == 0 ? ix->span[k].end :
		    fmax(ix->span[k - 1].maxend, ix->span[k].end);
	/* One person for the turns that name the same id and name. */
	order = sp_xreallocarray(NULL, tt->n, sizeof(*order));
	for (i = 0; i < tt->n; i++) {
		order[i].t = &tt->v[i];
		order[i].i = i;
	}
	qsort(order, tt->n, sizeof(*order), by_person);
	ix->person = sp_xreallocarray(NULL, tt->n, sizeof(*ix->person));
	for (k = 0, p = NULL; k < tt->n; k++) {
		t = order[k].t;
		if (p == NULL || strcmp(p->user_id, t->user_id) != 0 ||
		    strcmp(p->username, t->username) != 0)
			ix->npeople++;
		ix->person[order[k].i] = ix->npeople - 1;
		p = t;
	}
	free(order);
	ix->fold = sp_xcalloc(ix->npeople, sizeof(*ix->fold));
}

void
sp_consent_index_release(struct sp_consent_index *ix)
{
	free(ix->span);
	free(ix->person);
	free(ix->fold);
	free(ix->hits);
	memset(ix, 0, sizeof(*ix));
}

/* A turn of another Space than the one asked (when both are known). */
static int
other_space(const struct sp_turn *t, const char *space_id)
{
	return space_id && *space_id && t->space_id[0] &&
	    strcmp(space_id, t->space_id) != 0;
}

/* Whether space_id (NULL: any) fits in a cache's key. */
static int
cacheable(const char *space_id)
{
	return space_id == NULL || strlen(space_id) < SP_UID_LEN;
}

static int
same_key(int valid, int any, const char *key, const char *space_id)
{
	if (!valid)
		return 0;
	if (space_id == NULL)
		return any;
	return !any && strcmp(key, space_id) == 0;
}

/* How many timed turns are of space_id's Space (or of none said). */
static size_t
known_turns(struct sp_consent_index *ix, const char *space_id)
{
	size_t k, n = 0;

	if (same_key(ix->known_valid, ix->known_any, ix->known_space,
	    space_id))
		return ix->known;
	for (k = 0; k < ix->nspan; k++)
		n += !other_space(&ix->turns->v[ix->span[k].turn], space_id);
	if (cacheable(space_id)) {
		ix->known_valid = 1;
		ix->known_any = space_id == NULL;
		snprintf(ix->known_space, sizeof(ix->known_space), "%s",
		    space_id ? space_id : "");
		ix->known = n;
	}
	return n;
}

/* The fold of turn i's person, made once for a Space and use. */
static int
person_state(struct sp_consent_index *ix, size_t i, const char *space_id,
    int use, const struct sp_consent **last)
{
	const struct sp_turn *t = &ix->turns->v[i];
	struct sp_consent_fold *f = &ix->fold[ix->person[i]];

	if (!same_key(f->valid, f->any_space, f->space_id, space_id) ||
	    f->use != use) {
		f->state = sp_consent_state(ix->ledger, t->user_id[0] ?
		    t->user_id : NULL, t->username[0] ? t->username : NULL,
		    space_id, use, &f->last);
		f->use = use;
		f->any_space = space_id == NULL;
		snprintf(f->space_id, sizeof(f->space_id), "%s",
		    space_id ? space_id : "");
		f->valid = cacheable(space_id);
	}
	*last = f->last;
	return f->state;
}

/* Add a turn's index to the hits. */
static void
hit(struct sp_consent_index *ix, size_t *n, size_t turn)
{
	if (*n == ix->caphits) {
		ix->caphits = ix->caphits ? ix->caphits * 2 : 64;
		ix->hits = sp_xreallocarray(ix->hits, ix->caphits,
		    sizeof(*ix->hits));
	}
	ix->hits[(*n)++] = turn;
}

int
sp_consent_check_index(struct sp_consent_index *ix, const char *space_id,
    double start, double end, int use, json_t **voices)
{
	const struct sp_consent *last;
	const struct sp_turn *t;
	char at[SP_INSTANT_LEN];
	json_t *v;
	double a, b;
	size_t i, k, lo, hi, mid, nhits = 0, nv, *first = NULL;
	int state, rc = SP_CHECK_OK;
	const char *word;

	*voices = json_array();
	if (known_turns(ix, space_id) == 0)
		return SP_CHECK_UNKNOWN;
	/*
	 * The spans before the first whose maxend passes start all end by
	 * start; from there, those that start before end may overlap.  (A
	 * NaN bound leaves the comparisons to fmax and fmin, as a scan of
	 * every turn would.)
	 */
	lo = 0;
	hi = ix->nspan;
	if (!isnan(start))
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (ix->span[mid].maxend > start)
				hi = mid;
			else
				lo = mid + 1;
		}
	for (k = lo; k < ix->nspan; k++) {
		if (!isnan(end) && !(ix->span[k].start < end))
			break;
		a = fmax(start, ix->span[k].start);
		b = fmin(end, ix->span[k].end);
		if (b > a)
			hit(ix, &nhits, ix->span[k].turn);
	}
	/* In the turns' own order: voices in the order first heard. */
	if (nhits > 1)
		qsort(ix->hits, nhits, sizeof(*ix->hits), by_index);
	if (nhits)
		first = sp_xreallocarray(NULL, nhits, sizeof(*first));
	for (i = 0; i < nhits; i++) {
		t = &ix->turns->v[ix->hits[i]];
		if (other_space(t, space_id))
			continue;
		nv = json_array_size(*voices);
		v = voice_of(*voices, t);
		if (json_array_size(*voices) > nv)
			first[nv] = ix->hits[i];
		add_range(json_object_get(v, "ranges"), fmax(start, t->start),
		    fmin(end, t->end));
	}
	json_array_foreach(*voices, i, v) {
		if (json_is_true(json_object_get(v, "host"))) {
			json_object_del(v, "host");
			json_object_set_new(v, "consent", json_string("host"));
			continue;
		}
		state = person_state(ix, first[i], space_id, use, &last);
		word = state == SP_CONSENT_GRANTED ? "granted" :
		    state == SP_CONSENT_REVOKED ? "revoked" : "none";
		json_object_set_new(v, "consent", json_string(word));
		if (last) {
			json_object_set_new(v, "at",
			    json_string(sp_fmt_instant(last->at, at)));
			if (last->evidence[0])
				json_object_set_new(v, "evidence",
				    json_string(last->evidence));
		}
		if (state != SP_CONSENT_GRANTED)
			rc = SP_CHECK_MISSING;
	}
	free(first);
	return rc;
}

int
sp_consent_check(const struct sp_ledger *l, const struct sp_turns *tt,
    const char *space_id, double start, double end, int use,
    json_t **voices)
{
	struct sp_consent_index ix;
	int rc;

	sp_consent_index_init(&ix, l, tt);
	rc = sp_consent_check_index(&ix, space_id, start, end, use, voices);
	sp_consent_index_release(&ix);
	return rc;
}

int
sp_voice_ok(const json_t *voice)
{
	const char *c = sp_json_str(voice, "consent");

	return c && (strcmp(c, "granted") == 0 || strcmp(c, "host") == 0);
}

void
sp_voice_describe(const json_t *voice, char *buf, size_t n)
{
	char a[SP_DURATION_LEN], b[SP_DURATION_LEN];
	const char *id = sp_json_str(voice, "user_id");
	const char *name = sp_json_str(voice, "username");
	const char *c = sp_json_str(voice, "consent");
	size_t len, i;
	json_t *r;

	if (name)
		len = (size_t)snprintf(buf, n, "@%s", name);
	else
		len = (size_t)snprintf(buf, n, "%s", id ? id : "?");
	if (len < n)
		len += (size_t)snprintf(buf + len, n - len, " %s, heard",
		    c && strcmp(c, "revoked") == 0 ? "revoked consent" :
		    "has not consented");
	json_array_foreach(json_object_get(voice, "ranges"), i, r) {
		if (len >= n)
			break;
		len += (size_t)snprintf(buf + len, n - len, "%s %s-%s",
		    i ? "," : "", sp_fmt_duration(json_real_value(
		    json_array_get(r, 0)), a), sp_fmt_duration(json_real_value(
		    json_array_get(r, 1)), b));
	}
}

json_t *
sp_voices_mute(const json_t *voices, unsigned rate, struct sp_ranges *mute)
{
	json_t *out = json_array(), *v, *r, *m;
	double a, b;
	size_t i, j;

	json_array_foreach(voices, i, v) {
		if (sp_voice_ok(v))
			continue;
		json_array_foreach(json_object_get(v, "ranges"), j, r) {
			a = json_real_value(json_array_get(r, 0));
			b = json_real_value(json_array_get(r, 1));
			sp_ranges_add(mute, (uint64_t)floor(fmax(a, 0) * rate),
			    (uint64_t)ceil(fmax(b, 0) * rate));
			m = json_object();
			if (json_object_get(v, "user_id"))
				json_object_set(m, "user_id",
				    json_object_get(v, "user_id"));
			if (json_object_get(v, "username"))
				json_object_set(m, "username",
				    json_object_get(v, "username"));
			json_object_set_new(m, "start", json_real(a));
			json_object_set_new(m, "end", json_real(b));
			json_array_append_new(out, m);
		}
	}
	return out;
}
