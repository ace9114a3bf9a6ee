#!/bin/sh
# speakers.sh: spaces-speakers on a 3-hour Space with a Hydra tag a second
# (tests/gen-hydra.py, 10800 tags).  No tool reads X's timed Hydra tags
# (ffmpeg keeps the first ID3 tag of an ADTS file, and its HLS reader
# reports "Changing ID3 metadata in HLS audio elementary stream" as not
# implemented: libavformat/hls.c, a warning twspace-dl's README lists
# under Known Errors), so the row has no peer;
# a note gives, for scale, grep counting the tags: a pass over the bytes
# with nothing parsed.  (Its output goes to a file: GNU grep writing to
# /dev/null stops at the first match.)

python3 "$top/tests/gen-hydra.py" --duration 10800 \
    "$bench_tmp/3h.aac" >"$bench_tmp/3h.ndjson"
row "speakers: 3 h, a tag a second" \
    "spaces-speakers --audio $bench_tmp/3h.aac $bench_tmp/3h.ndjson >/dev/null" \
    "" -
n=$(spaces-speakers --audio "$bench_tmp/3h.aac" "$bench_tmp/3h.ndjson" |
    grep -c '"turn"')
measure "grep -c -a HydraAudioLevel $bench_tmp/3h.aac >$bench_tmp/count"
echo "speakers: $n turns from $(cat "$bench_tmp/count") tags; no peer reads" \
    "these tags; grep counting them, a pass over the" \
    "$(($(wc -c <"$bench_tmp/3h.aac") / 1000000)) MB, takes $secs s"
rm -f "$bench_tmp/3h.aac" "$bench_tmp/count"
