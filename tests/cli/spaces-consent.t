#!/bin/sh
# spaces-consent: the ledger (append-only, locked, synced, folded), check
# against turns of a generated Space, concurrent writers and kill -9.
. "${0%/*}/../lib.sh"

GEN=$TOP/tests/gen-hydra.py
SPACES_CONSENT=$t_tmp/unused.ndjson
export SPACES_CONSENT

# space: a generated 3-person Space, its records and its turns.
space() {
	python3 "$GEN" talk.aac >rec.ndjson &&
	spaces-speakers --audio talk.aac rec.ndjson >turns.ndjson
}

t_case 'grant and revoke append records; list prints them in order' '
	spaces-consent grant --ledger l.ndjson --evidence "DM 2026-03-02" @alice &&
	spaces-consent grant --ledger l.ndjson --space 1OwxWzLbQvXGQ --use clips 333333333 &&
	spaces-consent revoke 333333333 --use podcast --ledger l.ndjson &&
	run spaces-consent list -j --ledger l.ndjson &&
	status 0 &&
	err_empty &&
	jq -c "[.action, .user_id, .username, .space_id, .use, .evidence, .source]" out >got &&
	cat >want <<-EOF &&
	["grant",null,"alice","*","all","DM 2026-03-02","user"]
	["grant","333333333",null,"1OwxWzLbQvXGQ","clips",null,"user"]
	["revoke","333333333",null,"*","podcast",null,"user"]
	EOF
	diff -u want got &&
	jq -e "(.at | test(\"^20[0-9-]+T[0-9:.]+Z\$\"))" out >/dev/null &&
	[ "$(stat -c %a l.ndjson)" = 600 ] &&
	run spaces-consent list --table --ledger l.ndjson &&
	head -n1 out | grep -q "^AT *ACTION *USER *SPACE *USE *EVIDENCE\$" &&
	grep -q "revoke *333333333 .*podcast" out
'

t_case 'the default ledger is under XDG_DATA_HOME, made with its directories' '
	unset SPACES_CONSENT &&
	XDG_DATA_HOME=$PWD/data spaces-consent grant 42 &&
	test -s data/spaces/consent.ndjson &&
	HOME=$PWD/home XDG_DATA_HOME= spaces-consent grant 43 &&
	test -s home/.local/share/spaces/consent.ndjson &&
	SPACES_CONSENT=$PWD/env.ndjson spaces-consent grant 44 &&
	jq -e ".user_id == \"44\"" env.ndjson
'

t_case 'check: exit 0 when all consented; the host needs none' '
	space &&
	spaces-consent grant --ledger l @alice 333333333 &&
	run spaces-consent check -j --ledger l --speakers turns.ndjson rec.ndjson &&
	status 0 &&
	err_empty &&
	jq -c "[.consented, (.voices | map([.username, .consent]))]" out >got &&
	echo "[true,[[\"SpacesHost\",\"host\"],[\"alice\",\"granted\"],[\"bob\",\"granted\"]]]" >want &&
	diff -u want got
'

t_case 'check: exit 1 naming who has not consented, and when' '
	space &&
	spaces-consent grant --ledger l @alice &&
	printf "%s\n" "{\"type\":\"clip\",\"start\":0,\"end\":10}" \
	    "{\"type\":\"clip\",\"start\":10,\"end\":20,\"title\":\"t\"}" >clips &&
	run spaces-consent check -j --ledger l --speakers turns.ndjson clips rec.ndjson &&
	status 1 &&
	jq -s -c "map(.consented)" out | grep -qx "\[true,false\]" &&
	err_is <<-EOF &&
	spaces-consent: clip 2 (0:10.000-0:20.000): @bob has not consented, heard 0:11.008-0:19.008
	EOF
	jq -s -c ".[1].voices[1].ranges" out | grep -qx "\[\[11.008,19.008\]\]" &&
	run spaces-consent check -q --ledger l --speakers turns.ndjson clips &&
	status 1 && err_empty
'

