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

t_case '--silences on 1 and 3 threads: the same stretches (5 chunks of 60 s), every format' '
	i=0
	while [ $i -lt 100 ]; do
		cat "$AAC/speech-3s.aac"
		i=$((i + 1))
	done >long.aac &&
	run spaces-info -j --silences --threshold -30 --min-silence 0.1 \
	    --jobs 1 long.aac && status 0 && mv out one &&
	[ "$(grep -c "\"clip\"" one)" -ge 100 ] &&
	run spaces-info -j --silences --threshold -30 --min-silence 0.1 \
	    --jobs 3 long.aac && status 0 && cmp one out &&
	SPACES_JOBS=2 run spaces-info -j --silences --loudness --threshold -30 \
	    --min-silence 0.1 long.aac && status 0 &&
	grep -v "\"media\"" one >want && grep -v "\"media\"" out >got &&
	cmp want got &&
	# Every decoder seeks to the same samples (Vorbis reads in one pass).
	for f in m4a opus mp3 flac ogg; do
		if [ $f = m4a ]; then c="-c copy"; else c=; fi
		ffmpeg -v error -i long.aac $c long.$f &&
		spaces-info -j --silences --threshold -30 --min-silence 0.1 \
		    --jobs 1 long.$f >one.$f &&
		spaces-info -j --silences --threshold -30 --min-silence 0.1 \
		    --jobs 3 long.$f >three.$f &&
		[ "$(grep -c "\"clip\"" one.$f)" -ge 100 ] &&
		cmp one.$f three.$f || { echo "$f differs"; exit 1; }
	done
'

t_case 'a named pipe is read once: --loudness, --silences, both' '
	mkfifo fifo &&
	for o in --loudness --silences "--loudness --silences"; do
		spaces-info -j $o "$AAC/speech-3s.aac" |
		    jq -c "del(.path, .input)" >want &&
		{ cat "$AAC/speech-3s.aac" >fifo & } &&
		timeout 20 spaces-info -j $o fifo >got.raw; st=$?
		wait
		[ $st -eq 0 ] || { echo "$o: exit $st"; exit 1; }
		jq -c "del(.path, .input)" got.raw >got &&
		cmp want got || { echo "$o: differs"; exit 1; }
	done
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

# id3_oracle FILE: what python3-mutagen reads of FILE's ID3v2 tag, in the
# shape of spaces-info: {"tags": {...}, "chapters": [[start_ms, end_ms,
# title], ...]}, chapters in the order of the top-level CTOC (nested ones
# followed), then the unlisted ones by start.
id3_oracle() {
	/usr/bin/python3 - "$1" <<-EOF
	import json, sys
	from mutagen.id3 import ID3
	t = ID3(sys.argv[1])
	names = {"TIT2": "title", "TPE1": "artist", "TALB": "album",
	    "TPE2": "album_artist", "TCOM": "composer", "TCON": "genre",
	    "TRCK": "track", "TPOS": "disc", "TPUB": "publisher",
	    "TCOP": "copyright", "TENC": "encoded_by", "TSSE": "encoder",
	    "TLAN": "language", "TDRC": "date", "TYER": "date"}
	tags = {}
	for f in t.values():
	    k = f.FrameID
	    if k in names:
	        k = names[k]
	    elif k in ("TXXX", "COMM"):
	        k = f.desc.lower() or "comment"
	    else:
	        continue
	    v = "; ".join(str(x) for x in f.text if str(x))
	    if v and k not in tags:
	        tags[k] = v
	chaps = {c.element_id: c for c in t.getall("CHAP")}
	tocs = {c.element_id: c for c in t.getall("CTOC")}
	order, seen = [], set()
	def walk(toc):
	    if toc.element_id in seen:
	        return
	    seen.add(toc.element_id)
	    for k in toc.child_element_ids:
	        if k in chaps and k not in order:
	            order.append(k)
	        elif k in tocs:
	            walk(tocs[k])
	for c in tocs.values():
	    if c.flags & 2:
	        walk(c)
	        break
	rest = sorted((c for k, c in chaps.items() if k not in order),
	    key=lambda c: c.start_time)
	out = []
	for c in [chaps[k] for k in order] + rest:
	    title = c.sub_frames["TIT2"].text[0] if "TIT2" in c.sub_frames else ""
	    out.append([c.start_time, c.end_time, title])
	print(json.dumps({"tags": tags, "chapters": out}, sort_keys=True,
	    ensure_ascii=False, separators=(",", ":")))
	EOF
}

