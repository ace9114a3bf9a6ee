#!/bin/sh
# run.sh BUILD: every bench/*.sh but this one and lib.sh, then one table:
# median seconds and peak memory of ours and the peer's, and the ratio.
# Progress goes to the standard error; the table, and the notes the bench
# scripts print (as footnotes), to the standard output at the end.
set -u
build=${1:-build}
top=$(cd "${0%/*}/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
PATH=$build/bin:$PATH
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time (GNU time) is needed: apt-get install time" >&2
	exit 3
fi
bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/spaces-bench.XXXXXX") || exit 3
trap 'rm -rf "$bench_tmp"' EXIT
export PATH
. "$top/bench/lib.sh"
: >"$bench_tmp/rows"
: >"$bench_tmp/notes"
bench_nnotes=0
bench_row=
bench_mark=
for b in "$top"/bench/*.sh; do
	case ${b##*/} in run.sh|lib.sh) continue ;; esac
	# What a script prints itself (not through row) is a note on its
	# last row.
	. "$b" >"$bench_tmp/said"
	while IFS= read -r line; do
		line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//')
		[ -n "$line" ] && note "${b##*/}: $line"
	done <"$bench_tmp/said"
	flush_row
done
echo "median of the runs column (BENCH_RUNS=$BENCH_RUNS); ratio = ours / peer," \
    "under 1 is faster; peak RSS in MiB"
table
