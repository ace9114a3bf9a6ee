/* fuzz_eligibility: arbitrary records through the facts and a verdict. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "eligibility.h"
#include "json.h"
#include "rules.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every kind of fact the engine knows, one criterion each. */
static const char rules_json[] =
"{\"program\":\"fuzz-2026\",\"effective\":\"2026\",\"criteria\":["
"{\"id\":\"a\",\"fact\":\"age\",\"op\":\">=\",\"value\":18},"
"{\"id\":\"f\",\"fact\":\"followers_count\",\"op\":\">=\",\"value\":5000},"
"{\"id\":\"c\",\"fact\":\"country\",\"op\":\"in\",\"value\":[\"US\"]},"
"{\"id\":\"d\",\"fact\":\"account_age_days\",\"op\":\">\",\"value\":90},"
"{\"id\":\"w\",\"fact\":\"hosted_spaces_per_week\",\"op\":\">=\","
"\"value\":2,\"weeks\":3},"
"{\"id\":\"n\",\"fact\":\"hosted_spaces_in_days\",\"op\":\">=\","
"\"value\":3,\"days\":30},"
"{\"id\":\"p\",\"fact\":\"planned_spaces_per_week\",\"op\":\">=\","
"\"value\":2,\"weeks\":2},"
"{\"id\":\"x\",\"fact\":\"premium\",\"op\":\"is\",\"value\":true},"
"{\"id\":\"y\",\"fact\":\"tier\",\"op\":\"==\",\"value\":\"gold\"},"
"{\"id\":\"z\",\"fact\":\"impressions\",\"op\":\"<\",\"value\":1e9}]}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sp_rules rules;
	static int loaded;
	struct sp_elig_opts o = { 1795651200000LL, NULL, 0 };
	struct sp_ndjson r;
	struct sp_facts *f;
	json_t *rec, *v;
	FILE *fp;
	char err[300];
	int n;

	if (!loaded) {
		if (sp_rules_parse(&rules, rules_json, strlen(rules_json), err,
		    sizeof(err)) != 0)
			__builtin_trap();
		loaded = 1;
	}
	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	/* The first byte picks the zone: week edges differ by zone. */
	o.tz = data[0] & 1 ? "America/New_York" : data[0] & 2 ?
	    "Asia/Kolkata" : NULL;
	f = sp_facts_new(&rules, &o);
	sp_ndjson_init(&r, fp, "fuzz");
	while ((n = sp_ndjson_next(&r, &rec)) != 0 && n != -2)
		if (n == 1) {
			sp_facts_record(f, rec);
			json_decref(rec);
		}
	v = sp_facts_verdict(f);
	if (json_array_size(json_object_get(v, "criteria")) != rules.ncrit)
		__builtin_trap();
	json_decref(v);
	sp_facts_free(f);
	sp_ndjson_release(&r);
	fclose(fp);
	return 0;
}
