#!/bin/sh
# spaces-eligibility: every criterion at its boundary, outputs, bad input.
. "${0%/*}/../lib.sh"

# A fixed day, a Saturday in ISO week 2026-W47: the cadence looks back over
# W43..W46, the Spark commitment ahead over W48..2027-W07.
ASOF=2026-11-21

# plan N PER [SKIP]: occurrence records for N weeks from Monday 2026-11-23,
# PER a week (Tuesday and Thursday 18:00Z, then Saturday), week SKIP with
# one fewer.
plan() {
	i=0
	while [ "$i" -lt "$1" ]; do
		mon=$(date -u -d "2026-11-23 +$((i * 7)) days" +%Y-%m-%d)
		k=0
		n=$2
		[ "$i" = "${3:-x}" ] && n=$((n - 1))
		for off in 1 3 5; do
			[ "$k" -lt "$n" ] || break
			day=$(date -u -d "$mon +$off days" +%Y-%m-%d)
			printf '{"type":"occurrence","uid":"show-%s@spaces","start":"%sT18:00:00.000Z","source":"schedule"}\n' \
			    "$day" "$day"
			k=$((k + 1))
		done
		i=$((i + 1))
	done
}

# space ID START [CREATOR]: a hosted Space record from the archive.
space() {
	printf '{"type":"space","id":"%s","state":"ended","created_at":"%s","creator_id":"%s","host_ids":["%s"],"source":"archive"}\n' \
	    "$1" "$2" "${3:-111}" "${3:-111}"
}

user() {
	printf '{"type":"user","id":"111","username":"host","followers_count":%s,"location":"%s","birth_date":"1990-05-01","source":"archive"}\n' \
	    "$1" "${2:-Austin, TX}"
}

# crit ID FIELD: that field of criterion ID in the verdict on ./out.
crit() {
	jq -c ".criteria[] | select(.id == \"$1\") | .$2" out
}

