#!/bin/sh
# speakers.sh: spaces-speakers on a 3-hour Space with a Hydra tag a second
# (tests/gen-hydra.py, 10800 tags), against grep counting those tags: the
# least work any reader of them must do, a pass over the bytes.

python3 "$top/tests/gen-hydra.py" --duration 10800 \
    "$bench_tmp/3h.aac" >"$bench_tmp/3h.ndjson"
row "speakers: 3 h, a tag a second" \
    "spaces-speakers --audio $bench_tmp/3h.aac $bench_tmp/3h.ndjson >/dev/null" \
    "grep -c -a HydraAudioLevel $bench_tmp/3h.aac >/dev/null"
rm -f "$bench_tmp/3h.aac"
