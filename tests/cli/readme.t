#!/bin/sh
# readme.t: the examples of README.md, run as they are written.
#
# The README's code blocks follow one convention, which this test enforces:
#
#   ```sh       runnable: every such block is run here, each in a fresh
#               directory; a new one is picked up without editing this file
#   ```console  a transcript ("$ " prompts and their output), or commands
#               that cannot run here (make targets, a real account, the
#               network): shown, never run
#   ```text     anything else shown as it is: crontab lines, file contents
#
# Any other info string, a ~~~ fence or an indented code block fails the
# test, so that every new block has to pick a side.  In every block and
# `inline code`, each option given to a spaces command must be in its -h
# usage or its manual.
#
# A runnable block is cut into whole commands: a line ending in "", an
# open here-document, and whatever `sh -n` finds unfinished ("|", "&&",
# "{", a quote) go on to the next line.  The commands run one after the
# other in one sh, stdin /dev/null, and the block passes when
#
#   - each command exits 0, or N when one of its comments begins "exits N"
#     (spaces-eligibility ... </dev/null    # exits 1: not eligible);
#   - no process of a spaces command exits 2 or more (a usage error,
#     invalid input, an environment failure) unless its command says so
#     as above, nor 1 or 4 (an answer "no", "undetermined") except inside
#     a pipeline or a condition, which takes its status;
#   - when the block ends, every file that a spaces process which exited 0
#     was told to write is there and not empty: -o and --chapters-json (a
#     template must match a file), spaces-archive-extract's default names
#     under -C, and the "> file" of each command that exited 0.
#
# The processes are seen through wrappers put first in PATH, one per
# build/bin/spaces*, which note the arguments, directory and exit status.
#
# A block's directory is its HOME (so XDG_DATA_HOME, the schedule, and
# XDG_CONFIG_HOME are in it too) and holds the samples the block names,
# under the README's names:
#
#   twitter-2026.zip  tests/gen-archive.py --followers 6210 --media-repeat 100:
#                     @SpacesHost (id 111111111, Austin, TX, born 1990), its
#                     Spaces 1ypKdEXvkMLGW and 1ds9oZUADFdiZ, 5:02.933 each
#   talk.aac          the audio of 1ypKdEXvkMLGW, from the archive
#   talk.m4a          the same in M4A (spaces-clip, lossless)
#   cookies.txt       a Netscape cookie file for the loopback web endpoints
#   $ARCHIVE_URL      a file:// URL of twitter-2026.zip, kept elsewhere
#
# A block that names spaces-lookup gets tests/data/readme/xapi-mock.py
# (tests/servers/xapi-mock.py plus @SpacesHost and its live Space) as
# SPACES_API_URL, with its SPACES_BEARER_TOKEN; one that names
# spaces-record gets tests/servers/hls-mock.py as SPACES_WEB_URL.  A block
# with a URL other than a Space's fails at once (it needs the network); when
# a block fails, the report names the files it uses that this test does not
# make and it does not write, and the variables nobody sets.
#
# T_ONLY=N runs case N only, as in every test; README=FILE reads another
# file instead of README.md (to try a broken copy).

. "${0%/*}/../lib.sh"

readme=${README:-$TOP/README.md}
blocks=$t_tmp/blocks
fx=$t_tmp/fx
wrap=$t_tmp/wrap
mkdir "$blocks" "$fx" "$wrap" || exit 3
unset SPACES_SCHEDULE SPACES_API_URL SPACES_WEB_URL ARCHIVE_URL
TOKEN=test-token-s3cr3t

# ---------------------------------------------------------------- blocks