t_case 'eligible: every criterion passes, exit 0' '
	{ user 6210; plan 13 2; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	status 0 &&
	jq_is .status "\"eligible\"" &&
	jq_is .eligible true &&
	jq_is .type "\"verdict\"" &&
	jq_is .program "\"spark-2021\"" &&
	jq_is "[.criteria[].status]" "[\"pass\",\"pass\",\"pass\",\"pass\",\"unknown\"]" &&
	err_empty
'

t_case 'followers 4,999 fails by 1, exit 1' '
	{ user 4999; plan 13 2; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	status 1 &&
	jq_is .status "\"not-eligible\"" &&
	jq_is .eligible false &&
	[ "$(crit followers status)" = "\"fail\"" ] &&
	[ "$(crit followers margin)" = -1 ] &&
	[ "$(crit followers actual)" = 4999 ] &&
	[ "$(crit followers required)" = "\">= 5000\"" ]
'

t_case 'followers 5,000 passes with margin 0' '
	{ user 5000; plan 13 2; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	status 0 &&
	[ "$(crit followers status)" = "\"pass\"" ] &&
	[ "$(crit followers margin)" = 0 ] &&
	[ "$(crit followers from)" = "\"user 111 (archive)\"" ]
'

t_case 'followers as a numeric string are read' '
	{ printf "{\"type\":\"user\",\"id\":111,\"followers_count\":\"5000\"}\n"; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit followers status)" = "\"pass\"" ]
'

t_case 'a flag wins over a record' '
	user 4210 >facts &&
	run spaces-eligibility --as-of $ASOF --followers 6000 facts &&
	[ "$(crit followers status)" = "\"pass\"" ] &&
	[ "$(crit followers from)" = "\"--followers\"" ]
'

t_case 'commitment: a week with 1 planned Space fails' '
	{ user 6000; plan 13 2 5; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	status 1 &&
	[ "$(crit commitment status)" = "\"fail\"" ] &&
	[ "$(crit commitment actual)" = 1 ] &&
	[ "$(jq -c "[.criteria[] | select(.id == \"commitment\") | .weeks[] | select(.count < 2) | .week]" out)" = "[\"2026-W53\"]" ]
'

t_case 'commitment: planned Spaces beyond the window do not count' '
	{ user 6000; plan 12 2; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit commitment status)" = "\"fail\"" ] &&
	[ "$(crit commitment actual)" = 0 ]
'

t_case 'commitment: the same occurrence twice counts once' '
	{ user 6000; plan 13 2; plan 1 1; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	jq -e ".criteria[] | select(.id == \"commitment\") | .weeks[0].count == 2" out >/dev/null
'

t_case 'cadence: a week with 1 Space fails, 2 pass (advisory)' '
	{ user 6000; plan 13 2
	  space a 2026-10-20T18:00:00.000Z; space b 2026-10-22T18:00:00.000Z
	  space c 2026-10-27T18:00:00.000Z; space d 2026-10-29T18:00:00.000Z
	  space e 2026-11-03T18:00:00.000Z; space f 2026-11-05T18:00:00.000Z
	  space g 2026-11-10T18:00:00.000Z; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	status 0 &&
	[ "$(crit cadence status)" = "\"fail\"" ] &&
	[ "$(crit cadence actual)" = 1 ] &&
	[ "$(crit cadence advisory)" = true ] &&
	space h 2026-11-12T18:00:00.000Z >>facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit cadence status)" = "\"pass\"" ] &&
	[ "$(crit cadence actual)" = 2 ] &&
	[ "$(crit cadence from)" = "\"8 Spaces hosted in 4 weeks to 2026-W46\"" ]
'

t_case 'cadence: Spaces logged in the schedule count as hosted, once each' '
	logged() {
		printf '"'"'{"type":"occurrence","uid":"log-%s@spaces","start":"%s","space_id":"%s","source":"schedule"}\n'"'"' \
		    "$1" "$2" "$1"
	}
	{ user 6000; plan 13 2
	  space a 2026-10-20T18:00:00.000Z; logged b 2026-10-22T18:00:00.000Z
	  logged c 2026-10-27T18:00:00.000Z; logged d 2026-10-29T18:00:00.000Z
	  space e 2026-11-03T18:00:00.000Z; logged e 2026-11-03T18:00:00.000Z
	  logged f 2026-11-05T18:00:00.000Z
	  logged g 2026-11-10T18:00:00.000Z; logged h 2026-11-12T18:00:00.000Z
	} >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit cadence status)" = "\"pass\"" ] &&
	[ "$(crit cadence from)" = "\"8 Spaces hosted in 4 weeks to 2026-W46\"" ] &&
	[ "$(crit commitment status)" = "\"pass\"" ] &&
	{ user 6000; logged b 2026-10-22T18:00:00.000Z; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit cadence status)" = "\"fail\"" ] &&
	[ "$(crit commitment status)" = "\"unknown\"" ]
'

# A rule set whose cadence counts, for exit statuses.
cadence_rules() {
	cat >cadence.json <<-EOF
	{"program":"cadence-test","effective":"2026-01-01","criteria":[
	 {"id":"cadence","fact":"hosted_spaces_per_week","op":">=","value":2,"weeks":2}]}
	EOF
}

t_case 'cadence: 1 vs 2 Spaces in a week decides the exit status' '
	cadence_rules &&
	{ space a 2026-11-03T18:00:00Z; space b 2026-11-05T18:00:00Z
	  space c 2026-11-10T18:00:00Z; } >facts &&
	run spaces-eligibility -r cadence.json --as-of $ASOF facts &&
	status 1 &&
	space d 2026-11-15T23:59:59Z >>facts &&
	run spaces-eligibility -r cadence.json --as-of $ASOF facts &&
	status 0
'

t_case 'cadence: --weeks widens the look-back' '
	cadence_rules &&
	{ space a 2026-11-03T18:00:00Z; space b 2026-11-05T18:00:00Z
	  space c 2026-11-10T18:00:00Z; space d 2026-11-12T18:00:00Z; } >facts &&
	run spaces-eligibility -r cadence.json --as-of $ASOF facts &&
	status 0 &&
	run spaces-eligibility -r cadence.json --as-of $ASOF --weeks 3 facts &&
	status 1 &&
	[ "$(crit cadence required)" = "\">= 2 per week, 3 weeks\"" ]
'

t_case 'cadence: week edges follow --tz (America/New_York)' '
	cat >one.json <<-EOF &&
	{"program":"one","effective":"2026","criteria":[
	 {"id":"w","fact":"hosted_spaces_per_week","op":">=","value":1,"weeks":1}]}
	EOF
	space early 2026-11-16T03:30:00Z >a &&
	run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z a &&
	status 0 &&
	run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z --tz America/New_York a &&
	status 1 &&
	space late 2026-11-23T02:00:00Z >b &&
	run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z b &&
	status 1 &&
	run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z --tz America/New_York b &&
	status 0 &&
	jq_is ".criteria[0].weeks[0].start" "\"2026-11-16T05:00:00.000Z\"" &&
	jq_is .tz "\"America/New_York\""
'

t_case 'cadence: TZ from the environment when --tz is absent' '
	cat >one.json <<-EOF &&
	{"program":"one","effective":"2026","criteria":[
	 {"id":"w","fact":"hosted_spaces_per_week","op":">=","value":1,"weeks":1}]}
	EOF
	space late 2026-11-23T02:00:00Z >b &&
	TZ=America/New_York run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z b &&
	status 0 &&
	TZ= run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z b &&
	status 1 &&
	jq_is .tz "\"UTC\"" &&
	# An unknown zone is refused, never taken as UTC (issue 19).
	TZ=Not/AZone run spaces-eligibility -r one.json --as-of 2026-11-25T12:00:00Z b &&
	status 2 &&
	err_has "TZ .Not/AZone.: not a time zone name"
'

t_case 'Spaces of another creator, scheduled or canceled ones do not count' '
	cadence_rules &&
	{ user 6000
	  space a 2026-11-03T18:00:00Z; space b 2026-11-05T18:00:00Z 999
	  space c 2026-11-10T18:00:00Z; space d 2026-11-12T18:00:00Z
	  printf "{\"type\":\"space\",\"id\":\"s\",\"state\":\"scheduled\",\"created_at\":\"2026-11-04T10:00:00Z\"}\n"
	  printf "{\"type\":\"space\",\"id\":\"t\",\"state\":\"canceled\",\"created_at\":\"2026-11-04T11:00:00Z\"}\n"
	} >facts &&
	run spaces-eligibility -r cadence.json --as-of $ASOF facts &&
	status 1 &&
	jq_is "[.criteria[0].weeks[].count]" "[1,2]"
'

t_case 'a Space listed twice (archive and API) counts once' '
	cadence_rules &&
	{ space a 2026-11-03T18:00:00Z; space a 2026-11-03T18:00:00Z
	  space c 2026-11-10T18:00:00Z; space d 2026-11-12T18:00:00Z; } >facts &&
	run spaces-eligibility -r cadence.json --as-of $ASOF facts &&
	jq_is "[.criteria[0].weeks[].count]" "[1,2]"
'

t_case 'Space start times as epoch milliseconds and started_at' '
	cadence_rules &&
	{ printf "{\"type\":\"space\",\"id\":\"a\",\"created_at\":1793728800000}\n"
	  printf "{\"type\":\"space\",\"id\":\"b\",\"created_at\":\"1793901600000\"}\n"
	  printf "{\"type\":\"space\",\"id\":\"c\",\"created_at\":\"2026-11-01T00:00:00Z\",\"started_at\":\"2026-11-10T18:00:00Z\"}\n"
	  printf "{\"type\":\"space\",\"id\":\"d\",\"started_at\":\"2026-11-12T18:00:00+02:00\"}\n"; } >facts &&
	run spaces-eligibility -r cadence.json --as-of $ASOF facts &&
	jq_is "[.criteria[0].weeks[].count]" "[2,2]" &&
	status 0
'

t_case 'ticketed-spaces-2021: 3 Spaces in 30 days pass, 2 fail' '
	{ user 1000; space a 2026-10-25T18:00:00Z; space b 2026-11-01T18:00:00Z
	  space c 2026-10-21T23:59:59Z; } >facts &&
	run spaces-eligibility -p ticketed-spaces-2021 --as-of $ASOF --age 20 facts &&
	status 1 &&
	[ "$(crit hosted actual)" = 2 ] &&
	space d 2026-11-20T23:00:00Z >>facts &&
	run spaces-eligibility -p ticketed-spaces-2021 --as-of $ASOF --age 20 facts &&
	status 0 &&
	[ "$(crit hosted required)" = "\">= 3 in 30 days\"" ]
'

t_case 'age: 18 on the day passes, the day before fails' '
	plan 13 2 >facts &&
	run spaces-eligibility --as-of $ASOF --followers 5000 --country US --birth-date 2008-11-21 facts &&
	status 0 &&
	[ "$(crit age actual)" = 18 ] &&
	run spaces-eligibility --as-of 2026-11-20 --followers 5000 --country US --birth-date 2008-11-21 facts &&
	status 1 &&
	[ "$(crit age actual)" = 17 ] &&
	[ "$(crit age margin)" = -1 ]
'

t_case 'age: --age, and a birth date from the archive' '
	user 6000 >facts &&
	run spaces-eligibility --as-of $ASOF --age 17 facts &&
	[ "$(crit age status)" = "\"fail\"" ] &&
	[ "$(crit age from)" = "\"--age\"" ] &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit age actual)" = 36 ] &&
	[ "$(crit age from)" = "\"user 111 (archive) birth_date 1990-05-01\"" ]
