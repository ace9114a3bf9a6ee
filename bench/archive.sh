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
# Listing is the account, its Spaces and each audio part's length in
# frames; the same from unzip, jq and ffprobe counting the packets (unzip
# -l, names only, takes under 10 ms: not the same job).
lpeer="unzip -p $big data/account.js data/spaces-metadata.js |
    sed 's/^window\.[^=]*= *//' | jq -c . >/dev/null;
    for f in \$(unzip -Z1 $big 'data/spaces_media/*'); do
	unzip -p $big \"\$f\" | ffprobe -v error -count_packets \
	    -show_entries stream=nb_read_packets -of csv=p=0 -;
    done"
ours=$(spaces-archive-extract -l -j "$big" | jq -r 'select(.type == "space") |
    .audio[].frames' | sort | tr '\n' ' ')
peer=$(sh -c "$lpeer" | sort | tr '\n' ' ')
[ "$ours" = "$peer" ] ||
    echo "list: the frame counts differ: ours $ours, ffprobe's $peer"
row "archive 2 GB: list Spaces, audio frames" \
    "spaces-archive-extract -l -j $big" "$lpeer"
row "5M followers: count (peer: jq)" \
    "spaces-archive-extract -l -j $fol" \
    "unzip -p $fol data/follower.js | sed '1s/^[^=]*= *//' | jq length"
row "5M followers: count (peer: python3)" \
    "spaces-archive-extract -l -j $fol" \
    "unzip -p $fol data/follower.js | python3 -c 'import json,sys; d=sys.stdin.read(); print(len(json.loads(d[d.index(\"=\")+1:])))'"
row "archive 2 GB from a pipe: list" \
    "cat $big | spaces-archive-extract -l -j -" \
    "cat $big | bsdtar -tf -"
# Where the pipe listing's time goes (a note lands on the last row: this
# one): each side's CPU seconds (median of the runs), cat reading the file
# alone, and how much of the archive is read rather than skipped.
pipe_cpu() {
	: >"$bench_tmp/cpu"
	i=0
	while [ "$i" -lt "$BENCH_RUNS" ]; do
		/usr/bin/time -f '%U %S' -o "$bench_tmp/w" cat "$big" |
		    /usr/bin/time -f '%U %S' -o "$bench_tmp/r" $1 >/dev/null \
		    2>&1
		echo "$(tail -n 1 "$bench_tmp/w") $(tail -n 1 "$bench_tmp/r")" \
		    >>"$bench_tmp/cpu"
		i=$((i + 1))
	done
	# cat's user+system, the reader's user, the reader's system.
	awk '{ w[NR] = $1 + $2; u[NR] = $3; s[NR] = $4 }
	    function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return a[int((n + 1) / 2)]
	    }
	    END { printf "%.2f %.2f %.2f\n", med(w, NR), med(u, NR),
		med(s, NR) }' "$bench_tmp/cpu"
}
measure "cat $big"
alone=$secs
read -r cat_s our_u our_s <<EOF
$(pipe_cpu "spaces-archive-extract -l -j -")
EOF
read -r bcat_s bsd_u bsd_s <<EOF
$(pipe_cpu "bsdtar -tf -")
EOF
audio=$(unzip -l "$big" 'data/spaces_media/*' |
    awk 'END { printf "%.0f", $1 / 1e6 }')
echo "archive from a pipe: cat sets the pace, $cat_s s of CPU ($alone s" \
    "reading the file, the rest filling the pipe; $bcat_s s against" \
    "bsdtar).  Ours: $our_s s in the kernel taking 2 GB out of a 1 MiB" \
    "pipe (64 KiB by default: cat and the reader then take turns up to 16" \
    "times as often), splice(2) to /dev/null for the entries not read," \
    "read(2) for the $audio MB of Spaces audio measured; $our_u s in user" \
    "space (zip headers, the audio).  bsdtar reads it all 10 KiB at a" \
    "time: $bsd_s s kernel, $bsd_u s user (lib/x/zipread.c)"
BENCH_RUNS=$runs
rm -f "$big" "$fol"
