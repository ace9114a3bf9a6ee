#!/bin/sh
# spaces-speakers: the timeline of a generated 3-person Space against its
# script, sessions alone, the output forms, bad input.
. "${0%/*}/../lib.sh"

GEN=$TOP/tests/gen-hydra.py

# space: a 3-minute Space, its records and its truth in the directory.
space() {
	python3 "$GEN" "$@" --truth truth.json talk.aac >rec.ndjson
}

# matches: each generated turn has a stream turn of the same person whose
# start and end are within one tag interval (plus a frame: tags sit on
# frame boundaries) of it, and no stream turn is left over.
matches() {
	python3 - out truth.json <<-'EOF'
	import json, sys
	turns = [json.loads(l) for l in open(sys.argv[1])]
	truth = json.load(open(sys.argv[2]))
	tol = truth["interval"] + 1024.0 / truth["rate"] + 1e-6
	stream = [t for t in turns if t["basis"] == "stream"]
	if len(stream) != len(truth["turns"]):
	    sys.exit("%d stream turns, %d in the script"
	             % (len(stream), len(truth["turns"])))
	for got, want in zip(stream, truth["turns"]):
	    if got.get("user_id") != want["user_id"] or \
	       abs(got["start"] - want["start"]) > tol or \
	       abs(got["end"] - want["end"]) > tol:
	        sys.exit("got %s, want %s" % (got, want))
	EOF
}

t_case 'the timeline matches the script within one tag interval' '
	space &&
	run spaces-speakers --audio talk.aac rec.ndjson &&
	status 0 &&
	err_empty &&
	matches &&
	jq -c "select(.space_id != \"1OwxWzLbQvXGQ\" or .supersedes != \"archive\")" out >bad &&
	{ [ ! -s bad ] || { cat bad; exit 1; }; }
'

t_case 'longer Space, DESIGN flat sessions, another seed, records on stdin' '
	space --duration 600 --seed 7 --flat &&
	spaces-speakers --audio talk.aac <rec.ndjson >out &&
	matches
'

t_case 'usernames from the tags and from user records; the host has a role' '
	space &&
	run spaces-speakers --audio talk.aac rec.ndjson &&
	jq -s -e "map(select(.role == \"host\") | .user_id) | unique == [\"111111111\"]" out &&
	jq -s -e "map(.username) | unique == [\"SpacesHost\",\"alice\",\"bob\"]" out
'

t_case 'wall clock: started_at is the NTP start plus start' '
	space &&
	run spaces-speakers --audio talk.aac rec.ndjson &&
	python3 -c "
