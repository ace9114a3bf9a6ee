#!/bin/sh
# make-speech.sh: remake speech.aac, the demo's Space audio, from the text
# below with espeak-ng and ffmpeg (see README).  Not run by the demo or the
# tests: speech.aac is committed.  Needs espeak-ng and ffmpeg.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/make-speech.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# One paragraph a line: the espeak-ng voice, a bar, the text.
n=0
while IFS='|' read -r voice text; do
	n=$((n + 1))
	espeak-ng -v "$voice" -s 165 -w "$tmp/p$n.wav" "$text"
done <<'TEXT'
en-us|Good evening, and welcome to Late Night Audio, the weekly Space about sound, podcasts and the tools behind them. I'm your host. Tonight: some news, a tip, and your questions.
en-gb-x-rp+f3|Thanks for having me. The news first. Your X data archive now holds the audio of every Space you hosted. The files end in dot T S, but they are plain A A C audio, with tags between the frames.
en-us|A tip for podcasters: measure the loudness before you publish. Podcast apps expect about minus sixteen L U F S in stereo, and minus nineteen in mono.
en-gb-x-rp+f3|And a teaser should be short. Thirty to ninety seconds, one idea, and a first sentence that makes people want the rest.
en-us|Now, your questions. How often should you host to stay in a creator programme? The rule we found was two Spaces a week. So plan them in a calendar, and keep a log.
en-gb-x-rp+f3|That's all for tonight. Thank you for listening, and see you on Thursday. Good night.
TEXT

# 0.6 s before the first paragraph, 1.6 s of silence after each one (1.2 s
# after the last); then 48 kHz, a 7 kHz low-pass, gentle compression and a
# limiter, so that the speech can be brought to -16 LUFS under -1 dBTP
# without the AAC encoder's overshoot; AAC-LC, mono, 48 kb/s, ADTS.
ffmpeg -v error -y -i "$tmp/p1.wav" -i "$tmp/p2.wav" -i "$tmp/p3.wav" \
    -i "$tmp/p4.wav" -i "$tmp/p5.wav" -i "$tmp/p6.wav" -filter_complex \
    "[0]adelay=600,apad=pad_dur=1.6[a0];[1]apad=pad_dur=1.6[a1];\
[2]apad=pad_dur=1.6[a2];[3]apad=pad_dur=1.6[a3];[4]apad=pad_dur=1.6[a4];\
[5]apad=pad_dur=1.2[a5];[a0][a1][a2][a3][a4][a5]concat=n=6:v=0:a=1,\
aresample=48000,lowpass=f=7000,\
acompressor=threshold=0.03:ratio=6:attack=3:release=150,volume=18dB,\
alimiter=limit=0.35:attack=1:release=40:level=false" \
    -ac 1 -c:a aac -b:a 48k -f adts "$here/speech.aac"
