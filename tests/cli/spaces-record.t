#!/bin/sh
# spaces-record against a loopback HLS server (tests/servers/hls-mock.py):
# replay and live capture, chunk faults, the live/replay seam, gaps,
# resume after kill -9, the overlap lock.
. "${0%/*}/../lib.sh"

MOCK=$TOP/tests/servers/hls-mock.py

# mock SCENARIO: start the mock on a free loopback port for this case;
# $U is its /audio-space/ base.  Killed when the case ends, and ends by
# itself after 60 s anyway.
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
	U=http://127.0.0.1:$(cat port)/audio-space
	SPACES_BACKOFF=0.05
	SPACES_REPLAY_WAIT=0.2
	export SPACES_BACKOFF SPACES_REPLAY_WAIT
}

# asks PATTERN N: the mock saw N requests matching the basic regex.
asks() {
	n=$(grep -c -- "$1" log)
	[ "$n" -eq "$2" ] && return 0
	echo "$n requests for /$1/, want $2:"; cat log
	return 1
}

# same_aac FILE: FILE's ADTS frames are the server's, in order, once.
same_aac() {
	cmp "$1" expect.aac
}

# same_m4a FILE: an M4A whose audio is the server's frames exactly, by
# ffprobe (frames x 1024 samples) and ffmpeg's copy of the payload.
same_m4a() {
	want=$(($(cat expect.frames) * 1024))
	got=$(ffprobe -v error -select_streams a:0 -show_entries \
	    stream=duration_ts -of default=nw=1:nk=1 "$1")
	[ "$got" = "$want" ] || { echo "duration_ts $got, want $want"; return 1; }
	ffmpeg -v error -i "$1" -c:a copy -f adts - >copy.aac &&
	cmp copy.aac expect.aac
}

# entries: whole chunk lines in the journal.
entries() {
	sed -n '2,$p' out.m4a.journal 2>/dev/null | grep -c '^[0-9]* [0-9]* [0-9]* [0-9]*$'
}

t_case 'replay: every chunk once, stripped, in order (aac)' '
	mock ok &&
	run spaces-record --format aac -o out.aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_empty &&
	out_empty &&
	same_aac out.aac &&
	asks "chunk_.*_a.aac" 7 &&
	[ ! -e out.aac.part ] && [ ! -e out.aac.journal ]
'

t_case 'replay: m4a by default, named from the template, exact duration' '
	mock ok &&
	run spaces-record -j --jobs 2 --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	jq_is "[.type, .path, .chunks, .samples, .gaps]" \
	    "[\"space\",\"playlist_1.m4a\",7,143360,0]" &&
	same_m4a playlist_1.m4a &&
	[ "$(head -c 8 playlist_1.m4a | tail -c 4)" = ftyp ] &&
	python3 -c "import sys; b = open(sys.argv[1], \"rb\").read(); sys.exit(not 0 < b.find(b\"moov\") < b.find(b\"mdat\"))" playlist_1.m4a &&
	ffprobe -v error -show_entries format_tags=encoder -of default=nw=1 \
	    playlist_1.m4a | grep -q "spaces-record"
'

t_case 'master playlist: its media playlist is followed' '
	mock ok &&
	run spaces-record -o out.m4a --playlist "$U/master_playlist.m3u8" &&
	status 0 &&
	same_m4a out.m4a &&
	asks "master_playlist" 1 &&
	asks "playlist_1.m3u8" 1
'

t_case 'faults: truncated once, 404 twice, junk and tags: retried, exact' '
	mock faults &&
	run spaces-record -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	same_aac out.aac &&
	asks "_2_a.aac" 2 &&
	asks "_4_a.aac" 3 &&
	asks "_1_a.aac" 1
'

t_case 'faults: -v tells each retry' '
	mock faults &&
	run spaces-record -v -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_has "chunk 2: truncated response (attempt 1)" &&
	err_has "chunk 4: HTTP 404 (attempt 2)"
'

t_case 'live: polled until 404, the replay fills the rest, no duplicate' '
	mock live &&
	run spaces-record -j -o out.m4a --playlist "$U/dynamic_playlist.m3u8?type=live" &&
	status 0 &&
	jq_is "[.chunks, .samples, .gaps]" "[7,143360,0]" &&
	same_m4a out.m4a &&
	grep -q "_0_a.aac?type=live" log &&
	asks "_0_a.aac" 1 &&
	asks "_1_a.aac" 1 &&
	asks "_2_a.aac" 1 &&
	asks "_3_a.aac\$" 1 &&
	asks "_5_a.aac\$" 1 &&
	asks "_6_a.aac\$" 1 &&
	[ "$(grep -c "playlist_1.m3u8" log)" -ge 3 ]
'

t_case 'live: --replay names the replay playlist' '
	mock live &&
	run spaces-record -o out.aac --format aac --replay "$U/playlist_1.m3u8" \
	    --playlist "$U/dynamic_playlist.m3u8?type=live" &&
	status 0 &&
	same_aac out.aac &&
	asks master_playlist 0
