#!/bin/sh
# run.sh BUILD: every bench/*.sh but this one and lib.sh, one table:
# median seconds and peak KiB of ours and the peer's, and the ratio.
set -u
build=${1:-build}
top=$(cd "${0%/*}/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
PATH=$build/bin:$PATH
bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/spaces-bench.XXXXXX") || exit 3
trap 'rm -rf "$bench_tmp"' EXIT
export PATH
. "$top/bench/lib.sh"
echo "median of $BENCH_RUNS runs; ratio = ours / peer (lower is faster)"
header
for b in "$top"/bench/*.sh; do
	case ${b##*/} in run.sh|lib.sh) continue ;; esac
	. "$b"
done