t_case 'the fold: the last record that covers the question holds' '
	space &&
	spaces-consent grant --ledger l @alice @bob &&
	spaces-consent revoke --ledger l --space 1OwxWzLbQvXGQ @bob &&
	run spaces-consent check -j --ledger l turns.ndjson rec.ndjson &&
	status 1 &&
	jq -c ".voices[2].consent" out | grep -qx "\"revoked\"" &&
	spaces-consent grant --ledger l --use clips --space 1OwxWzLbQvXGQ 333333333 &&
	run spaces-consent check -j --ledger l turns.ndjson rec.ndjson &&
	status 0 &&
	run spaces-consent check -j --use podcast --ledger l turns.ndjson rec.ndjson &&
	status 1 &&
	run spaces-consent check -j --use podcast --ledger l --speakers turns.ndjson \
	    <<-EOF &&
	{"type":"space","id":"1OwxWzLbQvXGQ","creator_id":"111111111"}
	EOF
	status 1 &&
	spaces-consent grant --ledger l --space 1OwxWzLbQvXGQ @bob &&
	run spaces-consent check -j --use podcast --ledger l turns.ndjson &&
	status 0
'

t_case 'names and ids are matched through user records' '
	space &&
	spaces-consent grant --ledger l 222222222 @bob &&
	jq -c "del(.username)" turns.ndjson >noname &&
	run spaces-consent check -j --ledger l noname &&
	status 1 &&
	grep "^{\"type\":\"user\"" rec.ndjson >users &&
	run spaces-consent check -j --ledger l noname users &&
	status 0
'

t_case 'check: undetermined (4) without speaker facts' '
	spaces-consent grant --ledger l @alice &&
	echo "{\"type\":\"clip\",\"start\":0,\"end\":10}" >c &&
	run spaces-consent check -j --ledger l c &&
	status 4 &&
	err_has "no speaker facts" &&
	jq -e "has(\"consented\") | not" out
'

t_case '30 concurrent writers: every record intact, none lost' '
	i=0 &&
	while [ $i -lt 30 ]; do
		(
			j=0
			while [ $j -lt 10 ]; do
				spaces-consent grant --ledger l \
				    --evidence "w$i-$j $(printf %0200d 0)" 1$i || exit 1
				j=$((j + 1))
			done
		) &
		i=$((i + 1))
	done &&
	wait &&
	[ "$(wc -l <l)" -eq 300 ] &&
	jq -r ".evidence" l | cut -d" " -f1 | sort -u | wc -l | grep -qx 300 &&
	run spaces-consent list -j --ledger l &&
	status 0 && err_empty &&
	[ "$(wc -l <out)" -eq 300 ]
'

t_case 'kill -9 of writers, and a torn last line: the log stands' '
	spaces-consent grant --ledger l --evidence first 1 &&
	pids= &&
	i=0 &&
	while [ $i -lt 40 ]; do
		spaces-consent grant --ledger l --evidence "k$i" 2 &
		pids="$pids $!"
		i=$((i + 1))
	done &&
	sleep 0.2 &&
	kill -9 $pids 2>/dev/null
	wait
	jq -c . l >/dev/null &&
	n=$(wc -l <l) &&
	printf "{\"type\":\"consent\",\"act" >>l &&
	spaces-consent grant --ledger l --evidence last 3 &&
	[ "$(wc -l <l)" -eq $((n + 2)) ] &&
	tail -n1 l | jq -e ".evidence == \"last\"" &&
	head -n1 l | jq -e ".evidence == \"first\"" &&
	run spaces-consent list -j --ledger l &&
	status 0 &&
	err_is <<-EOF &&
	spaces-consent: '"'"'l'"'"': 1 line that is no consent record passed over (the first: line $((n + 1)))
	EOF
	[ "$(wc -l <out)" -eq $((n + 1)) ]
'

t_case 'usage errors and an unwritable ledger' '
	run spaces-consent && status 2 &&
	run spaces-consent frob && status 2 && err_has "frob" &&
	run spaces-consent grant --ledger l && status 2 &&
	run spaces-consent grant --ledger l "bad user" && status 2 && err_has "bad user" &&
	run spaces-consent grant --ledger l --use some 1 && status 2 &&
	run spaces-consent grant --ledger l --space "a/b" 1 && status 2 &&
	run spaces-consent list --ledger l extra && status 2 &&
	run spaces-consent grant -j --ledger l 1 && status 2 &&
	test ! -e l &&
	mkdir ro && chmod 500 ro &&
	if [ "$(id -u)" -ne 0 ]; then
		run spaces-consent grant --ledger ro/l 1 && status 3 && err_one_line
	fi &&
	run spaces-consent grant --ledger /dev/null/x 1 && status 3 && err_one_line
'

