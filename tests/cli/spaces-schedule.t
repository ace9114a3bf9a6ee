#!/bin/sh
# spaces-schedule: add, list, skip, log, cadence, due, export/import;
# expansion against python3-icalendar + dateutil, DST, ISO weeks in a
# zone, locking under concurrency, kill -9 during writes, bad calendars.
. "${0%/*}/../lib.sh"

SPACES_SCHEDULE=./s.ics
export SPACES_SCHEDULE
unset XDG_DATA_HOME
PY=/usr/bin/python3

# oracle FROM TO [FILE]: "uid start" per occurrence in [FROM, TO) (UTC
# instants), as python3-icalendar and dateutil's rrulestr expand FILE.
oracle() {
	"$PY" - "$1" "$2" "${3:-s.ics}" <<-'EOF'
	import sys, datetime
	from zoneinfo import ZoneInfo
	import icalendar
	from dateutil.rrule import rrulestr
	utc = datetime.timezone.utc
	p = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
	lo, hi = p(sys.argv[1]), p(sys.argv[2])
	cal = icalendar.Calendar.from_ical(open(sys.argv[3], "rb").read())
	out = []
	for ev in cal.walk("VEVENT"):
	    prop = ev["DTSTART"]
	    tzid = prop.params.get("TZID")
	    zone = ZoneInfo(tzid) if tzid else utc
	    # Wall-clock arithmetic: a zoneinfo tzinfo, not a fixed offset.
	    start = prop.dt.replace(tzinfo=None).replace(tzinfo=zone)
	    ex = set()
	    exd = ev.get("EXDATE")
	    for e in (exd if isinstance(exd, list) else [exd] if exd else []):
	        for d in e.dts:
	            ex.add(d.dt.replace(tzinfo=None).replace(tzinfo=zone)
	                   .astimezone(utc) if tzid else d.dt.astimezone(utc))
	    if "RRULE" in ev:
	        rule = ev["RRULE"].to_ical().decode()
	        times = rrulestr(rule, dtstart=start).between(lo, hi, inc=True)
	    else:
	        times = [start] if lo <= start <= hi else []
	    for t in times:
	        u = t.astimezone(utc)
	        if u in ex or u >= hi:
	            continue
	        out.append((u, str(ev["UID"])))
	for u, uid in sorted(out):
	    print(uid, u.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
	EOF
}

# jqs_is FILTER VALUE: jq_is over all the records of ./out as one array.
jqs_is() {
	got=$(jq -sc "$1" out) || { echo "jq failed on:"; cat out; return 1; }
	[ "$got" = "$2" ] && return 0
	echo "jq -s '$1': got $got, want $2"
	return 1
}

# ours FROM TO: the same lines from spaces-schedule list.
ours() {
	spaces-schedule list -j --from "$1" --to "$2" |
	    jq -r '"\(.uid) \(.start)"' | sort -k2,2 -k1,1
}

t_case 'add a weekly show, list it as occurrence records' '
	run spaces-schedule add --tz America/New_York --every weekly \
	    --duration 90m --title "Weekly show" 2026-11-03T18:00 &&
	status 0 &&
	uid=$(cat out) &&
	run spaces-schedule list --from 2026-11-01 --to 2026-11-15 &&
	status 0 &&
	err_empty &&
	jqs_is "length" 2 &&
	jqs_is ".[0] | [.type, .title, .start, .end, .tz, .local, .series, .source]" \
	    "[\"occurrence\",\"Weekly show\",\"2026-11-03T23:00:00.000Z\",\"2026-11-04T00:30:00.000Z\",\"America/New_York\",\"2026-11-03T18:00:00\",true,\"schedule\"]" &&
	jqs_is "[.[].uid] | unique" "[\"$uid\"]" &&
	grep -q "^DTSTART;TZID=America/New_York:20261103T180000" s.ics &&
	grep -q "^TZID:America/New_York" s.ics &&
	grep -q "^BEGIN:VTIMEZONE" s.ics
'

t_case 'New York 18:00 stays 18:00 across the November DST change' '
	spaces-schedule add --tz America/New_York --every "tue,thu 18:00" \
	    --title ny 2026-10-20 >/dev/null &&
	run spaces-schedule list --from 2026-10-27 --to 2026-11-06 &&
	jqs_is "[.[].start]" "[\"2026-10-27T22:00:00.000Z\",\"2026-10-29T22:00:00.000Z\",\"2026-11-03T23:00:00.000Z\",\"2026-11-05T23:00:00.000Z\"]" &&
	jqs_is "[.[].local[11:16]] | unique" "[\"18:00\"]"
'

t_case 'expansion = python3-icalendar + dateutil (New York, Paris, DST)' '
	spaces-schedule add --tz America/New_York --every "tue,thu 18:00" \
	    --title ny 2026-01-01 >/dev/null &&
	spaces-schedule add --tz Europe/Paris --every "every 2 weeks on mon" \
	    --until 2027-06-30 --title paris 2026-02-02T20:30 >/dev/null &&
	spaces-schedule add --tz Europe/Paris --every daily --count 40 \
	    --title daily 2026-03-10T02:30 >/dev/null &&
	spaces-schedule add --tz America/New_York \
	    --rrule "FREQ=MONTHLY;BYDAY=-1FR" --title monthly \
	    2026-01-30T09:00 >/dev/null &&
	spaces-schedule add --tz UTC --title once 2026-07-01T12:00 >/dev/null &&
	spaces-schedule add --tz America/New_York --every daily --title fold \
	    --until 2026-11-20 2026-10-25T01:30 >/dev/null &&
	spaces-schedule add --tz America/New_York --every weekly --title gap \
	    --count 5 2026-03-01T02:30 >/dev/null &&
	uid=$(spaces-schedule list -j --from 2026-03-01 --to 2026-03-04 |
	    jq -r "select(.title == \"ny\") | .uid" | head -n1) &&
	spaces-schedule skip "$uid" 2026-03-05 &&
	spaces-schedule skip "$uid" 2026-11-03 &&
	ours 2026-01-01T00:00:00Z 2027-12-31T00:00:00Z >ours &&
	oracle 2026-01-01T00:00:00Z 2027-12-31T00:00:00Z >theirs &&
	test "$(wc -l <ours)" -gt 280 &&
	diff -u theirs ours &&
	! grep -q "$uid 2026-03-05" ours
'

t_case 'skip adds an EXDATE; the skipped day is gone, the others stay' '
	uid=$(spaces-schedule add --tz Europe/Paris --every daily \
	    --title d 2026-10-20T19:00) &&
	run spaces-schedule skip "$uid" 2026-10-26 &&
	status 0 &&
	grep -q "^EXDATE;TZID=Europe/Paris:20261026T190000" s.ics &&
	run spaces-schedule list --from 2026-10-24 --to 2026-10-28 &&
	jqs_is "[.[].local[0:10]]" "[\"2026-10-24\",\"2026-10-25\",\"2026-10-27\"]" &&
	run spaces-schedule skip "$uid" 2019-01-01 &&
	status 2 &&
	err_one_line &&
	run spaces-schedule skip nope 2026-10-27 &&
	status 2
'

t_case '--every shorthands become RRULEs' '
	for spec in "tue,thu 18:00|FREQ=WEEKLY;BYDAY=TU,TH" \
	    "weekly|FREQ=WEEKLY" "daily|FREQ=DAILY" \
	    "every 2 weeks on mon|FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" \
	    "weekdays at 9:30|FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" \
	    "every other day|FREQ=DAILY;INTERVAL=2"; do
		rm -f s.ics
		spaces-schedule add --tz UTC --every "${spec%%|*}" --title x \
		    2026-11-02T10:00 >/dev/null || exit 1
		tr -d "\r" <s.ics | grep -qx "RRULE:${spec#*|}" ||
		    { echo "${spec%%|*}:"; grep RRULE s.ics; exit 1; }
	done
'

t_case 'a time in --every sets the time; BYDAY moves the start to its day' '
	spaces-schedule add --tz America/New_York --every "thu 18:00" \
	    --title x 2026-11-02T07:00 >/dev/null &&
	grep -q "^DTSTART;TZID=America/New_York:20261105T180000" s.ics
'

t_case 'bad --every, --tz, --rrule, START and option mixes: exit 2' '
	for args in "--every fortnightly" "--every \"every 0 weeks\"" \
	    "--tz Mars/Olympus" "--rrule FREQ=NEVER" \
	    "--rrule FREQ=DAILY --every daily" \
	    "--every daily --until 2027-01-01 --count 3" "--count 3"; do
		eval "run spaces-schedule add $args --title x 2026-11-02T10:00"
		[ "$rc" -eq 2 ] || { echo "$args: exit $rc"; cat err; exit 1; }
	done &&
	run spaces-schedule add --title x yesterday-ish &&
	status 2 &&
	run spaces-schedule add 2026-11-02 &&
	status 2 &&
	test ! -e s.ics
'

t_case '--until is inclusive of its day; --count stops' '
	spaces-schedule add --tz Europe/Paris --every daily --until 2026-10-27 \
	    --title u 2026-10-24T22:30 >/dev/null &&
	run spaces-schedule list --from 2026-10-01 --to 2026-12-01 &&
	jqs_is "[.[].local[0:10]]" "[\"2026-10-24\",\"2026-10-25\",\"2026-10-26\",\"2026-10-27\"]" &&
	grep -q "UNTIL=20261027T" s.ics &&
	rm s.ics &&
	spaces-schedule add --tz UTC --every weekly --count 3 --title c \
	    2026-10-01T10:00 >/dev/null &&
	run spaces-schedule list --from 2026-01-01 --to 2027-01-01 &&
	jqs_is length 3
'

t_case 'list defaults to the next 14 weeks, --to +D is relative; a table' '
	now=$(date -u +%s) &&
	t=$(date -u -d @$((now + 3 * 86400)) +%Y-%m-%dT%H:%M:00Z) &&
	far=$(date -u -d @$((now + 20 * 86400)) +%Y-%m-%dT%H:%M:00Z) &&
	past=$(date -u -d @$((now + 99 * 86400)) +%Y-%m-%dT%H:%M:00Z) &&
	spaces-schedule add --title soon "$t" >/dev/null &&
	spaces-schedule add --title later "$far" >/dev/null &&
	spaces-schedule add --title beyond "$past" >/dev/null &&
	run spaces-schedule list &&
	jqs_is "[.[].title]" "[\"soon\",\"later\"]" &&
	run spaces-schedule list --to +2w &&
	jqs_is "[.[].title]" "[\"soon\"]" &&
	run spaces-schedule list --to +15w &&
	jqs_is "[.[].title]" "[\"soon\",\"later\",\"beyond\"]" &&
	run spaces-schedule list --to +soon &&
	status 2 &&
	err_has "not a duration" &&
	ago=$(date -u -d @$((now - 3 * 86400)) +%Y-%m-%dT%H:%M:00Z) &&
	spaces-schedule log --space 1ypKdEXvkMLGW --at "$ago" --title hosted &&
	run spaces-schedule list --from -1w --to +2w &&
	jqs_is "[.[].title]" "[\"hosted\",\"soon\"]" &&
	jqs_is "[.[].space_id]" "[\"1ypKdEXvkMLGW\",null]" &&
	run spaces-schedule list --table &&
	out_has "soon" &&
	! grep -q "{" out
'

t_case 'the DESIGN pipeline as written: list, then eligibility, commitment passes' '
	spaces-schedule add --every "sat,sun 18:00" --title show \
	    "$(date -u +%Y-%m-%d)" >/dev/null &&
	{ spaces-schedule list --json; echo "{\"type\":\"user\",\"id\":\"1\",\"followers_count\":6000,\"country\":\"US\",\"birth_date\":\"1990-01-01\"}"; } |
	    spaces-eligibility -j >out; rc=$?
	[ $rc -eq 0 ] && jq_is ".eligible" true
'

t_case 'log: flags and space records; the same Space is stored once' '
	run spaces-schedule log --space 1ypKdEXvkMLGW --at 2026-11-17T19:00:00Z \
	    --duration 1h --title "AMA" &&
	status 0 &&
	printf "%s\n" \
	    "{\"type\":\"space\",\"id\":\"1ypKdEXvkMLGW\",\"started_at\":\"2026-11-17T19:00:00.000Z\"}" \
	    "{\"type\":\"user\",\"id\":\"1\"}" \
	    "{\"type\":\"space\",\"id\":\"1abc\",\"title\":\"rec\",\"started_at\":\"2026-11-18T19:00:00.000Z\",\"ended_at\":\"2026-11-18T20:30:00.000Z\"}" \
	    "{\"type\":\"space\",\"id\":\"1sch\",\"state\":\"scheduled\",\"scheduled_start\":\"2026-12-18T19:00:00.000Z\"}" >in &&
	run spaces-schedule log - <in &&
	status 0 &&
	run spaces-schedule log <in &&
	status 0 &&
	test "$(grep -c "^X-SPACES-SPACE-ID:" s.ics)" -eq 2 &&
	run spaces-schedule list --from 2026-11-17 --to 2026-11-19 &&
	jqs_is "[.[] | [.space_id, .title, .end]]" "[[\"1ypKdEXvkMLGW\",\"AMA\",\"2026-11-17T20:00:00.000Z\"],[\"1abc\",\"rec\",\"2026-11-18T20:30:00.000Z\"]]" &&
	run spaces-schedule log --space 1x &&
	status 2 &&
	printf "not json\n" | spaces-schedule log - 2>err; [ $? -eq 2 ] && err_has "line 1"
'

t_case 'cadence: ISO weeks in --tz, hosted and planned, exit 1 when under' '
	# Sunday 23:30 in New York is Monday 04:30 UTC: a week edge.
	spaces-schedule log --space a --at 2026-11-16T04:30:00Z &&
	spaces-schedule log --space b --at 2026-11-10T15:00:00Z &&
	spaces-schedule log --space c --at 2026-11-12T15:00:00Z &&
	spaces-schedule add --tz America/New_York --every "tue,thu 18:00" \
	    --title plan 2026-11-17 >/dev/null &&
	run spaces-schedule cadence -j --weeks 1 --tz America/New_York \
	    --as-of 2026-11-18T12:00 &&
	status 1 &&
	jqs_is "[.[] | [.week, .when, .hosted, .planned, .ok]]" \
	    "[[\"2026-W46\",\"past\",3,0,true],[\"2026-W47\",\"current\",0,1,false],[\"2026-W48\",\"next\",0,2,true]]" ||
	exit 1
	# In UTC the Sunday-night Space falls in the next week.
	run spaces-schedule cadence -j --weeks 1 --tz UTC --as-of 2026-11-18T12:00 &&
	jqs_is "[.[] | .hosted]" "[2,1,0]" &&
	jqs_is "[.[] | .start][0]" "\"2026-11-09T00:00:00.000Z\"" &&
	run spaces-schedule cadence -j --weeks 1 --min 3 --tz America/New_York \
	    --as-of 2026-11-18T12:00 &&
	status 1 &&
	jqs_is "[.[] | .ok]" "[true,false,false]" &&
	run spaces-schedule cadence --table --weeks 1 --tz America/New_York \
	    --as-of 2026-11-18T12:00 --min 3 &&
	out_has "2026-W47.*under" &&
	out_has "###"
'

t_case 'cadence exits 0 when every week meets --min' '
	spaces-schedule add --tz Europe/Paris --every "mon,wed,fri 12:00" \
	    --title p 2026-01-05 >/dev/null &&
	for d in 02 04 06 09 11 13; do
		spaces-schedule log --space "s$d" --at "2026-11-${d}T11:00:00Z" || exit 1
	done &&
	run spaces-schedule cadence -j --weeks 2 --tz Europe/Paris \
	    --as-of 2026-11-18 &&
	status 0
'

t_case 'due: within --within exits 0 and prints it, else exits 1' '
	now=$(date -u +%s) &&
	spaces-schedule add --title soon \
	    "$(date -u -d @$((now + 300)) +%Y-%m-%dT%H:%M:%SZ)" >/dev/null &&
	run spaces-schedule due -j &&
	status 0 &&
	jq_is .title "\"soon\"" &&
	run spaces-schedule due --within 1m &&
	status 1 &&
	out_empty
'

t_case 'remove takes the event away; an unknown uid is exit 2' '
	uid=$(spaces-schedule add --title x 2026-11-02T10:00) &&
	spaces-schedule add --title y 2026-11-02T11:00 >/dev/null &&
	run spaces-schedule remove "$uid" &&
	status 0 &&
	! grep -q "$uid" s.ics &&
	test "$(grep -c "^BEGIN:VEVENT" s.ics)" -eq 1 &&
	run spaces-schedule remove "$uid" &&
	status 2
'

t_case 'export parses in python3-icalendar; import merges by uid' '
	spaces-schedule add --tz Europe/Paris --every weekly --title a \
	    2026-11-02T10:00 >/dev/null &&
	spaces-schedule export -o out.ics &&
	"$PY" -c "import icalendar,sys; c=icalendar.Calendar.from_ical(open(\"out.ics\",\"rb\").read()); sys.exit(len(c.walk(\"VEVENT\")) != 1)" &&
	spaces-schedule export >out2.ics &&
	cmp out.ics out2.ics &&
	run spaces-schedule --calendar other.ics import out.ics &&
	status 0 &&
	spaces-schedule --calendar other.ics import out.ics &&
	test "$(grep -c "^BEGIN:VEVENT" other.ics)" -eq 1 &&
	test "$(grep -c "^BEGIN:VTIMEZONE" other.ics)" -eq 1 &&
	ours 2026-11-01T00:00:00Z 2027-01-01T00:00:00Z >a &&
	SPACES_SCHEDULE=other.ics ours 2026-11-01T00:00:00Z 2027-01-01T00:00:00Z >b &&
	diff -u a b
'

t_case 'a calendar libical cannot parse: where, exit 2, file untouched' '
	printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nEND:VCALENDAR\r\n" >s.ics &&
	cp s.ics before &&
	run spaces-schedule add --title x 2026-11-02T10:00 &&
	status 2 &&
	err_one_line &&
	err_has "s.ics.*line 6" &&
	cmp before s.ics &&
	printf "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:garbage\nEND:VEVENT\nEND:VCALENDAR\n" >s.ics &&
	cp s.ics before &&
	run spaces-schedule list &&
	status 2 &&
	err_has "VEVENT 1 (uid x)" &&
	run spaces-schedule skip x 2026-01-01 &&
	status 2 &&
	cmp before s.ics &&
	run spaces-schedule import before &&
	status 2 &&
	printf "hello\n" >junk.ics &&
	run spaces-schedule --calendar other.ics import junk.ics &&
	status 2 &&
	err_has "junk.ics.*line 1" &&
	test ! -e other.ics
'

t_case 'the default calendar: SPACES_SCHEDULE, XDG_DATA_HOME, HOME' '
	unset SPACES_SCHEDULE &&
	XDG_DATA_HOME=$PWD/xdg spaces-schedule add --title x 2026-11-02T10:00 >/dev/null &&
	test -f xdg/spaces/schedule.ics &&
	HOME=$PWD/home spaces-schedule add --title x 2026-11-02T10:00 >/dev/null &&
	test -f home/.local/share/spaces/schedule.ics &&
	SPACES_SCHEDULE=$PWD/env.ics spaces-schedule add --title x 2026-11-02T10:00 >/dev/null &&
	test -f env.ics
'

t_case 'START without an offset is civil time in TZ by default' '
	TZ=Europe/Paris spaces-schedule add --title x 2026-07-01T20:00 >/dev/null &&
	grep -q "^DTSTART;TZID=Europe/Paris:20260701T200000" s.ics &&
	run spaces-schedule list --from 2026-07-01 --to 2026-07-02 &&
	jq_is .start "\"2026-07-01T18:00:00.000Z\""
'

t_case '50 concurrent add processes leave 50 events' '
	spaces-schedule add --title seed 2026-11-02T10:00 >/dev/null &&
	i=0 &&
	while [ $i -lt 50 ]; do
		spaces-schedule add --tz America/New_York --title "show $i" \
		    2026-12-01T18:00 >/dev/null 2>>errs &
		i=$((i + 1))
	done &&
	wait &&
	test ! -s errs &&
	test "$(grep -c "^BEGIN:VEVENT" s.ics)" -eq 51 &&
	test "$(grep -c "^BEGIN:VTIMEZONE" s.ics)" -eq 1 &&
	"$PY" -c "import icalendar,sys; c=icalendar.Calendar.from_ical(open(\"s.ics\",\"rb\").read()); sys.exit(len(c.walk(\"VEVENT\")) != 51)" &&
	run spaces-schedule list --from 2026-12-01 --to 2026-12-02 &&
	jqs_is "[.[].title] | unique | length" 50
'

t_case 'kill -9 during writes leaves the old file or the new one' '
	spaces-schedule add --title seed --tz Europe/Paris 2026-11-02T10:00 >/dev/null &&
	n=0 &&
	while [ $n -lt 25 ]; do
		( while :; do spaces-schedule add --tz Europe/Paris \
		    --title w 2026-11-03T10:00 >/dev/null || exit 1; done ) &
		pid=$!
		sleep 0.0$((n % 9 + 1))
		pkill -9 -P $pid spaces-schedule 2>/dev/null
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		spaces-schedule list --from 2026-11-01 --to 2026-11-02 >/dev/null ||
		    { echo "round $n: unreadable"; exit 1; }
		"$PY" -c "import icalendar; icalendar.Calendar.from_ical(open(\"s.ics\",\"rb\").read())" ||
		    exit 1
		n=$((n + 1))
	done &&
	test "$(grep -c "^END:VCALENDAR" s.ics)" -eq 1
'

t_case 'log -: a bad line is reported, the good records are kept, exit 2' '
	printf "%s\n" \
	    "{\"type\":\"space\",\"id\":\"1good\",\"started_at\":\"2026-01-05T18:00:00Z\"}" \
	    "{not json" \
	    "[1,2]" \
	    "{\"type\":\"space\",\"id\":\"2good\",\"started_at\":\"2026-01-06T18:00:00Z\",\"ended_at\":\"9999-12-31T00:00:00Z\"}" \
	    >in &&
	run spaces-schedule log - <in &&
	status 2 &&
	err_has "stdin: line 2: malformed JSON" &&
	err_has "stdin: line 3: not a JSON object" &&
	grep -q "X-SPACES-SPACE-ID:1good" s.ics &&
	grep -q "X-SPACES-SPACE-ID:2good" s.ics &&
	# An end no Space could have: its length is unknown, 0.
	run spaces-schedule list --from 2026-01-06 --to 2026-01-07 &&
	jq_is "[.start, .end]" "[\"2026-01-06T18:00:00.000Z\",\"2026-01-06T18:00:00.000Z\"]"
'

t_case 'log: 20,000 records, then the same again: each stored once' '
	awk "BEGIN { for (i = 0; i < 20000; i++) printf \"{\\\"type\\\":\\\"space\\\",\\\"id\\\":\\\"1x%06d\\\",\\\"started_at\\\":\\\"2024-01-01T00:00:00Z\\\"}\\n\", i }" >in &&
	test "$(wc -l <in)" -eq 20000 &&
	run spaces-schedule log - <in &&
	status 0 &&
	test "$(grep -c "^BEGIN:VEVENT" s.ics)" -eq 20000 &&
	run spaces-schedule log - <in &&
	status 0 &&
	test "$(grep -c "^BEGIN:VEVENT" s.ics)" -eq 20000
'

t_case 'a calendar that is a symbolic link is written through to its target' '
	mkdir sync &&
	ln -s sync/real.ics s.ics &&
	spaces-schedule add --title a 2026-11-02T10:00 >/dev/null &&
	test -L s.ics &&
	test -f sync/real.ics &&
	spaces-schedule log --space 1abc --at 2026-11-03T10:00Z &&
	test -L s.ics &&
	test "$(grep -c "^BEGIN:VEVENT" sync/real.ics)" -eq 2 &&
	ln -s loop.ics loop.ics &&
	run spaces-schedule --calendar loop.ics list &&
	status 3 &&
	err_has "loop.ics.*symbolic links"
'

t_case 'HOME unset: refused, nothing written in the current directory' '
	unset SPACES_SCHEDULE &&
	run env -u HOME -u XDG_DATA_HOME spaces-schedule add --title x 2026-11-02T10:00 &&
	status 3 &&
	err_has "no calendar: HOME is not set" &&
	err_one_line &&
	test -z "$(ls -A | grep -vx -e out -e err)" || { ls -A; false; }
'

t_case '--calendar DIR says it is a directory; a FIFO is refused too' '
	mkdir d &&
	run spaces-schedule --calendar d list &&
	status 2 &&
	err_has "'"'"'d'"'"': a directory, not a calendar file" &&
	run spaces-schedule --calendar d log --space 1a --at 2026-01-01T00:00Z &&
	status 2 &&
	test ! -e d.lock &&
	mkfifo f &&
	run spaces-schedule --calendar f list &&
	status 2 &&
	err_has "not a regular file"
'

t_case '--duration 2w as the manual lists it; too long says so' '
	run spaces-schedule add --duration 2w --title x 2026-11-02T10:00 &&
	status 0 &&
	run spaces-schedule list --from 2026-11-02 --to 2026-11-03 &&
	jq_is .end "\"2026-11-16T10:00:00.000Z\"" &&
	run spaces-schedule add --duration 400d --title x 2026-11-02T10:00 &&
	status 2 &&
	err_has "longer than 366 days" &&
	run spaces-schedule add --duration 2x --title x 2026-11-02T10:00 &&
	status 2 &&
	err_has "not a duration"
'

t_case 'FREQ=SECONDLY: the cut at 100,000 occurrences is said, exit 1' '
	spaces-schedule add --tz UTC --rrule FREQ=SECONDLY --title s 2026-01-01T00:00 >/dev/null &&
	run spaces-schedule list -j --from 2026-01-01 --to 2026-01-03 &&
	status 1 &&
	err_has "more than 100000 occurrences" &&
	test "$(wc -l <out)" -eq 100000 &&
	run spaces-schedule list -j --from 2026-01-01T00:00Z --to 2026-01-01T00:01Z &&
	status 0 &&
	err_empty &&
	test "$(wc -l <out)" -eq 60
'

t_case 'TZ=CST6CDT and other tzdata names work; POSIX rules are refused' '
	TZ=CST6CDT spaces-schedule add --title c 2026-07-01T20:00 >/dev/null &&
	grep -q "^DTSTART;TZID=CST6CDT:20260701T200000" s.ics &&
	run spaces-schedule list --from 2026-07-01 --to 2026-07-03 &&
	jq_is .start "\"2026-07-02T01:00:00.000Z\"" &&
	TZ=:/usr/share/zoneinfo/Asia/Tokyo spaces-schedule add --title t 2026-07-01T20:00 >/dev/null &&
	grep -q "^DTSTART;TZID=Asia/Tokyo:20260701T200000" s.ics &&
	run spaces-schedule add --tz EST5EDT --title e 2026-07-01T20:00 &&
	status 0 &&
	TZ="EST5EDT,M3.2.0,M11.1.0" run spaces-schedule list &&
	status 2 &&
	err_has "TZ .EST5EDT,M3.2.0,M11.1.0.: not a time zone name" &&
	run spaces-schedule add --tz "<+03>-3" --title p 2026-07-01T20:00 &&
	status 2 &&
	err_has "a POSIX TZ rule cannot go in a calendar" &&
	TZ=Mars/Olympus run spaces-schedule add --title m 2026-07-01T20:00 &&
	status 2 &&
	test "$(grep -c "^BEGIN:VEVENT" s.ics)" -eq 3
'

t_case 'a wall-clock time in a DST gap or overlap is warned about' '
	run spaces-schedule add --tz America/New_York --every "sun 02:30" --title gap 2026-01-04 &&
	status 0 &&
	err_has "2026-03-08 02:30 does not happen in America/New_York" &&
	err_has "stored as 03:30" &&
	err_one_line &&
	run spaces-schedule add --tz America/New_York --every daily --title overlap 2026-01-04T01:30 &&
	status 0 &&
	err_has "2026-11-01 01:30 happens twice in America/New_York" &&
	err_one_line &&
	run spaces-schedule add --tz America/New_York --title one 2026-03-08T02:30 &&
	err_has "does not happen" &&
	run spaces-schedule add --tz America/New_York --every daily --title fine 2026-01-04T18:00 &&
	status 0 &&
	err_empty &&
	run spaces-schedule add --tz UTC --every daily --title utc 2026-01-04T02:30 &&
	err_empty
'

t_case 'the table: a zone only the calendar defines; control characters escaped' '
	printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:My Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;TZID=My Zone:20261102T100000\r\nSUMMARY:a\033[31mred\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n" >s.ics &&
	run spaces-schedule list --table --from 2026-11-01 --to 2026-11-05 &&
	status 0 &&
	out_is <<-EOF
	2026-11-02 Mon 07:00  0:00.000  My Zone               a\\e[31mred
	EOF
'

t_case 'list -j | spaces-eligibility reads the plan' '
	spaces-schedule add --tz America/New_York --every "tue,thu 18:00" \
	    --title plan 2026-01-01 >/dev/null &&
	spaces-schedule list -j --from 2026-11-01 --to 2027-03-01 |
	    spaces-eligibility -j --as-of 2026-11-01 --tz America/New_York \
	    --followers 6000 --country US --age 30 >out &&
	jq_is "[.criteria[] | select(.id == \"commitment\") | .status]" "[\"pass\"]"
'

t_case 'output errors: /dev/full is exit 3; a closed pipe is quiet' '
	spaces-schedule add --every daily --title d 2026-01-01T10:00 >/dev/null &&
	run spaces-schedule list -j --from 2026-01-01 --to 2026-12-31 \
	    >/dev/full &&
	spaces-schedule list -j --from 2026-01-01 --to 2026-12-31 >/dev/full 2>err
	[ $? -eq 3 ] &&
	err_has "write error" &&
	spaces-schedule list -j --from 2026-01-01 --to 2026-12-31 2>err | head -c1 >/dev/null &&
	err_empty
'

t_case 'usage: no command, an unknown one, an option of another' '
	run spaces-schedule &&
	status 2 &&
	run spaces-schedule frobnicate &&
	status 2 &&
	err_has "frobnicate" &&
	run spaces-schedule list --title x &&
	status 2 &&
	err_has "usage:" &&
	run spaces-schedule add -h &&
	status 0 &&
	out_has "usage: spaces-schedule"
'

t_end
