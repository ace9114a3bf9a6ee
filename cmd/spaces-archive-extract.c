/* spaces-archive-extract: read X data archives: records and Spaces audio. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adts.h"
#include "err.h"
#include "io.h"
#include "json.h"
#include "options.h"
#include "progress.h"
#include "template.h"
#include "timefmt.h"
#include "xalloc.h"
#include "xarchive.h"
#include "ytd.h"
#include "zipread.h"
#include "banned.h"

#define BLOCK (64 * 1024)

enum { OPT_DATA = 256, OPT_TABLE };

static const struct sp_opt optlist[] = {
	{ 'f', "force", NULL, SP_VAL_NONE, NULL, "replace files that exist" },
	{ 'j', "json", NULL, SP_VAL_NONE, NULL,
	    "print NDJSON records, even on a terminal" },
	{ 'l', "list", NULL, SP_VAL_NONE, NULL,
	    "list the account and its Spaces, extract nothing" },
	{ 'q', "quiet", NULL, SP_VAL_NONE, NULL,
	    "no progress bar, no table of the files extracted" },
	{ 'C', "directory", "dir", SP_VAL_DIR, NULL,
	    "write the audio files in this directory" },
	{ 'o', "output", "template", SP_VAL_TEXT,
	    "- space-%(id)s_%(part)d.aac %(date)s-%(id)s_%(part)d.aac "
	    "%(id)s_%(part)02d.aac",
	    "name the audio files after this template (- for stdout)" },
	{ 's', "space", "id", SP_VAL_TEXT, NULL,
	    "only this Space (repeatable)" },
	{ OPT_DATA, "data", "type", SP_VAL_CHOICE,
	    "account ageinfo follower following periscope-account-information "
	    "profile spaces-metadata "
	    "tweets direct-messages like personalization",
	    "print the items of one data type as NDJSON" },
	{ OPT_TABLE, "table", NULL, SP_VAL_NONE, NULL,
	    "print the table even when not on a terminal" },
	{ 0, NULL, NULL, SP_VAL_NONE, NULL, NULL }
};

static struct sp_opts optspec = {
	"spaces-archive-extract",
	"spaces-archive-extract [-fjlq] [-C dir] [-o template] [-s id]... "
	"[--data type] [--table] archive.zip|- ...",
	optlist, SP_VAL_FILE, "zip -", 0, NULL, NULL, NULL
};

#define DEFAULT_TEMPLATE "space-%(id)s_%(part)d.aac"

static const char *const template_keys[] = { "id", "part", "created_at",
    "date", NULL };

/* One extracted part, written under a temporary name until the end. */
struct part {
	char		 id[SP_XID_LEN];
	int		 num;
	int		 named;		/* 0: a file that names no Space */
	char		*entry;		/* the zip entry's name, for messages */
	struct sp_atomic out;		/* finished, not yet committed */
	FILE		*spool;		/* -o -: a part that came early */
	struct sp_xmedia m;
};

struct run {
	/* Options. */
	int		 force, json, list, quiet, table;
	const char	*dir, *tmpl, *data;
	char		**ids;
	size_t		 nids;
	int		 to_stdout;
	/* State. */
	struct sp_xarchive *x;
	struct sp_progress bar;
	int64_t		 done_before;	/* bytes of earlier operands */
	int		 status;
	int		 data_files;	/* --data: files of the type seen */
	struct part	*parts;
	size_t		 nparts;
	int		 next_out;	/* -o -: the next part to write */
	struct sp_zip	*z;		/* the archive being read */
	char		*found;		/* -s: which ids were seen */
	size_t		 media;		/* audio entries seen, named or not */
	json_t		*audio_ids;	/* ids the audio files name */
	/* --data: parts that came before their turn, spooled as NDJSON. */
	struct dpart {
		int	 num;
		FILE	*spool;
	}		*dparts;
	size_t		 ndparts;
	int		 next_data;
};

static void __attribute__((noreturn))
usage(void)
{
	sp_opt_usage_exit(&optspec);
}

static void
worse(struct run *r, int status)
{
	if (status > r->status)
		r->status = status;
}

/* A write failed: drop every temporary file, then exit 3. */
static void __attribute__((noreturn, format(printf, 2, 3)))
die_env(struct run *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t i;
	int e = errno;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; i < r->nparts; i++)
		if (r->parts[i].out.tmp)
			sp_atomic_abort(&r->parts[i].out);
	errno = e;
	sp_err(SP_EXIT_ENV, "%s", msg);
}

/* On SIGINT, SIGTERM, SIGHUP: remove the temporary files, then die. */
static struct run *live;