t_case 'list: a missing ledger is empty; write errors' '
	run spaces-consent list -j --ledger none &&
	status 0 && out_empty &&
	spaces-consent grant --ledger l 1 &&
	spaces-consent list -j --ledger l >/dev/full 2>err; [ $? -eq 3 ] &&
	err_has "write error"
'

# plain_check DIR OUT: a plain reading of spaces-consent(1), in python: for
# each clip of DIR/clips.ndjson, everyone whose turn in DIR/turns.ndjson
# overlaps it, the last record of DIR/ledger.ndjson about them (by id, else
# by name without case) whose Space and use cover clips; OUT must say the
# same (the verdict, and who with what consent) clip by clip.  Prints the
# counts of allowed and refused clips.
plain_check() {
	python3 - "$@" <<-'EOF'
	import json, sys
	d, out = sys.argv[1], sys.argv[2]
	def recs(p):
	    return [json.loads(x) for x in open(p) if x.strip()]
	turns, clips = recs(d + "/turns.ndjson"), recs(d + "/clips.ndjson")
	ledger = recs(d + "/ledger.ndjson")
	def key(t):
	    return t.get("user_id") or "@" + t["username"].lower()
	def same(c, t):
	    if c.get("user_id") and t.get("user_id"):
	        return c["user_id"] == t["user_id"]
	    if c.get("username") and t.get("username"):
	        return c["username"].lower() == t["username"].lower()
	    return False
	def state(t):
	    if t.get("role") == "host":
	        return "host"
	    last = None
	    for c in ledger:
	        if c.get("use", "all") in ("clips", "all") and \
	           c.get("space_id", "*") in ("*", t["space_id"]) and same(c, t):
	            last = c
	    return "none" if last is None else \
	        "granted" if last["action"] == "grant" else "revoked"
	got = recs(out)
	assert len(got) == len(clips), (len(got), len(clips))
	n = [0, 0]
	for c, g in zip(clips, got):
	    heard = {key(t): state(t) for t in turns
	             if min(c["end"], t["end"]) > max(c["start"], t["start"])}
	    want = sorted("%s %s" % kv for kv in heard.items())
	    ok = all(v in ("granted", "host") for v in heard.values())
	    have = sorted("%s %s" % (v.get("user_id") or
	                  "@" + v["username"].lower(), v["consent"])
	                  for v in g["voices"])
	    assert (g["start"], g["end"]) == (c["start"], c["end"]), g
	    assert have == want and g["consented"] == ok, (c, have, want)
	    n[ok] += 1
	print(n[1], n[0])
	EOF
}

t_case 'check: 300 clips of a generated hour, the same answers as a plain scan; turns in any order' '
	python3 "$TOP/tests/gen-consent.py" --duration 3600 --guests 25 \
	    --clips 300 --noise 300 g &&
	run spaces-consent check -j --ledger g/ledger.ndjson \
	    --speakers g/turns.ndjson g/clips.ndjson &&
	status 1 &&
	counts=$(plain_check g out) &&
	echo "$counts" &&
	set -- $counts &&
	[ "$1" -gt 0 ] && [ "$2" -gt 0 ] &&
	[ "$(wc -l <err)" -ge "$2" ] &&
	mv out sorted.out &&
	mkdir r && cp g/clips.ndjson g/ledger.ndjson r/ &&
	tac g/turns.ndjson >r/turns.ndjson &&
	run spaces-consent check -j --ledger r/ledger.ndjson r/turns.ndjson \
	    r/clips.ndjson &&
	status 1 &&
	[ "$(plain_check r out)" = "$counts" ] &&
	jq -c "[.consented, (.voices | map(.user_id) | sort),
	    (.voices | map(.ranges) | add | sort)]" sorted.out >a &&
	jq -c "[.consented, (.voices | map(.user_id) | sort),
	    (.voices | map(.ranges) | add | sort)]" out >b &&
	cmp a b
'