# id3_ours: the same from spaces-info's record in ./out.
id3_ours() {
	jq -c -S "{tags: (.tags // {}), chapters: [(.chapters // [])[] |
	    [(.start * 1000 | round), (.end * 1000 | round), .title]]}" out
}

t_case 'MP3 from spaces-clip: tags and chapters = mutagen, ffprobe' '
	printf "0 Opening\n1.2 Middle\n2.5 End part\n" >ch.txt &&
	spaces-clip --title "Episode 1" --artist Host --album Show \
	    --comment "Notes here" --chapters ch.txt -o c.mp3 \
	    "$AAC/speech-3s.aac" 2>/dev/null &&
	run spaces-info -j c.mp3 &&
	status 0 && err_empty &&
	id3_oracle c.mp3 >want && id3_ours >got && diff -u want got &&
	jq_is "[.tags.title, .tags.artist, .tags.album, .tags.comment, (.chapters | length)]" \
	    "[\"Episode 1\",\"Host\",\"Show\",\"Notes here\",3]" &&
	ffprobe -v error -show_chapters -of json c.mp3 |
	    jq -c "[.chapters[] | [(.start_time | tonumber * 1000 | round),
	    (.end_time | tonumber * 1000 | round), .tags.title]] | sort" >want &&
	jq -c "[.chapters[] | [(.start * 1000 | round), (.end * 1000 | round),
	    .title]] | sort" out >got &&
	diff -u want got &&
	[ "$(jq -r .tags.title out)" = "$(ffprobe -v error -show_entries format_tags=title -of csv=p=0 c.mp3)" ]
'

t_case 'MP3 bitrate from the Xing/Info frame or bytes over duration = mutagen' '
	spaces-clip --bitrate 64 -o c.mp3 "$AAC/speech-3s.aac" 2>/dev/null &&
	for f in c.mp3 "$PCM/stereo-44k.mp3" "$PCM/noxing-44k.mp3"; do
		run spaces-info -j "$f" && status 0 || exit 1
		ours=$(jq .bitrate out)
		want=$(/usr/bin/python3 -c "import sys, mutagen.mp3; print(mutagen.mp3.MP3(sys.argv[1]).info.bitrate)" "$f")
		awk -v a="$ours" -v b="$want" "BEGIN { exit !(a > 0 && (a - b) ^ 2 <= (b / 100) ^ 2) }" ||
		    { echo "$f: ours $ours, mutagen $want"; exit 1; }
	done &&
	run spaces-info -j c.mp3 && jq_is .bitrate 64000
'

