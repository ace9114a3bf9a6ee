#!/bin/sh
# demo.sh BUILD: the toolkit's main job on the bundled sample, each command
# printed before it runs so it can be copied.
set -u
build=${1:-build}
top=$(cd "${0%/*}/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
PATH=$build/bin:$PATH
export PATH
cd "$top/tests/data/demo" || exit 3

# step CMD: show it, run it through sh, show a non-zero exit status.
step() {
	printf '\n$ %s\n' "$1"
	sh -c "$1"
	rc=$?
	[ "$rc" -eq 0 ] || printf '(exit status %d)\n' "$rc"
}

echo "The sample: archive.ndjson (a host's user and Space records, as"
echo "spaces-archive-extract --list prints them) and schedule.ndjson (the"
echo "planned shows, as spaces-schedule list --json prints them)."
step 'spaces-eligibility --list-programs --table'
step 'cat archive.ndjson schedule.ndjson | spaces-eligibility --table --as-of 2026-11-21 --tz America/Chicago'
step 'spaces-eligibility --table -v -p ticketed-spaces-2021 --as-of 2026-11-21 archive.ndjson'
step 'spaces-eligibility --json --as-of 2026-11-21 archive.ndjson | jq -r '"'"'.criteria[] | select(.status != "pass") | "\(.id): \(.status) (\(.from))"'"'"''
step 'spaces-eligibility --table --followers 4999 --country US --age 30 --as-of 2026-11-21 < /dev/null'
exit 0