import json, sys, datetime
for l in open(\"out\"):
    t = json.loads(l)
    at = datetime.datetime.fromisoformat(t[\"started_at\"].replace(\"Z\", \"+00:00\"))
    want = datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=t[\"start\"])
    if abs((at - want).total_seconds()) > 0.002: sys.exit(l)
"
'

t_case 'sessions alone are the turns (basis archive), on the audio time line' '
	space &&
	run spaces-speakers rec.ndjson &&
	status 0 &&
	jq -s -c "map([.user_id, .basis, .start])" out >got &&
	python3 -c "
import json
r = json.loads(open(\"rec.ndjson\").readline())
print(json.dumps([[s[\"user_id\"], \"archive\", 0] for s in r[\"speakers\"]], separators=(\",\", \":\")))
" >want0 &&
	jq -c "map(.[2] = 0)" got >got0 &&
	diff -u want0 got0 &&
	jq -s -e "map(.start) | .[0] == 0 and .[1] > 0" out
'

t_case 'the audio alone: the host is unnamed, a warning-free run' '
	space &&
	run spaces-speakers --audio talk.aac </dev/null &&
	status 0 &&
	jq -s -e "map(select(.role == \"host\" and (has(\"user_id\") | not))) | length > 0" out &&
	jq -s -e "map(select(has(\"space_id\"))) | length == 0" out
'

t_case '--min-turn 0 makes more turns; a long --min-turn fewer' '
	space &&
	spaces-speakers --audio talk.aac rec.ndjson | wc -l >n2 &&
	spaces-speakers --min-turn 0 --audio talk.aac rec.ndjson | wc -l >n0 &&
	spaces-speakers --min-turn 30 --audio talk.aac rec.ndjson | wc -l >n30 &&
	[ "$(cat n0)" -ge "$(cat n2)" ] && [ "$(cat n30)" -lt "$(cat n2)" ]
'

t_case '--vtt: a WebVTT file with voice spans' '
	space &&
	run spaces-speakers --vtt --audio talk.aac rec.ndjson &&
	status 0 &&
	head -n1 out | grep -qx WEBVTT &&
	grep -q "^00:00:05\.0[0-9][0-9] --> 00:00:10\.0[0-9][0-9]\$" out &&
	grep -q "^<v @alice>@alice</v>\$" out &&
	[ "$(grep -c -- "-->" out)" -eq "$(spaces-speakers --audio talk.aac rec.ndjson | wc -l)" ]
'

t_case '--chapters: what spaces-clip --chapters reads' '
	space &&
	run spaces-speakers --chapters --audio talk.aac rec.ndjson &&
	status 0 &&
	head -n1 out | grep -q "^0:01\.003 @SpacesHost\$" &&
	[ -z "$(awk "{ print \$2 }" out | uniq -d)" ] &&
	spaces-clip --chapters out --chapters-json ch.json -s 0 -e 60 -o c.m4a talk.aac &&
	jq -e ".chapters | length >= 2" ch.json
'

t_case '--table: a header and a line per turn' '
	space &&
	run spaces-speakers --table --audio talk.aac rec.ndjson &&
	status 0 &&
	head -n1 out | grep -q "^START *END *WHO *STARTED_AT *BASIS\$" &&
	grep -q "@alice .*stream over archive\$" out
'

t_case 'no speaker facts: exit 1 with a message' '
	echo "{\"type\":\"space\",\"id\":\"X\"}" >s.ndjson &&
	run spaces-speakers s.ndjson &&
	status 1 &&
	out_empty &&
	err_is <<-EOF
	spaces-speakers: no speaker facts found
	EOF
'

t_case 'audio without Hydra levels: a warning, the sessions stand' '
	space &&
	run spaces-speakers --audio "$DATA/aac/speech-3s.aac" rec.ndjson &&
	err_has "speech-3s.aac.: no Hydra audio levels" &&
	jq -s -e "map(.basis) | unique == [\"archive\"]" out
'

t_case 'bad input: not audio, a missing file, a malformed line, usage' '
	printf "hello" >x.aac &&
	run spaces-speakers --audio x.aac </dev/null &&
	status 2 && err_one_line && err_has "x.aac" &&
	run spaces-speakers --audio nope.aac </dev/null &&
	status 3 && err_has "nope.aac" &&
	space &&
	{ echo "{bad"; cat rec.ndjson; } >r2 &&
	run spaces-speakers r2 &&
	status 2 && err_has "line 1" && test -s out &&
	run spaces-speakers --vtt --chapters rec.ndjson &&
	status 2 &&
	run spaces-speakers --min-turn -1 rec.ndjson &&
	status 2 && err_one_line
'

t_case 'sessions outside the audio file (another part) are left out' '
	space &&
	jq -c "if .type == \"space\" then .speakers += [{\"user_id\":\"444\",\"start\":\"2026-03-02T12:00:00Z\",\"end\":\"2026-03-02T12:10:00Z\"},{\"user_id\":\"555\",\"start\":\"2026-03-02T10:50:00Z\",\"end\":\"2026-03-02T11:00:30Z\"}] else . end" rec.ndjson >r2 &&
	run spaces-speakers --audio talk.aac r2 &&
	status 0 &&
	jq -s -e "map(select(.user_id == \"444\")) | length == 0" out >/dev/null &&
	jq -s -e "map(select(.user_id == \"555\")) | length == 0" out >/dev/null &&
	run spaces-speakers r2 &&
	jq -s -e "map(select(.user_id == \"444\" and .start == 3600)) | length == 1" out >/dev/null &&
	jq -s -e "map(select(.user_id == \"555\" and .start == -600 and .end == 30)) | length == 1" out >/dev/null
'

t_case 'several Spaces: the one whose audio it is' '
	space &&
	{ jq -c ".id = \"OTHER\" | .audio[0].path = \"o.aac\"" rec.ndjson | head -n1; cat rec.ndjson; } >two &&
	run spaces-speakers --audio talk.aac two &&
	status 0 &&
	jq -s -e "map(.space_id) | unique == [\"1OwxWzLbQvXGQ\"]" out
'

t_case 'write errors and a closed pipe' '
	space &&
	spaces-speakers --audio talk.aac rec.ndjson 2>err >/dev/full; [ $? -eq 3 ] &&
	err_has "write error" &&
	spaces-speakers --audio talk.aac rec.ndjson 2>err | head -c1 >/dev/null &&
	err_empty
'

t_end