static void
on_signal(int sig)
{
	size_t i;

	for (i = 0; live && i < live->nparts; i++)
		if (live->parts[i].out.tmp)
			unlink(live->parts[i].out.tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static ssize_t
zread(void *ctx, void *buf, size_t n)
{
	return sp_zip_read(ctx, buf, n);
}

static int
selected(struct run *r, const char *id)
{
	size_t i;

	if (r->nids == 0)
		return 1;
	for (i = 0; i < r->nids; i++)
		if (strcmp(r->ids[i], id) == 0) {
			r->found[i] = 1;
			return 1;
		}
	return 0;
}

/* Template values for one part. */
struct fields {
	struct run	*r;
	const struct part *p;
	char		 num[16], date[11];
};

static const char *
field(void *ctx, const char *key)
{
	struct fields *f = ctx;
	const char *c = sp_xarchive_created_at(f->r->x, f->p->id);

	if (strcmp(key, "id") == 0)
		return f->p->id;
	if (strcmp(key, "part") == 0) {
		snprintf(f->num, sizeof(f->num), "%d", f->p->num);
		return f->num;
	}
	if (strcmp(key, "created_at") == 0)
		return c;
	if (strcmp(key, "date") == 0 && c) {
		snprintf(f->date, sizeof(f->date), "%.10s", c);
		return f->date;
	}
	return NULL;
}

/* A Space's fields as a real one has them, to try -o on. */
static const char *
sample_field(void *ctx, const char *key)
{
	static const char *const v[][2] = { { "id", "1ypKdEXvkMLGW" },
	    { "created_at", "2022-03-22T19:19:02.000Z" },
	    { "date", "2022-03-22" } };
	size_t i;

	if (strcmp(key, "part") == 0)
		return ctx;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(key, v[i][0]) == 0)
			return v[i][1];
	return NULL;
}

/*
 * -o must give a file name for any Space before any work: not empty,
 * not "." or "..", every field of a type it has (%(id)d is not).
 */
static void
check_names(const char *tmpl)
{
	char err[200], *name;

	name = sp_template_expand(tmpl, sample_field, "0", err, sizeof(err));
	if (name == NULL)
		sp_errx(SP_EXIT_USAGE, "-o '%s': %s", tmpl, err);
	if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		sp_errx(SP_EXIT_USAGE, "-o '%s': gives '%s', not a file name",
		    tmpl, name);
	free(name);
}

static int
copy_spool(FILE *fp)
{
	rewind(fp);
	return sp_copy(fp, stdout);
}

/* -o -: write every spooled part whose turn has come. */
static void
flush_spooled(struct run *r)
{
	size_t i;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < r->nparts; i++) {
			if (r->parts[i].spool == NULL ||
			    r->parts[i].num != r->next_out)
				continue;
			if (copy_spool(r->parts[i].spool) != 0)
				sp_err(SP_EXIT_ENV, "write error");
			fclose(r->parts[i].spool);
			r->parts[i].spool = NULL;
			r->next_out++;
			again = 1;
		}
	}
}

/* Whether the array of strings a holds id. */
static int
has_id(const json_t *a, const char *id)
{
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
			return 1;
	return 0;
}

/* "a, b, c" of the first ids of a, "..." after 5: new. */
static char *
id_list(const json_t *a)
{
	char *out = sp_xstrdup(""), *t;
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v) {
		if (i == 5) {
			t = sp_xasprintf("%s, ... (%zu in all)", out,
			    json_array_size(a));
			free(out);
			return t;
		}
		t = sp_xasprintf("%s%s%s", out, i ? ", " : "",
		    json_string_value(v));
		free(out);
		out = t;
	}
	return out;
}

/* What bytes that are not ADTS audio look like, for the message. */
static const char *
looks_like(const unsigned char *b, size_t n)
{
	size_t i = 0;

	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' ||
	    b[i] == '\n'))
		i++;
	if (n == 0)
		return "empty";
	if (i < n && b[i] == '<')
		return "an HTML or XML page";
	if (i < n && (b[i] == '{' || b[i] == '['))
		return "JSON";
	if (n >= 8 && memcmp(b + 4, "ftyp", 4) == 0)
		return "an MP4 file";
	if (n >= 4 && memcmp(b, "OggS", 4) == 0)
		return "an Ogg file";
	if (n >= 4 && memcmp(b, "PK\3\4", 4) == 0)
		return "a zip file";
	if (n >= 4 && (memcmp(b, "RIFF", 4) == 0 || memcmp(b, "fLaC", 4) == 0))
		return "a WAV or FLAC file";
	if (b[0] == 0x47 && (n < 189 || b[188] == 0x47))
		return "an MPEG-TS stream";
	return "not ADTS audio";
}

