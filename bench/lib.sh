# lib.sh: timing helpers for bench/*.sh (POSIX sh, GNU time).
#
# measure NAME CMD: run CMD (a shell command line) $BENCH_RUNS times and set
# $secs to the median wall time and $kib to the median peak RSS.

BENCH_RUNS=${BENCH_RUNS:-5}

measure() {
	: >"$bench_tmp/times"
	i=0
	while [ "$i" -lt "$BENCH_RUNS" ]; do
		/usr/bin/time -f '%e %M' -o "$bench_tmp/one" sh -c "$2" \
		    >/dev/null 2>&1
		cat "$bench_tmp/one" >>"$bench_tmp/times"
		i=$((i + 1))
	done
	secs=$(awk '{print $1}' "$bench_tmp/times" | sort -n |
	    awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
	kib=$(awk '{print $2}' "$bench_tmp/times" | sort -n |
	    awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
}

# row WHAT OURS PEER: time both, print one table row with the ratio.
row() {
	measure ours "$2"
	os=$secs ok=$kib
	measure peer "$3"
	ps=$secs pk=$kib
	ratio=$(awk -v a="$os" -v b="$ps" \
	    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	printf '%-34s %8s %8s %6s %9s %9s\n' "$1" "$os" "$ps" "$ratio" \
	    "$ok" "$pk"
}

header() {
	printf '%-34s %8s %8s %6s %9s %9s\n' benchmark ours_s peer_s ratio \
	    ours_kib peer_kib
}