# Cut README into $blocks/NNN (each line "README-line<TAB>text") for the sh
# blocks; print the convention's violations on stdout.
awk -v dir="$blocks" '
function bad(msg) { printf "%s:%d: %s\n", FILENAME, NR, msg }
BEGIN { n = 0 }
fence && /^ ? ? ?```[ \t]*$/ {
	if (kind == "sh" && !lines)
		bad("an empty ```sh block")
	fence = 0; blank = 0; next
}
fence {
	if (kind == "sh") {
		printf "%d\t%s\n", NR, $0 > file
		lines++
	}
	next
}
/^ ? ? ?~~~/ { bad("a ~~~ fence: use ```sh, ```console or ```text") }
/^ ? ? ?```/ {
	kind = $0
	sub(/^ *```[ \t]*/, "", kind)
	sub(/[ \t].*/, "", kind)
	if (kind != "sh" && kind != "console" && kind != "text")
		bad("a ```" kind " block: use ```sh (run), ```console or ```text (shown)")
	if (kind == "sh") {
		n++
		file = sprintf("%s/%03d", dir, n)
		lines = 0
	}
	fence = 1; next
}
/^(    |\t)/ && blank && !list {
	bad("an indented code block: fence it, ```sh (run) or ```console (shown)")
}
/^[ \t]*$/ { blank = 1; next }
{ blank = 0; list = /^ *([-*+]|[0-9]+[.)]) / || (list && /^  /) }
END { if (fence) bad("a code block that is never closed") }
' "$readme" >"$t_tmp/fences" 2>&1 || echo "awk failed" >>"$t_tmp/fences"

# ---------------------------------------------------------------- wrappers

for f in "$t_bin"/spaces*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	n=${f##*/}
	cat >"$wrap/$n" <<-EOF
	#!/bin/sh
	# readme.t: run $n, noting its arguments, directory and exit status.
	d=\$(mktemp -d "\$README_LOG/p.XXXXXX") || exit 3
	printf '%s\n' "\${README_CMD:-0}" >"\$d/cmd"
	printf '%s\n' "$n" >"\$d/name"
	pwd >"\$d/cwd"
	printf '%s\n' "\$@" >"\$d/args"
	rc=0
	"$f" "\$@" || rc=\$?
	echo "\$rc" >"\$d/rc"
	exit "\$rc"
	EOF
	chmod +x "$wrap/$n"
done

# ---------------------------------------------------------------- fixtures

# fixture NAME: make the sample NAME once, in $fx.
fixture() {
	[ -e "$fx/$1" ] && return 0
	case $1 in
	twitter-2026.zip)
		python3 "$TOP/tests/gen-archive.py" --followers 6210 \
		    --media-repeat 100 "$fx/$1.tmp" >/dev/null ;;
	talk.aac)
		fixture twitter-2026.zip &&
		"$t_bin/spaces-archive-extract" -q -s 1ypKdEXvkMLGW -o - \
		    "$fx/twitter-2026.zip" >"$fx/$1.tmp" ;;
	talk.m4a)
		fixture talk.aac &&
		"$t_bin/spaces-clip" -q -o "$fx/$1.tmp.m4a" "$fx/talk.aac" &&
		mv "$fx/$1.tmp.m4a" "$fx/$1.tmp" ;;
	cookies.txt)
		printf '# Netscape HTTP Cookie File\n%s\n%s\n' \
		    "127.0.0.1	FALSE	/	FALSE	0	auth_token	SECRETAUTH" \
		    "#HttpOnly_127.0.0.1	FALSE	/	FALSE	0	ct0	CT0" \
		    >"$fx/$1.tmp" ;;
	*)
		return 1 ;;
	esac && mv "$fx/$1.tmp" "$fx/$1" || {
		echo "readme.t: cannot make the sample $1"
		return 1
	}
}
known_files='twitter-2026.zip talk.aac talk.m4a cookies.txt'
known_vars='HOME PATH TMPDIR ARCHIVE_URL'

