#!/bin/sh
# record.sh: spaces-record against `ffmpeg -i replay.m3u8 -c copy out.m4a`
# on a 3-hour replay (3600 chunks of 3 s) served by the loopback mock
# (tests/servers/hls-mock.py long), and the ffmpeg output's duration
# error against ours (ours is frames x 1024, exact).  Both are bounded by
# the mock (one Python process) as much as by themselves.

python3 "$top/tests/servers/hls-mock.py" long "$bench_tmp/rport" \
    "$bench_tmp/rlog" 3600 >/dev/null 2>&1 &
rmock=$!
i=0
while [ ! -s "$bench_tmp/rport" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ru=http://127.0.0.1:$(cat "$bench_tmp/rport")/audio-space/playlist_1.m3u8
row "record: 3 h replay, 3600 chunks" \
    "spaces-record -q -f -o $bench_tmp/ours.m4a --playlist $ru" \
    "ffmpeg -v error -y -i $ru -c copy $bench_tmp/peer.m4a"
dts() {
	ffprobe -v error -select_streams a:0 -show_entries stream=duration_ts \
	    -of default=nw=1:nk=1 "$1"
}
awk -v a="$(dts "$bench_tmp/ours.m4a")" -v b="$(dts "$bench_tmp/peer.m4a")" \
    'BEGIN { printf "  ffmpeg duration error vs ours: %+d samples (%+.3f ms)\n", b - a, (b - a) / 48 }'
kill "$rmock" 2>/dev/null
rm -f "$bench_tmp/ours.m4a" "$bench_tmp/peer.m4a" "$bench_tmp/rlog"
