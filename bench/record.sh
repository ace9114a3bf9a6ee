#!/bin/sh
# record.sh: spaces-record against `ffmpeg -i replay.m3u8 -c copy out.m4a`
# on a 3-hour replay (3600 chunks of 3 s) served by the loopback mock
# (tests/servers/hls-mock.py long), and the ffmpeg output's duration
# error against ours (ours is frames x 1024, exact).  The mock serves each
# connection from its own thread, keeps it alive and has its answers made
# before the first request, so that neither tool waits for it: a note says
# how busy it was (its CPU time over the time both tools' runs took; one
# Python process holds one core at most, so near 100 % it is the limit).

python3 "$top/tests/servers/hls-mock.py" long "$bench_tmp/rport" \
    "$bench_tmp/rlog" 3600 >/dev/null 2>&1 &
rmock=$!
i=0
while [ ! -s "$bench_tmp/rport" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ru=http://127.0.0.1:$(cat "$bench_tmp/rport")/Transcoding/v1/hls/TOK/non_transcode/us-east-1/periscope-replay-direct-prod-us-east-1-public/audio-space/playlist_1.m3u8

# mock_cpu: the mock's user and system time so far, in clock ticks.
mock_cpu() {
	awk '{ print $14 + $15 }' "/proc/$rmock/stat" 2>/dev/null || echo 0
}
c0=$(mock_cpu)
t0=$(date +%s.%N)
row "record: 3 h replay, 3600 chunks" \
    "spaces-record -q -f -o $bench_tmp/ours.m4a --playlist $ru" \
    "ffmpeg -v error -y -i $ru -c copy $bench_tmp/peer.m4a"
t1=$(date +%s.%N)
c1=$(mock_cpu)
awk -v c="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v t="$t0" -v u="$t1" \
    -v n="$(wc -l <"$bench_tmp/rlog")" 'BEGIN {
	s = c / hz
	printf "  the mock: %.2f s of CPU for %d requests (%.0f us each), ",
	    s, n, n ? s / n * 1e6 : 0
	printf "busy %.0f %% of the %.1f s both tools ran\n",
	    100 * s / (u - t), u - t
}'
dts() {
	ffprobe -v error -select_streams a:0 -show_entries stream=duration_ts \
	    -of default=nw=1:nk=1 "$1"
}
awk -v a="$(dts "$bench_tmp/ours.m4a")" -v b="$(dts "$bench_tmp/peer.m4a")" \
    'BEGIN { printf "  ffmpeg duration error vs ours: %+d samples (%+.3f ms)\n", b - a, (b - a) / 48 }'
kill "$rmock" 2>/dev/null
rm -f "$bench_tmp/ours.m4a" "$bench_tmp/peer.m4a" "$bench_tmp/rlog"

# A 1-hour video Space (hls-mock.py vlong: 1800 MPEG-TS chunks of 2 s of
# H.264 + AAC from tests/gen-video.sh, each the first chunk again, so each
# chunk's timestamps start over and both tools close the jumps up) from
# the master_master_playlist of the mock's video tree, remuxed to MP4:
# spaces-record (best variant, parallel fetch, journal, lib/media/remux)
# against ffmpeg reading the variant playlist and copying the streams.
python3 "$top/tests/servers/hls-mock.py" vlong "$bench_tmp/vport" \
    "$bench_tmp/vlog" 3600 >/dev/null 2>&1 &
vmock=$!
i=0
while [ ! -s "$bench_tmp/vport" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
vnt=http://127.0.0.1:$(cat "$bench_tmp/vport")/Transcoding/v1/hls/TOK/non_transcode/us-east-1/periscope-replay-direct-prod-us-east-1-public
# The variant ffmpeg reads: the one spaces-record picks (the master's
# 720p rung), by its absolute path in the master.
vvar=http://127.0.0.1:$(cat "$bench_tmp/vport")$(curl -s \
    "$vnt/master_master_playlist.m3u8" | grep -v '^#' | tail -1)
row "record: 1 h video Space, 1800 TS chunks to MP4" \
    "spaces-record -q -f -o $bench_tmp/ours.mp4 --playlist $vnt/master_master_playlist.m3u8" \
    "ffmpeg -v error -y -i $vvar -c copy $bench_tmp/peer.mp4"
vframes() {
	ffprobe -v error -select_streams v:0 -show_entries stream=nb_frames \
	    -of default=nw=1:nk=1 "$1"
}
note "record 1 h video: video frames ours $(vframes "$bench_tmp/ours.mp4"), ffmpeg's $(vframes "$bench_tmp/peer.mp4") (of 108000 sent)"
kill "$vmock" 2>/dev/null
rm -f "$bench_tmp/ours.mp4" "$bench_tmp/peer.mp4" "$bench_tmp/vlog"
