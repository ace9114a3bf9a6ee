#!/bin/sh
# run.sh BUILD: run every unit test in BUILD/unit and every tests/cli/*.t
# against BUILD/bin, then print the total "N passed, N failed".
set -u
build=${1:-build}
top=$(cd "${0%/*}/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
log=$(mktemp "${TMPDIR:-/tmp}/spaces-run.XXXXXX") || exit 3
trap 'rm -f "$log"' EXIT

# LeakSanitizer on; a sanitizer report fails the program that printed it.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SPACES_BIN=$build/bin
TOP=$top
export ASAN_OPTIONS UBSAN_OPTIONS SPACES_BIN TOP

pass=0
fail=0
# one NAME CMD...: run a test program, add up its closing line.
one() {
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	grep -E '^not ok|^#|ERROR|runtime error' "$log" | head -n 60
	if [ -z "$summary" ]; then
		echo "not ok - $name: no summary (exit $rc)"
		tail -n 30 "$log"
		fail=$((fail + 1))
		return
	fi
	p=${summary%% passed*}
	f=${summary#*passed, }
	f=${f%% failed*}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name: exit $rc after $summary"
		tail -n 30 "$log"
		f=1
	fi
	echo "$name: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
}

for t in "$build"/unit/t_*; do
	[ -x "$t" ] || continue
	one "unit/${t##*/}" "$t"
done
for t in "$top"/tests/cli/*.t; do
	[ -f "$t" ] || continue
	one "cli/${t##*/}" sh "$t"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
