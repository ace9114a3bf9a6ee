#!/bin/sh
# demo.sh BUILD: the toolkit's main job on the bundled sample, each command
# printed before it runs so it can be copied.  The sample is an X data
# archive made by tests/gen-archive.py around tests/data/demo/speech.aac,
# 68 s of generated speech (see tests/data/demo/README).  Everything is
# written in a temporary directory, removed at the end; the calendar is a
# temporary one too, never the user's.
set -u
build=${1:-build}
top=$(cd "${0%/*}/.." && pwd)
case $build in /*) ;; *) build=$top/$build ;; esac
PATH=$build/bin:$PATH
export PATH
data=$top/tests/data/demo

for t in python3 jq; do
	command -v "$t" >/dev/null 2>&1 && continue
	echo "demo: $t is needed (apt-get install $t)" >&2
	exit 3
done

# note TEXT...: say what comes next, as shell comments.
note() {
	echo
	for l; do
		printf '# %s\n' "$l"
	done
}

# step CMD [WHY]: show CMD, run it through sh, show a non-zero exit status
# and, when that status is the point, WHY.
step() {
	printf '$ %s\n' "$1"
	sh -c "$1"
	rc=$?
	[ "$rc" -eq 0 ] && return
	printf '(exit status %d%s)\n' "$rc" "${2:+: $2}"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/spaces-demo.XXXXXX") || exit 3
trap 'rm -rf "$work"' EXIT
zip=twitter-2022-04-01-demo.zip
python3 "$top/tests/gen-archive.py" --username latenightaudio \
    --followers 6210 --spaces 2 --aac "$data/speech.aac" --hls-chunks 3 \
    "$work/$zip" >/dev/null || exit 3
cp "$data/chapters.txt" "$work/" || exit 3
cd "$work" || exit 3
SPACES_SCHEDULE=$work/schedule.ics
export SPACES_SCHEDULE
a=audio/2022-03-22-1ypKdEXvkMLGW.aac

note "The commands; 'spaces NAME' runs spaces-NAME, as git does."
step 'spaces help'

note "The sample: $zip, an X data archive of a host with" \
    "6210 followers and two Spaces, whose audio is 68 s of speech." \
    "Say it is 1 April 2022.  Files go to $work," \
    "and spaces-schedule's calendar is SPACES_SCHEDULE=$work/schedule.ics," \
    "not yours."
step "spaces-archive-extract --list --table $zip"

note "Does the host qualify for the Spaces Spark programme?"
step 'spaces-eligibility --list-programs --table'
step "spaces-archive-extract --list $zip | spaces-eligibility --table --as-of 2022-04-01 --tz America/Chicago" \
    'undetermined until Spaces are planned, below'

note "The audio of both Spaces, named by date and id."
step "spaces-archive-extract -q -C audio -o '%(date)s-%(id)s.aac' $zip && ls audio"

note "Its exact length (frames counted, not guessed from the bitrate)," \
    "wall-clock start, loudness, and the stretches of speech between the" \
    "silences."
step "spaces-info --table --loudness --silences $a"

note "A teaser: the 4th stretch of speech, cut losslessly to the sample."
step "spaces-info --silences $a | jq -c 'select(.index == 4)' | spaces-clip -j --clips - --title Teaser -o teaser.m4a $a"

note "The episode: MP3 at -16 LUFS, with chapters for podcast apps."
step 'cat chapters.txt'
step "spaces-clip -j --loudness -16 --title 'Late Night Audio, 22 March' --chapters chapters.txt --chapters-json episode.json -o episode.mp3 $a"

note "Plan the show, twice a week, log the Spaces hosted, see the cadence."
step "spaces-schedule add --tz America/Chicago --every 'tue,thu 19:00' --title 'Late Night Audio' 2022-04-05"
step "spaces-archive-extract --list $zip | spaces-schedule log -"
step 'spaces-schedule cadence --table --tz America/Chicago --as-of 2022-04-01 --weeks 2' \
    'weeks before the plan had fewer than 2 Spaces'

note "With the plan, the host qualifies; the recent cadence is advisory."
step "{ spaces-archive-extract --list $zip; spaces-schedule list --json --from 2022-04-01 --to 2022-07-04; } | spaces-eligibility --table --as-of 2022-04-01 --tz America/Chicago"

note "Facts can be flags too; one follower short:"
step 'spaces-eligibility --table --followers 4999 --country US --age 30 --as-of 2022-04-01 </dev/null' \
    'not eligible'

note "Reuse with consent: a Space with two guests on stage. Who spoke when," \
    "from the Hydra tags in its audio and the archive's spoken sessions."
python3 "$top/tests/gen-hydra.py" --aac "$data/speech.aac" --duration 60 \
    talk.aac >space.ndjson || exit 3
SPACES_CONSENT=$work/consent.ndjson
export SPACES_CONSENT
step 'spaces-speakers --table --audio talk.aac space.ndjson'
step 'spaces-speakers --audio talk.aac space.ndjson >turns.ndjson'

note "alice agreed to clips; bob has not. The check names who and when."
step "spaces-consent grant --evidence 'DM 2026-03-02' @alice"
step 'spaces-consent check --table --speakers turns.ndjson space.ndjson 2>&1' \
    'bob has not consented'

note "So the teaser is refused, then made with bob's turns muted."
step 'spaces-clip --speakers turns.ndjson --require-consent -s 0 -e 30 -o teaser2.m4a talk.aac 2>&1' \
    'not written'
step "spaces-clip -j --speakers turns.ndjson --require-consent --mute-unconsented -s 0 -e 30 -o teaser2.m4a talk.aac | jq -c .muted"

note "What was made:"
step 'spaces-info --table --loudness teaser.m4a episode.mp3 teaser2.m4a'
exit 0