'

t_case 'country: inferred from the profile location, and says so' '
	user 6000 "Austin, TX" >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit country status)" = "\"pass\"" ] &&
	[ "$(crit country from)" = "\"inferred from '"'"'Austin, TX'"'"'\"" ] &&
	run spaces-eligibility --as-of $ASOF --table facts &&
	out_has "inferred from '"'"'Austin, TX'"'"'"
'

t_case 'country: outside the US fails, unknown text is unknown' '
	user 6000 "Porto, Portugal " >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit country status)" = "\"fail\"" ] &&
	[ "$(crit country actual)" = "\"PT\"" ] &&
	user 6000 "Earth" >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	[ "$(crit country status)" = "\"unknown\"" ] &&
	[ "$(crit country from)" = "\"location '"'"'Earth'"'"' names no country\"" ]
'

t_case 'country: --country and a record country win over the location' '
	user 6000 "Porto, Portugal" >facts &&
	run spaces-eligibility --as-of $ASOF --country "United States" facts &&
	[ "$(crit country status)" = "\"pass\"" ] &&
	[ "$(crit country from)" = "\"--country\"" ] &&
	printf "{\"type\":\"user\",\"id\":\"1\",\"country\":\"US\",\"source\":\"api\"}\n" >f2 &&
	run spaces-eligibility --as-of $ASOF f2 &&
	[ "$(crit country status)" = "\"pass\"" ] &&
	[ "$(crit country from)" = "\"user 1 (api)\"" ]
