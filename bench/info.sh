#!/bin/sh
# info.sh: spaces-info against ffprobe on a 3-hour ADTS file (the Spaces
# format: speech-3s.aac repeated), and with --loudness against ffmpeg's
# ebur128 on a 10-minute one.

long=$bench_tmp/3h.aac
i=0
: >"$long"
# 3600 copies of ~3.03 s: a little over 3 hours.
while [ $i -lt 60 ]; do
	cat "$top/tests/data/aac/space-chunks.aac" >>"$bench_tmp/chunk60"
	i=$((i + 1))
done
i=0
while [ $i -lt 60 ]; do
	cat "$bench_tmp/chunk60" >>"$long"
	i=$((i + 1))
done
head -c $(( $(wc -c <"$long") / 18 )) "$long" >"$bench_tmp/10m.aac"

row "info: 3 h ADTS, exact length" \
    "spaces-info -j $long" \
    "ffprobe -v error -count_packets -show_entries stream=nb_read_packets $long"
row "info --loudness: 10 min ADTS" \
    "spaces-info -j --loudness $bench_tmp/10m.aac" \
    "ffmpeg -nostats -i $bench_tmp/10m.aac -af ebur128=peak=true -f null -"
# Where the time goes, on one core: decoding (faad2; --silences adds a
# cheap level meter) against decoding and metering (libebur128's K filter
# and gates, our 4x true peak where it can matter), and ffmpeg's own
# decoder alone.
measure "spaces-info -j --silences $bench_tmp/10m.aac"
dec=$secs
measure "spaces-info -j --loudness --jobs 1 $bench_tmp/10m.aac"
one=$secs
measure "ffmpeg -nostats -i $bench_tmp/10m.aac -f null -"
echo "on one core --loudness takes $one s: decoding $dec s (ffmpeg's" \
    "decoder alone $secs s), the meter the rest; --jobs splits both over" \
    "the cores (lib/media/measure.c)"
rm -f "$long" "$bench_tmp/chunk60" "$bench_tmp/10m.aac"
