#!/bin/sh
# Video Spaces in spaces-info and spaces-clip: H.264 + AAC in MP4 and
# MPEG-TS made at test time (tests/gen-video.sh), checked against ffprobe,
# ffmpeg's decoder and mediainfo.
. "${0%/*}/../lib.sh"

# One stream for every case: 6 s, 30 fps, keyframe every 2 s, B-frames.
V=$t_tmp/video
sh "$TOP/tests/gen-video.sh" "$V" 6 >/dev/null 2>&1 || {
	echo "gen-video.sh failed"; exit 1; }
ffmpeg -nostdin -v error -y -i "$V/whole.ts" -c copy "$V/ff.mp4" || exit 1

# probe FILE STREAM ENTRIES: ffprobe's csv line for one stream.
probe() {
	ffprobe -v error -select_streams "$2" -show_entries "stream=$3" \
	    -of csv=p=0 "$1"
}

# frames FILE [FROM TO]: the MD5 of each decoded video frame, one a line
# (FROM TO: only those presented in [FROM, TO) seconds).
frames() {
	if [ $# -gt 1 ]; then
		set -- "$1" -vf "select='gte(t\,$2-0.0001)*lt(t\,$3-0.0001)'"
	fi
	f=$1; shift
	ffmpeg -nostdin -v error -i "$f" -map 0:v "$@" -vsync 0 \
	    -f framemd5 - | grep -v '^#' | awk -F, '{ print $6 }'
}

t_case 'spaces-info on an H.264 + AAC MP4: what ffprobe says' '
	run spaces-info -j "$V/ff.mp4" && status 0 &&
	jq_is "[.container, .codec, .sample_rate, .channels, .video.codec, .video.profile, .video.width, .video.height, .video.frame_rate, .video.frames, .video.keyframes, .video.b_frames]" \
	    "[\"mp4\",\"aac\",48000,2,\"h264\",\"High\",320,240,30,180,3,true]" &&
	[ "$(probe "$V/ff.mp4" v codec_name,profile,width,height,r_frame_rate,nb_frames)" = "h264,High,320,240,30/1,180" ] &&
	keys=$(ffprobe -v error -select_streams v -skip_frame nokey \
	    -show_entries frame=pts -of csv=p=0 "$V/ff.mp4" | grep -c .) &&
	[ "$(jq .video.keyframes out)" = "$keys" ] &&
	jq_is ".video.keyframe_interval" 2 &&
	jq_is ".video.duration" 6 &&
	[ "$(jq .frames out)" = "$(probe "$V/ff.mp4" a nb_frames)" ]
'

t_case 'spaces-info on MPEG-TS: the same stream, exact per track' '
	run spaces-info -j "$V/whole.ts" && status 0 &&
	jq_is "[.container, .video.frames, .video.keyframes, .video.width, .video.duration, .frames, .samples]" \
	    "[\"mpegts\",180,3,320,6,283,289792]" &&
	got=$(jq .video.start out) &&
	[ "$got" = 0.0213333333333 ] &&
	# mediainfo counts the same frames in the MP4 remux.
	mi=$(mediainfo --Inform="Video;%Width%x%Height% %FrameRate%" "$V/ff.mp4") &&
	[ "$mi" = "320x240 30.000" ] || { echo "mediainfo: $mi"; exit 1; }
'

t_case 'spaces-info prints video on a terminal table' '
	run spaces-info --table "$V/whole.ts" && status 0 &&
	out_has "^  video: h264 High@1.3, 320x240, 30.000 fps, 0:06.000 (180 frames), keyframe every 2.00 s (at most 2.00), B-frames$"
'

t_case 'spaces-info --loudness: from an MP4 it measures, from TS it refuses' '
	run spaces-info -j --loudness "$V/ff.mp4" && status 0 &&
	jq -e ".loudness.integrated < 0" out >/dev/null &&
	run spaces-info --loudness "$V/whole.ts" && status 2 && err_one_line &&
	err_has "remux it to .m4a first"
'

t_case 'spaces-clip to MP4: starts at the asked time, the frames of the source' '
	run spaces-clip -j -s 2.5 -e 4.25 -o clip.mp4 "$V/ff.mp4" &&
	status 0 && err_empty &&
	jq_is "[.start, .end, .lossless, .format, .keyframe < 2.5]" \
	    "[2.5,4.25,true,\"mp4\",true]" &&
	[ "$(probe clip.mp4 v start_time,duration)" = "0.000000,1.750000" ] &&
	[ "$(probe clip.mp4 a start_time,duration)" = "0.000000,1.750000" ] &&
	first=$(ffprobe -v error -select_streams v -show_entries \
	    frame=pts_time -of csv=p=0 clip.mp4 | head -1) &&
	[ "$first" = 0.000000 ] &&
	frames clip.mp4 >got && frames "$V/ff.mp4" 2.5 4.25 >want &&
	[ "$(wc -l <got)" -eq 52 ] && cmp got want &&
	# mediainfo agrees on the length
	[ "$(mediainfo --Inform="General;%Duration%" clip.mp4)" = 1750 ]
'

t_case 'spaces-clip to MP4: the audio is the lossless M4A cut of the range' '
	run spaces-clip -s 2.5 -e 4.25 -o clip.mp4 "$V/ff.mp4" && status 0 &&
	run spaces-clip -s 2.5 -e 4.25 -o clip.m4a "$V/ff.mp4" && status 0 &&
	[ "$(probe clip.m4a a codec_name,duration_ts)" = "aac,84000" ] &&
	[ -z "$(probe clip.m4a v codec_name)" ] &&
	a=$(ffmpeg -v error -i clip.mp4 -map 0:a -f md5 -) &&
	b=$(ffmpeg -v error -i clip.m4a -map 0:a -f md5 -) &&
	[ "$a" = "$b" ]
'

t_case 'spaces-clip from the first frame and to the very end' '
	run spaces-clip -s 0 -o all.mp4 "$V/ff.mp4" && status 0 &&
	frames all.mp4 >got && frames "$V/ff.mp4" >want && cmp got want &&
	run spaces-clip -s 4 -d 2 -o tail.mp4 "$V/ff.mp4" && status 0 &&
	# 4 s is just before the last keyframe (4.021 s): the one before
	# is carried, 120 frames, of which 60 are shown.
	[ "$(probe tail.mp4 v nb_frames)" = 120 ] &&
	frames tail.mp4 >got && frames "$V/ff.mp4" 4 6 >want &&
	[ "$(wc -l <got)" -eq 60 ] && cmp got want
'

t_case 'spaces-clip of an MP4 with negative composition offsets (ctts v1)' '
	ffmpeg -nostdin -v error -y -i "$V/whole.ts" -c copy \
	    -movflags negative_cts_offsets neg.mp4 &&
	run spaces-clip -s 2.5 -e 4.25 -o clip.mp4 neg.mp4 && status 0 &&
	frames clip.mp4 >got && frames neg.mp4 2.5 4.25 >want &&
	[ "$(wc -l <got)" -eq 52 ] && cmp got want
'

t_case 'spaces-clip to MP4: iTunes tags as ffprobe reads them' '
	run spaces-clip -s 1 -e 2 --title "Ünïcode talk" --artist Host \
	    --album Spaces --comment "the pilot" -o tagged.mp4 "$V/ff.mp4" &&
	status 0 && err_empty &&
	ffprobe -v error -show_entries format_tags=title,artist,album,comment \
	    -of json tagged.mp4 | jq -c .format.tags >got &&
	echo "{\"title\":\"Ünïcode talk\",\"artist\":\"Host\",\"album\":\"Spaces\",\"comment\":\"the pilot\"}" >want &&
	diff -u want got
'

t_case 'spaces-clip refuses to transcode video' '
	run spaces-clip --reencode -s 1 -e 2 -o x.mp4 "$V/ff.mp4" &&
	status 2 && err_one_line && err_has "never re-encoded" &&
	[ ! -e x.mp4 ] &&
	run spaces-clip --mono -s 1 -e 2 -o x.mp4 "$V/ff.mp4" && status 2 &&
	run spaces-clip -s 1 -e 9 -o x.mp4 "$V/ff.mp4" && status 2 &&
	err_has "past the end" && [ ! -e x.mp4 ] &&
	run spaces-clip -s 1 -e 2 -o - --format mp4 "$V/ff.mp4" && status 2
'

t_case 'spaces-clip from MPEG-TS: remuxed, then cut the same way' '
	mkdir tmp &&
	TMPDIR=$PWD/tmp run spaces-clip -j -s 2.5 -e 4.25 -o ts.mp4 \
	    "$V/whole.ts" &&
	status 0 && err_empty &&
	[ "$(probe ts.mp4 v start_time,duration)" = "0.000000,1.750000" ] &&
	frames ts.mp4 >got && frames "$V/ff.mp4" 2.5 4.25 >want &&
	[ "$(wc -l <got)" -eq 52 ] && cmp got want &&
	# its temporary MP4 is gone
	[ -z "$(ls tmp)" ]
'

t_end
