#!/bin/sh
# spaces-lookup against a loopback mock of the X API (tests/servers):
# records, batching, every documented error body, rate limits, retries,
# timeouts, and the token kept out of stderr and argv.
. "${0%/*}/../lib.sh"

MOCK=$TOP/tests/servers/xapi-mock.py
TOKEN=test-token-s3cr3t
USER_TOKEN=test-user-token-s3cr3t	# the mock's user-context token: @TwitterDev

# mock SCENARIO: start the mock on a free loopback port for this case and
# point spaces-lookup at it; it is killed when the case ends (and ends
# by itself after 60 s anyway).
mock() {
	python3 "$MOCK" "$1" port log 60 >mock.out 2>&1 &
	mock_pid=$!
	trap 'kill "$mock_pid" 2>/dev/null' EXIT
	i=0
	while [ ! -s port ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { echo "the mock did not start"; cat mock.out; return 1; }
		sleep 0.1
	done
	SPACES_API_URL=http://127.0.0.1:$(cat port)
	SPACES_BEARER_TOKEN=$TOKEN
	export SPACES_API_URL SPACES_BEARER_TOKEN
}

# requests N: the mock saw N requests.
requests() {
	n=$(wc -l <log)
	[ "$n" -eq "$1" ] && return 0
	echo "$n requests, want $1:"; cat log
	return 1
}

# ids N: the batch fixture's first N Space ids, one an argument.
ids() {
	i=0
	while [ $i -lt "$1" ]; do
		printf 'B%012d\n' $i
		i=$((i + 1))
	done
}

t_case 'user by handle: the user record, country from the location' '
	mock ok &&
	run spaces-lookup --user @TwitterAPI &&
	status 0 &&
	err_empty &&
	out_is <<-EOF
	{"type":"user","id":"6253282","username":"TwitterAPI","name":"Twitter API","followers_count":6210,"following_count":12,"post_count":40,"listed_count":3,"location":"San Francisco, CA","country":"US","country_basis":"profile-location","created_at":"2007-05-23T06:01:13.000Z","source":"api"}
	EOF
	grep -q "^GET /2/users/by/username/TwitterAPI?user.fields=[a-z_,.]*public_metrics" log &&
	grep -q "Bearer $TOKEN" log
'

t_case 'users: handles batched, ids by /2/users, no country when unsure' '
	mock ok &&
	run spaces-lookup -j --user TwitterDev ana_pt 2244994945 &&
	status 0 &&
	[ "$(head -n 1 out | jq -c "[.username, .followers_count, .following_count, .country]")" = \
	    "[\"TwitterDev\",507902,1863,null]" ] &&
	jq -s -c "map(.username)" out >names &&
	echo "[\"TwitterDev\",\"TwitterDev\",\"ana_pt\"]" | diff -u - names ||
	{ cat out; exit 1; }
	grep -q "^GET /2/users?ids=2244994945&" log &&
	grep -q "^GET /2/users/by?usernames=TwitterDev,ana_pt&" log &&
	requests 2 &&
	[ "$(jq -s -c "map(select(.username == \"ana_pt\"))[0].country" out)" = "\"PT\"" ]
'

t_case 'space: every field, ids as strings, hosts and speakers resolved' '
	mock ok &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 0 &&
	err_empty &&
	jq_is "[.type, .id, .state, .title, .participant_count, .is_ticketed, .lang, .source]" \
	    "[\"space\",\"1zqKVXPQhvZJB\",\"live\",\"Say hello to the Space data object!\",420,false,\"en\",\"api\"]" &&
	jq_is "[.created_at, .started_at, .scheduled_start, .updated_at]" \
	    "[\"2021-07-04T23:12:08.000Z\",\"2021-07-14T08:00:12.000Z\",\"2021-07-14T08:00:00.000Z\",\"2021-07-11T14:44:44.000Z\"]" &&
	jq_is "[.creator_id, .host_ids, .speaker_ids, .invited_user_ids]" \
	    "[\"2244994945\",[\"2244994945\",\"6253282\"],[\"2244994945\",\"6253282\"],[\"2244994945\",\"6253282\"]]" &&
	jq_is ".hosts" "[{\"user_id\":\"2244994945\",\"username\":\"TwitterDev\",\"name\":\"Twitter Dev\"},{\"user_id\":\"6253282\",\"username\":\"TwitterAPI\",\"name\":\"Twitter API\"}]" &&
	jq_is "[.creator.username, (.speakers | map(.username)), .topics[0].name, .url]" \
	    "[\"TwitterDev\",[\"TwitterDev\",\"TwitterAPI\"],\"Technology\",\"https://x.com/i/spaces/1zqKVXPQhvZJB\"]" &&
	grep -q "expansions=creator_id,host_ids,invited_user_ids,speaker_ids,topic_ids" log &&
	grep -q "space.fields=created_at,ended_at,id,is_ticketed,lang,participant_count,scheduled_start,started_at,state,subscriber_count,title,updated_at" log
'

t_case 'spaces: 150 ids are two requests of 100 and 50' '
	mock ok &&
	run spaces-lookup --space $(ids 150) &&
	status 0 &&
	[ "$(wc -l <out)" -eq 150 ] &&
	requests 2 &&
	[ "$(sed -n "1s/.*ids=\([^&]*\)&.*/\1/p" log | tr , "\n" | wc -l)" -eq 100 ] &&
	[ "$(sed -n "2s/.*ids=\([^&]*\)&.*/\1/p" log | tr , "\n" | wc -l)" -eq 50 ]
'

t_case 'a Space URL is taken for its id; --state filters, none left is exit 1' '
	mock ok &&
	run spaces-lookup --space https://x.com/i/spaces/1ypKdEXvkMLGW/peek &&
	status 0 &&
	jq_is "[.id, .state, .subscriber_count]" "[\"1ypKdEXvkMLGW\",\"scheduled\",12]" &&
	run spaces-lookup --state live --space 1ypKdEXvkMLGW 1zqKVXPQhvZJB &&
	status 0 &&
	jq_is .id "\"1zqKVXPQhvZJB\"" &&
	run spaces-lookup -q --state live --space 1ypKdEXvkMLGW &&
	status 1 &&
	out_empty &&
	err_empty
'

t_case 'partial errors in a 200: a warning per id, the others printed, exit 1' '
	mock ok &&
	run spaces-lookup --space 1zqKVXPQhvZJB NoSuchSpace1 1ypKdEXvkMLGW NoSuchSpace2 &&
	status 1 &&
	[ "$(jq -s -c "map(.id)" out)" = "[\"1zqKVXPQhvZJB\",\"1ypKdEXvkMLGW\"]" ] &&
	err_is <<-EOF
	spaces-lookup: '"'"'NoSuchSpace1'"'"': Could not find space with ids: [NoSuchSpace1].
	spaces-lookup: '"'"'NoSuchSpace2'"'"': Could not find space with ids: [NoSuchSpace2].
	EOF
'

t_case 'unknown user: a warning, the others printed, exit 1; -q is quiet' '
	mock ok &&
	run spaces-lookup --user @nosuchuser1 @TwitterDev &&
	status 1 &&
	jq_is .username "\"TwitterDev\"" &&
	err_has "nosuchuser1" &&
	err_one_line &&
	run spaces-lookup -q --user nosuchuser1 &&
	status 1 &&
	out_empty &&
	err_empty
'

t_case '@me with a user-context token: its account; me without @ is a handle' '
	mock ok &&
	SPACES_BEARER_TOKEN=$USER_TOKEN &&
	run spaces-lookup --user @me 6253282 &&
	status 0 &&
	err_empty &&
	[ "$(jq -s -c "map(.username)" out)" = "[\"TwitterDev\",\"TwitterAPI\"]" ] &&
	grep -q "^GET /2/users/me?user.fields=[a-z_,.]*public_metrics" log &&
	grep -q "Bearer $USER_TOKEN" log &&
	requests 2 &&
	run spaces-lookup -q --user me &&
	status 1 &&
	tail -n 1 log | grep -q "^GET /2/users/by/username/me?"
'

t_case '--creator @me: the Spaces of the token account, @me asked once' '
	mock ok &&
	SPACES_BEARER_TOKEN=$USER_TOKEN &&
	run spaces-lookup --creator @me @me --state live &&
	status 0 &&
	err_empty &&
	jq_is "[.id, .state, .creator.username]" "[\"1zqKVXPQhvZJB\",\"live\",\"TwitterDev\"]" &&
	requests 2 &&
	head -n 1 log | grep -q "^GET /2/users/me?" &&
	tail -n 1 log | grep -q "^GET /2/spaces/by/creator_ids?user_ids=2244994945&"
'

t_case '@me with an app-only token: 403, one line that says what to do, exit 3' '
	mock ok &&
	run spaces-lookup --creator @me --state live &&
	status 3 &&
	out_empty &&
	err_is <<-EOF &&
	spaces-lookup: '"'"'@me'"'"': this needs a user-context token, not an app-only one: put an OAuth 2.0 user access token in SPACES_BEARER_TOKEN or --token-file (HTTP 403: unsupported-authentication)
	EOF
	requests 1 &&
	run spaces-lookup -q --user TwitterDev @me &&
	status 3 &&
	out_empty &&
	err_one_line &&
	err_has "user-context token" &&
	requests 2
'

t_case 'creator: live Spaces only with --state live; none live is exit 1' '
	mock ok &&
	run spaces-lookup --creator @TwitterDev --state live &&
	status 0 &&
	jq_is "[.id, .state]" "[\"1zqKVXPQhvZJB\",\"live\"]" &&
	grep -q "^GET /2/spaces/by/creator_ids?user_ids=2244994945&" log &&
	run spaces-lookup --creator TwitterAPI --state live &&
	status 1 &&
	out_empty &&
	run spaces-lookup --creator 6253282 --state scheduled &&
	status 0 &&
	jq_is .id "\"1ypKdEXvkMLGW\""
'

t_case 'search: the query and the state are sent' '
	mock ok &&
	run spaces-lookup --search "say hello" --state live &&
	status 0 &&
	jq_is .id "\"1zqKVXPQhvZJB\"" &&
	grep -q "^GET /2/spaces/search?query=say%20hello&state=live&" log &&
	run spaces-lookup --search "no such title" &&
	status 1 &&
	out_empty
'

t_case 'table on request' '
	mock ok &&
	run spaces-lookup --table --user TwitterAPI &&
	status 0 &&
	out_is <<-EOF
	USERNAME          FOLLOWERS  FOLLOWING COUNTRY NAME
	@TwitterAPI            6210         12 US      Twitter API
	EOF
	run spaces-lookup --table --space 1ypKdEXvkMLGW &&
	out_has "^1ypKdEXvkMLGW scheduled 2026-02-14T08:00:00.000Z      - @TwitterAPI *Office hours"
'

t_case '-q as in grep: nothing printed, the exit status is the answer' '
	mock ok &&
	run spaces-lookup -q --state live --space 1zqKVXPQhvZJB &&
	status 0 && out_empty && err_empty &&
	run spaces-lookup -q --table --user TwitterDev &&
	status 0 && out_empty && err_empty &&
	run spaces-lookup -q -j --creator TwitterDev --state live &&
	status 0 && out_empty && err_empty &&
	run spaces-lookup -q --search hello &&
	status 0 && out_empty && err_empty &&
	run spaces-lookup -q --state live --creator TwitterAPI &&
	status 1 && out_empty && err_empty &&
	run spaces-lookup -q --space 1zqKVXPQhvZJB NoSuchSpace1 &&
	status 1 && out_empty && err_empty &&
	run spaces-lookup -q --space "bad id!" &&
	status 2 && out_empty && err_has "not a Space id" &&
	SPACES_BEARER_TOKEN=wrong-token run spaces-lookup -q --space 1zqKVXPQhvZJB &&
	status 3 && out_empty && err_has "token was rejected" &&
	rc=0 &&
	spaces-lookup -q --space $(ids 150) >/dev/full 2>err || rc=$? &&
	status 0 && err_empty
'

t_case '401: the token was rejected, one line, exit 3' '
	mock ok &&
	SPACES_BEARER_TOKEN=wrong-token &&
	run spaces-lookup --user TwitterDev &&
	status 3 &&
	out_empty &&
	err_is <<-EOF
	spaces-lookup: the bearer token was rejected (HTTP 401: Unauthorized)
	EOF
'

t_case '403 client-forbidden: no access, one line, exit 3' '
	mock forbidden &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 3 &&
	err_one_line &&
	err_has "no access to this endpoint (HTTP 403: When authenticating"
'

t_case '429 usage cap: one line, exit 3 at once (waiting does not lift it)' '
	mock usagecap &&
	run spaces-lookup --user TwitterDev &&
	status 3 &&
	err_is <<-EOF &&
	spaces-lookup: usage cap exceeded (HTTP 429: Usage cap exceeded: Monthly product cap)
	EOF
	requests 1
'

t_case '429 code 88: waits for x-rate-limit-reset, says so, then answers' '
	mock ratelimit &&
	start=$(date +%s) &&
	run spaces-lookup --user TwitterDev &&
	end=$(date +%s) &&
	status 0 &&
	jq_is .username "\"TwitterDev\"" &&
	err_has "rate limited: waiting [0-9]*s for the reset" &&
	requests 2 &&
	[ $((end - start)) -ge 1 ] && [ $((end - start)) -le 8 ]
'

t_case '429 with --no-wait: exit 3 at once' '
	mock ratelimit &&
	run spaces-lookup --no-wait --user TwitterDev &&
	status 3 &&
	err_one_line &&
	err_has "rate limited (HTTP 429: Rate limit exceeded); the window resets in [0-9]s" &&
	requests 1
'

t_case '429 about:blank with Retry-After: waits, then answers' '
	mock toomany &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 0 &&
	jq_is .id "\"1zqKVXPQhvZJB\"" &&
	err_has "rate limited: waiting" &&
	requests 2
'

t_case 'x-rate-limit-remaining 0: the next request waits for the reset' '
	mock exhausted &&
	run spaces-lookup --space $(ids 101) &&
	status 0 &&
	[ "$(wc -l <out)" -eq 101 ] &&
	err_has "rate limit used up: waiting" &&
	requests 2 &&
	run spaces-lookup --no-wait --space $(ids 101) &&
	status 3 &&
	err_has "rate limit used up"
'

t_case '500 then 200: retried, and quietly with -q' '
	mock error500 &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 0 &&
	err_has "HTTP 500: retrying" &&
	jq_is .id "\"1zqKVXPQhvZJB\"" &&
	requests 2 &&
	kill "$mock_pid" && rm -f port log &&
	mock error500 &&
	run spaces-lookup -q --space 1zqKVXPQhvZJB &&
	status 0 &&
	out_empty &&
	err_empty &&
	requests 2
'

t_case '503 every time: retries, then one line, exit 3' '
	mock error503 &&
	SPACES_RETRIES=2 run spaces-lookup -q --space 1zqKVXPQhvZJB &&
	status 3 &&
	err_is <<-EOF &&
	spaces-lookup: the API failed (HTTP 503: Service Unavailable)
	EOF
	requests 3
'

t_case 'a truncated body (Content-Length mismatch) is retried' '
	mock truncated &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 0 &&
	jq_is .id "\"1zqKVXPQhvZJB\"" &&
	err_has "truncated response: retrying" &&
	requests 2
'

t_case 'a body that stalls times out, exit 3' '
	mock slow &&
	start=$(date +%s) &&
	SPACES_TIMEOUT=1 SPACES_RETRIES=0 run spaces-lookup -q --space 1zqKVXPQhvZJB &&
	end=$(date +%s) &&
	status 3 &&
	err_has "timed out" &&
	err_one_line &&
	requests 1 &&
	{ [ $((end - start)) -le 15 ] || { echo "took $((end - start))s"; exit 1; }; }
'

t_case '400 invalid-request: the detail, exit 3' '
	mock invalid &&
	run spaces-lookup --search x &&
	status 3 &&
	err_is <<-EOF
	spaces-lookup: the API refused the request (HTTP 400: The '"'"'query'"'"' parameter is required.)
	EOF
'

t_case 'a 200 that is not JSON, a body over the size limit: exit 3' '
	mock notjson &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 3 &&
	err_has "malformed answer from the API: not JSON" &&
	kill "$mock_pid" && rm -f port log &&
	mock big &&
	run spaces-lookup --space 1zqKVXPQhvZJB &&
	status 3 &&
	err_has "response larger than 16777216 bytes" &&
	requests 1
'

t_case 'nobody listening: a network error, exit 3' '
	python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])" >p &&
	SPACES_API_URL=http://127.0.0.1:$(cat p) SPACES_BEARER_TOKEN=x SPACES_RETRIES=1 \
	    run spaces-lookup -q --space 1zqKVXPQhvZJB &&
	status 3 &&
	err_one_line &&
	err_has "after retries"