/* The part already taken for Space id part num, or NULL. */
static struct part *
taken(struct run *r, const char *id, int num)
{
	size_t i;

	for (i = 0; i < r->nparts; i++)
		if (r->parts[i].named && r->parts[i].num == num &&
		    strcmp(r->parts[i].id, id) == 0)
			return &r->parts[i];
	return NULL;
}

/* Drop a part begun in media(): its bytes are not delivered. */
static void
drop_part(struct run *r, struct part *p)
{
	if (p->spool)
		fclose(p->spool);
	if (!r->to_stdout)
		sp_atomic_abort(&p->out);
	free(p->entry);
	r->nparts--;
}

/*
 * Bytes held back until the entry proves to be ADTS audio, so that an
 * error page saved under spaces_media/ never reaches a file or stdout.
 */
#define HOLD (1024 * 1024)

/*
 * Read one Space audio entry: measure it and, when extracting, write it
 * to its temporary file, to stdout, or to a spool when it came early.
 */
static void
media(struct run *r, struct sp_zip *z, const char *op, const char *name,
    const struct sp_xentry *e)
{
	static struct sp_adts adts;
	static unsigned char buf[BLOCK], hold[HOLD];
	struct part *p = NULL;
	FILE *fp = NULL;
	char *prov, en[SP_ESC_LEN], eo[SP_ESC_LEN];
	size_t held = 0;
	ssize_t n;
	int direct = 0, audio = 0, lost = 0;
	int64_t t0;

	sp_esc(name, en, sizeof(en));
	sp_esc(op, eo, sizeof(eo));
	r->media++;
	if (e->named && !has_id(r->audio_ids, e->id))
		json_array_append_new(r->audio_ids, json_string(e->id));
	if (!e->named && (r->list || r->nids || r->to_stdout)) {
		sp_warnx("'%s': '%s' names no Space; %s", eo, en, r->list ?
		    "not listed" : "not extracted with -s");
		if (!r->list)
			worse(r, SP_EXIT_NO);
		return;
	}
	if (e->named && (r->list ? sp_xarchive_has_part(r->x, e->id,
	    e->part) : taken(r, e->id, e->part) != NULL)) {
		sp_warnx("'%s': '%s': a second copy of Space %s part %d; not "
		    "used", eo, en, e->id, e->part);
		worse(r, SP_EXIT_NO);
		return;
	}
	if (!r->list) {
		if (e->named && !selected(r, e->id))
			return;
		r->parts = sp_xreallocarray(r->parts, r->nparts + 1,
		    sizeof(*r->parts));
		p = &r->parts[r->nparts];
		memset(p, 0, sizeof(*p));
		snprintf(p->id, sizeof(p->id), "%s", e->id);
		p->num = e->part;
		p->named = e->named;
		p->entry = sp_xstrdup(name);
		if (r->to_stdout) {
			direct = p->num == r->next_out;
			if (!direct && (p->spool = tmpfile()) == NULL)
				sp_err(SP_EXIT_ENV, "cannot make a spool file");
			fp = direct ? stdout : p->spool;
		} else {
			prov = sp_xasprintf("%s/space-%s_%d.part", r->dir,
			    e->id, e->part);
			if (sp_atomic_open(&p->out, prov, 1) != 0) {
				free(prov);
				die_env(r, "cannot write in '%s'", r->dir);
			}
			/* The final name, known at the end, decides. */
			p->out.force = r->force;
			free(prov);
			fp = p->out.fp;
		}
		r->nparts++;
	}
	sp_adts_init(&adts);
	while ((n = sp_zip_read(z, buf, sizeof(buf))) > 0) {
		sp_adts_feed(&adts, buf, (size_t)n);
		if (fp && !audio && adts.info.frames > 0) {
			audio = 1;
			if (held && fwrite(hold, 1, held, fp) != held)
				goto write_error;
			held = 0;
		}
		if (fp && !audio) {
			if (held + (size_t)n > sizeof(hold)) {
				/* So much before any frame: not audio. */
				lost = 1;
				fp = NULL;
			} else {
				memcpy(hold + held, buf, (size_t)n);
				held += (size_t)n;
			}
		} else if (fp && fwrite(buf, 1, (size_t)n, fp) != (size_t)n)
			goto write_error;
		sp_progress_update(&r->bar, (uint64_t)(r->done_before +
		    sp_zip_consumed(z)));
	}
	if (n < 0) {
		sp_warnx("'%s': '%s': %s", eo, en, sp_zip_error(z));
		worse(r, SP_EXIT_USAGE);
		/* A damaged part is never delivered as if whole. */
		if (p)
			drop_part(r, p);
		return;
	}
	sp_adts_finish(&adts);
	if (adts.info.frames == 0 || lost) {
		/* An error page saved as audio is no Space's audio. */
		sp_warnx("'%s': '%s': %s%s; %s", eo, en, adts.info.frames ?
		    "more than 1 MiB before the first ADTS frame" :
		    looks_like(hold, held), adts.info.frames ? "" :
		    ", no ADTS audio", p ? "not extracted" : "left out");
		worse(r, SP_EXIT_USAGE);
		if (p)
			drop_part(r, p);
		return;
	}
	if (fp && held && fwrite(hold, 1, held, fp) != held)
		goto write_error;
	if (p && !r->to_stdout && sp_atomic_finish(&p->out) != 0)
		die_env(r, "cannot write Space %s part %d in '%s'", e->id,
		    e->part, r->dir);
	if (direct) {
		r->next_out++;
		flush_spooled(r);
	}
	{
		struct sp_xmedia m = {
			name, adts.info.bytes, adts.info.frames,
			adts.info.samples, (int)adts.info.sample_rate,
			(int)adts.info.channels, 0, 0
		};

		m.has_start = sp_adts_started_ms(&adts.info, &t0) == 0;
		m.started_ms = m.has_start ? t0 : 0;
		if (p)
			p->m = m;
		else if (e->named)
			sp_xarchive_media(r->x, e->id, e->part, &m);
	}
	return;
write_error:
	die_env(r, "cannot write Space %s part %d %s '%s'", e->id, e->part,
	    fp == stdout ? "to" : "in", fp == stdout ? "stdout" : p->spool ?
	    "TMPDIR" : r->dir);
}

