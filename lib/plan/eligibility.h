/* eligibility: facts from records and flags, judged by a rule set. */
#ifndef SP_ELIGIBILITY_H
#define SP_ELIGIBILITY_H

#include <stdint.h>
#include <jansson.h>

#include "rules.h"

struct sp_elig_opts {
	int64_t		 as_of;		/* the instant the verdict is for */
	const char	*tz;		/* ISO weeks and dates; NULL is UTC */
	int		 weeks;		/* cadence look-back; 0: the rule's */
};

struct sp_facts;

/*
 * New facts for judging r as of o->as_of; r and o are borrowed and must
 * outlive the facts.  Only Spaces and occurrences inside the windows the
 * rules look at are kept, so memory does not grow with the stream.
 */
struct sp_facts *sp_facts_new(const struct sp_rules *r,
	    const struct sp_elig_opts *o);
void	sp_facts_free(struct sp_facts *f);

/*
 * A fact given directly (a command-line flag): fact is a rule fact name
 * ("followers_count", "country", "age") or "birth_date"; value is stolen;
 * origin (borrowed, copied) says where it came from ("--followers").
 * Flags win over records.
 */
void	sp_facts_flag(struct sp_facts *f, const char *fact, json_t *value,
	    const char *origin);

/*
 * Take what a record says: "user", "space" and "occurrence" records; other
 * types are passed over.  Returns 1 when a user record named a different
 * user id than the ones before (the later user's facts replace the earlier
 * ones), else 0.
 */
int	sp_facts_record(struct sp_facts *f, const json_t *rec);

/* The id of the user the facts describe (borrowed), or NULL. */
const char *sp_facts_user_id(const struct sp_facts *f);

/*
 * The verdict record (new): {"type":"verdict","program",…,"status":
 * "eligible"|"not-eligible"|"undetermined","eligible":bool (absent when
 * undetermined),"criteria":[{"id","fact","status":"pass"|"fail"|"unknown",
 * "required","actual","margin","from","verified","advisory","text",
 * "weeks":[{"week","start","count"}]}]}.
 */
json_t	*sp_facts_verdict(struct sp_facts *f);

#endif