t_case 'MP3 tags as others write them: ID3v2.3 UTF-16, v2.4, TXXX, COMM, nested CTOC' '
	for v in 3 4; do
		cp "$PCM/stereo-44k.mp3" m$v.mp3 &&
		/usr/bin/python3 - m$v.mp3 $v <<-EOF || exit 1
		import sys
		from mutagen.id3 import (ID3, TIT2, TPE1, TALB, COMM, TXXX, CHAP,
		    CTOC, TCON, TRCK, TYER, TDRC, WXXX)
		t = ID3()
		t.add(TIT2(encoding=1, text=["\u00c9pisode \u00fcn\u00efcode \U0001d11e"]))
		t.add(TPE1(encoding=1, text=["Host A", "Host B"]))
		t.add(TALB(encoding=0, text=["Caf\u00e9"]))
		t.add(TCON(encoding=0, text=["Podcast"]))
		t.add(TRCK(encoding=0, text=["7/9"]))
		t.add(TDRC(encoding=0, text=["2024-05-01"]))
		t.add(COMM(encoding=1, lang="eng", desc="", text=["A comment"]))
		t.add(COMM(encoding=1, lang="eng", desc="Notes", text=["described"]))
		t.add(TXXX(encoding=1, desc="Podcast_GUID", text=["abc-123"]))
		def chap(i, a, b, title):
		    return CHAP(element_id=i, start_time=a, end_time=b,
		        sub_frames=[TIT2(encoding=1, text=[title])])
		t.add(chap("intro", 0, 1000, "Intro"))
		t.add(chap("p1", 1000, 1800, "Part one"))
		t.add(chap("p2", 1800, 2000, "Part two"))
		t.add(chap("extra", 1500, 1600, "Extra, not listed"))
		t.add(CTOC(element_id="toc", flags=3, child_element_ids=["intro", "part"]))
		t.add(CTOC(element_id="part", flags=1, child_element_ids=["p1", "p2"]))
		t.save(sys.argv[1], v2_version=int(sys.argv[2]))
		EOF
		run spaces-info -j m$v.mp3 && status 0 && err_empty || exit 1
		id3_oracle m$v.mp3 >want && id3_ours >got && diff -u want got || exit 1
		jq -e "[.tags.title, .tags.album, .tags.podcast_guid, .tags.notes, [.chapters[].title]] ==
		    [\"\u00c9pisode \u00fcn\u00efcode \ud834\udd1e\", \"Caf\u00e9\", \"abc-123\", \"described\",
		    [\"Intro\", \"Part one\", \"Part two\", \"Extra, not listed\"]]" out >/dev/null ||
		    { cat out; exit 1; }
	done
'

t_case 'an MP3 with only an ID3v1 tag' '
	cp "$PCM/noxing-44k.mp3" v1.mp3 &&
	/usr/bin/python3 - v1.mp3 <<-EOF &&
	import sys
	from mutagen.id3 import ID3, TIT2, TPE1, TDRC, TRCK, delete
	t = ID3()
	t.add(TIT2(encoding=0, text=["Old school"]))
	t.add(TPE1(encoding=0, text=["Somebody"]))
	t.add(TDRC(encoding=0, text=["1999"]))
	t.add(TRCK(encoding=0, text=["3"]))
	t.save(sys.argv[1], v1=2)
	delete(sys.argv[1], delete_v1=False, delete_v2=True)
	EOF
	[ "$(tail -c 128 v1.mp3 | head -c 3)" = TAG ] &&
	[ "$(head -c 3 v1.mp3)" != ID3 ] &&
	run spaces-info -j v1.mp3 &&
	status 0 &&
	jq_is .tags "{\"title\":\"Old school\",\"artist\":\"Somebody\",\"date\":\"1999\",\"track\":\"3\"}" &&
	jq_is .samples "$(decoded v1.mp3)"
'

t_case 'ADTS that begins with an ID3v2 tag: its title; Spaces tags stay out of tags' '
	cp "$AAC/speech-3s.aac" t.aac &&
	/usr/bin/python3 -c "
import sys
from mutagen.id3 import ID3, TIT2, TXXX
t = ID3()
t.add(TIT2(encoding=3, text=[\"Recorded talk\"]))
t.add(TXXX(encoding=3, desc=\"HydraAudioLevel\", text=[\"[3]\"]))
t.save(sys.argv[1])" t.aac &&
	run spaces-info -j t.aac &&
	status 0 &&
	jq_is "[.container, .frames, .id3_tags, .tags]" \
	    "[\"adts\",142,1,{\"title\":\"Recorded talk\"}]" &&
	run spaces-info -j "$AAC/space-chunks.aac" &&
	jq_is "has(\"tags\")" false
'

t_case 'a damaged ID3 tag: a warning, the frames before the damage kept' '
	printf "0 One\n1 Two\n2 Three\n" >ch.txt &&
	spaces-clip --title Damaged --chapters ch.txt -o c.mp3 \
	    "$AAC/speech-3s.aac" 2>/dev/null &&
	/usr/bin/python3 - c.mp3 <<-EOF &&
	import sys
	b = bytearray(open(sys.argv[1], "rb").read())
	i = b.index(b"CHAP", b.index(b"CHAP") + 1)
	b[i + 1] = 0x01
	open(sys.argv[1], "wb").write(b)
	EOF
	run spaces-info -j c.mp3 &&
	status 0 &&
	err_has "ID3 tag is malformed" &&
	jq_is "[.tags.title, [.chapters[].title]]" "[\"Damaged\",[\"One\"]]"
'

t_case 'the summary shows MP3 tags and chapters' '
	printf "0 Opening\n1.5 Close\n" >ch.txt &&
	spaces-clip --title "Episode 1" --chapters ch.txt -o c.mp3 \
	    "$AAC/speech-3s.aac" 2>/dev/null &&
	run spaces-info --table c.mp3 &&
	status 0 &&
	out_has "^c.mp3: mp3 mp3, 48000 Hz, 2 channels, .* kb/s$" &&
	out_has "^  tags: title .Episode 1., encoder .spaces.$" &&
	out_has "^  chapter 0:00.000  Opening$" &&
	out_has "^  chapter 0:01.500  Close$"
'

# wav NAME CHANNELS RATE: a 16-bit WAV header with 64 frames of silence.
wav() {
	python3 - "$@" <<-EOF
	import struct, sys
	name, ch, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
	data = bytes(ch * 2 * 64)
	fmt = struct.pack("<HHIIHH", 1, ch, rate, rate * ch * 2 & 0xFFFFFFFF,
	    ch * 2 & 0xFFFF, 16)
	body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + \
	    b"data" + struct.pack("<I", len(data)) + data
	open(name, "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
	EOF
}

t_case 'loudness it cannot measure (255 channels, 2147483647 Hz): exit 2, one line' '
	wav ch255.wav 255 48000 && wav fast.wav 1 2147483647 &&
	for f in ch255.wav fast.wav; do
		run spaces-info --loudness -j $f &&
		status 2 && err_one_line && out_empty || exit 1
	done &&
	run spaces-info --loudness -j ch255.wav &&
	err_has "cannot measure loudness at 48000 Hz, 255 channels" &&
	run spaces-info --loudness -j fast.wav &&
	err_has "cannot measure loudness at 2147483647 Hz, 1 channel"
'

t_case 'a FLAC cut mid-way with --silences: exit 2, nothing leaked' '
	head -c 9978 "$PCM/stereo-48k.flac" >cut.flac &&
	run spaces-info --silences -j cut.flac &&
	status 2 && err_one_line && out_empty &&
	run spaces-info --silences --loudness -j "$PCM/stereo-48k.flac" cut.flac &&
	status 2 && [ "$(grep -c "\"type\":\"media\"" out)" = 1 ] &&
	err_one_line
'

t_case 'an endless input is refused at once; a pipe is kept in $TMPDIR' '
	run timeout 60 spaces-info /dev/zero &&
	status 2 && err_one_line && err_has "not a supported audio file" &&
	run sh -c "timeout 60 spaces-info - </dev/zero" &&
	status 2 && err_one_line && err_has "not a supported audio file" &&
	run sh -c "TMPDIR=\$1 spaces-info - <\"\$2\"" sh "$PWD/none" "$PCM/stereo-48k.flac" &&
	status 3 && err_one_line && err_has "temporary file in .*/none" &&
	piped() {
		run sh -c "cat \"\$1\" | TMPDIR=\$2 spaces-info -j /dev/stdin" sh \
		    "$PCM/stereo-48k.flac" "$1"
	} &&
	piped "" && status 0 && jq_is .samples 19200 &&
	piped "$PWD/none" &&
	status 3 && err_one_line && err_has "temporary file in .*/none" &&
	mkdir tmp && piped "$PWD/tmp" &&
	status 0 && jq_is .samples 19200 && [ -z "$(ls -A tmp)" ]
'

t_case 'a damaged MP3: no libmpg123 noise, only our own messages' '
	python3 - "$PCM/stereo-44k.mp3" <<-EOF &&
	import sys
	b = bytearray(open(sys.argv[1], "rb").read())
	for i in range(len(b) // 3, len(b) // 3 + 400, 7):
	    b[i] ^= 0xFF
	open("bad.mp3", "wb").write(b)
	open("cut.mp3", "wb").write(b[:len(b) // 2])
	EOF
	for f in bad.mp3 cut.mp3; do
		run spaces-info -j --loudness $f &&
		! grep -q -e mpg123 -e "^Note:" -e "^Warning:" -e "^\[src" err &&
		{ err_empty || ! grep -v "^spaces-info: " err; } || { cat err; exit 1; }
		run spaces-clip -q -o $f.wav $f &&
		! grep -q -e mpg123 -e "^Note:" -e "^Warning:" -e "^\[src" err &&
		{ err_empty || { err_one_line && err_has "^spaces-clip: "; }; } || { cat err; exit 1; }
	done
'

# Every fixture cut short and bit-flipped: exit 0, 1 or 2, one line of
# error at most, no sanitizer report, no output left on failure.  (Leaks
# inside libvorbis and libsndfile on broken Ogg Vorbis are theirs: the
# fuzzers' suppressions.)
t_case 'hostile input: every fixture truncated and bit-flipped' '
	LSAN_OPTIONS=suppressions=$TOP/fuzz/lsan.supp:print_suppressions=0 &&
	export LSAN_OPTIONS &&
	damaged_fixtures "spaces-info -j --loudness --silences in"
'

t_end