/* --data: write the spooled parts whose turn has come. */
static void
flush_data(struct run *r, int all)
{
	struct dpart *d;
	size_t i, best;

	for (;;) {
		best = r->ndparts;
		for (i = 0; i < r->ndparts; i++) {
			d = &r->dparts[i];
			if (d->spool && (all ? best == r->ndparts ||
			    d->num < r->dparts[best].num : d->num ==
			    r->next_data))
				best = i;
		}
		if (best == r->ndparts)
			return;
		d = &r->dparts[best];
		if (copy_spool(d->spool) != 0)
			sp_err(SP_EXIT_ENV, "write error");
		fclose(d->spool);
		d->spool = NULL;
		r->next_data = d->num + 1;
	}
}

/*
 * --data: one data file's items, unwrapped, as NDJSON, in part order
 * (tweets.js, tweets-part1.js, ...) whatever order the zip holds them in:
 * a part that comes early waits in a spool.
 */
static void
data_out(struct run *r, struct sp_zip *z, const char *op, const char *name,
    int part)
{
	struct sp_ytd *y = sp_ytd_new(zread, z);
	char en[SP_ESC_LEN], eo[SP_ESC_LEN];
	FILE *fp = stdout;
	json_t *item;
	int n;

	r->data_files++;
	if (part != r->next_data) {
		r->dparts = sp_xreallocarray(r->dparts, r->ndparts + 1,
		    sizeof(*r->dparts));
		r->dparts[r->ndparts].num = part;
		if ((fp = r->dparts[r->ndparts].spool = tmpfile()) == NULL)
			sp_err(SP_EXIT_ENV, "cannot make a spool file");
		r->ndparts++;
	}
	while ((n = sp_ytd_next(y, &item)) != 0) {
		if (n < 0) {
			/* A read error inside a zip is a damaged entry. */
			sp_warnx("'%s': '%s': %s", sp_esc(op, eo, sizeof(eo)),
			    sp_esc(name, en, sizeof(en)), n == -2 ?
			    sp_zip_error(z) : sp_ytd_error(y));
			worse(r, SP_EXIT_USAGE);
			if (n == -2 || sp_ytd_stuck(y))
				break;
			continue;
		}
		if (sp_ndjson_write(fp, item) != 0)
			sp_err(SP_EXIT_ENV, "write error");
		json_decref(item);
	}
	sp_ytd_free(y);
	if (fp == stdout) {
		r->next_data = part + 1;
		flush_data(r, 0);
	}
}

static void
read_manifest(struct run *r, struct sp_zip *z, const char *op,
    const char *name)
{
	char err[300], en[SP_ESC_LEN], eo[SP_ESC_LEN];
	json_t *m = sp_ytd_manifest(zread, z, err, sizeof(err));

	if (m == NULL) {
		sp_warnx("'%s': '%s': %s; going by file names",
		    sp_esc(op, eo, sizeof(eo)), sp_esc(name, en, sizeof(en)),
		    err);
		worse(r, SP_EXIT_USAGE);
		return;
	}
	sp_xarchive_manifest(r->x, m);
}

