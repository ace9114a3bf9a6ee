#!/bin/sh
# hostile.t: every fixture of every format, truncated and bit-flipped,
# through every command that reads it.  Each run must end by itself with
# exit 0, 1 or 2 (bad input is 2, never 3 and never a crash), print no
# sanitizer report (the test suite runs the sanitizer build), leave nothing
# under a final name when it fails and no temporary file ever, in the
# output directory or in TMPDIR.  The damage is deterministic (seeded by
# the fixture's name) and sampled so the file runs in seconds; HOSTILE=all
# runs every damaged copy through every command.
#
# Not here: spaces-lookup and spaces-record, whose inputs come from the
# network (their loopback mocks serve damaged answers in their own tests).
. "${0%/*}/../lib.sh"

# A sanitizer report must not hide behind exit status 1.  Leaks inside
# libvorbis and libsndfile on corrupt Ogg Vorbis are theirs, as for the
# fuzzers (fuzz/lsan.supp); ours are never suppressed.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:exitcode=86
LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$TOP/fuzz/lsan.supp
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
ALL=${HOSTILE:-}

# Known failures, owned by other work in progress (issue 19): when a run
# whose label matches fails and leaves outputs under their final names,
# that is shown but does not fail the case (every other fault of the run
# still does).  Remove a line when its fix lands.
#  - spaces-clip --clips: a clip list with a bad line after good ones
#    exits 2 having written the good clips (the clip-list item).
#  - spaces-archive-extract: a damaged archive exits 2 having written the
#    parts before the damage (the archive-extract items).
KNOWN='^spaces-clip --clips |^spaces-archive-extract [^-]'

# damage DIR FILE...: write the damaged copies of each FILE into DIR, as
# NAME.tN (truncated) and NAME.fN (bits flipped); print their paths.
# Truncations: inside the header, the middle, the last byte; flips: one
# bit in the first 512 bytes, eight bits anywhere, four bytes of the first
# 2 KB set to 0xff.
damage() {
	python3 - "$@" <<-'EOF'
	import os, random, sys
	out = sys.argv[1]
	for path in sys.argv[2:]:
	    data = open(path, "rb").read()
	    name = os.path.basename(path)
	    base, ext = os.path.splitext(name)
	    rnd = random.Random(name)
	    n = len(data)
	    cuts = sorted({min(n - 1, 12), n // 2, n - 1} - {n, -1})
	    variants = [("t%d" % i, data[:c]) for i, c in enumerate(cuts)]
	    for i, (span, bits, ff) in enumerate([(512, 1, 0), (n, 8, 0),
	                                          (2048, 0, 4)]):
	        b = bytearray(data)
	        for _ in range(bits):
	            k = rnd.randrange(min(span, n))
	            b[k] ^= 1 << rnd.randrange(8)
	        for _ in range(ff):
	            b[rnd.randrange(min(span, n))] = 0xff
	        variants.append(("f%d" % i, bytes(b)))
	    for tag, v in variants:
	        p = os.path.join(out, "%s.%s%s" % (base, tag, ext))
	        open(p, "wb").write(v)
	        print(p)
	EOF
}

# pick N: true for every variant with ALL, else for one in N, turning with
# the variant's number so that each kind of damage gets its turn.
k=0
pick() {
	k=$((k + 1))
	[ -n "$ALL" ] || [ $((k % $1)) -eq 0 ]
}

# try LABEL KEEP CMD...: run CMD in a fresh directory ./w with TMPDIR
# ./tmp; on a fault, add a line to ./fails.  KEEP is a pattern of files
# the command may leave even when it fails (a calendar's lock), or "".
try() {
	label=$1 keep=$2
	shift 2
	rm -rf w tmp
	mkdir w tmp
	trc=0
	(cd w && TMPDIR=$PWD/../tmp timeout 60 "$@" >../o 2>../e) || trc=$?
	fails=fails
	case $trc in
	0|1|2) ;;
	4) case $label in spaces-eligibility*) ;;	# undetermined
	   *) echo "$label: exit 4" >>"$fails" ;; esac ;;
	124) echo "$label: did not end in 60 s" >>"$fails" ;;
	86) echo "$label: sanitizer: $(grep -m1 -E "ERROR|runtime error" e)" >>"$fails" ;;
	*) echo "$label: exit $trc: $(head -c 300 e | tr '\n' ' ')" >>"$fails" ;;
	esac
	if grep -q -E "Sanitizer|runtime error:" e && [ $trc -ne 86 ]; then
		echo "$label: sanitizer: $(grep -m1 -E "Sanitizer|runtime error" e)" >>"$fails"
	fi
	left=$(cd w && find . -name ".*" ! -name . -print | sed "s|^\./||")
	[ -z "$left" ] || echo "$label: temporary files left: $left" >>"$fails"
	left=$(cd tmp && find . ! -name . -print)
	[ -z "$left" ] || echo "$label: left in TMPDIR: $left" >>"$fails"
	if [ $trc -ne 0 ]; then
		left=$(cd w && find . -type f ! -name ".*" -print |
		    sed "s|^\./||" | grep -v -x -e "${keep:-//}" || true)
		if printf "%s\n" "$label" | grep -q -E "$KNOWN"; then
			fails=known
		fi
		[ -z "$left" ] ||
		    echo "$label: exit $trc, yet wrote $(echo $left)" >>"$fails"
	fi
	return 0
}

