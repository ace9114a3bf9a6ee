# lib.sh: the CLI test harness, sourced by every tests/cli/*.t (POSIX sh).
#
#	. "${0%/*}/../lib.sh"
#	t_case 'what it shows' '
#		run spaces-x -j in.json &&
#		status 0 &&
#		out_is <<-EOF
#		...
#		EOF
#	'
#	t_end
#
# Each case runs in a subshell in a fresh temporary directory; a case passes
# when its body returns 0.  Output: TAP-like "ok N - name" lines, the failing
# case's trace, and a closing "N passed, N failed".

t_top=$(cd "${0%/*}/../.." && pwd)
t_bin=${SPACES_BIN:-$t_top/build/bin}
case $t_bin in /*) ;; *) t_bin=$t_top/$t_bin ;; esac
PATH=$t_bin:$PATH
DATA=$t_top/tests/data
TOP=$t_top
export PATH DATA TOP
unset SPACES_RULES_PATH SPACES_BEARER_TOKEN SPACES_COOKIES NO_COLOR
LC_ALL=C.UTF-8
TZ=UTC
export LC_ALL TZ
t_tmp=$(mktemp -d "${TMPDIR:-/tmp}/spaces-test.XXXXXX") || exit 3
trap 'rm -rf "$t_tmp"' EXIT
t_n=0
t_ran=0
t_fail=0
t_only=${T_ONLY:-}

# t_case NAME BODY: run BODY in a fresh directory, report ok / not ok.
t_case() {
	t_n=$((t_n + 1))
	if [ -n "$t_only" ] && [ "$t_only" != "$t_n" ]; then
		return 0
	fi
	t_ran=$((t_ran + 1))
	t_dir=$t_tmp/$t_n
	mkdir "$t_dir"
	if (cd "$t_dir" && eval "$2") >"$t_tmp/log" 2>&1; then
		echo "ok $t_n - $1"
	else
		echo "not ok $t_n - $1"
		sed 's/^/#   /' "$t_tmp/log"
		t_fail=$((t_fail + 1))
	fi
	rm -rf "$t_dir"
}

t_end() {
	echo "$((t_ran - t_fail)) passed, $t_fail failed"
	[ "$t_fail" -eq 0 ]
}

# run CMD...: run a command, keeping stdout in ./out, stderr in ./err and
# the exit status in $rc; never fails itself.
run() {
	rc=0
	"$@" >out 2>err || rc=$?
	return 0
}

# status N: the last run exited N (else show what it printed).
status() {
	[ "$rc" -eq "$1" ] && return 0
	echo "exit status $rc, want $1"
	echo "--- stdout"; cat out
	echo "--- stderr"; cat err
	return 1
}

# out_is / err_is: the last run's stdout / stderr equals stdin, exactly.
out_is() {
	cat >want
	diff -u want out
}
err_is() {
	cat >want
	diff -u want err
}

# out_has / err_has RE: a line of stdout / stderr matches the basic regex RE.
out_has() {
	grep -q -- "$1" out && return 0
	echo "stdout lacks /$1/:"; cat out
	return 1
}
err_has() {
	grep -q -- "$1" err && return 0
	echo "stderr lacks /$1/:"; cat err
	return 1
}

# err_empty / out_empty: nothing was printed there.
err_empty() {
	[ ! -s err ] && return 0
	echo "stderr not empty:"; cat err
	return 1
}
out_empty() {
	[ ! -s out ] && return 0
	echo "stdout not empty:"; cat out
	return 1
}

# one_line: stderr is exactly one line (a diagnostic, not a dump).
err_one_line() {
	[ "$(wc -l <err)" -eq 1 ] && return 0
	echo "stderr is not one line:"; cat err
	return 1
}

# jq_is FILTER VALUE: jq's compact output of FILTER on ./out equals VALUE.
jq_is() {
	got=$(jq -c "$1" out) || { echo "jq failed on:"; cat out; return 1; }
	[ "$got" = "$2" ] && return 0
	echo "jq '$1': got $got, want $2"
	return 1
}

# damaged_fixtures CMD...: every audio fixture cut short at four offsets
# and bit-flipped (16 bits, seeded by its name) into ./in, then each CMD
# (reading "in", writing o.*) run on it: exit 0, 1 or 2, at most three
# lines of error, no sanitizer report, no output left on a usage error.
damaged_fixtures() {
	for f in "$DATA"/aac/*.aac "$DATA"/mp4/*.m4a "$DATA"/opus/*.opus "$DATA"/pcm/*.wav \
	    "$DATA"/pcm/*.flac "$DATA"/pcm/*.mp3 "$DATA"/pcm/*.ogg; do
		size=$(wc -c <"$f")
		for how in 64 1000 $((size / 2)) $((size - 5)) flip; do
			if [ $how = flip ]; then
				python3 -c "
import random, sys
b = bytearray(open(sys.argv[1], \"rb\").read())
random.seed(sys.argv[1])
for _ in range(16):
    i = random.randrange(len(b)); b[i] ^= 1 << random.randrange(8)
open(\"in\", \"wb\").write(b)" "$f"
			else
				head -c $how "$f" >in
			fi
			for c; do
				rm -f o.*
				run $c
				case $rc in 0|1|2) ;; *) echo "$f $how: $c: exit $rc"; cat err; exit 1;; esac
				if grep -q -e Sanitizer -e "runtime error" err || [ "$(wc -l <err)" -gt 3 ]; then
					echo "$f $how: $c"; cat err; exit 1
				fi
				if [ $rc = 2 ] && ls o.* 2>/dev/null; then
					echo "$f $how: $c left an output"; exit 1
				fi
			done
		done
	done
}
