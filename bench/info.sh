#!/bin/sh
# info.sh: spaces-info against ffprobe on a 3-hour ADTS file (the Spaces
# format: space-chunks.aac repeated), with --silences against ffmpeg's
# silencedetect on it, and with --loudness against ffmpeg's ebur128 on a
# 10-minute one.

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
row "info --silences: 3 h ADTS" \
    "spaces-info -j --silences $long" \
    "ffmpeg -nostats -i $long -af silencedetect=n=-40dB:d=0.5 -f null -"
# Where the time goes, on one core: --silences is decoding (faad2) and a
# level scan of 20 ms windows (perf: faad2 ~92%, the scan ~3%); --loudness
# is decoding and metering (libebur128's K filter and gates, our 4x true
# peak where it can matter).  ffmpeg's decoder alone, and with
# silencedetect, for scale.
measure "spaces-info -j --silences --jobs 1 $bench_tmp/10m.aac"
sil=$secs
measure "spaces-info -j --loudness --jobs 1 $bench_tmp/10m.aac"
one=$secs
measure "ffmpeg -nostats -i $bench_tmp/10m.aac -f null -"
dec=$secs
measure "ffmpeg -nostats -i $bench_tmp/10m.aac -af silencedetect=n=-40dB:d=0.5 -f null -"
echo "on one core, 10 min of ADTS: --silences takes $sil s, nearly all of" \
    "it faad2 decoding; --loudness $one s, the meter the rest; ffmpeg's" \
    "decoder alone $dec s, with silencedetect $secs s. faad2 is the slower" \
    "decoder: the lead comes from the cores (--jobs, lib/media/measure.c:" \
    "spans for loudness, 60 s chunks in turn for silences)"
rm -f "$long" "$bench_tmp/chunk60" "$bench_tmp/10m.aac"