# verdict: the case passes when no run failed; else show the failures.
verdict() {
	[ ! -s known ] || sed "s/^/known, not counted: /" known
	[ ! -s fails ] && return 0
	echo "$(wc -l <fails) failures:"
	cat fails
	return 1
}

AUDIO="$DATA/aac/crc.aac $DATA/aac/mono-44k.aac $DATA/aac/space-chunks.aac
$DATA/aac/speech-3s.aac $DATA/mp4/co64.m4a $DATA/mp4/enc.m4a
$DATA/mp4/faststart.m4a $DATA/mp4/frag.m4a $DATA/mp4/mono44.m4a
$DATA/mp4/speech.m4a $DATA/mp4/tagged.m4a $DATA/mp4/twotrack.m4a
$DATA/opus/chapters.opus $DATA/opus/ffmpeg.opus $DATA/opus/mono.opus
$DATA/opus/stereo.opus $DATA/opus/surround.opus $DATA/pcm/mono-44k.m4a
$DATA/pcm/mono-44k.ogg $DATA/pcm/mono-44k.wav $DATA/pcm/mono-48k.opus
$DATA/pcm/noxing-44k.mp3 $DATA/pcm/pauses.opus $DATA/pcm/stereo-44k.mp3"

t_case 'audio: spaces-info on every damaged fixture, file and stdin' '
	C=$PWD &&
	mkdir d &&
	damage d $AUDIO $DATA/demo/speech.aac >list &&
	test "$(wc -l <list)" -ge 150 &&
	: >fails && : >known &&
	while read -r f; do
		try "spaces-info ${f#d/}" "" spaces-info -j "$C/$f"
		pick 3 && try "spaces-info --silences - <${f#d/}" "" \
		    sh -c "spaces-info -j --silences - <\"\$1\"" sh "$C/$f"
	done <list
	verdict
'

t_case 'audio: spaces-clip cuts (lossless and transcoded) of damaged fixtures' '
	C=$PWD &&
	mkdir d &&
	damage d $AUDIO >list &&
	: >fails && : >known &&
	while read -r f; do
		case $f in
		*.aac|*.m4a) out=out.m4a ;;
		*.opus) out=out.opus ;;
		*) out=out.flac ;;
		esac
		pick 2 && try "spaces-clip -o $out ${f#d/}" "" \
		    spaces-clip -q -s 0.2 -e 0.9 -o $out "$C/$f"
		pick 5 && try "spaces-clip --reencode -o out.mp3 ${f#d/}" "" \
		    spaces-clip -q --reencode -s 0.1 -e 0.6 -o out.mp3 \
		    "$C/$f"
	done <list
	verdict
'

t_case 'chapter lists and clip lists, damaged, through spaces-clip' '
	C=$PWD &&
	mkdir d &&
	printf "%s\n" "{\"type\":\"clip\",\"start\":0.1,\"end\":0.5,\"title\":\"one\"}" \
	    "{\"type\":\"clip\",\"start\":0.6,\"end\":1.2,\"title\":\"two\"}" >clips.ndjson &&
	printf "0:00 Intro\n0:01.2 Middle\n0:02 End\n" >chapters.txt &&
	damage d clips.ndjson chapters.txt $DATA/demo/chapters.txt \
	    $DATA/mp4/chapters.txt >list &&
	: >fails && : >known &&
	while read -r f; do
		case $f in
		*.ndjson) try "spaces-clip --clips ${f#d/}" "" spaces-clip -q \
		    --clips "$C/$f" -o "c-%02n.m4a" "$DATA/aac/speech-3s.aac" ;;
		*) try "spaces-clip --chapters ${f#d/}" "" spaces-clip -q \
		    --chapters "$C/$f" -o out.m4a "$DATA/aac/speech-3s.aac" ;;
		esac
	done <list
	verdict
'