# serve SCRIPT: start a loopback mock for this block; $port is its port.
# The block's EXIT trap kills it (it ends by itself after 10 minutes).
serve() {
	rm -f port
	python3 "$1" ok port "mock-$$.log" 600 >"mock-$$.out" 2>&1 &
	mocks="$mocks $!"
	trap 'kill $mocks 2>/dev/null' EXIT
	i=0
	while [ ! -s port ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { echo "mock ${1##*/} did not start"; return 1; }
		sleep 0.1
	done
	port=$(cat port)
	rm -f port
}

# words: the words of ./block, comments and here-documents left in,
# quotes taken off: one a line.
words() {
	cut -f 2- block | awk '{
		w = ""; q = ""
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (q != "") {
				if (c == q)
					q = ""
				else
					w = w c
			} else if (c == "\047" || c == "\"") {
				q = c
			} else if (c == " " || c == "\t") {
				if (w != "")
					print w
				w = ""
			} else {
				w = w c
			}
		}
		if (w != "")
			print w
	}'
}

# prepare: make the directory ready for ./block: samples, mocks,
# environment.  Fail when it needs the network; note in ./hints what else
# it seems to need that this test does not give, for when it fails.
prepare() {
	HOME=$PWD
	XDG_DATA_HOME=$PWD/.local/share
	XDG_CONFIG_HOME=$PWD/.config
	export HOME XDG_DATA_HOME XDG_CONFIG_HOME
	mocks=
	# The files the block writes: after -o, --output, --chapters-json,
	# -C, >, >> (and as >name).
	words | awk '
		o { print; o = 0; next }
		/^(-o|--output|--chapters-json|-C|--directory|>|>>)$/ { o = 1; next }
		/^>>?[^&]/ { sub(/^>>?/, ""); print }
		/^--(output|chapters-json)=/ { sub(/^[^=]*=/, ""); print }
	' | sed 's|^~/||' >made
	: >hints
	words | sed -e 's/^[0-9]*[<>]*//' -e 's|^~/||' |
	    grep -E '\.(zip|aac|m4a|mp4|ts|opus|ogg|mp3|flac|wav|aiff|txt|ndjson|json|ics|m3u8)$' |
	    grep -v -e '[%$]' -e '://' | sort -u >names
	while IFS= read -r w; do
		grep -Fqx -- "$w" made && continue
		case " $known_files " in
		*" $w "*)
			fixture "$w" && cp "$fx/$w" . || return 1 ;;
		*)
			echo "the block names $w, which readme.t does not make" \
			    "(it makes $known_files): make it in the block," \
			    "or teach fixture() in readme.t" >>hints ;;
		esac
	done <names
	for v in $(cut -f 2- block | sed "s/'[^']*'//g" |
	    grep -o '\$[{]\{0,1\}[A-Za-z_][A-Za-z0-9_]*' |
	    tr -d '${' | sort -u); do
		case " $known_vars " in *" $v "*) continue ;; esac
		cut -f 2- block | grep -Eq "(^|[^A-Za-z0-9_])$v=|(for|read)( -r)? $v( |\$)" &&
		    continue
		echo "the block uses \$$v, which readme.t does not set" >>hints
	done
	need=0
	for u in $(cut -f 2- block | grep -o 'https\{0,1\}://[^ "'\'']*' | sort -u); do
		case $u in
		https://x.com/i/spaces/*|https://twitter.com/i/spaces/*) ;;
		*) echo "the block needs the network ($u): fence it as console"
		   need=1 ;;
		esac
	done
	[ $need -eq 0 ] || { cat hints; return 1; }
	if grep -q 'ARCHIVE_URL' block; then
		fixture twitter-2026.zip || return 1
		ARCHIVE_URL=file://$fx/twitter-2026.zip
		export ARCHIVE_URL
	fi
	if grep -q 'spaces[- ]lookup' block; then
		serve "$TOP/tests/data/readme/xapi-mock.py" || return 1
		SPACES_API_URL=http://127.0.0.1:$port
		SPACES_BEARER_TOKEN=$TOKEN
		export SPACES_API_URL SPACES_BEARER_TOKEN
	fi
	if grep -q 'spaces[- ]record' block; then
		serve "$TOP/tests/servers/hls-mock.py" || return 1
		SPACES_WEB_URL=http://127.0.0.1:$port
		SPACES_BACKOFF=0.05
		SPACES_REPLAY_WAIT=0.2
		SPACES_WAIT_POLL=0.2
		export SPACES_WEB_URL SPACES_BACKOFF SPACES_REPLAY_WAIT \
		    SPACES_WAIT_POLL
	fi
	mkdir .readme .readme/log
	README_LOG=$PWD/.readme/log
	README_STATUS=$PWD/.readme/status
	PATH=$wrap:$PATH
	export README_LOG README_STATUS PATH
}