'

t_case 'gap: a chunk missing for good: listed, the rest kept, exit 1' '
	mock gap &&
	SPACES_RETRIES=1 run spaces-record -j -o out.aac --format aac \
	    --playlist "$U/playlist_1.m3u8" &&
	status 1 &&
	err_has "gap: chunks 3-3 missing" &&
	head -n 1 out | jq -c . >gap &&
	echo "{\"type\":\"gap\",\"source\":\"record\",\"from\":3,\"to\":3}" |
	    diff -u - gap &&
	jq_is "select(.type == \"space\") | .chunks" 6 &&
	asks "_3_a.aac" 2 &&
	[ "$(wc -c <out.aac)" -lt "$(wc -c <expect.aac)" ]
'

t_case 'resume after kill -9: no chunk fetched twice, the same audio' '
	mock slow &&
	{ spaces-record --jobs 1 -o out.m4a --playlist "$U/playlist_1.m3u8" \
	    >/dev/null 2>&1 & } &&
	pid=$! &&
	i=0 &&
	while [ "$(entries)" -lt 3 ]; do
		i=$((i + 1)); [ $i -le 100 ] || exit 1; sleep 0.05
	done &&
	kill -9 $pid && { wait $pid; true; } &&
	[ ! -e out.m4a ] &&
	sed -n "2,\$p" out.m4a.journal | cut -d " " -f 1 >done1 &&
	printf "garbage" >>out.m4a.part &&
	printf "9 1" >>out.m4a.journal &&
	cp log log1 &&
	run spaces-record --jobs 1 -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_has "resuming after" &&
	same_m4a out.m4a &&
	tail -n +$(($(wc -l <log1) + 1)) log >log2 &&
	while read -r s; do
		! grep -q "_${s}_a.aac" log2 || { echo "chunk $s fetched again"; exit 1; }
	done <done1 &&
	[ "$(grep -c "_a.aac" log2)" -eq $((7 - $(wc -l <done1))) ]
'

t_case 'a second run on the same output: already recording, exit 0' '
	mock slow &&
	{ spaces-record --jobs 1 -o out.m4a --playlist "$U/playlist_1.m3u8" \
	    >/dev/null 2>bg.err & } &&
	pid=$! &&
	i=0 &&
	while [ ! -e out.m4a.journal ]; do
		i=$((i + 1)); [ $i -le 100 ] || exit 1; sleep 0.05
	done &&
	run spaces-record --jobs 1 -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_is <<-EOF &&
	spaces-record: '"'"'out.m4a'"'"': already recording
	EOF
	wait $pid &&
	same_m4a out.m4a
'

t_case 'a finished output: already recorded, exit 0; -f records again' '
	mock ok &&
	run spaces-record -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	run spaces-record -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_has "already recorded" &&
	asks "_0_a.aac" 1 &&
	run spaces-record -f -q -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_empty &&
	asks "_0_a.aac" 2 &&
	same_aac out.aac
'

t_case 'a playlist that is not there: exit 3' '
	mock ok &&
	run spaces-record -o out.m4a --playlist "$U/nothing.m3u8" &&
	status 3 &&
	err_has "not found" &&
	[ ! -e out.m4a ]
'

t_case 'not a playlist: exit 3' '
	mock ok &&
	run spaces-record -o out.m4a --playlist "$U/chunk_1720192654637762497_0_a.aac" &&
	status 3 &&
	err_has "not an m3u8 playlist"
'

t_case 'no server: a network failure, exit 3' '
	SPACES_RETRIES=0 run spaces-record -o out.m4a --playlist http://127.0.0.1:1/x.m3u8 &&
	status 3 &&
	err_one_line
'

t_case 'an output directory that does not exist: exit 3' '
	mock ok &&
	run spaces-record -o no/such/dir/out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 3 &&
	err_has "cannot open"
'

t_case 'usage errors: exit 2' '
	run spaces-record &&
	status 2 &&
	err_has "^usage: spaces-record" &&
	run spaces-record --playlist http://x/ 1ypKdEXvkMLGW &&
	status 2 &&
	run spaces-record --jobs 0 --playlist http://x/ &&
	status 2 &&
	err_has "jobs" &&
	run spaces-record --format opus --playlist http://x/ &&
	status 2 &&
	run spaces-record -o "%(nope)s" --playlist http://x/ &&
	status 2
'

t_case 'stdout closed: -j to /dev/full is an error' '
	mock ok &&
	run spaces-record -j -o out.aac --format aac --playlist "$U/playlist_1.m3u8" >/dev/full &&
	rc=0; spaces-record -f -j -o out.aac --format aac --playlist "$U/playlist_1.m3u8" >/dev/full 2>err || rc=$?
	[ "$rc" -eq 3 ] && err_has "write error"
'

t_end