'

t_case 'undetermined: nothing failed, something unknown, exit 4' '
	run spaces-eligibility --as-of $ASOF --followers 6000 --country US </dev/null &&
	status 4 &&
	jq_is .status "\"undetermined\"" &&
	jq_is "has(\"eligible\")" false &&
	[ "$(crit age status)" = "\"unknown\"" ] &&
	[ "$(crit commitment from)" = "\"no occurrence records (plan with spaces-schedule)\"" ]
'

t_case 'the table: header, one line per criterion, verdict' '
	{ user 4210; plan 13 2; } >facts &&
	run spaces-eligibility --as-of $ASOF --table facts &&
	status 1 &&
	out_is <<-EOF
	spark-2021: Twitter Spaces Spark Program, phase 1 (effective 2021-10-12)
	CRITERION                        STATUS   ACTUAL  REQUIRED                 MARGIN  FROM
	age                              pass     36      >= 18                    +18     user 111 (archive) birth_date 1990-05-01
	followers                        fail     4210    >= 5000                  -790    user 111 (archive)
	country                          pass     US      in US                    -       inferred from '"'"'Austin, TX'"'"'
	commitment                       pass     2       >= 2 per week, 13 weeks  0       26 planned in 13 weeks from 2026-W48
	cadence (advisory) (unverified)  unknown  -       >= 2 per week, 4 weeks   -       no space records
	verdict: not eligible (failed: followers)
	EOF
'

t_case 'the table, undetermined, and -v' '
	run spaces-eligibility --as-of $ASOF --table -v --followers 5000 </dev/null &&
	status 4 &&
	out_has "^verdict: undetermined (unknown: age, country, commitment)$" &&
	out_has "^    an account with 5,000 or more active followers$" &&
	out_has "^source: https://create.twitter.com/" &&
	out_has "^as of 2026-11-21T00:00:00.000Z, weeks in UTC"
