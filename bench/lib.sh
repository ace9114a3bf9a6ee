# lib.sh: timing helpers for bench/*.sh (POSIX sh, GNU time), sourced by
# run.sh, which prints the one table at the end.
#
# measure CMD: run CMD (a shell command line) $BENCH_RUNS times and set
# $secs to the median wall time, $kib to the median peak RSS and $fails to
# the exit status of the last failed run (empty when every run passed).
#
# row WHAT OURS PEER [PEERNAME]: time both and add a row to the table.
# PEERNAME defaults to the known tools named in PEER (ffmpeg, unzip, jq...).
# An empty PEER: there is none; ours is timed alone, the ratio is "-".
#
# Anything else a bench script prints on its standard output becomes a
# note under the table, marked on the script's last row.

BENCH_RUNS=${BENCH_RUNS:-5}

measure() {
	: >"$bench_tmp/times"
	fails=
	i=0
	while [ "$i" -lt "$BENCH_RUNS" ]; do
		# GNU time writes "Command exited with non-zero status N"
		# before the format line when CMD fails: keep the last line.
		/usr/bin/time -f '%e %M %x' -o "$bench_tmp/one" sh -c "$1" \
		    >/dev/null 2>&1
		tail -n 1 "$bench_tmp/one" >>"$bench_tmp/times"
		i=$((i + 1))
	done
	secs=$(awk '{print $1}' "$bench_tmp/times" | sort -n |
	    awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
	kib=$(awk '{print $2}' "$bench_tmp/times" | sort -n |
	    awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
	fails=$(awk '$3 != 0 {x = $3} END {print x}' "$bench_tmp/times")
}

# peer_name CMD: the known tools CMD runs, joined by +.
peer_name() {
	printf '%s\n' "$1" | tr ';|&()$`"'"'"'\t' '          ' |
	awk '{
		for (i = 1; i <= NF; i++)
			if ($i ~ /^(ffmpeg|ffprobe|unzip|bsdtar|jq|python3|curl)$/ &&
			    !($i in seen)) {
				seen[$i] = 1
				s = s (s == "" ? "" : "+") $i
			}
	} END { print (s == "" ? "-" : s) }'
}

# note TEXT: a note under the table for the last row.
note() {
	bench_nnotes=$((bench_nnotes + 1))
	printf '[%d] %s\n' "$bench_nnotes" "$1" >>"$bench_tmp/notes"
	bench_mark="$bench_mark[$bench_nnotes]"
}

# flush_row: write the pending row to the table with its note marks.
flush_row() {
	[ -n "${bench_row:-}" ] || return 0
	printf '%s\t%s\n' "$bench_row" "${bench_mark:--}" >>"$bench_tmp/rows"
	bench_row=
	bench_mark=
}

row() {
	flush_row
	printf 'bench: %s ...' "$1" >&2
	measure "$2"
	os=$secs ok=$kib of=$fails
	if [ -n "$3" ]; then
		measure "$3"
		ps=$secs pk=$kib pf=$fails
	else
		ps=- pk=- pf=
	fi
	ratio=$(awk -v a="$os" -v b="$ps" \
	    'BEGIN { if (b != "-" && b > 0) printf "%.2f", a / b; else print "-" }')
	printf ' %s s, peer %s s\n' "$os" "$ps" >&2
	bench_row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$1" \
	    "${4:-$(peer_name "$3")}" "$os" "$ps" "$ratio" \
	    "$(awk -v k="$ok" 'BEGIN { printf "%.1f", k / 1024 }')" \
	    "$(awk -v k="$pk" 'BEGIN { if (k == "-") print k; else printf "%.1f", k / 1024 }')" \
	    "$BENCH_RUNS")
	[ -z "$of" ] || note "$1: ours failed (exit status $of); its time is not comparable"
	[ -z "$pf" ] || note "$1: the peer failed (exit status $pf$([ "$pf" = 127 ] && echo ', not installed')); its time is not comparable"
}

# table: the rows, aligned, then the notes.
table() {
	flush_row
	{
		printf 'benchmark\tpeer\tours_s\tpeer_s\tratio\tours_MiB\tpeer_MiB\truns\tnote\n'
		cat "$bench_tmp/rows"
	} | awk -F '\t' '
		{ for (i = 1; i <= NF; i++) { c[NR, i] = $i
			if (length($i) > w[i]) w[i] = length($i) } n = NR }
		END {
			for (r = 1; r <= n; r++) {
				line = sprintf("%-" w[1] "s  %-" w[2] "s", c[r, 1], c[r, 2])
				for (i = 3; i <= 8; i++)
					line = line sprintf("  %" w[i] "s", c[r, i])
				line = line "  " (c[r, 9] == "-" && r > 1 ? "" : c[r, 9])
				sub(/ +$/, "", line)
				print line
			}
		}'
	if [ -s "$bench_tmp/notes" ]; then
		echo
		cat "$bench_tmp/notes"
	fi
}
