#!/bin/sh
# make-fixtures.sh: remake the Ogg Opus fixtures of tests/unit/t_oggopus.c
# from tests/data/aac/speech-3s.aac (see README).  Needs ffmpeg (5.1, with
# libopus) and opus-tools (opusenc 0.2, libopus 1.3.1); the outputs are
# committed, so this runs only to remake them:
#     sh tests/data/opus/make-fixtures.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"

ffmpeg -v error -y -i ../aac/speech-3s.aac -ar 48000 -ac 2 -c:a pcm_s16le \
    "$tmp/speech.wav"
# 6 channels (5.1) from the stereo speech, 0.5 s, for mapping family 1.
ffmpeg -v error -y -i "$tmp/speech.wav" -t 0.5 \
    -af 'pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|LFE=0.1*c0|BL=0.5*c0|BR=0.5*c1' \
    -c:a pcm_s16le "$tmp/surround.wav"

opusenc --quiet --serial 1001 --bitrate 24 --downmix-mono \
    --comment TITLE=speech-mono "$tmp/speech.wav" mono.opus
opusenc --quiet --serial 1002 --bitrate 32 \
    --comment TITLE=speech-stereo "$tmp/speech.wav" stereo.opus
opusenc --quiet --serial 1003 --bitrate 16 --downmix-mono \
    --comment TITLE=chapters --comment ARTIST=spaces \
    --comment CHAPTER001=00:00:00.000 --comment CHAPTER001NAME=Welcome \
    --comment CHAPTER002=00:00:01.250 --comment CHAPTER002NAME='Audio files' \
    --comment CHAPTER003=00:00:02.500 --comment CHAPTER003NAME=Tags \
    "$tmp/speech.wav" chapters.opus
opusenc --quiet --serial 1004 --bitrate 96 "$tmp/surround.wav" surround.opus
# ffmpeg's own Ogg muxer (libopus encoder, 60 ms packets, mono).
ffmpeg -v error -y -i "$tmp/speech.wav" -ac 1 -c:a libopus -b:a 20k \
    -frame_duration 60 -fflags +bitexact -flags:a +bitexact ffmpeg.opus
