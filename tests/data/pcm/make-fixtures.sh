#!/bin/sh
# make-fixtures.sh: regenerate the decode/loudness/segment fixtures in this
# directory from ../aac/speech-3s.aac (ffmpeg 5.1.9, opus-tools 0.2,
# espeak-ng 1.51, Debian 12).  Run from tests/data/pcm.
set -eu
src=../aac/speech-3s.aac
ff="ffmpeg -v error -y -nostdin -i $src -map_metadata -1 -fflags +bitexact"

# WAV: 44.1 kHz mono s16, 0.25 s.
$ff -t 0.25 -ar 44100 -ac 1 -c:a pcm_s16le mono-44k.wav
# FLAC: 48 kHz stereo, 0.4 s.
$ff -t 0.4 -ar 48000 -ac 2 -c:a flac stereo-48k.flac
# MP3: 44.1 kHz stereo, 2 s, LAME with its Xing/LAME info tag (gapless).
$ff -t 2 -ar 44100 -ac 2 -c:a libmp3lame -b:a 48k stereo-44k.mp3
# MP3 without the info tag: no delay/padding information.
$ff -t 2 -ar 44100 -ac 1 -c:a libmp3lame -b:a 32k -write_xing 0 \
    noxing-44k.mp3
# Ogg Opus: 48 kHz mono through opusenc, stereo through ffmpeg's libopus.
ffmpeg -v error -y -nostdin -i $src -t 3 -ac 1 -f wav - |
    opusenc --quiet --bitrate 24 - mono-48k.opus
$ff -t 2 -ac 2 -c:a libopus -b:a 32k stereo-48k.opus
# Ogg Vorbis: 44.1 kHz mono, 1 s.
$ff -t 1 -ar 44100 -ac 1 -c:a libvorbis -q:a 0 mono-44k.ogg
# M4A (AAC-LC, edit list for the 1024 priming samples): 44.1 kHz mono, 1 s.
$ff -t 1 -ar 44100 -ac 1 -c:a aac -b:a 48k mono-44k.m4a

# Speech with known silences for the segmenter: espeak-ng phrases at
# 22.05 kHz joined by 0.8 s, 1.2 s and 0.6 s of digital silence, 48 kHz
# mono Opus at 16 kb/s.
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
espeak-ng -w "$t/a.wav" "Welcome to the space."
espeak-ng -w "$t/b.wav" "Today we talk about audio."
espeak-ng -w "$t/c.wav" "Frames and tags."
espeak-ng -w "$t/d.wav" "Thank you."
ffmpeg -v error -y -nostdin -i "$t/a.wav" -i "$t/b.wav" -i "$t/c.wav" \
    -i "$t/d.wav" -filter_complex \
    "[0]apad=pad_dur=0.8[a];[1]apad=pad_dur=1.2[b];[2]apad=pad_dur=0.6[c];\
[a][b][c][3]concat=n=4:v=0:a=1,aresample=48000" \
    -ac 1 -c:a libopus -b:a 16k -map_metadata -1 pauses.opus