# silent_over FILE RECORD EDGE: ffmpeg's decode of FILE (both channels) is 0
# in every muted range of the clip record RECORD, bar EDGE samples at each
# edge; and the same stretch of the unmuted clip UNMUTED (if given) is not.
silent_over() {
	python3 - "$@" <<-'EOF'
	import array, json, subprocess, sys
	def pcm(path):
	    a = array.array("h")
	    a.frombytes(subprocess.run(["ffmpeg", "-v", "error", "-i", path,
	        "-f", "s16le", "-ac", "2", "-"], capture_output=True,
	        check=True).stdout)
	    return a
	path, rec, edge = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
	a = pcm(path)
	b = pcm(sys.argv[4]) if len(sys.argv) > 4 else None
	if not rec.get("muted"):
	    sys.exit("nothing muted")
	for m in rec["muted"]:
	    s = round((m["start"] - rec["real_start"]) * 48000) + edge
	    e = round((m["end"] - rec["real_start"]) * 48000) - edge
	    if any(a[2 * s:2 * e]):
	        sys.exit("not silent over %s" % m)
	    if b is not None and sum(1 for x in b[2 * s:2 * e] if x) < (e - s):
	        sys.exit("the unmuted clip is silent there too: no test")
	EOF
}

t_case 'spaces-clip --require-consent refuses a clip with bob; others made' '
	SPACES_CONSENT=$PWD/ledger && export SPACES_CONSENT &&
	space &&
	spaces-consent grant @alice &&
	printf "%s\n" "{\"type\":\"clip\",\"start\":3,\"end\":10}" \
	    "{\"type\":\"clip\",\"start\":10,\"end\":25}" \
	    "{\"type\":\"clip\",\"start\":20,\"end\":30}" >clips &&
	run spaces-clip -j --speakers turns.ndjson --require-consent \
	    --clips clips -o "c%n.m4a" talk.aac &&
	status 1 &&
	err_is <<-EOF &&
	spaces-clip: clip 2: @bob has not consented, heard 0:11.008-0:19.008; not written
	EOF
	test -s c1.m4a && test ! -e c2.m4a && test -s c3.m4a &&
	jq -s -c "map(.index)" out | grep -qx "\[1,3\]"
'

t_case 'spaces-clip --mute-unconsented: lossless AAC decodes to zeros over bob' '
	SPACES_CONSENT=$PWD/ledger && export SPACES_CONSENT &&
	space &&
	spaces-consent grant @alice &&
	spaces-clip -s 3.3 -e 60 -o plain.m4a talk.aac &&
	run spaces-clip -j --speakers turns.ndjson --require-consent \
	    --mute-unconsented -s 3.3 -e 60 -o m.m4a talk.aac &&
	status 0 &&
	jq -c ".muted | map([.username, .start, .end])" out |
	    grep -qx "\[\[\"bob\",11.008,19.008\],\[\"bob\",50.005,57.003\]\]" &&
	jq -e ".lossless" out >/dev/null &&
	silent_over m.m4a "$(cat out)" 0 plain.m4a &&
	[ "$(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 m.m4a)" = \
	  "$(ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 plain.m4a)" ]
'

t_case 'spaces-clip --mute-unconsented: raw ADTS and transcodes too' '
	SPACES_CONSENT=$PWD/ledger && export SPACES_CONSENT &&
	space &&
	spaces-consent grant @alice &&
	run spaces-clip -j --speakers turns.ndjson --mute-unconsented \
	    -s 3.3 -e 40 -o m.aac talk.aac &&
	status 0 &&
	silent_over m.aac "$(cat out)" 0 &&
	run spaces-clip -j --speakers turns.ndjson --mute-unconsented \
	    -s 3.3 -e 40 -o m.wav talk.aac &&
	status 0 &&
	jq -e ".lossless | not" out >/dev/null &&
	silent_over m.wav "$(cat out)" 0 &&
	run spaces-clip -j --speakers turns.ndjson --mute-unconsented \
	    -s 3.3 -e 40 -o m.mp3 talk.aac &&
	status 0 &&
	silent_over m.mp3 "$(cat out)" 1152
'

t_case 'spaces-clip consent: usage, a turn file without facts' '
	SPACES_CONSENT=$PWD/ledger && export SPACES_CONSENT &&
	space &&
	run spaces-clip --require-consent -o x.m4a talk.aac &&
	status 2 && err_has "need --speakers" &&
	run spaces-clip --speakers turns.ndjson -o x.m4a talk.aac &&
	status 2 &&
	echo "{\"type\":\"clip\",\"start\":0,\"end\":1}" >noturns &&
	run spaces-clip --speakers noturns --require-consent -o x.m4a talk.aac &&
	status 1 && err_has "unknown" && test ! -e x.m4a &&
	run spaces-clip --speakers turns.ndjson --mute-unconsented -s 0 -e 30 \
	    -o x.opus talk.aac &&
	status 0 && test -s x.opus
'

t_end
