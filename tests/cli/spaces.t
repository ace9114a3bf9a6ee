#!/bin/sh
# spaces: the front end runs spaces-NAME, lists the commands, completes.
. "${0%/*}/../lib.sh"

# A bash-completion to load in the completion cases, when there is one.
BC=${SPACES_TEST_BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
export BC

# tool NAME [MODE]: ./spaces-NAME, a script that prints its arguments one
# a line and exits 5.
tool() {
	printf '#!/bin/sh\nprintf "%%s\\n" "%s" "$@"\nexit 5\n' "$1" >spaces-$1 &&
	chmod "${2:-755}" spaces-$1
}

# complete LINE...: source completions/spaces.bash (after bash-completion
# when $1 is "bc"), then print what bash completes at the end of each LINE,
# one line each.
complete_lines() {
	{
		if [ "$1" = bc ]; then
			echo ". \"\$BC\""
		fi
		shift
		echo ". \"\${SPACES_BASH:-\$TOP/completions/spaces.bash}\""
		echo 'c() {'
		echo '	COMP_LINE=$1; COMP_POINT=${#1}'
		echo '	read -ra COMP_WORDS <<<"$1"'
		echo '	[[ $1 == *" " ]] && COMP_WORDS+=("")'
		echo '	COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()'
		echo '	_spaces_complete; echo "${COMPREPLY[*]}"'
		echo '}'
		for l; do
			echo "c '$l'"
		done
	} >comp.bash &&
	bash comp.bash >out 2>err
}

t_case 'spaces NAME ARGS runs spaces-NAME ARGS: same output' '
	run spaces-eligibility --list-programs &&
	mv out want &&
	run spaces eligibility --list-programs &&
	status 0 &&
	err_empty &&
	diff -u want out
'

t_case 'the exit status, stdin and argv[0] pass through' '
	run spaces eligibility --as-of 2026-11-21 --followers 4999 </dev/null &&
	status 1 &&
	printf "{\"type\":\"user\",\"followers_count\":1}\n" >facts &&
	run spaces eligibility -j --as-of 2026-11-21 <facts &&
	status 1 &&
	jq_is .eligible false &&
	run spaces eligibility --no-such-option &&
	status 2 &&
	out_empty &&
	err_has "^spaces-eligibility: unrecognized option" &&
	err_has "^usage: spaces-eligibility "
'

t_case 'the options after the command are the command'"'"'s' '
	run spaces eligibility -h &&
	status 0 &&
	out_has "^usage: spaces-eligibility " &&
	run spaces eligibility --version &&
	status 0 &&
	out_has "^spaces-eligibility "
'

t_case 'an unknown command: one line, exit 2' '
	run spaces no-such &&
	status 2 &&
	out_empty &&
	err_is <<-EOF
	spaces: '"'"'no-such'"'"' is not a spaces command (see '"'"'spaces help'"'"')
	EOF
'

t_case 'a command with a slash or empty is not looked for' '
	mkdir spaces-d &&
	printf "#!/bin/sh\ntouch ran\n" >spaces-d/x &&
	chmod 755 spaces-d/x &&
	PATH=$PWD:$PATH run spaces d/x &&
	status 2 &&
	err_one_line &&
	err_has "'"'"'d/x'"'"' is not a spaces command" &&
	test ! -e ran &&
	run spaces ../bin/spaces-eligibility &&
	status 2 &&
	err_one_line &&
	run spaces "" &&
	status 2 &&
	err_has "^spaces: '"''"' is not a spaces command"
'

t_case 'a spaces-NAME found only on PATH runs, with its arguments' '
	tool hello &&
	PATH=$PWD:$PATH run spaces hello "a b" -x --y &&
	status 5 &&
	out_is <<-EOF
	hello
	a b
	-x
	--y
	EOF
'

t_case 'a file not executable is no command' '
	tool nope 644 &&
	PATH=$PWD:$PATH run spaces nope &&
	status 2 &&
	err_has "'"'"'nope'"'"' is not a spaces command"
'

t_case 'the commands beside spaces come before those on PATH' '
	tool eligibility &&
	PATH=$PWD:$PATH run spaces-eligibility --list-programs &&
	status 5 &&
	PATH=$PWD:$PATH run spaces eligibility --list-programs &&
	status 0 &&
	mv out got &&
	run "$t_bin/spaces-eligibility" --list-programs &&
	diff -u out got
'

t_case 'spaces help lists the commands, sorted, once each' '
	tool hello &&
	tool nope 644 &&
	PATH=$PWD:$t_bin:$PATH run spaces help &&
	status 0 &&
	err_empty &&
	out_has "^usage: spaces command" &&
	out_has "^   eligibility  *decide whether a creator qualifies" &&
	out_has "^   info  *describe audio" &&
	out_has "^   hello\$" &&
	! grep -q nope out &&
	[ "$(grep -c "^   eligibility " out)" -eq 1 ] &&
	sed -n "/^The commands:/,/^\$/p" out | sed "1d;\$d" |
	    awk "{ print \$1 }" >names &&
	sort -u names | diff -u - names &&
	for c in "$t_bin"/spaces-*; do
		grep -qx "${c##*/spaces-}" names ||
		    { echo "no ${c##*/spaces-}"; exit 1; }
	done
'

t_case 'spaces -h and --help print what spaces help prints' '
	run spaces help &&
	mv out want &&
	run spaces -h &&
	status 0 &&
	diff -u want out &&
	run spaces --help &&
	status 0 &&
	diff -u want out
'

t_case 'spaces alone: the same list on stderr, exit 2' '
	run spaces help &&
	mv out want &&
	run spaces &&
	status 2 &&
	out_empty &&
	diff -u want err
'

t_case 'spaces help NAME runs man spaces-NAME' '
	printf "#!/bin/sh\nprintf \"%%s\\\\n\" \"\$@\"\n" >man &&
	chmod 755 man &&
	PATH=$PWD:$PATH run spaces help eligibility &&
	status 0 &&
	{ grep -qx "spaces-eligibility" out ||
	    { sed -n 1p out | grep -qx -- -l &&
	    sed -n 2p out | grep -q "/man/spaces-eligibility\.1\$"; }; } &&
	PATH=$PWD:$PATH run spaces help no-such &&
	status 2 &&
	err_has "'"'"'no-such'"'"' is not a spaces command" &&
	out_empty &&
	run spaces help eligibility info &&
	status 2 &&
	err_has "^usage: spaces "
'

t_case 'spaces help NAME: the page in the build tree; man failing is 3' '
	# The commands run from the build tree read the pages of the sources.
	if command -v man >/dev/null 2>&1; then
		MANPAGER=cat PAGER=cat MANWIDTH=80 run spaces help clip </dev/null &&
		status 0 &&
		grep -q "spaces-clip" out
	fi &&
	# man 16: no such page, which is the environment, not the user.
	printf "#!/bin/sh\nexit 16\n" >man &&
	chmod 755 man &&
	PATH=$PWD:$PATH run spaces help clip &&
	status 3 &&
	err_has "no manual page for .spaces-clip." &&
	printf "#!/bin/sh\nexit 1\n" >man &&
	PATH=$PWD:$PATH run spaces help clip &&
	status 3 &&
	err_has "man failed"
'

t_case 'spaces help >/dev/full is a write error, exit 3' '
	run sh -c "spaces help >/dev/full" &&
	status 3 &&
	err_has "write error"
'

t_case 'bash completion: commands, help, options, then the command'"'"'s own' '
	complete_lines - "spaces eli" "spaces help in" "spaces --ver" \
	    "spaces eligibility --list-p" "spaces eligibility --program tick" \
	    "spaces help info " &&
	printf "%s\n" eligibility info --version --list-programs \
	    "ticketed-spaces ticketed-spaces-2021" "" >want &&
	diff -u want out
'

t_case 'bash completion under bash-completion' '
	complete_lines bc "spaces eli" "spaces eligibility --list-p" \
	    "spaces eligibility --program tick" &&
	printf "%s\n" eligibility --list-programs \
	    "ticketed-spaces ticketed-spaces-2021" >want &&
	diff -u want out &&
	mkdir alone &&
	cp "$TOP/completions/spaces.bash" alone/ &&
	SPACES_BASH=$PWD/alone/spaces.bash BASH_COMPLETION_USER_DIR=$TOP \
	    complete_lines bc "spaces eligibility --list-p" &&
	echo --list-programs >want &&
	diff -u want out
'

t_case 'fish completion: commands, help, then the command'"'"'s own' '
	for l in "spaces eli" "spaces help in" "spaces --ver" \
	    "spaces eligibility --list-p"; do
		fish --no-config -c "set -p fish_complete_path $TOP/completions
		    complete -C\"$l\"" | cut -f1 | tr "\n" " "
		echo
	done >out &&
	printf "%s \n" eligibility info --version --list-programs >want &&
	diff -u want out
'

t_end
