/* speakers: who spoke when, from Hydra tags and spoken sessions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adts.h"
#include "err.h"
#include "json.h"
#include "speakers.h"
#include "strnum.h"
#include "timefmt.h"
#include "xalloc.h"
#include "banned.h"

/* Names the readers of the tags and of the archive were seen to use. */
static const char *const id_keys[] = {
	"UserId", "user_id", "userId", "id", "periscope_user_id", NULL
};
static const char *const name_keys[] = {
	"UserName", "username", "twitter_screen_name", "screen_name", NULL
};

static void
copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* The first of keys that o has as an id, into buf; -1 when none. */
static int
first_id(const json_t *o, const char *const *keys, char *buf, size_t n)
{
	for (; *keys; keys++)
		if (sp_json_id(o, *keys, buf, n) == 0)
			return 0;
	buf[0] = '\0';
	return -1;
}

static const char *
first_str(const json_t *o, const char *const *keys)
{
	const char *s;

	for (; *keys; keys++)
		if ((s = sp_json_str(o, *keys)) != NULL && *s)
			return s;
	return NULL;
}

/* A JSON array from a tag's text (new), or NULL. */
static json_t *
array_of(const char *text)
{
	json_t *a;

	if (text == NULL)
		return NULL;
	a = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (a && !json_is_array(a)) {
		json_decref(a);
		a = NULL;
	}
	return a;
}

int
sp_hydra_participants(const char *text, struct sp_hydra_person *p,
    size_t max)
{
	json_t *a, *e;
	const char *s;
	size_t i, n;

	if ((a = array_of(text)) == NULL)
		return -1;
	n = json_array_size(a);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		e = json_array_get(a, i);
		p[i].id[0] = p[i].name[0] = '\0';
		if (!json_is_object(e))
			continue;
		first_id(e, id_keys, p[i].id, sizeof(p[i].id));
		if ((s = first_str(e, name_keys)) != NULL)
			copy(p[i].name, sizeof(p[i].name), s + (*s == '@'));
	}
	json_decref(a);
	return (int)n;
}

int
sp_hydra_levels(const char *text, double *lv, size_t max)
{
	json_t *a, *e;
	const char *errstr;
	size_t i, n;
	double v;

	if ((a = array_of(text)) == NULL)
		return -1;
	n = json_array_size(a);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++) {
		e = json_array_get(a, i);
		v = 0;
		if (json_is_number(e))
			v = json_number_value(e);
		else if (json_is_string(e) && sp_strtod(json_string_value(e),
		    -1e9, 1e9, &v, &errstr) != 0)
			v = 0;
		lv[i] = isfinite(v) ? v : 0;
	}
	json_decref(a);
	return (int)n;
}

void
sp_turns_init(struct sp_turns *t)
{
	t->v = NULL;
	t->n = t->cap = 0;
}

void
sp_turns_release(struct sp_turns *t)
{
	free(t->v);
	sp_turns_init(t);
}

void
sp_turns_add(struct sp_turns *t, const struct sp_turn *one)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = sp_xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	t->v[t->n++] = *one;
}

static double
sort_key(const struct sp_turn *t)
{
	if (!isnan(t->start))
		return t->start;
	return t->started_ms == SP_NO_MS ? HUGE_VAL : t->started_ms / 1000.0;
}

static int
cmp_turn(const void *a, const void *b)
{
	const struct sp_turn *x = a, *y = b;
	double kx = sort_key(x), ky = sort_key(y);

	if (kx != ky)
		return kx < ky ? -1 : 1;
	return strcmp(x->user_id, y->user_id);
}

void
sp_turns_sort(struct sp_turns *t)
{
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), cmp_turn);
}

static void
turn_init(struct sp_turn *t, int basis)
{
	memset(t, 0, sizeof(*t));
	t->start = t->end = NAN;
	t->started_ms = t->ended_ms = SP_NO_MS;
	t->basis = basis;
}

void
sp_floor_init(struct sp_floor *f, double min_turn, const char *host_id)
{
	memset(f, 0, sizeof(*f));
	f->min_turn = min_turn;
	copy(f->host_id, sizeof(f->host_id), host_id);
	f->nstage = -1;
}

/* The same person: by id when both have one, else by name. */
static int
same(const struct sp_hydra_person *a, int ah, const struct sp_hydra_person *b,
    int bh)
{
	if (ah || bh)
		return ah == bh;
	if (a->id[0] && b->id[0])
		return strcmp(a->id, b->id) == 0;
	return a->name[0] && strcmp(a->name, b->name) == 0;
}