'

t_case 'no token: one line, exit 3, nothing sent' '
	mock ok &&
	unset SPACES_BEARER_TOKEN &&
	run spaces-lookup --user TwitterDev &&
	status 3 &&
	err_is <<-EOF &&
	spaces-lookup: no bearer token: set SPACES_BEARER_TOKEN or give --token-file
	EOF
	requests 0 &&
	printf "bad token\n" >tok &&
	run spaces-lookup --token-file tok --user TwitterDev &&
	status 3 &&
	err_has "a character a header cannot carry" &&
	requests 0
'

t_case '--token-file: the first line is the token (over the environment)' '
	mock ok &&
	printf "%s\n" "$TOKEN" >tok &&
	SPACES_BEARER_TOKEN=wrong run spaces-lookup --token-file tok --user TwitterDev &&
	status 0 &&
	jq_is .id "\"2244994945\"" &&
	run spaces-lookup --token-file missing --user TwitterDev &&
	status 3 &&
	err_has "cannot open '"'"'missing'"'"'"
'

t_case '-v shows the requests, the token never: not in stderr, not in argv' '
	mock slowok &&
	printf "%s\n" "$TOKEN" >tok &&
	unset SPACES_BEARER_TOKEN &&
	{ spaces-lookup -v --token-file tok --user TwitterDev >out 2>err & pid=$!; } &&
	sleep 0.5 &&
	tr "\0" " " </proc/$pid/cmdline >cmdline &&
	wait $pid &&
	! grep -q "$TOKEN" cmdline &&
	grep -q "spaces-lookup" cmdline &&
	grep -q "^> GET /2/users/by/username/TwitterDev" err &&
	grep -q "^> Authorization: \[redacted\]" err &&
	grep -q "^< HTTP/1.1 200" err &&
	! grep -q "$TOKEN" err &&
	! grep -q "s3cr3t" err &&
	SPACES_BEARER_TOKEN=$TOKEN run spaces-lookup -v --user TwitterDev &&
	status 0 &&
	! grep -q "s3cr3t" err