static void
one_archive(struct run *r, const char *op)
{
	struct sp_zip_entry ze;
	struct sp_xentry e;
	struct sp_zip *z;
	struct sp_ytd *y;
	char err[600], en[SP_ESC_LEN], eo[SP_ESC_LEN], ee[SP_ESC_LEN];
	int n;

	sp_esc(op, eo, sizeof(eo));
	if ((z = r->z = sp_zip_open(op, err, sizeof(err))) == NULL) {
		sp_warnx("%s", sp_esc(err, ee, sizeof(ee)));
		worse(r, SP_EXIT_USAGE);
		return;
	}
	while ((n = sp_zip_next(z, &ze)) > 0) {
		sp_progress_update(&r->bar, (uint64_t)(r->done_before +
		    sp_zip_consumed(z)));
		if (ze.kind == SP_ZIP_UNSAFE) {
			sp_warnx("'%s': refusing entry '%s': %s", eo,
			    sp_esc(ze.name, en, sizeof(en)), ze.why);
			continue;
		}
		if (ze.kind != SP_ZIP_FILE)
			continue;
		sp_xarchive_classify(r->x, ze.name, &e);
		if (e.kind == SP_X_MANIFEST)
			read_manifest(r, z, op, ze.name);
		else if (e.kind == SP_X_DATA && r->data) {
			if (strcmp(e.type, r->data) == 0 ||
			    strcmp(e.key, r->data) == 0)
				data_out(r, z, op, ze.name, e.part);
		} else if (e.kind == SP_X_DATA && sp_xarchive_wants(&e)) {
			y = sp_ytd_new(zread, z);
			n = sp_xarchive_data(r->x, &e, y, err, sizeof(err),
			    sp_warnx);
			if (n != 0) {
				sp_warnx("'%s': '%s': %s", eo, sp_esc(ze.name, en,
				    sizeof(en)), n == -2 ? sp_zip_error(z) : err);
				worse(r, SP_EXIT_USAGE);
			}
			sp_ytd_free(y);
		} else if (e.kind == SP_X_MEDIA && !r->data)
			media(r, z, op, ze.name, &e);
	}
	if (n < 0) {
		sp_warnx("'%s': %s", eo, sp_esc(sp_zip_error(z), ee,
		    sizeof(ee)));
		worse(r, SP_EXIT_USAGE);
	}
	r->done_before += sp_zip_consumed(z);
	sp_zip_close(z);
	r->z = NULL;
}

/* The path part p goes to: -o's name, or a fallback (new). */
static char *
part_path(struct run *r, struct part *p)
{
	struct fields f;
	char *name, *path, err[200];

	f.r = r;
	f.p = p;
	if (!p->named) {
		/* A file that names no Space keeps its own name's stem. */
		name = sp_xasprintf("unnamed-%s.aac", p->id);
	} else if ((name = sp_template_expand(r->tmpl, field, &f, err,
	    sizeof(err))) == NULL) {
		/* %(date)s of a Space the metadata lacks. */
		name = sp_template_expand(DEFAULT_TEMPLATE, field, &f,
		    err, sizeof(err));
		sp_warnx("Space %s part %d: -o '%s' cannot name it; "
		    "using '%s'", p->id, p->num, r->tmpl, name);
		worse(r, SP_EXIT_NO);
	}
	path = strcmp(r->dir, ".") == 0 ? sp_xstrdup(name) :
	    sp_xasprintf("%s/%s", r->dir, name);
	free(name);
	return path;
}

/* "Space X part N" or the entry's name, for messages. */
static const char *
part_what(const struct part *p, char *buf, size_t n)
{
	char en[SP_ESC_LEN];

	if (p->named)
		snprintf(buf, n, "Space %s part %d", p->id, p->num);
	else
		snprintf(buf, n, "'%s'", sp_esc(p->entry, en, sizeof(en)));
	return buf;
}

/*
 * Give every extracted part its final name.  Two parts of this run never
 * share one (-o '%(id)s.aac' on a Space of two parts): the later one is
 * not written, and both are named.
 */
