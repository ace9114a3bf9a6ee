#!/bin/sh
# spaces-info: exact lengths against ffmpeg and ffprobe, the Spaces tags,
# loudness against ffmpeg's ebur128, speech stretches, bad input.
. "${0%/*}/../lib.sh"

AAC=$DATA/aac
MP4=$DATA/mp4
OPUS=$DATA/opus
PCM=$DATA/pcm

# decoded FILE: ffmpeg's decoded length in samples per channel.
decoded() {
	ch=$(ffprobe -v error -select_streams a:0 -show_entries \
	    stream=channels -of csv=p=0 "$1")
	bytes=$(ffmpeg -v error -i "$1" -map 0:a:0 -f s16le - | wc -c)
	echo $((bytes / 2 / ch))
}

# duration_ts FILE: ffprobe's stream length, which honours the edit list.
duration_ts() {
	ffprobe -v error -select_streams a:0 -show_entries \
	    stream=duration_ts -of csv=p=0 "$1"
}

t_case 'ADTS: exact samples = frames x 1024 = what ffmpeg decodes' '
	for f in speech-3s mono-44k crc space-chunks; do
		run spaces-info -j "$AAC/$f.aac" &&
		status 0 || exit 1
		got=$(jq .samples out) want=$(decoded "$AAC/$f.aac")
		[ "$got" = "$want" ] || { echo "$f: $got, ffmpeg $want"; exit 1; }
		[ "$(jq ".frames * 1024 == .samples" out)" = true ] || exit 1
	done
'

t_case 'ADTS: codec, rate, channels, duration, bitrate' '
	run spaces-info -j "$AAC/speech-3s.aac" &&
	jq_is "[.type, .container, .codec, .profile, .sample_rate, .channels, .frames]" \
	    "[\"media\",\"adts\",\"aac\",\"LC\",48000,2,142]" &&
	jq -e "(.duration - 142 * 1024 / 48000 | fabs) < 1e-9 and .bitrate > 50000 and .bitrate < 150000" out >/dev/null &&
	run spaces-info -j "$AAC/mono-44k.aac" &&
	jq_is "[.sample_rate, .channels]" "[44100,1]"
'

t_case 'Spaces audio: ID3 tags, junk, started_at from the NTP tag, Hydra' '
	run spaces-info -j "$AAC/space-chunks.aac" &&
	status 0 &&
	jq_is "[.id3_tags, .junk_bytes, .first_pts]" "[3,20,7681729410]" &&
	want=$(python3 - "$AAC/space-chunks.aac" <<-EOF
	# Walk the frames to the Hydra tag (byte 2565, README) on our own.
	import datetime, sys
	b = open(sys.argv[1], "rb").read()
	p = frames = 0
	while p < 2565:
	    if b[p:p + 3] == b"ID3":
	        p += 10 + (b[p + 6] << 21 | b[p + 7] << 14 | b[p + 8] << 7 | b[p + 9])
	        continue
	    p += (b[p + 3] & 3) << 11 | b[p + 4] << 3 | b[p + 5] >> 5
	    frames += 1
	t = 3856965984.391 - 2208988800 - frames * 1024 / 48000
	d = datetime.datetime.fromtimestamp(round(t, 3), datetime.timezone.utc)
	print(d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % round(d.microsecond / 1000))
	EOF
	) &&
	jq_is .started_at "\"$want\"" &&
	jq_is "[.hydra.participants_tags, .hydra.audio_level_tags, .hydra.audio_level_max]" "[1,1,0]"
'

t_case 'MP4: samples = ffprobe duration_ts, delay and padding, tags, chapters' '
	for f in speech faststart frag mono44 co64; do
		[ -f "$MP4/$f.m4a" ] || continue
		run spaces-info -j "$MP4/$f.m4a" && status 0 || exit 1
		got=$(jq .samples out) want=$(duration_ts "$MP4/$f.m4a")
		[ "$got" = "$want" ] || { echo "$f: $got, ffprobe $want"; cat err; exit 1; }
	done &&
	run spaces-info -j "$MP4/enc.m4a" &&
	jq_is "[.container, .codec, .encoder_delay]" "[\"mp4\",\"aac\",1024]" &&
	[ "$(jq .samples out)" = "$(duration_ts "$MP4/enc.m4a")" ] &&
	run spaces-info -j "$MP4/tagged.m4a" &&
	[ "$(jq -r ".tags.title" out)" = "$(ffprobe -v error -show_entries format_tags=title -of csv=p=0 "$MP4/tagged.m4a")" ] &&
	[ "$(jq ".chapters | length" out)" = "$(ffprobe -v error -show_chapters -of json "$MP4/tagged.m4a" | jq ".chapters | length")" ]
'

