#!/bin/sh
# spaces-record against a loopback HLS server (tests/servers/hls-mock.py):
# replay and live capture, chunk faults and abrupt disconnects, the
# live/replay seam, gaps, resume after kill -9, the overlap lock.
. "${0%/*}/../lib.sh"

MOCK=$TOP/tests/servers/hls-mock.py

# mock SCENARIO: start the mock on a free loopback port for this case;
# $U is its non_transcode audio-space directory, as X's CDN lays it out.  Killed when the case ends, and ends by
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
	U=http://127.0.0.1:$(cat port)/Transcoding/v1/hls/TOK/non_transcode/us-east-1/periscope-replay-direct-prod-us-east-1-public/audio-space
	SPACES_BACKOFF=0.05
	SPACES_REPLAY_WAIT=0.2
	export SPACES_BACKOFF SPACES_REPLAY_WAIT
}

# web: the mock's web endpoints are SPACES_WEB_URL, and ./cookies.txt
# holds the session it wants (auth_token, ct0 = CT0) for 127.0.0.1.
web() {
	SPACES_WEB_URL=http://127.0.0.1:$(cat port)
	SPACES_WEB_API_URL=$SPACES_WEB_URL
	SPACES_WAIT_POLL=0.2
	export SPACES_WEB_URL SPACES_WEB_API_URL SPACES_WAIT_POLL
	printf "# Netscape HTTP Cookie File\n%s\n%s\n" \
	    "127.0.0.1	FALSE	/	FALSE	0	auth_token	SECRETAUTH" \
	    "#HttpOnly_127.0.0.1	FALSE	/	FALSE	0	ct0	CT0" >cookies.txt
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
	asks "/transcode/.*/playlist_1720196254.m3u8" 1 &&
	asks "playlist_1720192000.m3u8" 0 &&
	asks "/transcode/.*chunk_" 0 &&
	asks "/non_transcode/.*chunk_" 7
'

t_case '--variant on an audio Space: the audio recorded, one warning' '
	mock ok &&
	run spaces-record -o out.m4a --variant 720 --playlist "$U/master_playlist.m3u8" &&
	status 0 &&
	same_m4a out.m4a &&
	err_one_line &&
	err_has "audio only: --variant 720 is for video Spaces"
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
	[ "$(grep -c "/transcode/.*/playlist_1720196254.m3u8" log)" -ge 3 ] &&
	asks "/transcode/.*chunk_" 0
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

t_case 'the output template directories are made; one that cannot be: exit 3' '
	mock ok &&
	run spaces-record -o new/dir/out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	same_m4a new/dir/out.m4a &&
	: >file &&
	run spaces-record -o file/out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 3 &&
	err_has "cannot make directory .file."
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
	run spaces-record --format flac --playlist http://x/ &&
	status 2 &&
	run spaces-record --max-duration soon --playlist http://x/ &&
	status 2 &&
	err_has "max-duration" &&
	run spaces-record https://example.com/i/spaces/1ypKdEXvkMLGW &&
	status 2 &&
	err_has "not a Space URL or id" &&
	run spaces-record 1ypKdEXvkMLGW1234 &&
	status 2 &&
	run spaces-record -c no-such-cookies 1ypKdEXvkMLGW &&
	status 2 &&
	echo "{\"type\":\"space\"}" >recs &&
	run spaces-record - <recs &&
	status 2 &&
	err_has "no valid id" &&
	run spaces-record -o "%(nope)s" --playlist http://x/ &&
	status 2
'

t_case 'stdout closed: -j to /dev/full is an error' '
	mock ok &&
	run spaces-record -j -o out.aac --format aac --playlist "$U/playlist_1.m3u8" >/dev/full &&
	rc=0; spaces-record -f -j -o out.aac --format aac --playlist "$U/playlist_1.m3u8" >/dev/full 2>err || rc=$?
	[ "$rc" -eq 3 ] && err_has "write error"
'

t_case 'a Space URL: resolved with the cookies, tagged, templated' '
	mock ok && web &&
	run spaces-record -j -c cookies.txt -o "%(date)s %(title)s %(id)s.%(ext)s" \
	    https://x.com/i/spaces/1ypKdEXvkMLGW &&
	status 0 &&
	err_empty &&
	jq_is "[.id, .title, .creator_id, .creator.username, .creator.name, .started_at, .path, .chunks, .gaps]" \
	    "[\"1ypKdEXvkMLGW\",\"Mock / Space\",\"2244994945\",\"host\",\"Host Name\",\"2024-07-05T15:17:34.637Z\",\"2024-07-05 Mock _ Space 1ypKdEXvkMLGW.m4a\",7,0]" &&
	f="2024-07-05 Mock _ Space 1ypKdEXvkMLGW.m4a" &&
	same_m4a "$f" &&
	ffprobe -v error -show_entries format_tags=title,artist,date,comment \
	    -of default=nw=1 "$f" | sort >tags &&
	printf "%s\n" "TAG:artist=Host Name" "TAG:comment=1ypKdEXvkMLGW" \
	    "TAG:date=2024-07-05T15:17:34.637Z" "TAG:title=Mock / Space" | diff -u - tags &&
	asks "AudioSpaceById" 1 &&
	asks "live_video_stream/status/28_100" 1
'

t_case 'a bare id, SPACES_COOKIES; -v never shows the cookies' '
	mock ok && web &&
	SPACES_COOKIES=cookies.txt run spaces-record -v -o out.aac --format aac \
	    1ypKdEXvkMLGW &&
	status 0 &&
	same_aac out.aac &&
	err_has "AudioSpaceById" &&
	err_has "x-csrf-token: \[redacted\]" &&
	! grep -q "SECRETAUTH" err &&
	! grep -q "CT0" err
'

t_case 'a live Space (twitter.com URL): the wrapped live playlist, then the replay' '
	mock live && web &&
	run spaces-record -j -c cookies.txt -o out.m4a \
	    "https://twitter.com/i/spaces/1LiveSpace001?s=20" &&
	status 0 &&
	jq_is "[.id, .title, .creator.username, .chunks, .gaps]" \
	    "[\"1LiveSpace001\",\"Live one\",\"livehost\",7,0]" &&
	same_m4a out.m4a &&
	grep -q "dynamic_playlist.m3u8?type=live" log
'

t_case 'no cookies: a guest token, once, then recorded exactly' '
	mock ok && web &&
	run spaces-record -o out.m4a 1ypKdEXvkMLGW &&
	status 0 &&
	err_empty &&
	same_m4a out.m4a &&
	asks "POST /1.1/guest/activate.json auth=bearer" 1 &&
	asks "AudioSpaceById.* auth=bearer ua=browser who=guest" 1 &&
	asks "status/28_100 auth=bearer ua=browser who=guest" 1
'

t_case 'no cookies where X wants a login: said so, exit 3' '
	mock noguest && web &&
	run spaces-record 1ypKdEXvkMLGW &&
	status 3 &&
	err_has "AudioSpaceById: HTTP 403 (X says: Your credentials" &&
	err_has "X wants a login for this: give your cookies with -c" &&
	err_one_line &&
	asks "_a.aac" 0
'

t_case 'no such Space, canceled, no replay: exit 3, 1, 1' '
	mock ok && web &&
	run spaces-record -c cookies.txt 1Nothing00001 &&
	status 3 &&
	err_has "no such Space" &&
	run spaces-record -c cookies.txt 1Canceled0001 &&
	status 1 &&
	err_has "canceled" &&
	run spaces-record -c cookies.txt 1NoReplay0001 &&
	status 1 &&
	err_has "ended and has no replay" &&
	asks "live_video_stream" 0
'

t_case 'several operands, one after another; the worst status wins' '
	mock ok && web &&
	run spaces-record -j -c cookies.txt -o "%(id)s.%(ext)s" --format aac \
	    1ypKdEXvkMLGW 1Canceled0001 https://x.com/i/spaces/1LiveSpace001 &&
	status 1 &&
	same_aac 1ypKdEXvkMLGW.aac &&
	[ -s 1LiveSpace001.aac ] &&
	[ ! -e 1Canceled0001.aac ] &&
	[ "$(grep -c "\"type\":\"space\"" out)" -eq 2 ]
'

t_case '"-": space records from spaces-lookup, their ids; others passed over' '
	mock ok && web &&
	{
		echo "{\"type\":\"user\",\"id\":\"1\"}"
		echo "{\"type\":\"space\",\"id\":\"1ypKdEXvkMLGW\",\"title\":\"old\",\"state\":\"ended\"}"
		echo
		echo "{\"type\":\"space\",\"id\":\"1LiveSpace001\",\"state\":\"live\"}"
	} >recs &&
	run spaces-record -j -c cookies.txt -o "%(title)s.%(ext)s" - <recs &&
	status 0 &&
	[ -s "Mock _ Space.m4a" ] && [ -s "Live one.m4a" ] &&
	same_m4a "Mock _ Space.m4a" &&
	jq_is ".id" "\"1ypKdEXvkMLGW\"
\"1LiveSpace001\""
'

t_case 'a scheduled Space: exit 1 without --wait' '
	mock ok && web &&
	run spaces-record -c cookies.txt 1Scheduled001 &&
	status 1 &&
	err_has "scheduled for 2024-07-05T15:17:34.637Z, not started yet" &&
	asks "live_video_stream" 0
'

t_case '--wait: polls until it starts (said once), then records it' '
	mock ok && web &&
	run spaces-record -j -c cookies.txt --wait -o out.m4a 1Scheduled001 &&
	status 0 &&
	[ "$(grep -c "waiting for the Space to start" err)" -eq 1 ] &&
	asks "AudioSpaceById" 5 &&	# 2 waits, the start, a stage poll, the end
	jq_is "[.id, .title, .chunks, .gaps]" "[\"1Scheduled001\",\"Soon\",7,0]" &&
	same_m4a out.m4a
'

t_case '--wait is bounded: SPACES_WAIT_MAX, then exit 1' '
	mock ok && web &&
	SPACES_WAIT_MAX=0.1 run spaces-record -c cookies.txt --wait 1Scheduled001 &&
	status 1 &&
	err_has "still not started after" &&
	asks "AudioSpaceById" 2
'

t_case '--max-duration: a live capture stops, what was captured is kept' '
	mock endless &&
	run spaces-record -j --max-duration 1 -o out.m4a \
	    --playlist "$U/dynamic_playlist.m3u8?type=live" &&
	status 0 &&
	err_has "max-duration reached" &&
	jq_is ".stopped" true &&
	n=$(jq .chunks out) &&
	[ "$n" -ge 3 ] && [ "$n" -le 7 ] &&
	got=$(ffprobe -v error -select_streams a:0 -show_entries \
	    stream=duration_ts -of default=nw=1:nk=1 out.m4a) &&
	[ "$got" -eq $((n * 20 * 1024)) ] &&
	asks "playlist_1.m3u8" 0 &&
	asks "master_playlist" 0
'

t_case '--format opus: the AAC decoded and encoded, exact length, tagged' '
	mock ok && web &&
	run spaces-record -j -c cookies.txt --format opus -o out.opus 1ypKdEXvkMLGW &&
	status 0 &&
	[ ! -e out.opus.part.aac ] &&
	[ "$(ffprobe -v error -show_entries stream=codec_name -of default=nw=1:nk=1 out.opus)" = opus ] &&
	ffmpeg -v error -i out.opus -f s16le -ac 2 -ar 48000 - | wc -c >bytes &&
	[ "$(cat bytes)" -eq $((143360 * 4)) ] &&
	ffprobe -v error -show_entries stream_tags=title,artist -of default=nw=1 \
	    out.opus | grep -q "=Mock / Space" &&
	jq_is "[.path, .samples]" "[\"out.opus\",143360]"
'

t_case 'chunks: a 403 and a 429 burst are retried, the audio exact' '
	mock burst &&
	run spaces-record -v -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	same_aac out.aac &&
	err_has "chunk 1: HTTP 403" &&
	err_has "chunk 4: HTTP 429" &&
	asks "_1_a.aac" 2 &&
	asks "_2_a.aac" 2 &&
	asks "_4_a.aac" 3
'

t_case 'a 403 on the playlist: a clear error, exit 3' '
	mock forbidden &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 3 &&
	err_has "HTTP 403" &&
	err_one_line &&
	[ ! -e out.m4a ]
'

t_case 'disconnect: resets mid-chunk and mid-playlist, a cut at a frame edge: refetched, exact' '
	mock disconnect &&
	run spaces-record -o out.aac --format aac --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	same_aac out.aac &&
	asks "playlist_1.m3u8" 2 &&
	asks "_0_a.aac" 1 &&
	asks "_1_a.aac" 2 &&
	asks "_2_a.aac" 1 &&
	asks "_3_a.aac" 2 &&
	asks "_4_a.aac" 1 &&
	asks "_5_a.aac" 2 &&
	asks "_6_a.aac" 2
'

t_case 'disconnect: -v tells each refetch; the M4A is exact' '
	mock disconnect &&
	run spaces-record -v -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	same_m4a out.m4a &&
	err_has "reset by peer: retrying in" &&
	err_has "chunk 1: .*reset by peer (attempt 1)" &&
	err_has "chunk 3: truncated response (attempt 1)" &&
	err_has "chunk 6: .*reset by peer (attempt 1)" &&
	! grep -q "(attempt 2)" err
'

t_case 'disconnect: the live playlist reset mid-body: retried, still live, exact' '
	mock disconnect &&
	run spaces-record -j -o out.m4a --playlist "$U/dynamic_playlist.m3u8?type=live" &&
	status 0 &&
	jq_is "[.chunks, .samples, .gaps]" "[7,143360,0]" &&
	same_m4a out.m4a &&
	! grep -q "going on with the replay" err &&
	[ "$(grep -c "dynamic_playlist.m3u8" log)" -ge 3 ] &&
	asks "_0_a.aac?type=live" 1 &&
	asks "_1_a.aac?type=live" 2 &&
	asks "_0_a.aac\$" 0
'

t_case 'kill -9 while assembling: the rerun finishes it, no request, the same file' '
	mock long &&
	run spaces-record -o ref.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	n=$(wc -l <log) &&
	caught=0 && tries=0 &&
	while [ $caught -eq 0 ] && [ $tries -lt 5 ]; do
		tries=$((tries + 1))
		rm -f out.m4a*
		spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" \
		    >/dev/null 2>&1 &
		pid=$!
		i=0
		while [ $i -lt 2000 ] && kill -0 $pid 2>/dev/null; do
			if grep -q "^= m4a [1-9]" out.m4a.journal 2>/dev/null; then
				kill -9 $pid; caught=1; break
			fi
			i=$((i + 1))
		done
		wait $pid || true
	done &&
	[ $caught -eq 1 ] && [ ! -e out.m4a ] && [ -e out.m4a.asm ] &&
	cp log log1 &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_has "resuming the assembly of 3600 chunks" &&
	cmp log log1 &&
	cmp out.m4a ref.m4a &&
	[ ! -e out.m4a.asm ] && [ ! -e out.m4a.journal ] && [ ! -e out.m4a.part ]
'

t_case 'the disk holds the output plus a window, not the chunks beside it' '
	mock long &&
	{ while :; do du -sk . | cut -f 1; sleep 0.01; done >du.log & } &&
	mon=$! &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	kill $mon &&
	status 0 &&
	out_kb=$(du -k out.m4a | cut -f 1) &&
	peak=$(sort -n du.log | tail -n 1) &&
	echo "output $out_kb KiB, peak $peak KiB" &&
	# Where the file system cannot punch holes (the manual says so),
	# .part keeps its space until the end: the output twice at most.
	head -c 65536 /dev/zero >probe &&
	if fallocate -p -o 0 -l 65536 probe 2>/dev/null; then
		[ "$peak" -lt $((out_kb + 32768)) ]
	else
		[ "$peak" -lt $((2 * out_kb + 32768)) ]
	fi
'

t_case '-j: the audio entry, with its first sample wall clock from the NTP tags; the M4A creation time (whole seconds, as ISO BMFF has them)' '
	mock ok &&
	run spaces-record -j -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	jq_is ".audio[0].started_at" "\"2022-03-22T19:26:22.898Z\"" &&
	jq_is ".audio[0].path" "\"out.m4a\"" &&
	jq_is ".audio[0].bytes" "$(wc -c <out.m4a)" &&
	jq_is ".audio[0].duration == .duration" true &&
	python3 - "$U" >raw.aac <<-PY &&
	import sys, urllib.request as u
	base = sys.argv[1]
	for n in u.urlopen(base + "/playlist_1.m3u8").read().decode().split():
	    if n.startswith("chunk"):
	        sys.stdout.buffer.write(u.urlopen(base + "/" + n).read())
	PY
	spaces-info -j raw.aac 2>/dev/null | jq -r .started_at >want &&
	echo 2022-03-22T19:26:22.898Z | cmp - want &&
	ffprobe -v error -show_entries format_tags=creation_time -of csv=p=0 \
	    out.m4a >ctime &&
	echo 2022-03-22T19:26:22.000000Z | cmp - ctime &&
	spaces-info -j out.m4a | jq -r .started_at >got &&
	echo 2022-03-22T19:26:22.000Z | cmp - got
'

t_case '--max-duration on a replay: the first D, in whole chunks' '
	mock ok &&
	run spaces-record -j --max-duration 2 -o out.aac --format aac \
	    --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	err_has "max-duration reached" &&
	jq_is ".stopped" true &&
	jq_is ".chunks" 5 &&
	head -c $(wc -c <out.aac) expect.aac | cmp - out.aac
'

t_case 'on a terminal: a status line (state, chunks, MB, missing); none with -q' '
	mock ok &&
	script -qec "spaces-record -o out.m4a --playlist $U/playlist_1.m3u8" \
	    /dev/null >tty.out &&
	tr "\r" "\n" <tty.out >lines &&
	grep -q "^replay  0:00:0[0-9]  7/7 chunks  0\.[0-9] MB  0 missing" lines &&
	grep -q "^finishing " lines &&
	rm out.m4a &&
	script -qec "spaces-record -q -o out.m4a --playlist $U/playlist_1.m3u8" \
	    /dev/null >tty.out &&
	! grep -q "chunks" tty.out &&
	rm out.m4a &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	! grep -q "chunks" err
'

t_case 'a chunk that is 429: the retry waits as long as Retry-After says' '
	mock ratelimit &&
	t0=$(date +%s.%N) &&
	run spaces-record --format aac -o out.aac --playlist "$U/playlist_1.m3u8" &&
	t1=$(date +%s.%N) &&
	status 0 &&
	same_aac out.aac &&
	asks "_2_a.aac" 2 &&
	awk -v a="$t0" -v b="$t1" "BEGIN { exit !(b - a >= 2) }"
'

t_case '-o -: the recording on stdout, no file left; not with -j or two Spaces' '
	mock ok &&
	spaces-record -o - --format aac --playlist "$U/playlist_1.m3u8" >o.aac 2>err &&
	same_aac o.aac &&
	spaces-record -o - --playlist "$U/playlist_1.m3u8" >o.m4a 2>err &&
	[ "$(ls | sort | tr "\n" " ")" = "err expect.aac expect.frames log mock.out o.aac o.m4a port " ] &&
	same_m4a o.m4a &&
	run spaces-record -j -o - --playlist "$U/playlist_1.m3u8" &&
	status 2 &&
	err_has "both want stdout" &&
	run spaces-record -o - 1ypKdEXvkMLGW 1LiveSpace001 &&
	status 2 &&
	err_has "one recording"
'

# web_clean: no web request went without the bearer or a browser's
# User-Agent, and every AudioSpaceById carried the whole feature map.
web_clean() {
	! grep -q "auth=none" log &&
	! grep "/i/api/" log | grep -q "ua=other" &&
	! grep -q "features=%7B%7D" log &&
	! grep "AudioSpaceById" log | grep -vq "responsive_web_enhance_cards_enabled"
}

t_case 'the web endpoints get the bearer, the feature map, a browser User-Agent' '
	mock ok && web &&
	run spaces-record -c cookies.txt -o out.m4a 1ypKdEXvkMLGW &&
	status 0 &&
	same_m4a out.m4a &&
	web_clean &&
	asks "AudioSpaceById.* auth=bearer ua=browser who=cookie" 1 &&
	asks "POST /1.1/guest" 0
'

t_case 'SPACES_WEB_FEATURES: a JSON object or @FILE; {} refused before any request' '
	mock ok && web &&
	SPACES_WEB_FEATURES="{}" run spaces-record -c cookies.txt 1ypKdEXvkMLGW &&
	status 2 &&
	err_has "SPACES_WEB_FEATURES: not a JSON object of feature flags" &&
	SPACES_WEB_FEATURES="{\"a\":true}" run spaces-record -c cookies.txt 1ypKdEXvkMLGW &&
	status 3 &&
	err_has "AudioSpaceById: HTTP 400 (X says: The following features cannot be null: spaces_2022_h2_spaces_communities" &&
	err_has "set SPACES_WEB_FEATURES to the web client" &&
	err_one_line &&
	spaces-record -h >/dev/null &&
	python3 -c "import sys, json; print(json.dumps({f: True for f in sys.argv[1:]}))" \
	    $(sed -n "/^FEATURES = /,/split()/p" "$MOCK" | tr -d "\"()" | sed "s/FEATURES = //; s/.split//") >feat.json &&
	SPACES_WEB_FEATURES=@feat.json run spaces-record -c cookies.txt -o out.aac --format aac 1ypKdEXvkMLGW &&
	status 0 &&
	same_aac out.aac &&
	SPACES_WEB_FEATURES=@nothing.json run spaces-record -c cookies.txt 1ypKdEXvkMLGW &&
	status 2 &&
	err_has "nothing.json" &&
	! grep -q "features=%7B%7D" log
'

t_case 'a stale query id (404) names SPACES_WEB_QUERY_ID; a wrong bearer is refused' '
	mock ok && web &&
	SPACES_WEB_QUERY_ID=xVEzTKg_mLTHubK5ayL0HA run spaces-record -c cookies.txt 1ypKdEXvkMLGW &&
	status 3 &&
	err_has "AudioSpaceById: HTTP 404 (a stale query id: set SPACES_WEB_QUERY_ID" &&
	SPACES_WEB_BEARER=AAAA run spaces-record -c cookies.txt 1ypKdEXvkMLGW &&
	status 3 &&
	err_has "HTTP 401 (X says: Could not authenticate you." &&
	err_has "SPACES_WEB_BEARER" &&
	asks "_a.aac" 0
'

t_case '-v as a guest: the guest token and the bearer are never shown' '
	mock ok && web &&
	run spaces-record -v -o out.aac --format aac 1ypKdEXvkMLGW &&
	status 0 &&
	err_has "x-guest-token: \[redacted\]" &&
	err_has "Authorization: \[redacted\]" &&
	! grep -q "1865432109876543210" err &&
	! grep -q "1Zv7ttfk8LF81IUq16cHjhLTvJu4FA33AGWWjCpTnA" err
'

t_case 'a guest token is asked for once a run, whatever the operands' '
	mock ok && web &&
	run spaces-record -o "%(id)s.%(ext)s" --format aac 1ypKdEXvkMLGW 1ypKdEXvkMLGW 1Canceled0001 &&
	status 1 &&
	same_aac 1ypKdEXvkMLGW.aac &&
	asks "POST /1.1/guest/activate.json" 1 &&
	web_clean &&
	! grep "GET /i/api/" log | grep -q "who=none"
'

t_case 'ct0 is the one for the web host, not another site'"'"'s' '
	mock ok && web &&
	printf "%s\n" "example.com	FALSE	/	FALSE	0	ct0	OTHERSITE" >>cookies.txt &&
	run spaces-record -c cookies.txt -o out.aac --format aac 1ypKdEXvkMLGW &&
	status 0 &&
	same_aac out.aac &&
	asks "who=cookie" 2
'

t_case '-c DIR, -c missing: a cookies-file error, exit 2, no request' '
	mock ok && web &&
	mkdir jar &&
	run spaces-record -c jar 1ypKdEXvkMLGW &&
	status 2 &&
	err_is <<-EOF &&
	spaces-record: cookies '"'"'jar'"'"': not a cookies.txt file (a directory)
	EOF
	SPACES_COOKIES=jar run spaces-record 1ypKdEXvkMLGW &&
	status 2 &&
	run spaces-record -c nope.txt 1ypKdEXvkMLGW &&
	status 2 &&
	err_has "cookies .nope.txt.: No such file" &&
	[ ! -s log ]
'

t_case 'geoblocked: said so, exit 3; TimedOut: a replay may come later, exit 1' '
	mock ok && web &&
	run spaces-record -c cookies.txt 1GeoSpace0001 &&
	status 3 &&
	err_has "X does not serve this stream in your country (geoblocked)" &&
	err_one_line &&
	run spaces-record -c cookies.txt 1TimedOut0001 &&
	status 1 &&
	err_has "timed out and has no replay yet (X may publish one later" &&
	asks "_a.aac" 0
'

t_case 'a video stream where audio was expected: a clear refusal, exit 2, nothing written' '
	mock video &&
	run spaces-record -o out.m4a --playlist "$U/master_dynamic_playlist.m3u8" &&
	status 2 &&
	err_has "a video stream" &&
	! err_has "ADTS" &&
	run spaces-record -o out.m4a --playlist "$U/ts_playlist.m3u8" &&
	status 2 &&
	err_has "where audio was expected" &&
	[ ! -e out.m4a ] && [ ! -e out.m4a.journal ] && [ ! -e out.m4a.part ]
'

# vmock SCENARIO: the mock serving a video Space (tests/gen-video.sh's
# segments, made by the mock into vid/); $V is its non_transcode
# directory; cat.ts the segments in order, ref.mp4 ffmpeg's -c copy
# remux of them.
vmock() {
	mock "$1" &&
	V=${U%/audio-space} &&
	sed -n "/^chunk_/p" vid/playlist.m3u8 | sed "s,^,vid/," >vlist &&
	cat $(cat vlist) >cat.ts &&
	ffmpeg -nostdin -v error -y -i cat.ts -map 0 -c copy ref.mp4
}

# vframes FILE: stream index and MD5 of each decoded frame, audio and video.
vframes() {
	ffmpeg -nostdin -v error -i "$1" -map 0 -vsync 0 -f framemd5 - |
	    grep -v "^#" | awk -F, "{ print \$1, \$6 }"
}

# The path elements of the two rungs (in their JWTs: "ting_720p", "ting_360p").
R720=dGluZ183MjBw R360=dGluZ18zNjBw

t_case 'a video Space: the best variant, an MP4 with ffmpeg'"'"'s frames (ffprobe, mediainfo)' '
	vmock vspace && web &&
	run spaces-record -j -c cookies.txt 1VideoSpace01 &&
	status 0 &&
	[ -s 1VideoSpace01.mp4 ] && [ ! -e 1VideoSpace01.mp4.journal ] &&
	jq_is "[.path, .gaps, .video.variant_height, .video.width, .video.frames, .video.keyframes]" \
	    "[\"1VideoSpace01.mp4\",0,720,320,240,4]" &&
	vframes 1VideoSpace01.mp4 >got && vframes ref.mp4 >want &&
	[ "$(grep -c "^0 " got)" -eq 240 ] && cmp got want &&
	[ "$(ffprobe -v error -show_entries stream=codec_name,width,nb_frames -of csv=p=0 1VideoSpace01.mp4)" = "$(printf "h264,320,240\naac,376")" ] &&
	mi=$(mediainfo --Inform="Video;%Format% %Width%x%Height% %FrameRate%" 1VideoSpace01.mp4) &&
	[ "$mi" = "AVC 320x240 30.000" ] &&
	[ "$(mediainfo --Inform="Audio;%Format% %SamplingRate%" 1VideoSpace01.mp4)" = "AAC 48000" ] &&
	# The rung picked: every chunk from the 720p directory, none else.
	grep "_v.ts" log >chunks &&
	! grep -v "$R720" chunks && ! grep -q non_transcode chunks &&
	# Chunk 1, 404 live, came from the replay master.
	asks "master_master_playlist.m3u8" 1 &&
	asks "_1_v.ts\$" 1
'

t_case 'a video replay: --variant by height or bandwidth; one not listed: exit 2' '
	vmock vspace &&
	run spaces-record -o a.mp4 --variant 360 --playlist "$V/master_master_playlist.m3u8" &&
	status 0 &&
	! grep "_v.ts" log | grep -v -q "$R360" &&
	: >log &&
	run spaces-record -o b.mp4 --variant 2750000 --playlist "$V/master_master_playlist.m3u8" &&
	status 0 &&
	! grep "_v.ts" log | grep -v -q "$R720" &&
	cmp a.mp4 b.mp4 &&
	run spaces-record -o c.mp4 --variant 480 --playlist "$V/master_master_playlist.m3u8" &&
	status 2 && err_one_line &&
	err_has "no variant 480 (it lists 360p 800000, 720p 2750000)" &&
	[ ! -e c.mp4 ] && [ ! -e c.mp4.journal ]
'

t_case 'a video replay as .ts: the segments as they came; -o -' '
	vmock vspace &&
	run spaces-record -o out.ts --playlist "$V/master_master_playlist.m3u8" &&
	status 0 && err_empty &&
	cmp out.ts cat.ts &&
	spaces-record -q -o - --format ts --playlist "$V/master_master_playlist.m3u8" >pipe.ts &&
	cmp pipe.ts cat.ts
'

t_case '--audio-only: the audio alone, sample-exact (m4a, aac); not to .mp4' '
	vmock vspace &&
	ffmpeg -nostdin -v error -i cat.ts -map 0:a -c copy -f adts want.aac &&
	frames=$(ffprobe -v error -select_streams a -count_packets -show_entries stream=nb_read_packets -of csv=p=0 cat.ts | head -1) &&
	run spaces-record -j --audio-only --playlist "$V/master_master_playlist.m3u8" &&
	status 0 &&
	jq_is "[.path, .samples]" "[\"master_master_playlist.m4a\",$((frames * 1024))]" &&
	[ -z "$(ffprobe -v error -select_streams v -show_entries stream=codec_name -of csv=p=0 master_master_playlist.m4a)" ] &&
	[ "$(ffprobe -v error -select_streams a -show_entries stream=duration_ts -of csv=p=0 master_master_playlist.m4a)" = $((frames * 1024)) ] &&
	ffmpeg -nostdin -v error -i master_master_playlist.m4a -c:a copy -f adts got.aac &&
	cmp got.aac want.aac &&
	run spaces-record -o a.aac --playlist "$V/master_master_playlist.m3u8" &&
	status 0 && cmp a.aac want.aac &&
	run spaces-record --audio-only -o x.mp4 --playlist "$V/master_master_playlist.m3u8" &&
	status 2 && err_has "audio-only writes m4a, aac or opus" &&
	[ ! -e x.mp4 ]
'

t_case 'a video Space killed (-9) mid-capture: the rerun resumes, the same MP4' '
	vmock vslow &&
	run spaces-record --jobs 1 -o once.mp4 --playlist "$V/master_master_playlist.m3u8" &&
	status 0 &&
	: >log &&
	{ spaces-record --jobs 1 -o out.mp4 --playlist "$V/master_master_playlist.m3u8" \
	    >/dev/null 2>&1 & } &&
	pid=$! &&
	i=0 &&
	while [ "$(sed -n "2,\$p" out.mp4.journal 2>/dev/null | grep -c .)" -lt 2 ]; do
		i=$((i + 1)); [ $i -le 200 ] || exit 1; sleep 0.05
	done &&
	kill -9 $pid && { wait $pid; true; } &&
	[ ! -e out.mp4 ] &&
	sed -n "2,\$p" out.mp4.journal | cut -d " " -f 1 >done1 &&
	cp log log1 &&
	run spaces-record --jobs 1 -o out.mp4 --playlist "$V/master_master_playlist.m3u8" &&
	status 0 &&
	err_has "resuming after" &&
	cmp out.mp4 once.mp4 &&
	tail -n +$(($(wc -l <log1) + 1)) log >log2 &&
	while read -r s; do
		! grep -q "_${s}_v.ts" log2 || { echo "chunk $s fetched again"; exit 1; }
	done <done1 &&
	[ ! -e out.mp4.journal ] && [ ! -e out.mp4.part ] && [ ! -e out.mp4.asm ]
'

t_case 'a video chunk missing for good: the gap listed, the rest remuxed, exit 1' '
	vmock vgap &&
	run spaces-record -j -o out.mp4 --playlist "$V/master_master_playlist.m3u8" &&
	status 1 &&
	grep "\"type\":\"gap\"" out | jq -c "[.from, .to]" >gaps &&
	[ "$(cat gaps)" = "[2,2]" ] &&
	jq_is "select(.type == \"space\") | [.chunks, .gaps]" "[3,1]" &&
	sed -n "3p" vlist >skip &&
	cat $(grep -v -F -f skip vlist) >part.ts &&
	ffmpeg -nostdin -v error -y -i part.ts -map 0 -c copy part.mp4 &&
	vframes out.mp4 >got && vframes part.mp4 >want &&
	cmp got want
'

t_case 'video formats on an audio Space: exit 2, nothing fetched' '
	mock ok &&
	run spaces-record -o out.mp4 --playlist "$U/playlist_1.m3u8" &&
	status 2 && err_one_line &&
	err_has "an audio Space: .mp4 is for video Spaces" &&
	asks "_a.aac" 0 &&
	run spaces-record --format ts -o out.%\(ext\)s --playlist "$U/playlist_1.m3u8" &&
	status 2 &&
	run spaces-record --format mkv --playlist "$U/playlist_1.m3u8" &&
	status 2
'

t_case 'a mid-Space 404 while Running: polling goes on; the end; exact (cookies)' '
	mock midgap && web &&
	run spaces-record -j -c cookies.txt -o out.m4a 1LiveSpace001 &&
	status 0 &&
	err_has "not found while the Space is still running: polling on" &&
	jq_is "[.chunks, .gaps]" "[7,0]" &&
	same_m4a out.m4a &&
	[ "$(grep -c AudioSpaceById log)" -ge 3 ] &&
	grep -q "_5_a.aac?type=live" log &&
	asks "/transcode/.*chunk_" 0 &&
	web_clean
'

t_case 'a mid-Space 404 and a late replay, no cookies at all: exact' '
	mock midgap && web &&
	run spaces-record -j -o out.m4a 1LiveSpace001 &&
	status 0 &&
	jq_is "[.chunks, .gaps]" "[7,0]" &&
	same_m4a out.m4a &&
	asks "POST /1.1/guest/activate.json" 1 &&
	! grep -q "who=cookie" log &&
	asks "/transcode/.*chunk_" 0 &&
	web_clean
'

# speakers_ok: the record in out has the stage the mock played (scenario
# stage): the host, alice and bob, one session each, in the archive's
# shape; alice left after bob joined; the listener is not there.
speakers_ok() {
	jq_is "[.speakers_basis, .speaker_ids, [.speakers[].username],
	    [.speakers[].sessions | length],
	    ([.speakers[].sessions[] | .started_at < .ended_at] | all),
	    (.speakers[1].sessions[0].ended_at >
	     .speakers[2].sessions[0].started_at),
	    ([.speakers[] | .start == .sessions[0].started_at and
	      .end == .sessions[-1].ended_at] | all)]" \
	    "[\"web\",[\"6253282\",\"22\",\"33\"],[\"livehost\",\"alice\",\"bob\"],[1,1,1],true,true,true]"
}

t_case 'speakers: the stage polled while live (429 backed off), in the record; spaces-speakers reads it' '
	mock stage && web &&
	SPACES_SPEAKERS_POLL=0.5 run spaces-record -j -c cookies.txt \
	    -o out.m4a 1LiveSpace001 &&
	status 0 &&
	jq_is "[.chunks, .gaps]" "[7,0]" &&
	same_m4a out.m4a &&
	speakers_ok &&
	err_has "speakers: AudioSpaceById: rate-limited (HTTP 429): asking again in 1 s" &&
	err_has "speakers: AudioSpaceById answers again" &&
	n=$(grep -c "AudioSpaceById" log) &&
	[ "$n" -ge 8 ] && [ "$n" -le 14 ] &&
	! grep -q "\"99\"" out &&
	cp out rec.ndjson &&
	run spaces-speakers -j rec.ndjson &&
	status 0 &&
	[ "$(jq -c -s "[.[] | [.basis, .user_id, .username, .space_id,
	    .ended_at > .started_at]] | sort" out)" = \
	    "[[\"web\",\"22\",\"alice\",\"1LiveSpace001\",true],[\"web\",\"33\",\"bob\",\"1LiveSpace001\",true],[\"web\",\"6253282\",\"livehost\",\"1LiveSpace001\",true]]" ]
'

t_case 'speakers: SPACES_SPEAKERS_POLL=0 asks nothing more; a playlist has no Space to ask' '
	mock stage && web &&
	SPACES_SPEAKERS_POLL=0 run spaces-record -j -c cookies.txt \
	    -o out.m4a 1LiveSpace001 &&
	status 0 &&
	asks "AudioSpaceById" 2 &&	# the start and the end
	jq_is "[.speakers, .speaker_ids, .speakers_basis]" "[null,null,null]" &&
	SPACES_SPEAKERS_POLL=x run spaces-record -o x.m4a 1LiveSpace001 &&
	status 2 &&
	err_has "SPACES_SPEAKERS_POLL"
'

t_case 'speakers: kill -9 mid-Space, resume: the journalled sessions are kept' '
	mock stage && web &&
	{ SPACES_SPEAKERS_POLL=0.5 spaces-record -c cookies.txt -o out.m4a \
	    1LiveSpace001 >/dev/null 2>&1 & pid=$!; } &&
	i=0 &&
	while [ $i -lt 300 ] && ! grep -q "^+ [0-9]* 33 bob\$" \
	    out.m4a.journal 2>/dev/null; do
		sleep 0.05; i=$((i + 1))
	done &&
	kill -9 $pid && { wait $pid; true; } &&
	grep -q "^+ [0-9]* 6253282 livehost\$" out.m4a.journal &&
	grep -q "^+ [0-9]* 22 alice\$" out.m4a.journal &&
	grep -q "^~ [0-9]*\$" out.m4a.journal &&
	! grep -q "^- [0-9]* 33\$" out.m4a.journal &&
	SPACES_SPEAKERS_POLL=0.5 run spaces-record -j -c cookies.txt \
	    -o out.m4a 1LiveSpace001 &&
	status 0 &&
	err_has "resuming after" &&
	same_m4a out.m4a &&
	speakers_ok
'

t_case 'a late replay (404, then short) after a live Space, as a guest: exact' '
	mock live && web &&
	run spaces-record -j -o out.m4a https://x.com/i/spaces/1LiveSpace001 &&
	status 0 &&
	jq_is "[.chunks, .gaps]" "[7,0]" &&
	same_m4a out.m4a &&
	[ "$(grep -c "/transcode/.*/playlist_1720196254.m3u8" log)" -ge 3 ] &&
	asks "/transcode/.*chunk_" 0 &&
	asks "who=guest" 4	# the Space, its status, a stage poll, the end
'

t_case 'a stalled live stream ends after SPACES_STALL targets: gaps listed, exit 1' '
	mock stall &&
	SPACES_STALL=3 SPACES_RETRIES=0 run spaces-record -j -o out.m4a \
	    --playlist "$U/dynamic_playlist.m3u8?type=live" &&
	status 1 &&
	err_has "no new chunk for 3 s (3 target durations): the live stream stalled" &&
	err_has "gap: chunks 3-3 missing" &&
	err_has "incomplete: the live stream stalled" &&
	jq_is "select(.type == \"space\") | [.stalled, .gaps, .chunks]" "[true,1,6]" &&
	[ -s out.m4a ]
'

t_case 'tw_ names: the master beside tw_dynamic_playlist is tw_master_playlist' '
	mock tw &&
	run spaces-record -o out.aac --format aac \
	    --playlist "$U/tw_dynamic_playlist.m3u8?type=live" &&
	status 0 &&
	same_aac out.aac &&
	grep -q "/audio-space/tw_master_playlist.m3u8" log &&
	asks "/audio-space/master_playlist" 0
'

t_case 'AES-128 chunks: decrypted with each key once, exact' '
	mock aes &&
	run spaces-record -j -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	same_m4a out.m4a &&
	asks "/key.bin" 1 &&
	asks "/key2.bin" 1
'

t_case 'a chunk of another format is refused as a gap, never mixed in' '
	mock mixed &&
	run spaces-record -j -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 1 &&
	err_has "chunk 4: refused: 44100 Hz, 2 channels, profile 1: not the recording'"'"'s 48000 Hz" &&
	err_has "gap: chunks 4-4 missing" &&
	asks "_4_a.aac" 1 &&
	jq_is "select(.type == \"space\") | .chunks" 6 &&
	got=$(ffprobe -v error -select_streams a:0 -show_entries \
	    stream=sample_rate,duration_ts -of csv=p=0 out.m4a) &&
	[ "$got" = "48000,$((6 * 20 * 1024))" ]
'

t_case '-o x.mp3: refused, exit 2; -o x.opus records Opus; a contradiction: exit 2' '
	mock ok &&
	run spaces-record -o x.mp3 --playlist "$U/playlist_1.m3u8" &&
	status 2 &&
	err_is <<-EOF &&
	spaces-record: -o '"'"'x.mp3'"'"': spaces-record writes m4a, aac, opus, mp4 or ts, not mp3 (record, then convert with spaces-clip)
	EOF
	[ ! -e x.mp3 ] &&
	run spaces-record -o x.aac --format m4a --playlist "$U/playlist_1.m3u8" &&
	status 2 &&
	err_has "a .aac name for --format m4a" &&
	[ ! -s log ] &&
	run spaces-record -o x.opus --playlist "$U/playlist_1.m3u8" &&
	status 0 &&
	[ "$(head -c 4 x.opus)" = OggS ]
'

t_case 'links planted at the working names: nothing written through them' '
	mock ok &&
	echo precious >victim &&
	ln -s victim out.m4a.part &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 3 &&
	err_has "cannot open .out.m4a.part." &&
	rm out.m4a.part out.m4a.journal &&
	ln -s victim out.m4a.journal &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 3 &&
	rm out.m4a.journal &&
	ln -s victim out.m4a.asm &&
	run spaces-record -o out.m4a --playlist "$U/playlist_1.m3u8" &&
	status 3 &&
	err_has "cannot create .out.m4a.asm." &&
	[ "$(cat victim)" = precious ] &&
	[ -L out.m4a.asm ] && [ ! -e out.m4a ]
'

t_end