static void
commit_parts(struct run *r)
{
	struct part *p;
	char **paths, w1[SP_ESC_LEN + 40], w2[SP_ESC_LEN + 40];
	size_t i, j;

	if (r->to_stdout)
		return;
	paths = sp_xcalloc(r->nparts + 1, sizeof(*paths));
	for (i = 0; i < r->nparts; i++)
		paths[i] = part_path(r, &r->parts[i]);
	for (i = 0; i < r->nparts; i++) {
		p = &r->parts[i];
		for (j = 0; j < i; j++)
			if (strcmp(paths[j], paths[i]) == 0)
				break;
		if (j < i) {
			sp_warnx("%s and %s are both named '%s'; the second "
			    "is not written%s",
			    part_what(&r->parts[j], w1, sizeof(w1)),
			    part_what(p, w2, sizeof(w2)), paths[i],
			    p->named && r->parts[j].named && strcmp(p->id,
			    r->parts[j].id) == 0 ? " (put %(part)d in -o)" :
			    "");
			worse(r, SP_EXIT_NO);
			sp_atomic_abort(&p->out);
			continue;
		}
		sp_atomic_set_path(&p->out, paths[i]);
		if (!r->force && sp_same_file_content(paths[i],
		    p->out.tmp) == 1) {
			/* Already extracted by an earlier run: not an error. */
			sp_atomic_abort(&p->out);
		} else if (sp_atomic_commit(&p->out) != 0) {
			if (errno == EEXIST) {
				sp_warnx("'%s' exists; kept (use -f to replace "
				    "it)", paths[i]);
				worse(r, SP_EXIT_NO);
			} else {
				sp_warn("cannot write '%s'", paths[i]);
				worse(r, SP_EXIT_ENV);
			}
			continue;
		}
		if (!p->named) {
			sp_warnx("'%s' names no Space; extracted as '%s'",
			    sp_esc(p->entry, w1, sizeof(w1)), paths[i]);
			continue;
		}
		p->m.path = paths[i];
		sp_xarchive_media(r->x, p->id, p->num, &p->m);
		p->m.path = NULL;
	}
	for (i = 0; i < r->nparts; i++)
		free(paths[i]);
	free(paths);
}

