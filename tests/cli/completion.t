#!/bin/sh
# completion.t: the one bash, zsh and fish script completes what each
# command's option table says (--complete, spaces(7) COMPLETION), driven as
# a user's Tab would: bash through its completion variables, zsh on a
# pseudo-terminal with its own completion system, fish with complete -C.
. "${0%/*}/../lib.sh"

C=$TOP/completions
export C

# fake: ./spaces-fake, a command whose table has one option of each kind,
# and the files a user would have beside it.
fake() {
	cat >spaces-fake <<-'EOF' &&
	#!/bin/sh
	t=$(printf '\t')
	case $1 in
	--complete) printf "%s$t%s$t%s\n" \
	    -j,--json none "print NDJSON records" \
	    --threshold number "the level: below it [dB]" \
	    -o,--output file "write to file" \
	    --mode choice "how to cut" \
	    -C dir "change to dir" ;;
	--complete=--threshold) printf '%s\n' number -60 -40 ;;
	--complete=--mode) printf '%s\n' choice fast exact ;;
	--complete=-o|--complete=--output) printf '%s\n' file m4a mp3 ;;
	--complete=-C) echo dir ;;
	--complete=operand) printf '%s\n' file aac m4a - ;;
	*) exit 2 ;;
	esac
	EOF
	chmod +x spaces-fake &&
	mkdir dir &&
	: >talk.aac && : >teaser.m4a && : >notes.txt
}

# bash_c LINE...: what bash completes at the end of each LINE, a line each.
bash_c() {
	{
		echo ". \"$C/spaces.bash\""
		echo 'c() {'
		echo '	COMP_LINE=$1; COMP_POINT=${#1}'
		echo '	read -ra COMP_WORDS <<<"$1"'
		echo '	[[ $1 == *" " ]] && COMP_WORDS+=("")'
		echo '	COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()'
		echo '	_spaces_complete'
		echo '	printf "%s\n" "${COMPREPLY[*]}"'
		echo '}'
		for l; do
			echo "c '$l'"
		done
	} >comp.bash &&
	PATH=$PWD:$PATH bash comp.bash
}

# zsh_c LINE: what zsh offers at the end of LINE, sorted, on one line.
zsh_c() {
	PATH=$PWD:$PATH zsh -f "$TOP/tests/zcomplete.zsh" "$C" "$1" 2>/dev/null |
	    sed "/^\$/d" |
	    tr '\n' ' ' | sed 's/ $//'
	echo
}

# fish_c LINE: what fish offers at the end of LINE (words only), on a line.
fish_c() {
	for n in spaces spaces-fake; do
		cp "$C/spaces.fish" "$n.fish"
	done
	PATH=$PWD:$PATH fish -N -c "source ./spaces-fake.fish; source ./spaces.fish; complete -C '$1'" |
	    cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
	echo
}

t_case 'bash: options, values of each kind, operands' '
	fake &&
	bash_c "spaces-fake --th" "spaces-fake --threshold " \
	    "spaces-fake --mode e" "spaces-fake -o " "spaces-fake -C " \
	    "spaces-fake " "spaces-fake -o x t" "spaces-fake --output = t" \
	    "spaces-fake -" >out &&
	out_is <<-EOF
	--threshold
	-60 -40
	exact
	teaser.m4a dir
	dir
	talk.aac teaser.m4a dir -
	talk.aac teaser.m4a
	teaser.m4a
	-j --json --threshold -o --output --mode -C
	EOF
'

t_case 'zsh: options, values of each kind, operands' '
	fake &&
	for l in "spaces-fake --th" "spaces-fake --threshold " \
	    "spaces-fake --mode " "spaces-fake -o " "spaces-fake -C " \
	    "spaces-fake -j " "spaces-fake --output=t" "spaces-fake -"; do
		zsh_c "$l"
	done >out &&
	out_is <<-EOF
	--threshold
	-40 -60
	exact fast
	dir teaser.m4a
	dir
	- dir talk.aac teaser.m4a
	teaser.m4a
	- --json --mode --output --threshold -C -j -o
	EOF
'

t_case 'fish: options, values of each kind, operands' '
	fake &&
	for l in "spaces-fake --th" "spaces-fake --threshold " \
	    "spaces-fake --mode " "spaces-fake -o " "spaces-fake -C " \
	    "spaces-fake -j " "spaces-fake --output=t" "spaces-fake -"; do
		fish_c "$l"
	done >out &&
	out_is <<-EOF
	--threshold
	-40 -60
	exact fast
	dir/ teaser.m4a
	dir/
	- dir/ talk.aac teaser.m4a
	--output=teaser.m4a
	--json --mode --output --threshold -C -j -o
	EOF
'

t_case 'a command that fails to answer completes nothing, quietly' '
	printf "#!/bin/sh\nexit 2\n" >spaces-fake && chmod +x spaces-fake &&
	bash_c "spaces-fake -" "spaces-fake --x " >out 2>err &&
	err_empty &&
	out_is <<-EOF


	EOF
'

# Every command of the toolkit: each shell offers exactly the options its
# table lists, and bash each listed value of each option.
for src in "$TOP"/cmd/spaces.c "$TOP"/cmd/spaces-*.c; do
	cmd=${src##*/}
	cmd=${cmd%.c}

	t_case "$cmd: bash, zsh and fish offer every option of its table" '
		run "$cmd" --complete &&
		status 0 &&
		cut -f1 out | tr , "\n" | sort >want &&
		test -s want &&
		grep -qx -- --help want && grep -qx -- --version want &&
		bash_c "$cmd -" | tr " " "\n" | sort >bash.got &&
		diff -u want bash.got &&
		zsh_c "$cmd -" | tr " " "\n" | grep -vx -- - | sort >zsh.got &&
		diff -u want zsh.got &&
		fish_c "$cmd -" | tr " " "\n" | grep -vx -- - | sort >fish.got &&
		diff -u want fish.got
	'

	t_case "$cmd: bash completes the values of each option" '
		run "$cmd" --complete &&
		fail=0 &&
		while IFS="	" read -r names kind help; do
			[ "$kind" = none ] && continue
			o=${names##*,}
			"$cmd" --complete="$o" >vals || { echo "$o: no values"; fail=1; }
			[ "$(head -n1 vals)" = "$kind" ] ||
			    { echo "$o: kind $(head -n1 vals), not $kind"; fail=1; }
			case $kind in file | dir) continue ;; esac
			sed 1d vals >want
			bash_c "$cmd $o " | tr " " "\n" | sed "/^\$/d" >got
			diff -u want got || fail=1
		done <out &&
		test "$fail" -eq 0
	'
done

t_case 'spaces: commands, help, then the command'"'"'s own completion' '
	bash_c "spaces eli" "spaces help in" "spaces eligibility --list-p" \
	    "spaces eligibility --program tick" >out &&
	out_is <<-EOF
	eligibility
	info
	--list-programs
	ticketed-spaces ticketed-spaces-2021
	EOF
	[ "$(zsh_c "spaces eligibility --list-p")" = --list-programs ] &&
	[ "$(fish_c "spaces eligibility --list-p")" = --list-programs ]
'

t_end