# ---------------------------------------------------------------- running

# compile: cut ./block into whole commands .readme/cmd.N (README line in
# .readme/line.N) and write .readme/run.sh, which runs them in order and
# appends "N STATUS" to $README_STATUS after each.
compile() {
	k=0
	acc=
	delim=
	: >.readme/run.sh
	while IFS= read -r l; do
		ln=${l%%"	"*}
		text=${l#*"	"}
		if [ -z "$acc" ]; then
			trimmed=${text#"${text%%[![:space:]]*}"}
			case $trimmed in ''|'#'*) continue ;; esac
			first=$ln
			acc=$text
		else
			acc="$acc
$text"
		fi
		if [ -n "$delim" ]; then
			t=$text
			[ -n "$strip" ] && t=${t#"${t%%[!	]*}"}
			[ "$t" = "$delim" ] || continue
			delim=
		else
			d=$(printf '%s\n' "$text" | sed -n -E \
			    "s/.*<<(-?)[[:space:]]*[\"']?([A-Za-z_][A-Za-z0-9_]*).*/\\1 \\2/p")
			if [ -n "$d" ]; then
				strip=${d% *}
				delim=${d#* }
				continue
			fi
		fi
		case $text in *\\) continue ;; esac
		printf '%s\n' "$acc" | sh -n 2>/dev/null || continue
		k=$((k + 1))
		printf '%s\n' "$acc" >.readme/cmd.$k
		echo "$first" >.readme/line.$k
		{
			echo "README_CMD=$k; export README_CMD"
			printf '%s\n' "$acc"
			echo "echo \"$k \$?\" >>\"\$README_STATUS\""
		} >>.readme/run.sh
		acc=
	done <block
	if [ -n "$acc" ]; then
		echo "README.md:$first: the block ends inside a command:"
		printf '%s\n' "$acc"
		return 1
	fi
	[ $k -gt 0 ] || { echo "the block has no command"; return 1; }
}

# claim N: the status command N says it exits with, else 0.
claim() {
	c=$(sed -n -E 's/.*#[[:space:]]*exits?[[:space:]]+([0-9]+).*/\1/p' \
	    .readme/cmd.$1 | head -n 1)
	echo "${c:-0}"
}

# tested N: command N is a pipeline or a condition, whose parts' statuses
# the shell takes.
tested() {
	grep -Eq '[|]|&&|(^|[[:space:];(])(if|while|until|!)[[:space:]]' \
	    .readme/cmd.$1
}

# glob PATTERN: an -o template as a shell pattern.
glob() {
	printf '%s\n' "$1" | sed -e 's/%([a-z_]*)[-+ #0-9]*[sd]/*/g' \
	    -e 's/%[-0-9]*[nts]/*/g' -e 's/%%/%/g'
}

# outputs DIR: print "CWD<TAB>PATTERN" for each file that the process
# noted in DIR was told to write.
outputs() {
	name=$(cat "$1/name")
	cwd=$(cat "$1/cwd")
	o= C= mode=write prev=
	while IFS= read -r a; do
		case $prev in
		-o|--output) o=$a ;;
		-C|--directory) C=$a ;;
		--chapters-json) printf '%s\t%s\n' "$cwd" "$(glob "$a")" ;;
		esac
		case $a in
		--output=*) o=${a#*=} ;;
		--chapters-json=*) printf '%s\t%s\n' "$cwd" "$(glob "${a#*=}")" ;;
		-h|--help|--version|--list|--data|--data=*) mode=none ;;
		-[!-]*l*) [ "$name" = spaces-archive-extract ] && mode=none ;;
		esac
		prev=$a
	done <"$1/args"
	[ $mode = none ] && return 0
	if [ "$name" = spaces-archive-extract ]; then
		o=${o:-space-%(id)s_%(part)d.aac}
		[ "$o" = - ] && return 0
		printf '%s\t%s\n' "$cwd" "${C:+$C/}$(glob "$o")"
	elif [ -n "$o" ] && [ "$o" != - ]; then
		printf '%s\t%s\n' "$cwd" "$(glob "$o")"
	fi
}

