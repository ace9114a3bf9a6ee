#!/bin/sh
# archive.sh: spaces-archive-extract against unzip, python3 json and jq on
# generated X archives: a ~2 GB one that is mostly other media, and one
# with a 5-million-follower follower.js (~760 MB unpacked).

gen="python3 $top/tests/gen-archive.py"
big=$bench_tmp/big.zip
fol=$bench_tmp/followers.zip
$gen --filler-mb 2000 --spaces 3 --parts 2 --media-repeat 200 "$big" \
    >/dev/null
$gen --followers 5000000 "$fol" >/dev/null

# The peers take up to 20 s a run here: at most 3 runs, fewer if asked.
runs=$BENCH_RUNS
BENCH_RUNS=${BENCH_ARCHIVE_RUNS:-$((runs < 3 ? runs : 3))}
row "archive 2 GB: extract Spaces audio" \
    "rm -rf $bench_tmp/o && spaces-archive-extract -q -f -C $bench_tmp/o $big" \
    "rm -rf $bench_tmp/u && unzip -q -o $big 'data/spaces_media/*' -d $bench_tmp/u"
row "archive 2 GB: list (peer: unzip -l)" \
    "spaces-archive-extract -l -j $big" \
    "unzip -l $big"
row "archive 2 GB from a pipe: list" \
    "cat $big | spaces-archive-extract -l -j -" \
    "cat $big | bsdtar -tf -"
row "5M followers: count (peer: jq)" \
    "spaces-archive-extract -l -j $fol" \
    "unzip -p $fol data/follower.js | sed '1s/^[^=]*= *//' | jq length"
row "5M followers: count (peer: python3)" \
    "spaces-archive-extract -l -j $fol" \
    "unzip -p $fol data/follower.js | python3 -c 'import json,sys; d=sys.stdin.read(); print(len(json.loads(d[d.index(\"=\")+1:])))'"
BENCH_RUNS=$runs
rm -f "$big" "$fol"
