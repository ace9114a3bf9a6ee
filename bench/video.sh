#!/bin/sh
# video.sh: lib/remux (bench/remux.c drives it) against `ffmpeg -c copy`
# on an hour of H.264 + AAC in MPEG-TS (BENCH_VIDEO_SECONDS, default 3600),
# cut into 2-second X-shaped HLS segments by tests/gen-video.sh: ours
# reads the 1800 segment files in order, as spaces-record will hand them
# over; ffmpeg reads the same bytes in one file.  A note compares the two
# MP4s (frames, per-track durations) and the peak memory of ours, whose
# target is flat and under 32 MB.

vsecs=${BENCH_VIDEO_SECONDS:-3600}
vdir=$bench_tmp/video
sh "$top/tests/gen-video.sh" "$vdir" "$vsecs" >/dev/null 2>&1 ||
    echo "  gen-video.sh failed"
pkgs="libcurl jansson opus ogg opusfile sndfile libarchive libical libebur128
samplerate"
# shellcheck disable=SC2046
cc -O2 -I"$top/lib/base" -I"$top/lib/media" -o "$bench_tmp/remux" \
    "$top/bench/remux.c" "$build/libspaces.a" $(pkg-config --libs $pkgs) \
    -lfaad -lm -pthread \
    2>"$bench_tmp/cc.err" ||
    echo "  cannot build bench/remux.c against $build/libspaces.a:" \
    "$(head -c 200 "$bench_tmp/cc.err")"
segs=$(grep -v '^#' "$vdir/playlist.m3u8" | sed "s|^|$vdir/|" | tr '\n' ' ')
row "video: remux $vsecs s of TS to MP4" \
    "$bench_tmp/remux $bench_tmp/ours.mp4 $segs" \
    "ffmpeg -v error -y -i $vdir/whole.ts -c copy $bench_tmp/peer.mp4"
for f in ours peer; do
	ffprobe -v error -show_entries stream=codec_name,nb_frames,duration \
	    -of csv=p=0 "$bench_tmp/$f.mp4" | tr '\n' ' ' >"$bench_tmp/$f.p"
done
echo "  ours: $(cat "$bench_tmp/ours.p")| ffmpeg: $(cat "$bench_tmp/peer.p")"
awk -v k="$ok" 'BEGIN { printf "  our peak memory %.1f MB (target < 32)\n",
    k / 1024 }'
rm -rf "$vdir" "$bench_tmp/ours.mp4" "$bench_tmp/peer.mp4"