static void
print_table(const json_t *user, const json_t *spaces)
{
	json_t *s, *a, *v;
	char dur[SP_DURATION_LEN];
	const char *c;
	size_t i, j;
	double total;

	if (user) {
		printf("user %s", (c = sp_json_str(user, "username")) ? c : "?");
		if ((c = sp_json_str(user, "id")) != NULL)
			printf("  id %s", c);
		if ((v = json_object_get(user, "followers_count")) != NULL)
			printf("  followers %" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
		if ((v = json_object_get(user, "following_count")) != NULL)
			printf("  following %" JSON_INTEGER_FORMAT,
			    json_integer_value(v));
		if ((c = sp_json_str(user, "location")) != NULL)
			printf("  location '%s'", c);
		if ((c = sp_json_str(user, "country")) != NULL)
			printf(" (%s)", c);
		if ((c = sp_json_str(user, "birth_date")) != NULL)
			printf("  born %s", c);
		printf("\n");
	}
	printf("%-13s  %-24s  %12s  %5s  %8s  %12s\n", "SPACE", "CREATED",
	    "DURATION", "PARTS", "SPEAKERS", "PARTICIPATED");
	json_array_foreach(spaces, i, s) {
		total = 0;
		json_array_foreach(json_object_get(s, "audio"), j, a)
			total += json_number_value(json_object_get(a,
			    "duration"));
		printf("%-13s  %-24s  %12s  %5zu  %8zu  ",
		    sp_json_str(s, "id"),
		    (c = sp_json_str(s, "created_at")) ? c : "-",
		    json_array_size(json_object_get(s, "audio")) ?
		    sp_fmt_duration(total, dur) : "-",
		    json_array_size(json_object_get(s, "audio")),
		    json_array_size(json_object_get(s, "speakers")));
		if ((v = json_object_get(s, "total_participated")) != NULL)
			printf("%12" JSON_INTEGER_FORMAT "\n",
			    json_integer_value(v));
		else
			printf("%12s\n", "-");
	}
}

/* What extraction wrote, for a person at a terminal. */
static void
print_written(const json_t *spaces)
{
	json_t *s, *a;
	char dur[SP_DURATION_LEN];
	size_t i, j;

	json_array_foreach(spaces, i, s)
		json_array_foreach(json_object_get(s, "audio"), j, a)
			printf("%s  %" JSON_INTEGER_FORMAT " bytes  %s\n",
			    sp_json_str(a, "path"),
			    json_integer_value(json_object_get(a, "bytes")),
			    sp_fmt_duration(json_number_value(json_object_get(a,
			    "duration")), dur));
}

/*
 * Say what the archive lacks: nothing here may end in a silent exit 0
 * while audio is left behind (X deletes it after about 30 days).
 */
static void
checks(struct run *r)
{
	json_t *meta = sp_xarchive_ids(r->x, 0), *v, *user, *sp, *one;
	int64_t size, maxpart, parts;
	char *a, *b;
	const char *owner;
	size_t i, j, others = 0;
	json_t *seen;
	int manifests;

	if (sp_xarchive_partial(r->x, &size, &maxpart, &parts, &manifests) &&
	    (parts < 0 || manifests < parts)) {
		if (parts > 0)
			sp_warnx("a part of a split archive (isPartialArchive; "
			    "%" PRId64 " bytes in parts of at most %" PRId64
			    ": %" PRId64 " parts, %d given): follower counts "
			    "and Spaces audio may be incomplete; give every "
			    "part", size, maxpart, parts, manifests);
		else
			sp_warnx("a part of a split archive (isPartialArchive; "
			    "the number of parts is not given): follower "
			    "counts and Spaces audio may be incomplete; give "
			    "every part");
	}
	if (!r->data && json_array_size(meta) > 0 && r->media == 0) {
		sp_warnx("no Spaces audio in this archive; X keeps it about "
		    "30 days");
		if (!r->list)
			worse(r, SP_EXIT_NO);
	} else if (!r->data && json_array_size(meta) > 0 &&
	    json_array_size(r->audio_ids) > 0) {
		json_array_foreach(meta, i, v)
			if (has_id(r->audio_ids, json_string_value(v)))
				break;
		if (i == json_array_size(meta)) {
			a = id_list(meta);
			b = id_list(r->audio_ids);
			sp_warnx("the metadata's Spaces (%s) and the audio's "
			    "(%s) share no id", a, b);
			free(a);
			free(b);
		}
	}
	/* -s of a Space the metadata knows, without its audio. */
	for (i = 0; i < r->nids; i++)
		if (!r->found[i] && !r->list && has_id(meta, r->ids[i])) {
			sp_warnx("Space %s: no audio in this archive; X keeps "
			    "it about 30 days", r->ids[i]);
			worse(r, SP_EXIT_NO);
			r->found[i] = 1;
		}
	/* Other voices: their consent comes before any reuse (-q: the
	 * nightly cron job need not hear it every night). */
	if (!r->list && !r->data && !r->quiet) {
		user = sp_xarchive_user(r->x);
		seen = json_array();
		for (i = 0; i < r->nparts; i++) {
			if (!r->parts[i].named)
				continue;
			sp = sp_xarchive_spaces(r->x, r->parts[i].id);
			one = json_array_get(sp, 0);
			owner = sp_json_str(user, "id");
			if (owner == NULL)
				owner = sp_json_str(one, "creator_id");
			json_array_foreach(json_object_get(one, "speaker_ids"),
			    j, v)
				if (json_is_string(v) && (owner == NULL ||
				    strcmp(json_string_value(v), owner) != 0) &&
				    !has_id(seen, json_string_value(v)))
					json_array_append(seen, v);
			json_decref(sp);
		}
		others = json_array_size(seen);
		if (others > 0)
			sp_warnx("note: %zu other %s spoke in the Spaces "
			    "extracted; get their consent before reusing "
			    "their voices", others, others == 1 ? "person" :
			    "people");
		json_decref(seen);
		json_decref(user);
	}
	json_decref(meta);
}

static void
report(struct run *r)
{
	json_t *user = NULL, *spaces, *s;
	size_t i, k;

	if (r->list)
		user = sp_xarchive_user(r->x);
	spaces = sp_xarchive_spaces(r->x, NULL);
	if (r->list && r->nids) {
		/* -s with -l: only those Spaces. */
		for (i = json_array_size(spaces); i-- > 0;)
			if (!selected(r, sp_json_str(json_array_get(spaces, i),
			    "id")))
				json_array_remove(spaces, i);
	} else if (!r->list) {
		/* Only the Spaces extracted, with the files written. */
		for (i = json_array_size(spaces); i-- > 0;) {
			s = json_array_get(spaces, i);
			for (k = 0; k < r->nparts; k++)
				if (r->parts[k].named && strcmp(r->parts[k].id,
				    sp_json_str(s, "id")) == 0)
					break;
			if (k == r->nparts)
				json_array_remove(spaces, i);
		}
	}
	if (r->json) {
		if (user && sp_ndjson_write(stdout, user) != 0)
			sp_err(SP_EXIT_ENV, "write error");
		json_array_foreach(spaces, i, s)
			if (sp_ndjson_write(stdout, s) != 0)
				sp_err(SP_EXIT_ENV, "write error");
	} else if (r->list)
		print_table(user, spaces);
	else if (!r->quiet && (r->table || isatty(STDOUT_FILENO)))
		print_written(spaces);
	json_decref(user);
	json_decref(spaces);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct stat st;
	uint64_t total;
	char err[200];
	size_t i;
	int ch, table = 0, stdin_ops = 0;

	sp_setprogname(argv[0]);
	argv[0] = (char *)sp_getprogname();	/* getopt's messages use it */
	sp_io_init();
	memset(&r, 0, sizeof(r));
	r.dir = ".";
	r.tmpl = DEFAULT_TEMPLATE;
	while ((ch = sp_getopt(&optspec, argc, argv)) != -1)
		switch (ch) {
		case 'C':
			r.dir = optarg;
			break;
		case 'f':
			r.force = 1;
			break;
		case 'j':
			r.json = 1;
			break;
		case 'l':
			r.list = 1;
			break;
		case 'o':
			r.tmpl = optarg;
			break;
		case 'q':
			r.quiet = 1;
			break;
		case 's':
			if (*optarg == '\0' || strlen(optarg) >= SP_XID_LEN)
				sp_errx(SP_EXIT_USAGE, "-s '%s': not a Space id",
				    optarg);
			r.ids = sp_xreallocarray(r.ids, r.nids + 1,
			    sizeof(*r.ids));
			r.ids[r.nids++] = optarg;
			break;
		case OPT_DATA:
			r.data = optarg;
			break;
		case OPT_TABLE:
			table = 1;
			break;
		default:
			usage();
		}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (i = 0; i < (size_t)argc; i++)
		stdin_ops += strcmp(argv[i], "-") == 0;
	if (stdin_ops > 1)
		sp_errx(SP_EXIT_USAGE, "'-' can be given once");
	if (r.data && r.list)
		sp_errx(SP_EXIT_USAGE, "--data and -l cannot be used together");
	r.to_stdout = strcmp(r.tmpl, "-") == 0;
	if (r.to_stdout && (r.list || r.data || r.nids != 1))
		sp_errx(SP_EXIT_USAGE, "-o - writes one Space: give one -s id, "
		    "without -l or --data");
	if (!r.to_stdout) {
		if (strchr(r.tmpl, '/') != NULL)
			sp_errx(SP_EXIT_USAGE, "-o '%s': a file name, without "
			    "'/' (use -C for the directory)", r.tmpl);
		if (sp_template_check(r.tmpl, template_keys, err,
		    sizeof(err)) != 0)
			sp_errx(SP_EXIT_USAGE, "-o '%s': %s", r.tmpl, err);
		check_names(r.tmpl);
	}
	if (r.to_stdout && r.json)
		sp_errx(SP_EXIT_USAGE, "-o - and -j both want stdout");
	/* A table on a terminal, NDJSON on a pipe (DESIGN §2). */
	r.table = table;
	if (!r.json && !table && (r.list || r.data))
		r.json = !isatty(STDOUT_FILENO);
	if (r.data)
		r.json = 0;
	if (!r.list && !r.data && !r.to_stdout && sp_mkdirs(r.dir) != 0)
		sp_err(SP_EXIT_ENV, "cannot make directory '%s'", r.dir);
	r.found = sp_xcalloc(r.nids + 1, 1);
	r.audio_ids = json_array();
	r.x = sp_xarchive_new();
	/* The bar counts archive bytes: a total when every operand is a file. */
	for (i = 0, total = 0; i < (size_t)argc; i++)
		if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		else
			break;
	sp_progress_init(&r.bar, r.list ? "list" : "extract",
	    i == (size_t)argc ? total : 0, r.quiet || r.data || r.to_stdout);
	live = &r;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	for (i = 0; i < (size_t)argc; i++)
		one_archive(&r, argv[i]);
	sp_progress_end(&r.bar);

	if (r.to_stdout) {
		flush_spooled(&r);
		for (i = 0; i < r.nparts; i++)
			if (r.parts[i].spool) {
				sp_warnx("Space %s: part %d is missing; the "
				    "parts after it are not written",
				    r.parts[i].id, r.next_out);
				worse(&r, SP_EXIT_NO);
				break;
			}
	}
	if (r.data)
		flush_data(&r, 1);
	commit_parts(&r);
	checks(&r);
	if (!r.data && !r.to_stdout)
		report(&r);
	for (i = 0; i < r.nids; i++)
		if (!r.found[i]) {
			sp_warnx("no Space '%s' in the archive", r.ids[i]);
			worse(&r, SP_EXIT_NO);
		}
	if (r.data && r.data_files == 0) {
		sp_warnx("no data file of type '%s' in the archive", r.data);
		worse(&r, SP_EXIT_NO);
	}
	for (i = 0; i < r.nparts; i++)
		if (r.parts[i].spool)
			fclose(r.parts[i].spool);
	for (i = 0; i < r.nparts; i++)
		free(r.parts[i].entry);
	free(r.parts);
	free(r.dparts);
	json_decref(r.audio_ids);
	free(r.ids);
	free(r.found);
	sp_xarchive_free(r.x);
	if (sp_close_stdout() != 0)
		worse(&r, SP_EXIT_ENV);
	return r.status;
}
