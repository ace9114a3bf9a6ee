/* t_rules: rule files, their errors, and finding them. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules.h"
#include "t.h"

static char err[300];

static int
parse(const char *s)
{
	struct sp_rules r;
	int rc = sp_rules_parse(&r, s, strlen(s), err, sizeof(err));

	if (rc == 0)
		sp_rules_release(&r);
	return rc;
}

#define HEAD "{\"program\":\"p-2024\",\"effective\":\"2024-01-02\","
#define CRIT(x) HEAD "\"criteria\":[" x "]}"

static void
write_file(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	fputs(s, fp);
	fclose(fp);
}

int
main(void)
{
	struct sp_rules r, *list;
	const char *top = getenv("TOP"), *s;
	char dir[] = "/tmp/t_rules.XXXXXX", path[600], env[1400];
	size_t n, i;

	s = CRIT("{\"id\":\"followers\",\"fact\":\"followers_count\","
	    "\"op\":\">=\",\"value\":5000,\"verified\":true}");
	T_INT(sp_rules_parse(&r, s, strlen(s), err, sizeof(err)), 0);
	T_STR(r.program, "p-2024");
	T_STR(r.family, "p");
	T_STR(r.name, "p-2024");
	T_INT(r.ncrit, 1);
	T_STR(r.crit[0].id, "followers");
	T_INT(r.crit[0].op, SP_OP_GE);
	T_INT(r.crit[0].verified, 1);
	T_INT(r.crit[0].advisory, 0);
	sp_rules_release(&r);

	/* Every op with the value it needs. */
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\">\",\"value\":1},"
	    "{\"id\":\"b\",\"fact\":\"x\",\"op\":\"<=\",\"value\":1.5},"
	    "{\"id\":\"c\",\"fact\":\"x\",\"op\":\"<\",\"value\":-1},"
	    "{\"id\":\"d\",\"fact\":\"x\",\"op\":\"==\",\"value\":\"s\"},"
	    "{\"id\":\"e\",\"fact\":\"x\",\"op\":\"!=\",\"value\":false},"
	    "{\"id\":\"f\",\"fact\":\"x\",\"op\":\"in\",\"value\":[\"US\"]},"
	    "{\"id\":\"g\",\"fact\":\"x\",\"op\":\"not_in\",\"value\":[\"a\",\"b\"]},"
	    "{\"id\":\"h\",\"fact\":\"x\",\"op\":\"is\",\"value\":true},"
	    "{\"id\":\"i\",\"fact\":\"hosted_spaces_per_week\",\"op\":\">=\","
	    "\"value\":2,\"weeks\":4,\"advisory\":true},"
	    "{\"id\":\"j\",\"fact\":\"hosted_spaces_in_days\",\"op\":\">=\","
	    "\"value\":3,\"days\":30}")), 0);

	/* Errors, each with its reason. */
	T_INT(parse("{"), -1);
	T_OK(strstr(err, "line 1") != NULL);
	T_INT(parse("[]"), -1);
	T_STR(err, "not a JSON object");
	T_INT(parse("{\"effective\":\"2024\",\"criteria\":[]}"), -1);
	T_STR(err, "missing or bad \"program\"");
	T_INT(parse("{\"program\":\"Bad Name\",\"effective\":\"2024\"}"), -1);
	T_INT(parse("{\"program\":\"p\",\"criteria\":[]}"), -1);
	T_OK(strstr(err, "effective") != NULL);
	T_INT(parse("{\"program\":\"p\",\"effective\":\"2024-02-30\"}"), -1);
	T_INT(parse("{\"program\":\"p\",\"effective\":\"2024-13\"}"), -1);
	T_INT(parse(HEAD "\"criteria\":[]}"), -1);
	T_OK(strstr(err, "criteria") != NULL);
	T_INT(parse(CRIT("1")), -1);
	T_STR(err, "criterion 1: not an object");
	T_INT(parse(CRIT("{\"fact\":\"x\",\"op\":\">\",\"value\":1}")), -1);
	T_STR(err, "criterion 1: missing or bad \"id\"");
	T_INT(parse(CRIT("{\"id\":\"a\",\"op\":\">\",\"value\":1}")), -1);
	T_STR(err, "criterion 'a': missing or bad \"fact\"");
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"value\":1}")), -1);
	T_STR(err, "criterion 'a': missing \"op\"");
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\"=>\",\"value\":1}")),
	    -1);
	T_STR(err, "criterion 'a': unknown op '=>'");
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\">=\",\"value\":\"5\"}")),
	    -1);
	T_STR(err, "criterion 'a': op '>=' needs a number");
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\"in\",\"value\":[]}")),
	    -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\"in\",\"value\":[1]}")),
	    -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\"is\",\"value\":1}")),
	    -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\"==\",\"value\":[]}")),
	    -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"hosted_spaces_per_week\","
	    "\"op\":\">=\",\"value\":2}")), -1);
	T_OK(strstr(err, "weeks") != NULL);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\">=\",\"value\":2,"
	    "\"weeks\":3}")), -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"planned_spaces_per_week\","
	    "\"op\":\">=\",\"value\":2,\"weeks\":521}")), -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"hosted_spaces_in_days\","
	    "\"op\":\">=\",\"value\":2,\"days\":0}")), -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\">=\",\"value\":2,"
	    "\"verified\":\"yes\"}")), -1);
	T_INT(parse(CRIT("{\"id\":\"a\",\"fact\":\"x\",\"op\":\">=\",\"value\":2},"
	    "{\"id\":\"a\",\"fact\":\"y\",\"op\":\">=\",\"value\":2}")), -1);
	T_STR(err, "criterion 'a' twice");
	T_INT(parse("{\"program\":\"p\",\"program\":\"q\",\"effective\":\"2024\","
	    "\"criteria\":[{\"id\":\"a\",\"fact\":\"x\",\"op\":\">\",\"value\":1}]}"),
	    -1);
	/* Unknown members are tolerated: newer files, older tools. */
	T_INT(parse(HEAD "\"later\":{\"x\":1},\"criteria\":[{\"id\":\"a\","
	    "\"fact\":\"x\",\"op\":\">\",\"value\":1,\"unit\":\"posts\"}]}"), 0);

	/* Families: explicit, derived, or the program itself. */
	s = "{\"program\":\"solo\",\"effective\":\"2024\",\"criteria\":"
	    "[{\"id\":\"a\",\"fact\":\"x\",\"op\":\">\",\"value\":1}]}";
	T_INT(sp_rules_parse(&r, s, strlen(s), err, sizeof(err)), 0);
	T_STR(r.family, "solo");
	sp_rules_release(&r);

	/* Finding: by name, by family (newest), unknown; listing. */
	T_OK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/fam-2020.json", dir);
	write_file(path, "{\"program\":\"fam-2020\",\"effective\":\"2020-05-01\","
	    "\"criteria\":[{\"id\":\"a\",\"fact\":\"x\",\"op\":\">\",\"value\":1}]}");
	snprintf(path, sizeof(path), "%s/fam-2023.json", dir);
	write_file(path, "{\"program\":\"fam-2023\",\"effective\":\"2023\","
	    "\"criteria\":[{\"id\":\"a\",\"fact\":\"x\",\"op\":\">\",\"value\":2}]}");
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	write_file(path, "{\"program\":");
	snprintf(env, sizeof(env), "%s:%s/share/rules", dir, top ? top : ".");
	setenv("SPACES_RULES_PATH", env, 1);
	T_INT(sp_rules_find(&r, "fam-2020", err, sizeof(err)), 0);
	T_STR(r.program, "fam-2020");
	sp_rules_release(&r);
	T_INT(sp_rules_find(&r, "fam", err, sizeof(err)), 0);
	T_STR(r.program, "fam-2023");
	sp_rules_release(&r);
	T_INT(sp_rules_find(&r, "nope", err, sizeof(err)), -1);
	T_STR(err, "unknown programme 'nope' (see --list-programs)");
	T_INT(sp_rules_find(&r, "../etc/passwd", err, sizeof(err)), -1);
	T_INT(sp_rules_find(&r, "broken", err, sizeof(err)), -1);
	T_OK(strstr(err, "broken.json") != NULL);
	T_INT(sp_rules_find(&r, "spark", err, sizeof(err)), 0);
	T_STR(r.program, "spark-2021");
	T_INT(r.ncrit, 5);
	sp_rules_release(&r);

	/* Every shipped rule file parses. */
	sp_rules_list(&list, &n, NULL);
	T_OK(n >= 6);
	for (i = 0; i < n; i++)
		T_OK(list[i].ncrit > 0);
	for (i = 1; i < n; i++)
		T_OK(strcmp(list[i - 1].program, list[i].program) < 0);
	sp_rules_list_free(list, n);

	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	T_INT(system(path), 0);
	return t_done();
}