'

t_case 'usage errors: exit 2' '
	run spaces-lookup &&
	status 2 && err_has "^usage: spaces-lookup" &&
	run spaces-lookup --user &&
	status 2 &&
	run spaces-lookup --user a --space b &&
	status 2 && err_has "give one of" &&
	run spaces-lookup --state now --space 1zqKVXPQhvZJB &&
	status 2 && err_has "not live, scheduled or all" &&
	run spaces-lookup --space "bad id!" &&
	status 2 && err_has "not a Space id" &&
	run spaces-lookup --user "@this_is_far_too_long" &&
	status 2 && err_has "not a user" &&
	run spaces-lookup --search q extra &&
	status 2 &&
	run spaces-lookup --state live --user a &&
	status 2
'

t_case '--search with an empty query is a usage error, nothing sent' '
	mock ok &&
	run spaces-lookup --search "" &&
	status 2 &&
	err_has "--search .*: an empty query" &&
	run spaces-lookup --search "  " &&
	status 2 &&
	test ! -s log
'

t_case 'diagnostics: control characters escaped, 100 KB cut to one line' '
	big=$(head -c 100000 /dev/zero | tr "\\0" x) &&
	run spaces-lookup --user "@$big" &&
	status 2 &&
	err_one_line &&
	test "$(wc -c <err)" -lt 1100 &&
	err_has "\.\.\.$" &&
	run spaces-lookup --space "$(printf "\033[2J\r\007")" &&
	status 2 &&
	err_has "\\\\e\[2J\\\\r\\\\a" &&
	! grep -q "$(printf "\033")" err
'

t_case '>/dev/full is a write error; | head -c1 ends quietly' '
	mock ok &&
	rc=0 &&
	spaces-lookup --space $(ids 150) >/dev/full 2>err || rc=$? &&
	status 3 &&
	err_has "write error" &&
	{ spaces-lookup --space $(ids 150) 2>err | head -c1 >/dev/null; } &&
	err_empty
'

t_end