static void
emit(struct sp_floor *f, double end, struct sp_turns *out)
{
	struct sp_turn t;

	turn_init(&t, SP_BASIS_STREAM);
	copy(t.user_id, sizeof(t.user_id), f->holder.id);
	copy(t.username, sizeof(t.username), f->holder.name);
	t.host = f->holder_host;
	t.start = f->since;
	t.end = end > f->since ? end : f->since;
	sp_turns_add(out, &t);
	f->holding = 0;
}

void
sp_floor_tag(struct sp_floor *f, double t, const char *participants,
    const char *levels, struct sp_turns *out)
{
	struct sp_hydra_person stage[SP_HYDRA_SLOTS], best;
	double lv[SP_HYDRA_SLOTS + 1], top = 0;
	int i, n, found = 0, best_host = 0;

	if (!isfinite(t) || (f->ntags > 0 && t < f->last_t))
		return;
	if (participants && *participants &&
	    (n = sp_hydra_participants(participants, stage,
	    SP_HYDRA_SLOTS)) >= 0) {
		memcpy(f->stage, stage, sizeof(stage[0]) * (size_t)n);
		f->nstage = n;
	}
	if (levels == NULL || *levels == '\0' ||
	    (n = sp_hydra_levels(levels, lv, SP_HYDRA_SLOTS + 1)) < 0)
		return;
	if (f->ntags > 0) {
		if (t - f->last_t > SP_HYDRA_MAXGAP) {
			/* A hole in the tags: nobody is known to speak in it. */
			if (f->holding)
				emit(f, f->heard + f->dt, out);
			f->challenging = 0;
		} else if (t > f->last_t)
			f->dt = t - f->last_t;
	} else
		f->first_t = t;
	f->last_t = t;
	f->ntags++;

	/* The loudest unmuted voice; slot 0 is the host, i + 1 stage[i]. */
	for (i = 0; i < n; i++) {
		if (lv[i] < SP_HYDRA_LEVEL_ON || (found && lv[i] <= top))
			continue;
		if (i > 0 && (i - 1 >= f->nstage ||
		    (!f->stage[i - 1].id[0] && !f->stage[i - 1].name[0])))
			continue;	/* a voice nobody names */
		if (i == 0) {
			memset(&best, 0, sizeof(best));
			copy(best.id, sizeof(best.id), f->host_id);
		} else
			best = f->stage[i - 1];
		best_host = i == 0;
		top = lv[i];
		found = 1;
	}

	if (!found) {
		f->challenging = 0;
		if (f->holding && t - f->heard >= f->min_turn)
			emit(f, f->heard + f->dt, out);
		return;
	}
	if (f->holding && same(&best, best_host, &f->holder, f->holder_host)) {
		f->heard = t;
		f->challenging = 0;
		return;
	}
	if (!f->holding) {
		f->holding = 1;
		f->holder = best;
		f->holder_host = best_host;
		f->since = f->heard = t;
		f->challenging = 0;
		return;
	}
	if (!f->challenging ||
	    !same(&best, best_host, &f->chal, f->chal_host)) {
		f->challenging = 1;
		f->chal = best;
		f->chal_host = best_host;
		f->chal_since = t;
	}
	/* Louder for min_turn: the tags from chal_since to t, each dt. */
	if (t - f->chal_since + f->dt >= f->min_turn) {
		emit(f, fmin(f->chal_since, f->heard + f->dt), out);
		f->holding = 1;
		f->holder = f->chal;
		f->holder_host = f->chal_host;
		f->since = f->chal_since;
		f->heard = t;
		f->challenging = 0;
	}
}

void
sp_floor_finish(struct sp_floor *f, struct sp_turns *out)
{
	if (f->holding)
		emit(f, f->heard + f->dt, out);
	f->challenging = 0;
}

int
sp_floor_span(const struct sp_floor *f, double *from, double *to)
{
	if (f->ntags == 0)
		return -1;
	*from = f->first_t;
	*to = f->last_t + f->dt;
	return 0;
}

