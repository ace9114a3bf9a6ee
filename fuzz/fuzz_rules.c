/* fuzz_rules: the rule-file parser on arbitrary bytes. */
#include <stdint.h>
#include <string.h>

#include "rules.h"
#include "banned.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sp_rules r;
	char err[300];
	size_t i;

	err[0] = '\0';
	if (sp_rules_parse(&r, (const char *)data, size, err,
	    sizeof(err)) != 0) {
		if (err[0] == '\0')
			__builtin_trap();	/* a failure always says why */
		return 0;
	}
	/* A parsed set is complete: every criterion has what it needs. */
	if (r.program == NULL || r.family == NULL || r.ncrit == 0)
		__builtin_trap();
	for (i = 0; i < r.ncrit; i++)
		if (r.crit[i].id == NULL || r.crit[i].fact == NULL ||
		    r.crit[i].value == NULL)
			__builtin_trap();
	sp_rules_release(&r);
	return 0;
}
