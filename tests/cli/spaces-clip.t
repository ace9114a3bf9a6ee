#!/bin/sh
# spaces-clip: lossless sample-exact cuts and podcast exports, checked with
# ffprobe, ffmpeg, opusinfo and python3-mutagen.
. "${0%/*}/../lib.sh"

AAC=$DATA/aac
MP4=$DATA/mp4
OPUS=$DATA/opus
PCM=$DATA/pcm

duration_ts() {
	ffprobe -v error -select_streams a:0 -show_entries \
	    stream=duration_ts -of csv=p=0 "$1"
}

# decoded FILE: ffmpeg's decoded length in samples per channel.
decoded() {
	ch=$(ffprobe -v error -select_streams a:0 -show_entries \
	    stream=channels -of csv=p=0 "$1")
	bytes=$(ffmpeg -v error -i "$1" -map 0:a:0 -f s16le - | wc -c)
	echo $((bytes / 2 / ch))
}

# lag SOURCE CLIP OFFSET: the lag (in samples, -8..8) at which ffmpeg's
# decode of CLIP best matches ffmpeg's decode of SOURCE from OFFSET.
lag() {
	ffmpeg -v error -i "$1" -ac 1 -f s16le src.raw &&
	ffmpeg -v error -i "$2" -ac 1 -f s16le clip.raw &&
	python3 - "$3" <<-EOF
	import struct, sys
	off = int(sys.argv[1])
	s = open("src.raw", "rb").read(); c = open("clip.raw", "rb").read()
	s = struct.unpack("<%dh" % (len(s) // 2), s)
	c = struct.unpack("<%dh" % (len(c) // 2), c)
	n = min(9600, len(c) - 2400)
	def score(k):
	    return sum(c[2400 + i] * s[off + 2400 + i + k] for i in range(0, n, 3))
	print(max(range(-8, 9), key=score))
	EOF
}

t_case 'ADTS to M4A: sample-exact by duration_ts, aligned at lag 0' '
	run spaces-clip -j -s 0.7654 -e 2.4321 -o c.m4a "$AAC/speech-3s.aac" &&
	status 0 && err_empty &&
	want=$(python3 -c "print(round(2.4321 * 48000) - round(0.7654 * 48000))") &&
	[ "$(duration_ts c.m4a)" = "$want" ] &&
	jq_is "[.lossless, .samples, .format]" "[true,$want,\"m4a\"]" &&
	ffprobe -v warning c.m4a 2>probe.err && [ ! -s probe.err ] &&
	[ "$(lag "$AAC/speech-3s.aac" c.m4a $(python3 -c "print(round(0.7654 * 48000))"))" = 0 ]
'

t_case 'M4A to M4A: sample-exact, the edit list shown by ffprobe' '
	run spaces-clip -s 0.3333 -d 1.5 -o c.m4a "$MP4/speech.m4a" &&
	status 0 &&
	[ "$(duration_ts c.m4a)" = 72000 ] &&
	ffprobe -v error -show_entries stream=start_pts,duration_ts -of json c.m4a >p.json &&
	jq -e ".streams[0].duration_ts == 72000" p.json >/dev/null
'

t_case 'Opus to Opus: the decoded length is exact, opusinfo is clean' '
	run spaces-clip -j -s 0.2571 -e 2.1 -o c.opus "$OPUS/stereo.opus" &&
	status 0 &&
	want=$(python3 -c "print(round(2.1 * 48000) - round(0.2571 * 48000))") &&
	[ "$(decoded c.opus)" = "$want" ] &&
	opusinfo c.opus >info 2>&1 && ! grep -qi "warning\|error" info &&
	jq_is .lossless true &&
	[ "$(lag "$OPUS/stereo.opus" c.opus $(python3 -c "print(round(0.2571 * 48000))"))" = 0 ]
'

t_case 'raw ADTS out: frame-accurate, says so with the real boundaries' '
	run spaces-clip -j -s 0.5 -e 1.5 -o c.aac "$AAC/speech-3s.aac" &&
	status 0 &&
	err_has "frame-accurate only" &&
	jq -e ".real_start <= 0.5 and .real_end >= 1.5 and .samples % 1024 == 0" out >/dev/null &&
	[ "$(jq .samples out)" = "$(decoded c.aac)" ]
'

t_case 'the whole input when no times are given' '
	run spaces-clip -o all.m4a "$AAC/speech-3s.aac" &&
	status 0 &&
	[ "$(duration_ts all.m4a)" = 145408 ]
'

t_case 'a time past the end says the real duration, exit 2' '
	run spaces-clip -s 1 -e 9 -o c.m4a "$AAC/speech-3s.aac" &&
	status 2 &&
	err_has "past the end of .* (0:03.029)" &&
	[ ! -e c.m4a ] &&
	run spaces-clip -s 2 -e 1 -o c.m4a "$AAC/speech-3s.aac" &&
	status 2 && err_has "not before the end"
'

t_case 'a clip list: records and lines, a bad line named, the rest cut' '
	cat >clips <<-EOF &&
	{"type":"media","path":"x"}
	{"type":"clip","index":1,"start":0.1,"end":0.9,"title":"Intro & News!"}
	# a comment
	1.0 1.8 Second part
	1.9 nonsense
	2.0 2.9
	EOF
	run spaces-clip -j --clips clips -o "part-%02n-%t.m4a" "$AAC/speech-3s.aac" &&
	status 2 &&
	err_has "clips line 5: END is not a time" &&
	[ "$(ls part-* | tr "\n" " ")" = "part-01-intro-news.m4a part-02-second-part.m4a part-03-clip.m4a " ] &&
	[ "$(wc -l <out)" = 3 ] &&
	[ "$(duration_ts part-02-second-part.m4a)" = 38400 ]
'

t_case 'clips from spaces-info --silences, through a pipe' '
	spaces-info -j --silences "$PCM/pauses.opus" >info.ndjson &&
	n=$(grep -c "\"type\":\"clip\"" info.ndjson) &&
	spaces-clip --clips - -o "s%n.opus" "$PCM/pauses.opus" <info.ndjson &&
	[ "$(ls s*.opus | wc -l)" = "$n" ]
'

t_case 'to a pipe: aac, opus, mp3, wav yes; m4a refused with the reason' '
	spaces-clip -s 0.5 -e 1.5 --format aac -o - "$AAC/speech-3s.aac" >p.aac 2>/dev/null &&
	[ "$(decoded p.aac)" -gt 40000 ] &&
	run spaces-clip -o - --format m4a "$AAC/speech-3s.aac" &&
	status 2 && err_has "M4A.*index" &&
	run spaces-clip -o - "$AAC/speech-3s.aac" &&
	status 2
'

# ebu FILE: ffmpeg's integrated loudness and true peak of FILE.
ebu() {
	ffmpeg -nostats -hide_banner -i "$1" -af ebur128=peak=true -f null - 2>ebu.log &&
	i=$(sed -n "s/^ *I: *\(-*[0-9.]*\) LUFS/\1/p" ebu.log | tail -n 1) &&
	p=$(sed -n "s/^ *Peak: *\(-*[0-9.]*\) dBFS/\1/p" ebu.log | tail -n 1)
}

t_case 'MP3 at a loudness target: ffmpeg measures it within 0.2 LU' '
	run spaces-clip -j --loudness -23 -o c.mp3 "$PCM/pauses.opus" &&
	status 0 && err_empty &&
	ebu c.mp3 &&
	awk -v i="$i" -v p="$p" "BEGIN { d = i + 23; if (d < 0) d = -d; exit !(d <= 0.2 && p <= -1) }" ||
	    { echo "I $i LUFS, true peak $p"; exit 1; }
'

t_case 'at -16 LUFS the true-peak ceiling wins, and it says by how much' '
	run spaces-clip -j --loudness -16 --true-peak -1 -o c.mp3 "$PCM/pauses.opus" &&
	status 0 &&
	err_has "the true-peak ceiling -1.0 dBTP holds it at .* LU short of -16.0" &&
	ebu c.mp3 &&
	awk -v p="$p" "BEGIN { exit !(p <= -0.5) }" || { echo "true peak $p"; exit 1; }
'

# near A B TOL: |A - B| <= TOL.
near() {
	awk -v a="$1" -v b="$2" -v t="$3" "BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }" ||
	    { echo "$1 is not within $3 of $2"; return 1; }
}

# loudness_ok FILE TARGET: ffmpeg reads FILE within 0.2 LU of TARGET
# (it prints one decimal), its true peak at or under -1 dBTP, and the
# record of FILE says what ffmpeg says, to its rounding.
loudness_ok() {
	ebu "$1" && near "$i" "$2" 0.2 &&
	awk -v p="$p" "BEGIN { exit !(p <= -1) }" || { echo "$1: true peak $p"; return 1; } &&
	near "$(jq ".loudness" out)" "$i" 0.06 && near "$(jq ".true_peak" out)" "$p" 0.3
}

t_case 'speech to MP3 and Opus, -16 and -19 mono: the file meets the target' '
	S=$DATA/demo/speech.aac &&
	for t in -16 -19; do
		for f in mp3 opus; do
			run spaces-clip -j --mono --loudness $t -o c$t.$f "$S" &&
			status 0 && err_empty &&
			jq_is "[.format, .encodes]" "[\"$f\",2]" &&
			loudness_ok c$t.$f $t &&
			[ "$(ls -A | grep -c "^\.c")" = 0 ] || exit 1
		done
	done
'

t_case 'the record and the note describe the file kept, as spaces-info reads it' '
	run spaces-clip -j --loudness -16 --true-peak -1 -o c.opus "$PCM/pauses.opus" &&
	status 0 && cp out rec && cp err note &&
	spaces-info -j --loudness c.opus >info &&
	[ "$(jq -c "[.loudness, .true_peak]" rec)" = \
	    "$(jq -c "[.loudness.integrated, .loudness.true_peak]" info)" ] &&
	grep -q "holds it at $(jq ".loudness" rec | xargs printf "%.1f") LUFS" note &&
	if [ "$(jq ".true_peak > -1" rec)" = true ]; then
		grep -q "true peak is .* after encoding, over the ceiling -1.0" note
	else
		! grep -q "over the ceiling" note
	fi
'

t_case 'held by the ceiling, MP3 gets back what LAME took, under the ceiling' '
	run spaces-clip -j --loudness -16 --true-peak -1 -o c.mp3 "$PCM/pauses.opus" &&
	status 0 &&
	run spaces-clip -j --loudness -16 --true-peak -1 -o c.wav "$PCM/pauses.opus" &&
	wav_gain=$(jq .gain out) &&
	run spaces-clip -f -j --loudness -16 --true-peak -1 -o c.mp3 "$PCM/pauses.opus" &&
	jq -e ".encodes == 2 and .gain > $wav_gain + 0.2 and .true_peak <= -1" out >/dev/null &&
	ebu c.mp3 && awk -v p="$p" "BEGIN { exit !(p <= -1) }" &&
	[ -z "$(ls -A | grep "^\.")" ]
'

t_case 'FLAC and WAV at a loudness: one encode, no correction' '
	for f in flac wav; do
		run spaces-clip -j --mono --loudness -19 -o c.$f "$DATA/demo/speech.aac" &&
		status 0 && err_empty &&
		jq -e ".encodes == 1 and .loudness == -19" out >/dev/null &&
		loudness_ok c.$f -19 || exit 1
	done
'

t_case 'silence has no loudness: left as it is, measured, not corrected' '
	ffmpeg -v error -f lavfi -i anullsrc=r=48000:cl=mono -t 3 s.wav &&
	run spaces-clip -j --loudness -16 -o s.mp3 s.wav &&
	status 0 && err_empty &&
	jq_is "[.gain, .loudness, .true_peak, .encodes]" "[0,null,null,1]"
'

t_case 'to a pipe: encoded once, at the gain measured before encoding' '
	spaces-clip -q --loudness -16 --format mp3 -o - "$DATA/demo/speech.aac" >p.mp3 &&
	ebu p.mp3 && near "$i" -16.4 0.15
'

t_case 'MP3 tags and chapters: ID3v2 CHAP under a CTOC, read by mutagen' '
	printf "0 Opening\n1.2 Middle\n2.5 End part\n" >ch.txt &&
	run spaces-clip --reencode --title "Episode 1" --artist Host --album Show \
	    --chapters ch.txt -s 1 -e 3 -o c.mp3 "$AAC/speech-3s.aac" &&
	status 0 &&
	/usr/bin/python3 - c.mp3 >m.out <<-EOF &&
	import sys
	from mutagen.id3 import ID3
	t = ID3(sys.argv[1])
	print(t["TIT2"].text[0], t["TPE1"].text[0], t["TALB"].text[0])
	toc = t.getall("CTOC")[0]
	print(len(toc.child_element_ids), int(toc.flags))
	for c in sorted(t.getall("CHAP"), key=lambda c: c.start_time):
	    print(c.start_time, c.sub_frames["TIT2"].text[0])
	EOF
	printf "Episode 1 Host Show\n3 3\n0 Opening\n200 Middle\n1500 End part\n" >want &&
	diff -u want m.out
'

t_case 'a corrected MP3 and Opus keep their tags and chapters' '
	printf "0 Opening\n4 Middle\n" >ch.txt &&
	for f in mp3 opus; do
		run spaces-clip -j --loudness -19 --title "Episode 1" --chapters ch.txt \
		    -s 1 -e 9 -o c.$f "$DATA/demo/speech.aac" &&
		status 0 && jq_is .encodes 2 &&
		ffprobe -v error -show_chapters -show_entries \
		    format_tags=title:stream_tags=title -of json c.$f >p.json &&
		jq -e ".chapters | length == 2" p.json >/dev/null &&
		[ "$(jq -r "[.format.tags, .streams[0].tags | .title?, .TITLE?] |
		    map(select(.)) | first" p.json)" = "Episode 1" ] ||
		    { cat p.json; exit 1; }
	done
'

t_case 'Opus export: --mono, exact length, chapters as CHAPTERxxx comments' '
	printf "0 A\n1 B\n" >ch.txt &&
	run spaces-clip --mono --chapters ch.txt -s 0.25 -e 1.75 -o m.opus "$PCM/stereo-48k.opus" &&
	status 0 &&
	[ "$(ffprobe -v error -show_entries stream=channels -of csv=p=0 m.opus)" = 1 ] &&
	[ "$(decoded m.opus)" = 72000 ] &&
	[ "$(ffprobe -v error -show_chapters -of json m.opus | jq ".chapters | length")" = 2 ]
'

t_case 'M4A chapters shift with the clip; --chapters-json writes them' '
	printf "0 Opening\n1.2 Middle\n2.5 End part\n" >ch.txt &&
	run spaces-clip --chapters ch.txt --chapters-json c.json -s 1 -e 3 -o c.m4a "$AAC/speech-3s.aac" &&
	status 0 &&
	ffprobe -v error -show_chapters -of json c.m4a | jq -c "[.chapters[].tags.title]" >got &&
	echo "[\"Opening\",\"Middle\",\"End part\"]" >want && diff -u want got &&
	python3 -c "
import json
d = json.load(open(\"c.json\"))
assert d[\"version\"] == \"1.2.0\", d
print([(c[\"startTime\"], c[\"title\"]) for c in d[\"chapters\"]])" >j &&
	echo "[(0, '"'"'Opening'"'"'), (0.2, '"'"'Middle'"'"'), (1.5, '"'"'End part'"'"')]" >want &&
	diff -u want j &&
	AtomicParsley c.m4a -T >tree 2>&1 &&
	grep -q "^Atom mdat @" tree && ! grep "Atom  @" tree &&
	/usr/bin/python3 -c "
import sys
from mutagen.mp4 import MP4
print([(c.title, round(c.start, 3)) for c in MP4(sys.argv[1]).chapters])" c.m4a >m &&
	echo "[('"'"'Opening'"'"', 0.0), ('"'"'Middle'"'"', 0.2), ('"'"'End part'"'"', 1.5)]" >want &&
	diff -u want m
'

t_case '--fade-in and --fade-out ramp the ends; --bitrate is honoured' '
	spaces-clip -s 1 -e 7 -o plain.wav "$PCM/pauses.opus" &&
	spaces-clip --fade-in 0.5 --fade-out 0.5 -s 1 -e 7 -o faded.wav "$PCM/pauses.opus" &&
	python3 - <<-EOF &&
	import struct, wave
	def pcm(f):
	    w = wave.open(f)
	    b = w.readframes(w.getnframes())
	    return struct.unpack("<%dh" % (len(b) // 2), b)
	a, b = pcm("plain.wav"), pcm("faded.wav")
	assert len(a) == len(b) == 6 * 48000, (len(a), len(b))
	head = lambda x: max(abs(v) for v in x[:480])
	mid = slice(48000, 5 * 48000)
	assert head(b) <= 0.05 * max(1, head(a)) + 1, (head(a), head(b))
	assert max(abs(v) for v in b[-480:]) <= 0.05 * max(1, max(abs(v) for v in a[-480:])) + 1
	assert a[mid] == b[mid]
	EOF
	spaces-clip --bitrate 24 -o low.opus "$PCM/pauses.opus" &&
	br=$(ffprobe -v error -show_entries format=bit_rate -of csv=p=0 low.opus) &&
	[ "$br" -gt 16000 ] && [ "$br" -lt 30000 ] || { echo "bit_rate $br"; exit 1; }
'

t_case 'processing with M4A output is refused: no AAC encoder here' '
	run spaces-clip --mono -o c.m4a "$AAC/speech-3s.aac" &&
	status 2 && err_has "no AAC encoder" && [ ! -e c.m4a ]
'

t_case 'an existing output is kept without -f; an unwritable one is exit 3' '
	echo keep >c.m4a &&
	run spaces-clip -s 0 -e 1 -o c.m4a "$AAC/speech-3s.aac" &&
	status 1 && [ "$(cat c.m4a)" = keep ] &&
	run spaces-clip -f -s 0 -e 1 -o c.m4a "$AAC/speech-3s.aac" &&
	status 0 && [ "$(duration_ts c.m4a)" = 48000 ] &&
	mkdir ro && chmod 555 ro &&
	run spaces-clip -s 0 -e 1 -o ro/c.m4a "$AAC/speech-3s.aac" &&
	{ [ "$(id -u)" = 0 ] || { status 3 && [ -z "$(ls -A ro)" ]; }; } &&
	(trap "" XFSZ; ulimit -f 10; spaces-clip -s 0 -e 2 -o big.wav --format wav "$AAC/speech-3s.aac") 2>err;
	[ $? -eq 3 ] && [ ! -e big.wav ] && [ -z "$(ls -A | grep "^\.big")" ]
'

t_case 'stdin input; usage errors' '
	spaces-clip -s 0 -e 1 -o s.m4a - <"$AAC/speech-3s.aac" &&
	[ "$(duration_ts s.m4a)" = 48000 ] &&
	# A named pipe, lossless and measured: kept in a file like -.
	mkfifo fifo &&
	{ cat "$AAC/speech-3s.aac" >fifo & } &&
	timeout 20 spaces-clip -s 0 -e 1 -o p.m4a fifo && wait &&
	cmp s.m4a p.m4a &&
	spaces-clip -q -s 0 -e 2 --loudness -16 -o f.mp3 "$AAC/speech-3s.aac" &&
	{ cat "$AAC/speech-3s.aac" >fifo & } &&
	timeout 20 spaces-clip -q -s 0 -e 2 --loudness -16 -o p.mp3 fifo &&
	wait && cmp f.mp3 p.mp3 &&
	run spaces-clip -e 1 -d 1 -o x.m4a "$AAC/speech-3s.aac" && status 2 &&
	run spaces-clip -s soon -o x.m4a "$AAC/speech-3s.aac" && status 2 &&
	run spaces-clip "$AAC/speech-3s.aac" && status 2 &&
	run spaces-clip -o x.ogx "$AAC/speech-3s.aac" && status 2 &&
	printf "0 1\n1 2\n" >two &&
	run spaces-clip --clips two -o x.m4a "$AAC/speech-3s.aac" && status 2 &&
	err_has "several clips need a template" &&
	run spaces-clip -o x.m4a nosuch.aac && status 2
'

t_case 'an endless --clips line stops at 16 MiB; --clips DIR is exit 2' '
	run timeout 60 spaces-clip --clips /dev/zero -o "c%n.wav" "$AAC/speech-3s.aac" &&
	status 2 && err_has "clips line 1: longer than 16 MiB" &&
	{ printf "0 1 One\n"; head -c 17000000 /dev/zero | tr "\\0" x; printf "\n2 3\n"; } >long &&
	run spaces-clip --clips long -o "c%n.wav" "$AAC/speech-3s.aac" &&
	status 2 && err_has "clips line 2: longer than 16 MiB" && [ -e c1.wav ] &&
	run spaces-clip --clips / -o "c%n.wav" "$AAC/speech-3s.aac" &&
	status 2 && err_one_line && err_has "cannot [a-z]* ./.: Is a directory" &&
	run timeout 60 spaces-clip -o z.wav /dev/zero &&
	status 2 && err_one_line && err_has "not a supported audio file" &&
	run sh -c "timeout 60 spaces-clip -o z.wav - </dev/zero" &&
	status 2 && err_one_line && err_has "not a supported audio file" &&
	[ ! -e z.wav ]
'

t_case 'a lossless M4A whose temporary file cannot be written: exit 3' '
	run env TMPDIR="$PWD/none" spaces-clip -s 0 -e 1 -o c.m4a "$AAC/speech-3s.aac" &&
	status 3 && err_one_line && err_has "temporary file" && [ ! -e c.m4a ] &&
	[ -z "$(ls -A | grep -v "^out$\|^err$")" ]
'

t_case 'two clips whose names collide: the second made unique and said, with -f or not' '
	printf "0 1 Intro\n1 2 Intro!\n2 3 intro\n" >clips &&
	for f in -f ""; do
		rm -f intro*.m4a intro*.json &&
		run spaces-clip $f -j --clips clips --chapters-json "%t.json" -o "%t.m4a" "$AAC/speech-3s.aac" &&
		status 0 || exit 1
		err_has "clip 2: .intro.m4a. is an output of this run already; it goes to .intro-2.m4a." &&
		err_has "clip 3: .intro.m4a. is an output of this run already; it goes to .intro-3.m4a." &&
		err_has "clip 2: .intro.json. is an output of this run already; it goes to .intro-2.json." &&
		! grep -q "exists; kept" err &&
		[ "$(ls intro*.m4a | tr "\n" " ")" = "intro-2.m4a intro-3.m4a intro.m4a " ] || exit 1
		[ "$(jq -r .path out | tr "\n" " ")" = "intro.m4a intro-2.m4a intro-3.m4a " ] &&
		[ "$(duration_ts intro-2.m4a)" = 48000 ] || exit 1
	done &&
	echo old >intro.m4a &&
	run spaces-clip --clips clips -o "%t.m4a" "$AAC/speech-3s.aac" &&
	status 1 && [ "$(cat intro.m4a)" = old ] && err_has "exists; kept"
'

t_case 'MP3 --bitrate 6 and 400: the nearest MPEG bitrate, with a note (mutagen reads it)' '
	for b in 6:32 400:320 100:96; do
		run spaces-clip --bitrate ${b%:*} -o c.mp3 "$PCM/stereo-48k.flac" &&
		status 0 || exit 1
		want=${b#*:}
		got=$(/usr/bin/python3 -c "import sys, mutagen.mp3; print(mutagen.mp3.MP3(sys.argv[1]).info.bitrate)" c.mp3) &&
		[ "$got" = "${want}000" ] || { echo "--bitrate ${b%:*}: mutagen $got"; exit 1; }
		err_has "^spaces-clip: --bitrate ${b%:*}: MP3 at 48000 Hz has no such bitrate; it is encoded at $want kb/s, the nearest$" || exit 1
		rm c.mp3
	done &&
	run spaces-clip -q --bitrate 6 -o c.mp3 "$PCM/stereo-48k.flac" &&
	status 0 && err_empty &&
	run spaces-clip --bitrate 128 -o d.mp3 "$PCM/stereo-48k.flac" &&
	status 0 && err_empty
'

t_case 'an MP3 without a Xing frame is counted and cut, as spaces-info counts it' '
	run spaces-clip -o all.wav "$PCM/noxing-44k.mp3" &&
	status 0 && err_empty &&
	[ "$(decoded all.wav)" = "$(decoded "$PCM/noxing-44k.mp3")" ] &&
	[ "$(decoded all.wav)" = "$(spaces-info -j "$PCM/noxing-44k.mp3" | jq .samples)" ] &&
	run spaces-clip -s 0.5 -e 1.5 -o mid.wav "$PCM/noxing-44k.mp3" &&
	status 0 && [ "$(decoded mid.wav)" = 44100 ] &&
	run spaces-clip -s 1 -e 9 -o late.wav "$PCM/noxing-44k.mp3" &&
	status 2 && err_has "past the end"
'

t_case 'FLAC: title, artist, album, comment and CHAPTERxxx as Vorbis comments (metaflac, ffprobe)' '
	printf "0 Opening\n1.2 Middle\n2.5 End part\n" >ch.txt &&
	run spaces-clip --title "Ep 1" --artist Host --album Show --comment Notes \
	    --chapters ch.txt -s 1 -e 3 -o c.flac "$AAC/speech-3s.aac" &&
	status 0 && err_empty &&
	flac -s -t c.flac &&
	metaflac --export-tags-to=- c.flac >tags &&
	cat >want <<-EOF &&
	TITLE=Ep 1
	ARTIST=Host
	ALBUM=Show
	DESCRIPTION=Notes
	CHAPTER001=00:00:00.000
	CHAPTER001NAME=Opening
	CHAPTER002=00:00:00.200
	CHAPTER002NAME=Middle
	CHAPTER003=00:00:01.500
	CHAPTER003NAME=End part
	EOF
	diff -u want tags &&
	[ "$(metaflac --show-total-samples c.flac)" = 96000 ] &&
	ffprobe -v error -show_chapters -of json c.flac |
	    jq -c "[.chapters[] | [(.start_time | tonumber), .tags.title]]" >got &&
	echo "[[0,\"Opening\"],[0.2,\"Middle\"],[1.5,\"End part\"]]" >want &&
	diff -u want got &&
	run spaces-clip -o plain.flac "$AAC/speech-3s.aac" &&
	status 0 && [ -z "$(metaflac --export-tags-to=- plain.flac)" ] &&
	run spaces-clip --title T --chapters ch.txt -o c.wav "$AAC/speech-3s.aac" &&
	status 0 && err_one_line &&
	err_has "WAV output holds no tags or chapters: tags and chapters are left out (--chapters-json" &&
	run spaces-clip --title T -s 0 -e 1 -o c.aac "$AAC/speech-3s.aac" &&
	status 0 && err_has "raw AAC output holds no tags or chapters: tags are left out$" &&
	run spaces-clip -q --title T -o d.wav "$AAC/speech-3s.aac" &&
	status 0 && err_empty
'

t_case 'hidden chapters (toc false): out of every table of contents, kept in JSON; img and url kept' '
	cat >ch.json <<-EOF &&
	{"version":"1.2.0","chapters":[
	 {"startTime":0,"title":"Intro","img":"https://e.example/a.jpg"},
	 {"startTime":1,"title":"Ad image","toc":false,"img":"https://e.example/ad.jpg"},
	 {"startTime":2,"title":"Talk","url":"https://e.example/t"}]}
	EOF
	for f in m4a opus flac mp3; do
		run spaces-clip --chapters ch.json -o c.$f "$AAC/speech-3s.aac" &&
		status 0 || exit 1
		[ $f = mp3 ] && continue	# ffmpeg lists every CHAP, CTOC or not
		ffprobe -v error -show_chapters -of json c.$f |
		    jq -c "[.chapters[].tags.title]" >got &&
		echo "[\"Intro\",\"Talk\"]" >want &&
		diff -u want got || { echo "$f"; exit 1; }
	done &&
	metaflac --export-tags-to=- c.flac | grep CHAPTER >got &&
	printf "%s\n" CHAPTER001=00:00:00.000 CHAPTER001NAME=Intro \
	    CHAPTER002=00:00:02.000 CHAPTER002NAME=Talk \
	    CHAPTER002URL=https://e.example/t >want &&
	diff -u want got &&
	/usr/bin/python3 - c.mp3 >got <<-EOF &&
	import sys
	from mutagen.id3 import ID3
	t = ID3(sys.argv[1])
	toc = t.getall("CTOC")[0]
	print(toc.child_element_ids)
	for c in sorted(t.getall("CHAP"), key=lambda c: c.element_id):
	    a = c.sub_frames.getall("APIC")
	    print(c.element_id, c.start_time, c.end_time, c.sub_frames["TIT2"].text[0],
	        a[0].mime + " " + a[0].data.decode() if a else "-")
	EOF
	cat >want <<-EOF &&
	['"'"'ch0'"'"', '"'"'ch2'"'"']
	ch0 0 2000 Intro --> https://e.example/a.jpg
	ch1 1000 2000 Ad image --> https://e.example/ad.jpg
	ch2 2000 3029 Talk -
	EOF
	diff -u want got &&
	run spaces-clip --chapters ch.json --chapters-json c.json -s 1.5 -e 3 -o c.wav "$AAC/speech-3s.aac" &&
	status 0 &&
	jq -c .chapters c.json >got &&
	echo "[{\"startTime\":0,\"title\":\"Intro\",\"img\":\"https://e.example/a.jpg\"},{\"startTime\":0,\"title\":\"Ad image\",\"img\":\"https://e.example/ad.jpg\",\"toc\":false},{\"startTime\":0.5,\"title\":\"Talk\",\"url\":\"https://e.example/t\"}]" >want &&
	diff -u want got
'

t_case 'the recording time: M4A creation time and (c)day, MP3 TDRC, Opus and FLAC DATE (ffprobe, mutagen, mediainfo)' '
	# space-chunks.aac starts at 2022-03-22T19:26:24.178Z (spaces-info.t
	# works it out from the NTP tag); a clip from 1 s starts a second on.
	for f in m4a mp3 opus flac; do
		run spaces-clip -s 1 -o c.$f "$AAC/space-chunks.aac" && status 0 || exit 1
	done &&
	ffprobe -v error -show_entries format_tags=creation_time,date -of default=nw=1 c.m4a >got &&
	printf "TAG:creation_time=2022-03-22T19:26:25.000000Z\nTAG:date=2022-03-22T19:26:25Z\n" >want &&
	diff -u want got &&
	[ "$(ffprobe -v error -show_entries stream_tags=creation_time -of csv=p=0 c.m4a | sort -u)" = 2022-03-22T19:26:25.000000Z ] &&
	mediainfo --Inform="General;%Recorded_Date%|%Encoded_Date%" c.m4a >got &&
	echo "2022-03-22 19:26:25 UTC|2022-03-22 19:26:25 UTC" >want && diff -u want got &&
	/usr/bin/python3 -c "
import sys
from mutagen.mp4 import MP4
from mutagen.id3 import ID3
from mutagen.oggopus import OggOpus
from mutagen.flac import FLAC
print(MP4(\"c.m4a\").tags[\"\\xa9day\"][0], ID3(\"c.mp3\")[\"TDRC\"], OggOpus(\"c.opus\")[\"date\"][0], FLAC(\"c.flac\")[\"date\"][0])" >got &&
	echo "2022-03-22T19:26:25Z 2022-03-22 19:26:25 2022-03-22T19:26:25Z 2022-03-22T19:26:25Z" >want &&
	diff -u want got &&
	spaces-info -j c.m4a c.opus | jq -r .started_at >got &&
	printf "2022-03-22T19:26:25.000Z\n2022-03-22T19:26:25.000Z\n" >want && diff -u want got &&
	run spaces-clip -s 0.5 -o d.m4a c.m4a && status 0 &&
	[ "$(spaces-info -j d.m4a | jq -r .started_at)" = 2022-03-22T19:26:25.000Z ] &&
	run spaces-clip -o e.m4a "$AAC/speech-3s.aac" && status 0 &&
	[ "$(spaces-info -j e.m4a | jq -r ".started_at, .tags.date")" = "null
null" ] &&
	[ -z "$(ffprobe -v error -show_entries format_tags=creation_time -of csv=p=0 e.m4a)" ]
'

# Every fixture cut short and bit-flipped: exit 0, 1 or 2, one line of
# error at most, no sanitizer report, no output left on failure.  (Leaks
# inside libvorbis and libsndfile on broken Ogg Vorbis are theirs: the
# fuzzers' suppressions.)
t_case 'hostile input: every fixture truncated and bit-flipped' '
	printf "0 One\n0.2 Two\n" >ch.txt &&
	LSAN_OPTIONS=suppressions=$TOP/fuzz/lsan.supp:print_suppressions=0 &&
	export LSAN_OPTIONS &&
	damaged_fixtures "spaces-clip -q -o o.wav in" "spaces-clip -q -o o.m4a in" \
	    "spaces-clip -q --title T --chapters ch.txt -o o.flac in"
'

t_end