/* An instant: ISO 8601, or epoch milliseconds as a number or digits. */
static int
instant(const json_t *o, const char *key, int64_t *ms)
{
	json_t *v = json_object_get(o, key);
	const char *s, *errstr;
	double d;

	if (json_is_number(v)) {
		d = json_number_value(v);
		if (!isfinite(d) || d < 0 || d > 253402300800000.0)
			return -1;
		*ms = (int64_t)llround(d);
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (sp_parse_instant(s, NULL, ms) == 0)
		return 0;
	if (sp_strtod(s, 0, 253402300800000.0, &d, &errstr) == 0) {
		*ms = (int64_t)llround(d);
		return 0;
	}
	return -1;
}

static int
instant2(const json_t *o, const char *a, const char *b, int64_t *ms)
{
	return instant(o, a, ms) == 0 || instant(o, b, ms) == 0 ? 0 : -1;
}

static size_t
add_session(const json_t *s, const char *sid, const char *uid,
    const char *uname, const char *creator, int64_t space_end, int basis,
    struct sp_turns *out)
{
	struct sp_turn t;

	turn_init(&t, basis);
	copy(t.username, sizeof(t.username), uname ? uname + (*uname == '@') :
	    NULL);
	copy(t.space_id, sizeof(t.space_id), sid);
	if (instant2(s, "started_at", "start", &t.started_ms) != 0)
		return 0;
	if (instant2(s, "ended_at", "end", &t.ended_ms) != 0) {
		if (space_end == SP_NO_MS)
			return 0;
		t.ended_ms = space_end;
	}
	if (t.ended_ms < t.started_ms)
		return 0;
	copy(t.user_id, sizeof(t.user_id), uid);
	t.host = creator && strcmp(creator, uid) == 0;
	sp_turns_add(out, &t);
	return 1;
}

size_t
sp_sessions_from_space(const json_t *space, int basis, struct sp_turns *out)
{
	char uid[SP_UID_LEN], creator[SP_UID_LEN], sid[SP_UID_LEN];
	const json_t *e, *sess, *s;
	const char *b, *un;
	int64_t space_end = SP_NO_MS;
	size_t i, j, added = 0;
	int have_creator;

	/* A record may say where its speakers came from (spaces-record's
	 * stage polls: "web"); that wins over the caller's guess. */
	if ((b = sp_json_str(space, "speakers_basis")) != NULL)
		basis = strcmp(b, "web") == 0 ? SP_BASIS_WEB : strcmp(b,
		    "stream") == 0 ? SP_BASIS_STREAM : strcmp(b, "archive") ==
		    0 ? SP_BASIS_ARCHIVE : basis;
	have_creator = sp_json_id(space, "creator_id", creator,
	    sizeof(creator)) == 0;
	instant(space, "ended_at", &space_end);
	if (sp_json_id(space, "id", sid, sizeof(sid)) != 0)
		sid[0] = '\0';
	json_array_foreach(json_object_get(space, "speakers"), i, e) {
		if (!json_is_object(e) || first_id(e, id_keys, uid,
		    sizeof(uid)) != 0)
			continue;
		un = first_str(e, name_keys);
		sess = json_object_get(e, "sessions");
		if (json_is_array(sess)) {
			json_array_foreach(sess, j, s)
				if (json_is_object(s))
					added += add_session(s, sid, uid, un,
					    have_creator ? creator : NULL,
					    space_end, basis, out);
		} else
			added += add_session(e, sid, uid, un,
			    have_creator ? creator : NULL, space_end, basis,
			    out);
	}
	return added;
}

void
sp_turns_place(struct sp_turns *tt, int64_t origin_ms)
{
	struct sp_turn *t;
	size_t i;

	if (origin_ms == SP_NO_MS)
		return;
	for (i = 0; i < tt->n; i++) {
		t = &tt->v[i];
		if (isnan(t->start) && t->started_ms != SP_NO_MS)
			t->start = (double)(t->started_ms - origin_ms) / 1000;
		if (isnan(t->end) && t->ended_ms != SP_NO_MS)
			t->end = (double)(t->ended_ms - origin_ms) / 1000;
		if (t->started_ms == SP_NO_MS && !isnan(t->start))
			t->started_ms = origin_ms + llround(t->start * 1000);
		if (t->ended_ms == SP_NO_MS && !isnan(t->end))
			t->ended_ms = origin_ms + llround(t->end * 1000);
	}
}

static int
same_person(const struct sp_turn *a, const struct sp_turn *b)
{
	if (a->host && b->host)
		return 1;
	if (a->user_id[0] && b->user_id[0])
		return strcmp(a->user_id, b->user_id) == 0;
	return a->username[0] && strcmp(a->username, b->username) == 0;
}

/* The part of s within [a, b), shifted wall clock included, into out. */
static void
piece(const struct sp_turn *s, double a, double b, struct sp_turns *out)
{
	struct sp_turn t = *s;

	a = fmax(a, s->start);
	b = fmin(b, s->end);
	if (!(b - a > 0.0005))
		return;
	if (s->started_ms != SP_NO_MS)
		t.started_ms = s->started_ms + llround((a - s->start) * 1000);
	if (s->ended_ms != SP_NO_MS)
		t.ended_ms = s->ended_ms - llround((s->end - b) * 1000);
	t.start = a;
	t.end = b;
	sp_turns_add(out, &t);
}

void
sp_turns_merge(const struct sp_turns *stream, int have_span, double from,
    double to, const struct sp_turns *sessions, struct sp_turns *out)
{
	const struct sp_turn *s;
	struct sp_turn t;
	size_t i, j, first = out->n;

	for (i = 0; i < stream->n; i++) {
		t = stream->v[i];
		for (j = 0; j < sessions->n; j++) {
			s = &sessions->v[j];
			if (!isnan(s->start) && !isnan(s->end) &&
			    s->start < t.end && t.start < s->end &&
			    same_person(s, &t)) {
				t.supersedes = 1 + s->basis;
				/* The session knows the host's id. */
				if (t.host && !t.user_id[0])
					copy(t.user_id, sizeof(t.user_id),
					    s->user_id);
				break;
			}
		}
		sp_turns_add(out, &t);
	}
	for (j = 0; j < sessions->n; j++) {
		s = &sessions->v[j];
		if (!have_span || isnan(s->start) || isnan(s->end))
			sp_turns_add(out, s);
		else {
			piece(s, -HUGE_VAL, from, out);
			piece(s, to, HUGE_VAL, out);
		}
	}
	if (out->n - first > 1)
		qsort(out->v + first, out->n - first, sizeof(*out->v),
		    cmp_turn);
}

struct audio_ctx {
	struct sp_adts	*p;
	struct sp_floor	*f;
	struct sp_turns	*out;
};

static void
on_tag(void *ctx, const struct sp_id3_tag *tag)
{
	struct audio_ctx *a = ctx;
	unsigned rate = a->p->info.sample_rate ? a->p->info.sample_rate :
	    48000;

	if (!(tag->have & (SP_ID3_PARTICIPANTS | SP_ID3_AUDIO_LEVEL)))
		return;
	sp_floor_tag(a->f, (double)tag->sample / rate,
	    (tag->have & SP_ID3_PARTICIPANTS) ? tag->participants : NULL,
	    (tag->have & SP_ID3_AUDIO_LEVEL) ? tag->audio_level : NULL,
	    a->out);
}

int
sp_speakers_audio(FILE *fp, struct sp_floor *f, struct sp_turns *out,
    int64_t *origin_ms, double *duration, char *err, size_t errlen)
{
	struct sp_adts *p = sp_xmalloc(sizeof(*p));
	struct audio_ctx a = { p, f, out };
	const struct sp_adts_info *i = &p->info;
	uint8_t buf[65536];
	size_t n;
	int rc = 0;

	sp_adts_init(p);
	p->ctx = &a;
	p->on_tag = on_tag;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sp_adts_feed(p, buf, n);
	*origin_ms = SP_NO_MS;
	*duration = 0;
	if (ferror(fp)) {
		snprintf(err, errlen, "read error");
		rc = -1;
	} else if (sp_adts_finish(p) != 0) {
		snprintf(err, errlen, "%s", p->err);
		rc = -1;
	} else {
		sp_floor_finish(f, out);
		*duration = i->duration;
		if ((i->have & (SP_ID3_TIT3_NTP | SP_ID3_JSON_NTP)) &&
		    i->sample_rate)
			*origin_ms = llround((i->first_ntp - SP_NTP_UNIX) *
			    1000 - (double)i->first_ntp_sample * 1000 /
			    i->sample_rate);
	}
	free(p);
	return rc;
}

long
sp_turns_read(FILE *fp, const char *name, struct sp_turns *out, char *err,
    size_t errlen)
{
	struct sp_ndjson r;
	struct sp_turn t;
	json_t *rec, *users = json_object();
	const char *type, *s;
	char id[SP_UID_LEN];
	size_t first = out->n, i;
	long rc = 0;
	int got;

	sp_ndjson_init(&r, fp, name);
	while ((got = sp_ndjson_next(&r, &rec)) != 0) {
		if (got < 0) {
			rc = got == -2 ? sp_fail(err, errlen, "cannot read "
			    "'%s'", name) : sp_fail(err, errlen, "'%s': %s",
			    name, r.err);
			break;
		}
		type = sp_rec_type(rec);
		if (type && strcmp(type, "turn") == 0) {
			if (sp_turn_from_record(rec, &t) != 0) {
				rc = sp_fail(err, errlen, "'%s': line %zu: a "
				    "turn without times", name, r.lineno);
				json_decref(rec);
				break;
			}
			sp_turns_add(out, &t);
		} else if (type && strcmp(type, "user") == 0 &&
		    sp_json_id(rec, "id", id, sizeof(id)) == 0 &&
		    (s = sp_json_str(rec, "username")) != NULL)
			json_object_set_new(users, id, json_string(s));
		json_decref(rec);
	}
	sp_ndjson_release(&r);
	for (i = first; i < out->n; i++)
		if (!out->v[i].username[0] && (s = json_string_value(
		    json_object_get(users, out->v[i].user_id))) != NULL)
			copy(out->v[i].username, sizeof(out->v[i].username),
			    s);
	json_decref(users);
	return rc ? rc : (long)(out->n - first);
}

void
sp_turns_cut(struct sp_turns *t, double from, double to)
{
	struct sp_turns keep;
	size_t i;

	sp_turns_init(&keep);
	for (i = 0; i < t->n; i++)
		if (!isnan(t->v[i].start) && !isnan(t->v[i].end))
			piece(&t->v[i], from, to, &keep);
	free(t->v);
	*t = keep;
}

const char *
sp_basis_name(int basis)
{
	switch (basis) {
	case SP_BASIS_ARCHIVE:
		return "archive";
	case SP_BASIS_WEB:
		return "web";
	default:
		return "stream";
	}
}

static double
ms3(double v)
{
	return round(v * 1000) / 1000;
}

json_t *
sp_turn_record(const struct sp_turn *t)
{
	char buf[SP_INSTANT_LEN];
	json_t *r = sp_rec_new("turn", NULL);

	json_object_del(r, "source");
	if (t->space_id[0])
		json_object_set_new(r, "space_id", json_string(t->space_id));
	if (t->user_id[0])
		json_object_set_new(r, "user_id", json_string(t->user_id));
	if (t->username[0])
		json_object_set_new(r, "username", json_string(t->username));
	if (t->host)
		json_object_set_new(r, "role", json_string("host"));
	if (!isnan(t->start))
		json_object_set_new(r, "start", json_real(ms3(t->start)));
	if (!isnan(t->end))
		json_object_set_new(r, "end", json_real(ms3(t->end)));
	if (t->started_ms != SP_NO_MS)
		json_object_set_new(r, "started_at",
		    json_string(sp_fmt_instant(t->started_ms, buf)));
	if (t->ended_ms != SP_NO_MS)
		json_object_set_new(r, "ended_at",
		    json_string(sp_fmt_instant(t->ended_ms, buf)));
	json_object_set_new(r, "basis", json_string(sp_basis_name(t->basis)));
	if (t->supersedes)
		json_object_set_new(r, "supersedes",
		    json_string(sp_basis_name(t->supersedes - 1)));
	return r;
}

int
sp_turn_from_record(const json_t *rec, struct sp_turn *t)
{
	const char *s;

	turn_init(t, SP_BASIS_ARCHIVE);
	sp_json_id(rec, "space_id", t->space_id, sizeof(t->space_id));
	first_id(rec, (const char *const[]){ "user_id", NULL }, t->user_id,
	    sizeof(t->user_id));
	if ((s = sp_json_str(rec, "username")) != NULL)
		copy(t->username, sizeof(t->username), s + (*s == '@'));
	if ((s = sp_json_str(rec, "role")) != NULL)
		t->host = strcmp(s, "host") == 0;
	if ((s = sp_json_str(rec, "basis")) != NULL)
		t->basis = strcmp(s, "stream") == 0 ? SP_BASIS_STREAM :
		    strcmp(s, "web") == 0 ? SP_BASIS_WEB : SP_BASIS_ARCHIVE;
	if (sp_json_num(rec, "start", &t->start) != 0 || !isfinite(t->start))
		t->start = NAN;
	if (sp_json_num(rec, "end", &t->end) != 0 || !isfinite(t->end))
		t->end = NAN;
	if (instant(rec, "started_at", &t->started_ms) != 0)
		t->started_ms = SP_NO_MS;
	if (instant(rec, "ended_at", &t->ended_ms) != 0)
		t->ended_ms = SP_NO_MS;
	if (!isnan(t->start) && !isnan(t->end) && t->end >= t->start)
		return 0;
	if (t->started_ms != SP_NO_MS && t->ended_ms != SP_NO_MS &&
	    t->ended_ms >= t->started_ms)
		return 0;
	return -1;
}