# there CWD PATTERN: a non-empty file matches PATTERN in CWD.
there() {
	(
		cd "$1" || exit 1
		IFS=
		set -- $2
		for f; do
			[ -s "$f" ] || exit 1
		done
	)
}

# run_block N: the case for block N.
run_block() {
	cp "$blocks/$1" block
	prepare || return 1
	compile || return 1
	rc=0
	timeout 600 sh .readme/run.sh </dev/null >.readme/out 2>.readme/err ||
	    rc=$?
	fail=0
	k=1
	while [ -f .readme/cmd.$k ]; do
		at="README.md:$(cat .readme/line.$k)"
		want=$(claim $k)
		got=$(sed -n "s/^$k //p" .readme/status 2>/dev/null | tail -n 1)
		if [ -z "$got" ]; then
			echo "$at: never finished (the block exited $rc)"
			fail=1
		elif [ "$got" != "$want" ]; then
			echo "$at: exit status $got, want $want:"
			sed 's/^/    /' .readme/cmd.$k
			fail=1
		elif [ "$got" -eq 0 ]; then
			# Its "> file" redirections (outside quotes).
			sed -e "s/'[^']*'//g" -e 's/"[^"]*"//g' .readme/cmd.$k |
			    tr -s ' \t' '\n\n' | awk '
				o { print; o = 0; next }
				/^>>?$/ { o = 1; next }
				/^>>?[^&]/ { sub(/^>>?/, ""); print }
			' | sed 's|^~/||' | while IFS= read -r f; do
				case $f in /dev/*) continue ;; esac
				[ -s "$f" ] && continue
				echo "$at: > $f: no such file, or empty"
				echo fail >>.readme/bad
			done
		fi
		k=$((k + 1))
	done
	for p in .readme/log/p.*; do
		[ -d "$p" ] || continue
		c=$(cat "$p/cmd")
		at="README.md:$(cat .readme/line.$c 2>/dev/null)"
		what="$(cat "$p/name") $(tr '\n' ' ' <"$p/args")"
		if [ ! -s "$p/rc" ]; then
			echo "$at: $what: killed, or never ended"
			fail=1
			continue
		fi
		s=$(cat "$p/rc")
		[ "$s" -eq 0 ] && outputs "$p" >>.readme/outputs
		[ "$s" -eq 0 ] || [ "$s" -eq "$(claim "$c")" ] && continue
		case $s in
		1|4) tested "$c" && continue ;;
		esac
		echo "$at: $what: exit status $s"
		fail=1
	done
	if [ -s .readme/outputs ]; then
		while IFS="	" read -r cwd pat; do
			there "$cwd" "$pat" && continue
			echo "README.md: no file $pat in ${cwd#"$PWD/"}, or an empty one"
			fail=1
		done <.readme/outputs
	fi
	[ -f .readme/bad ] && fail=1
	if [ $fail -ne 0 ] || [ $rc -ne 0 ]; then
		cat hints
		echo "--- stderr of the block (last 30 lines):"
		tail -n 30 .readme/err
		return 1
	fi
}

# ---------------------------------------------------------------- cases

t_case 'README.md: every code block is sh, console or text' '
	[ ! -s "$t_tmp/fences" ] || { cat "$t_tmp/fences"; exit 1; }
'

t_case 'README.md: the set-up commands come first' '
	awk "/^\`\`\`/ { n++ } n == 1" "$readme" >first &&
	grep -q "make demo" first && grep -q "make check" first ||
	{ echo "the first block is not make demo and make check:"; cat first; exit 1; }
'

t_case 'README.md: there are runnable blocks' '
	ls "$blocks" | grep -q . || { echo "no \`\`\`sh block found"; exit 1; }
'

for b in "$blocks"/*; do
	[ -f "$b" ] || continue
	b=${b##*/}
	# Named by its first line, or its first that runs a spaces command.
	line=$(head -n 1 "$blocks/$b" | cut -f 1)
	what=$({ grep "	spaces[- ][a-z]" "$blocks/$b" || cat "$blocks/$b"; } |
	    head -n 1 | cut -f 2- | tr -d '\\' | cut -c 1-60 | sed 's/ *$//')
	t_case "README.md:$line: $what" "run_block $b"