'

t_case '-q prints nothing and keeps the exit status' '
	user 4210 >facts &&
	run spaces-eligibility -q --as-of $ASOF facts &&
	status 1 && out_empty && err_empty
'

t_case 'stdin, "-" and several files are one stream; other types pass' '
	user 6000 >a &&
	{ printf "{\"type\":\"media\",\"duration\":3.5}\n{\"type\":\"gap\"}\n{\"no_type\":1}\n"; plan 13 2; } >b &&
	run spaces-eligibility --as-of $ASOF --age 30 a - <b &&
	status 0 &&
	cat a b | spaces-eligibility --as-of $ASOF --age 30 >out2 &&
	diff out out2
'

t_case 'records about two users: a warning, the last one wins' '
	{ user 6000; printf "{\"type\":\"user\",\"id\":\"222\",\"followers_count\":10}\n"; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	err_has "records describe more than one user; using the last, 222" &&
	[ "$(crit followers actual)" = 10 ] &&
	[ "$(crit country status)" = "\"unknown\"" ]
'

t_case 'a malformed line: its number, one line, exit 2' '
	{ user 6000; echo "{\"type\":\"space\",}"; } >facts &&
	run spaces-eligibility --as-of $ASOF facts &&
	status 2 && out_empty && err_one_line &&
	err_has "^spaces-eligibility: '"'"'facts'"'"': line 2: malformed JSON" &&
	{ user 6000; echo "[1]"; } | spaces-eligibility --as-of $ASOF 2>err >/dev/null;
	[ $? -eq 2 ] &&
	err_has "^spaces-eligibility: stdin: line 2: not a JSON object$"
'

t_case 'a file that cannot be opened: exit 2, named' '
	run spaces-eligibility --as-of $ASOF nosuch.ndjson &&
	status 2 && out_empty &&
	err_is <<-EOF
	spaces-eligibility: cannot open '"'"'nosuch.ndjson'"'"': No such file or directory
	EOF
'

t_case 'bad flags: exit 2 with the reason' '
	run spaces-eligibility --followers -1 </dev/null && status 2 &&
	err_has "^spaces-eligibility: --followers '"'"'-1'"'"': too small" &&
	run spaces-eligibility --followers 12k </dev/null && status 2 &&
	run spaces-eligibility --age 30 --birth-date 1990-01-01 </dev/null && status 2 &&
	err_has "^usage: spaces-eligibility" &&
	run spaces-eligibility --birth-date 1990-02-30 </dev/null && status 2 &&
	err_has "not a date" &&
	run spaces-eligibility --country Atlantis </dev/null && status 2 &&
	err_has "Atlantis" &&
	run spaces-eligibility --tz Mars/Olympus </dev/null && status 2 &&
	err_has "unknown time zone" &&
	run spaces-eligibility --as-of yesterday </dev/null && status 2 &&
	run spaces-eligibility --weeks 0 </dev/null && status 2 &&
	run spaces-eligibility -p spark-2021 -r x.json </dev/null && status 2 &&
	run spaces-eligibility -x </dev/null && status 2 &&
	err_has "^spaces-eligibility: invalid option" && out_empty
'

t_case 'programmes: by name, by family, unknown, listed' '
	run spaces-eligibility -p creator-subscriptions --as-of $ASOF </dev/null &&
	jq_is .program "\"creator-subscriptions-2023\"" &&
	run spaces-eligibility -p spark --as-of $ASOF </dev/null &&
	jq_is .program "\"spark-2021\"" &&
	run spaces-eligibility -p no-such-programme </dev/null &&
	status 2 &&
	err_is <<-EOF &&
	spaces-eligibility: unknown programme '"'"'no-such-programme'"'"' (see --list-programs)
	EOF
	run spaces-eligibility --list-programs &&
	status 0 &&
	[ "$(jq -sc "[.[].program]" out)" = "[\"ads-revenue-sharing-2023\",\"creator-subscriptions-2023\",\"spark-2021\",\"ticketed-spaces-2021\"]" ] &&
	run spaces-eligibility --list-programs --table &&
	out_has "^spark-2021  *2021-10-12  verified  *Twitter Spaces Spark Program"
'

t_case 'SPACES_RULES_PATH comes first; a bad rule file is named' '
	mkdir rules &&
	printf "{\"program\":\"spark-2021\",\"effective\":\"2021\",\"criteria\":[{\"id\":\"f\",\"fact\":\"followers_count\",\"op\":\">=\",\"value\":10}]}" >rules/spark-2021.json &&
	user 20 >facts &&
	SPACES_RULES_PATH=$PWD/rules run spaces-eligibility --as-of $ASOF facts &&
	status 0 &&
	printf "{\"program\":\"bad\",\"effective\":\"2021\",\"criteria\":[{\"id\":\"f\",\"fact\":\"x\",\"op\":\"~\",\"value\":1}]}" >rules/bad.json &&
	SPACES_RULES_PATH=$PWD/rules run spaces-eligibility -p bad facts &&
	status 2 &&
	err_has "bad.json'"'"': criterion '"'"'f'"'"': unknown op '"'"'~'"'"'" &&
	SPACES_RULES_PATH=$PWD/rules run spaces-eligibility --list-programs &&
	status 0 && err_has "bad.json"
'

t_case 'creator-subscriptions: facts from user record fields' '
	printf "{\"type\":\"user\",\"id\":\"1\",\"followers_count\":600,\"created_at\":\"2026-01-01T00:00:00Z\",\"premium\":true,\"profile_complete\":true,\"email_verified\":true,\"two_factor\":true,\"posted_in_last_30_days\":true,\"identity_verified\":false}\n" >facts &&
	run spaces-eligibility -p creator-subscriptions --as-of $ASOF --age 30 facts &&
	status 1 &&
	[ "$(crit identity status)" = "\"fail\"" ] &&
	[ "$(crit account-age actual)" = 324 ] &&
	[ "$(crit premium status)" = "\"pass\"" ]
'

t_case 'a directory is invalid input (2); /dev/zero ends, bounded, with 2' '
	run spaces-eligibility /tmp &&
	status 2 &&
	err_has "cannot open .\/tmp.: Is a directory" &&
	err_one_line &&
	run timeout 120 spaces-eligibility /dev/zero &&
	status 2 &&
	err_has "/dev/zero.: line 1: longer than 16777216 bytes" &&
	err_one_line &&
	run sh -c "head -c 20000000 /dev/zero | tr \"\\\\0\" x | spaces-eligibility" &&
	status 2 &&
	err_has "^spaces-eligibility: stdin: line 1: longer than"
'

t_case 'TZ: a zone name without a slash works; a POSIX rule is refused' '
	user 6000 >facts &&
	TZ=CST6CDT run spaces-eligibility -j --as-of 2026-11-01 facts &&
	jq_is .tz "\"CST6CDT\"" &&
	TZ=:/usr/share/zoneinfo/Asia/Tokyo run spaces-eligibility -j --as-of 2026-11-01 facts &&
	jq_is .tz "\"Asia/Tokyo\"" &&
	TZ="EST5EDT,M3.2.0,M11.1.0" run spaces-eligibility -j --as-of 2026-11-01 facts &&
	status 2 &&
	err_has "TZ .EST5EDT,M3.2.0,M11.1.0.: not a time zone name" &&
	TZ="EST5EDT,M3.2.0,M11.1.0" run spaces-eligibility -j --tz UTC --as-of 2026-11-01 facts &&
	jq_is .tz "\"UTC\""
'

t_case 'control characters in a name are escaped in the message' '
	run spaces-eligibility "$(printf "a\033]0;pwned\007\rb")" &&
	status 2 &&
	err_has "cannot open .a\\\\e]0;pwned\\\\a\\\\rb.: No such file" &&
	! grep -q "$(printf "\033")" err
'

t_case 'stdout: a full disk is exit 3, a closed pipe is quiet' '
	user 6000 >facts &&
	spaces-eligibility --as-of $ASOF --table -v facts >/dev/full 2>err;
	[ $? -eq 3 ] && err_has "write error: No space left on device" &&
	{ spaces-eligibility --as-of $ASOF --table -v facts 2>err | head -c1 >/dev/null; } &&
	err_empty
'

t_end