t_case 'NDJSON records and rule files, damaged, through spaces-eligibility and log' '
	C=$PWD &&
	mkdir d &&
	python3 "$TOP/tests/gen-archive.py" --spaces 3 a.zip >/dev/null &&
	spaces-archive-extract -l a.zip >records.ndjson &&
	printf "%s\n" "{\"type\":\"user\",\"id\":\"9\",\"followers_count\":6000,\"country\":\"US\",\"birth_date\":\"1990-01-01\"}" >>records.ndjson &&
	damage d records.ndjson $TOP/share/rules/*.json >list &&
	: >fails && : >known &&
	while read -r f; do
		case $f in
		*records*)
			try "spaces-eligibility ${f#d/}" "" spaces-eligibility \
			    --as-of 2026-11-01 "$C/$f"
			# log keeps the good records of a damaged stream (exit 2).
			try "spaces-schedule log <${f#d/}" "c\\.ics\\|c\\.ics\\.lock" \
			    sh -c "spaces-schedule --calendar c.ics log - <\"\$1\"
			    r=\$?
			    spaces-schedule --calendar c.ics list >/dev/null || exit 9
			    exit \$r" sh "$C/$f" ;;
		*)
			try "spaces-eligibility -r ${f#d/}" "" sh -c \
			    "spaces-eligibility -r \"\$1\" --followers 10 </dev/null" \
			    sh "$C/$f" ;;
		esac
	done <list
	verdict
'

t_case 'calendars, damaged: list, cadence, import' '
	C=$PWD &&
	mkdir d &&
	SPACES_SCHEDULE=$PWD/s.ics &&
	export SPACES_SCHEDULE &&
	spaces-schedule add --tz America/New_York --every "tue,thu 18:00" \
	    --until 2027-02-28 --title "Weekly show" 2026-12-01 >uid &&
	spaces-schedule skip "$(cat uid)" 2026-12-24 &&
	spaces-schedule add --tz Europe/Paris --rrule "FREQ=MONTHLY;BYDAY=1MO" \
	    --count 5 --title Monthly 2026-12-07T09:30 >/dev/null &&
	spaces-schedule log --space 1ypKdEXvkMLGW --at 2026-11-20T18:00Z \
	    --duration 1h --title Hosted &&
	unset SPACES_SCHEDULE &&
	damage d s.ics >list &&
	: >fails && : >known &&
	while read -r f; do
		try "spaces-schedule list ${f#d/}" "" spaces-schedule \
		    --calendar "$C/$f" list -j --from 2026-11-01 --to 2027-01-01
		pick 2 && try "spaces-schedule list --table ${f#d/}" "" \
		    spaces-schedule --calendar "$C/$f" list --table \
		    --from 2026-11-01 --to 2027-01-01
		pick 2 && try "spaces-schedule cadence ${f#d/}" "" \
		    spaces-schedule --calendar "$C/$f" cadence -j \
		    --as-of 2026-12-15
		try "spaces-schedule import ${f#d/}" "" spaces-schedule \
		    --calendar new.ics import "$C/$f"
	done <list
	verdict
'

t_case 'archives, damaged: list and extract' '
	C=$PWD &&
	mkdir d &&
	python3 "$TOP/tests/gen-archive.py" --spaces 2 --parts 2 a.zip >/dev/null &&
	python3 "$TOP/tests/gen-archive.py" --spaces 1 --deflate-media --zip64 \
	    --data-descriptor z64.zip >/dev/null &&
	damage d a.zip z64.zip >list &&
	: >fails && : >known &&
	while read -r f; do
		try "spaces-archive-extract -l ${f#d/}" "" \
		    spaces-archive-extract -q -l "$C/$f"
		try "spaces-archive-extract ${f#d/}" "" \
		    spaces-archive-extract -q "$C/$f"
	done <list
	verdict
'

# spool_killed SIG CMD...: run CMD (reading stdin, which it spools to
# TMPDIR) from a FIFO that is never closed, wait for the spool, send SIG;
# the command must die of SIG and leave nothing in TMPDIR or here.
spool_killed() {
	sig=$1
	shift
	rm -rf tmp fifo
	mkdir tmp
	mkfifo fifo
	# A shell starts background jobs with SIGINT ignored: undo that.
	TMPDIR=$PWD/tmp python3 -c "import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])" "$@" <fifo >/dev/null 2>e &
	pid=$!
	# A watchdog: a command that ignored the signal still ends.
	( sleep 30; kill -9 $pid 2>/dev/null ) &
	dog=$!
	exec 3>fifo
	cat "$DATA/aac/speech-3s.aac" >&3
	i=0
	while [ -z "$(ls -A tmp)" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -n "$(ls -A tmp)" ] || { echo "$*: no spool seen"; exec 3>&-; return 1; }
	kill -"$sig" $pid
	wrc=0
	wait $pid || wrc=$?
	kill $dog 2>/dev/null
	exec 3>&-
	[ -z "$(ls -A tmp)" ] || { echo "$* after SIG$sig left: $(ls -A tmp)"; return 1; }
	[ -z "$(ls -A | grep -v -x -e tmp -e fifo -e e)" ] ||
	    { echo "$* after SIG$sig left: $(ls -A)"; return 1; }
	# Died of the signal (128 + its number), as the shell sees it.
	[ $wrc -gt 128 ] && [ $wrc -ne 137 ] ||
	    { echo "$*: exit $wrc after SIG$sig"; cat e; return 1; }
}

t_case 'SIGTERM, SIGHUP, SIGINT during a run: the stdin spools are removed' '
	spool_killed TERM spaces-info - &&
	spool_killed HUP spaces-info - &&
	spool_killed INT spaces-info --silences - &&
	spool_killed TERM spaces-clip -q -s 0.1 -e 0.5 -o out.m4a - &&
	test ! -e out.m4a
'

t_end
