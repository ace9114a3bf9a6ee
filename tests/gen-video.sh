#!/bin/sh
# gen-video.sh DIR [SECONDS] [FPS] [BFRAMES]: an H.264 + AAC test stream
# cut into X-shaped HLS segments: MPEG-TS chunks, each starting with
# PAT/PMT and a keyframe (RFC 8216 3.2; spaces-record(1) CAVEATS), 2 s long,
# named like X's audio chunks with a _v suffix (the real video suffix is
# unverified), and a replay playlist ending in #EXT-X-ENDLIST.
#   DIR/whole.ts   the stream in one piece (what the segments cut)
#   DIR/chunk_<ns>_<seq>_v.ts, DIR/playlist.m3u8
# Video: testsrc2 320x240, libx264 (Debian's ffmpeg has it), keyframe every
# 2 s, BFRAMES B-frames (default 2: composition offsets); audio: AAC-LC
# 48 kHz stereo 96 kb/s in ADTS, as X's audio chunks.
set -eu
dir=$1 secs=${2:-6} fps=${3:-30} bf=${4:-2}
mkdir -p "$dir"
gop=$((fps * 2))
ffmpeg -nostdin -v error -y \
    -f lavfi -i "testsrc2=size=320x240:rate=$fps" \
    -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000" \
    -t "$secs" -map 0:v -map 1:a \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -bf "$bf" \
    -x264-params "keyint=$gop:min-keyint=$gop:scenecut=0" \
    -c:a aac -b:a 96k -ac 2 -ar 48000 \
    -f mpegts "$dir/whole.ts"
ffmpeg -nostdin -v error -y -i "$dir/whole.ts" -map 0 -c copy \
    -f hls -hls_time 2 -hls_list_size 0 -hls_playlist_type vod \
    -hls_segment_filename "$dir/seg_%d.ts" "$dir/ffmpeg.m3u8"
# Rename to X's pattern: chunk_<19-digit ns>_<media sequence>_v.ts.
awk -v dir="$dir" '
/^seg_[0-9]+\.ts$/ {
	n = substr($0, 5); sub(/\.ts$/, "", n)
	name = sprintf("chunk_%d%09d_%d_v.ts", 1720192654 + 2 * n, 637762497, n)
	system("mv \"" dir "/" $0 "\" \"" dir "/" name "\"")
	print name; next
}
/^#EXT-X-MEDIA-SEQUENCE/ { print; print "#EXT-X-INDEPENDENT-SEGMENTS"; next }
{ print }' "$dir/ffmpeg.m3u8" >"$dir/playlist.m3u8"
rm -f "$dir/ffmpeg.m3u8"