done

# code: every command the README shows, one a line: the lines of each
# block (of a console block, those after a "$ " prompt, without it), with
# "\" continuations joined, and every `inline code` of the text.
code() {
	awk '
	function flush(  s) {
		s = para
		while (match(s, /`[^`]+`/)) {
			print substr(s, RSTART + 1, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
		para = ""
	}
	/^ ? ? ?```/ {
		if (!fence) {
			flush()
			kind = $0
			sub(/^ *```[ \t]*/, "", kind)
		}
		fence = !fence
		next
	}
	fence {
		l = $0
		if (kind == "console") {
			if (l !~ /^[$] /)
				next
			l = substr(l, 3)
		}
		if (cont != "")
			l = cont " " l
		if (l ~ /[\\]$/) {
			cont = substr(l, 1, length(l) - 1)
			next
		}
		cont = ""
		print l
		next
	}
	/^[ \t]*$/ { flush(); next }
	{ para = para " " $0 }
	END { flush() }
	' "$readme"
}

# options: "COMMAND OPTION" for each option given to a spaces command in
# code (spaces NAME, the front end, counts as spaces-NAME), one a line.
options() {
	code | sed -e 's/ #.*//' -e 's/[|;&(){}`]/\
/g' | awk '{
		cmd = ""
		for (i = 1; i <= NF; i++) {
			if ($i ~ /^spaces-[a-z-]+$/) {
				cmd = $i
			} else if ($i == "spaces" && $(i + 1) ~ /^[a-z]+$/) {
				cmd = "spaces-" $(i + 1)
				i++
			} else if (cmd != "" && $i ~ /^-[A-Za-z-]/) {
				o = $i
				sub(/=.*/, "", o)
				print cmd, o
			}
		}
	}' | sort -u
}

t_case 'README.md: every option shown is one its command has' '
	options >opts &&
	[ -s opts ] || { echo "no option found in the README"; exit 1; }
	bad=0
	while read -r cmd opt; do
		if [ ! -x "$t_bin/$cmd" ]; then
			echo "$cmd $opt: there is no $cmd"
			bad=1
			continue
		fi
		"$t_bin/$cmd" -h >usage 2>&1
		man=$TOP/man/$cmd.1
		[ -f "$man" ] || man=/dev/null
		case $opt in
		--*)
			grep -Eq -- "(^|[^A-Za-z0-9-])$opt([^A-Za-z0-9-]|\$)" usage ||
			    grep -Eq -- "Fl \\\\?-\\\\?${opt#--}([^A-Za-z0-9-]|\$)" "$man" ||
			    { echo "$cmd: $opt is in neither its usage nor its manual"; bad=1; } ;;
		*)
			for c in $(printf "%s\n" "${opt#-}" | fold -w 1); do
				grep -Eq -- "(^|[[ |(])-$c([] ]|\$)|\[-[A-Za-z]*$c[A-Za-z]*\]" usage ||
				    { echo "$cmd: no -$c (of $opt) in its usage"; bad=1; }
			done ;;
		esac
	done <opts
	[ $bad -eq 0 ]
'

t_end
