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

# An X data archive, generated from the documented shapes with real AAC.
work=$(mktemp -d "${TMPDIR:-/tmp}/spaces-demo.XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
python3 "$top/tests/gen-archive.py" --followers 6210 --spaces 2 --parts 2 \
    --media-repeat 20 "$work/twitter-2026-11-21-demo.zip" >/dev/null || exit 3
cd "$work" || exit 3
echo
echo "A generated X data archive, twitter-2026-11-21-demo.zip:"
step 'spaces-archive-extract --list --table twitter-2026-11-21-demo.zip'
step 'spaces-archive-extract --list twitter-2026-11-21-demo.zip | spaces-eligibility --program spark-2021 --table --as-of 2022-04-01'
step 'spaces-archive-extract -C audio -o "%(date)s-%(id)s_%(part)d.aac" twitter-2026-11-21-demo.zip && ls -l audio'
step 'spaces-archive-extract --data follower twitter-2026-11-21-demo.zip | wc -l'
step 'spaces-info --table --loudness audio/2022-03-22-1ypKdEXvkMLGW_0.aac'
step 'spaces-info -j --silences audio/2022-03-22-1ypKdEXvkMLGW_0.aac | head -n 4'
printf '0 Welcome\n20 The news\n45 Questions\n' >chapters.txt
step 'cat chapters.txt'
step 'spaces-clip -j -s 0:12.345 -e 0:42.345 -o teaser.m4a audio/2022-03-22-1ypKdEXvkMLGW_0.aac'
step 'spaces-clip -j --mono --loudness -19 --fade-in 1 --fade-out 2 --title "Episode 1" --chapters chapters.txt -o episode.mp3 audio/2022-03-22-1ypKdEXvkMLGW_0.aac'
step 'spaces-info --table teaser.m4a episode.mp3'
exit 0