t_case 'Ogg Opus: samples = what ffmpeg decodes (pre-skip and end trim)' '
	for f in "$OPUS/stereo.opus" "$OPUS/mono.opus" "$OPUS/ffmpeg.opus" \
	    "$PCM/stereo-48k.opus"; do
		run spaces-info -j "$f" && status 0 || exit 1
		got=$(jq .samples out) want=$(decoded "$f")
		[ "$got" = "$want" ] || { echo "$f: $got, ffmpeg $want"; exit 1; }
	done &&
	jq_is "[.container, .codec, .sample_rate]" "[\"ogg\",\"opus\",48000]" &&
	jq -e ".encoder_delay > 0" out >/dev/null
'

t_case 'WAV, FLAC, MP3, Vorbis: samples = what ffmpeg decodes' '
	for f in mono-44k.wav stereo-48k.flac stereo-44k.mp3 noxing-44k.mp3 \
	    mono-44k.ogg; do
		run spaces-info -j "$PCM/$f" && status 0 || exit 1
		got=$(jq .samples out) want=$(decoded "$PCM/$f")
		[ "$got" = "$want" ] || { echo "$f: $got, ffmpeg $want"; exit 1; }
	done
'

t_case 'the content decides, not the name' '
	cp "$AAC/speech-3s.aac" talk.m4a && cp "$PCM/stereo-48k.flac" x.aac &&
	run spaces-info -j talk.m4a && jq_is .container "\"adts\"" &&
	run spaces-info -j x.aac && jq_is .container "\"flac\""
'

t_case '--loudness: within 0.1 LU of ffmpeg ebur128' '
	for f in "$AAC/speech-3s.aac" "$PCM/stereo-48k.flac" "$MP4/speech.m4a"; do
		run spaces-info -j --loudness "$f" && status 0 || exit 1
		ff=$(ffmpeg -nostats -hide_banner -i "$f" -af ebur128=peak=true -f null - 2>&1 |
		    sed -n "s/^ *I: *\(-*[0-9.]*\) LUFS/\1/p" | tail -n 1)
		ours=$(jq .loudness.integrated out)
		awk -v a="$ours" -v b="$ff" "BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.1) }" ||
		    { echo "$f: ours $ours, ffmpeg $ff"; exit 1; }
	done
'

t_case '--silences: clip records after the media record, in order' '
	run spaces-info -j --silences "$PCM/pauses.opus" &&
	status 0 &&
	head -n 1 out | jq -e ".type == \"media\"" >/dev/null &&
	tail -n +2 out >clips &&
	[ "$(wc -l <clips)" -ge 2 ] &&
	jq -s -e "all(.[]; .type == \"clip\" and .start < .end and .input != null) and
	    ([.[].start] == ([.[].start] | sort)) and (.[0].index == 1)" clips >/dev/null &&
	jq -s -e "[.[] | .end] | max <= $(jq .duration out | head -n 1) + 0.001" clips >/dev/null
'

t_case 'stdin is the same as the file' '
	spaces-info -j "$AAC/space-chunks.aac" | jq -c "del(.path)" >want &&
	spaces-info -j - <"$AAC/space-chunks.aac" >got.raw &&
	jq -r .path got.raw | grep -qx -- - &&
	jq -c "del(.path)" got.raw >got &&
	diff -u want got
'

t_case 'a bad file: named, exit 2, the next file still described' '
	printf "not audio at all\n" >bad.aac &&
	head -c 3000 "$MP4/speech.m4a" >cut.m4a &&
	run spaces-info -j bad.aac cut.m4a "$AAC/speech-3s.aac" nosuch.wav &&
	status 2 &&
	err_has "^spaces-info: '"'"'bad.aac'"'"': " &&
	err_has "^spaces-info: '"'"'cut.m4a'"'"': " &&
	err_has "^spaces-info: '"'"'nosuch.wav'"'"': " &&
	[ "$(wc -l <out)" = 1 ] &&
	jq_is .frames 142
'

t_case 'a cut last frame: a warning, and it is not counted' '
	size=$(wc -c <"$AAC/speech-3s.aac") &&
	head -c $((size - 100)) "$AAC/speech-3s.aac" >cut.aac &&
	run spaces-info -j cut.aac &&
	status 0 &&
	jq_is .frames 141 &&
	err_has "cut short" &&
	run spaces-info -q -j cut.aac &&
	err_empty
'

t_case 'the summary for a person' '
	run spaces-info --table "$AAC/space-chunks.aac" &&
	status 0 &&
	out_has "space-chunks.aac: adts aac LC, 48000 Hz, 2 channels, 0:03.029 (145408 samples)" &&
	out_has "^  started at 20" &&
	out_has "^  3 ID3 tags"
'

t_case 'usage errors and a full stdout' '
	run spaces-info && status 2 &&
	run spaces-info --threshold 5 x && status 2 &&
	run spaces-info --min-silence soon x && status 2 &&
	run spaces-info - - && status 2 &&
	spaces-info -j "$AAC/speech-3s.aac" >/dev/full 2>err;
	[ $? -eq 3 ] && err_has "write error"
'

t_end
