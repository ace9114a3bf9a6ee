# docs.t: every command's manual, usage and completions agree.
#
# For cmd/spaces.c and each cmd/spaces-*.c in the tree: the page is
# lint-clean, its SYNOPSIS is the -h usage word for word, every long option
# is documented in the page, the option table the completion scripts read
# (--complete) lists exactly the options of the usage, and --version and a
# bad option behave.  Plus the spaces(7) overview.  New
# commands are covered without touching this file.

. "${0%/*}/../lib.sh"

bs=$(printf '\b')
version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile" 2>/dev/null)

# render PAGE: the page as plain text, without overstrike.
render() {
	mandoc -Tascii "$1" | sed "s/.$bs//g"
}

# words: stdin one word a line, so two texts can be compared with diff -u.
words() {
	tr -s ' \t\n' '\n\n\n' | sed '/^$/d'
}

# lint PAGE: no mandoc warning or error, and no style message except a
# cross-reference to a manual not installed on this system (the sibling
# pages are in the tree, not in the manpath, and jq(1) may be missing).
# Such a reference to one of our own pages must name a page in man/ or a
# command in the spaces(7) table.
lint() {
	mandoc -Tlint -Wwarning "$1" >lint.out 2>&1 || {
		echo "mandoc -Tlint -Wwarning $1 failed:"; cat lint.out
		return 1
	}
	mandoc -Tlint "$1" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'mandoc\.db' >>lint.out
	if [ -s lint.out ]; then
		echo "mandoc -Tlint $1:"; cat lint.out
		return 1
	fi
	grep -o 'Xr spaces[a-z0-9-]* [1-9]' "$1" | sort -u |
	while read -r _ name sec; do
		[ -f "$TOP/man/$name.$sec" ] && continue
		[ "$sec" = 1 ] &&
		    grep -q "^\.It Xr $name 1\$" "$TOP/man/spaces.7" && continue
		echo "$1: Xr $name $sec: no such page or command"
		return 1
	done
}

# sections PAGE NAME...: the page has each section, in this order.
sections() {
	page=$1
	shift
	sed -n 's/^\.Sh //p' "$page" | tr -d '"' >have
	for s; do
		echo "$s"
	done >want
	grep -Fx -f want have | diff -u want -
}

# synopsis PAGE: the rendered SYNOPSIS section.
synopsis() {
	render "$1" | sed -n '/^SYNOPSIS$/,/^[A-Z]/p' | sed '1d;$d'
}

# longopts: the long options (without dashes) in ./out, one a line.
longopts() {
	grep -o -- '--[A-Za-z0-9][A-Za-z0-9-]*' out | sed 's/^--//' | sort -u
}

# shortopts: the short options (letters) in ./out: -x and clusters -xyz.
shortopts() {
	{
		echo h
		grep -oE -- '\[-[A-Za-z0-9]+\]|[[ ]-[A-Za-z0-9]([] ]|$)' out |
		    sed 's/^.-//; s/[] ]$//' | fold -w1
	} | sort -u
}

# mentions FILE PREFIX NAME: FILE holds PREFIX NAME as a whole option name.
mentions() {
	grep -Eq -- "$2$3([^A-Za-z0-9_-]|\$)" "$1" && return 0
	echo "${1##*/}: no '$2$3'"
	return 1
}

t_case 'the completion scripts parse' '
	c=$TOP/completions &&
	bash -n "$c/spaces.bash" &&
	zsh -n "$c/_spaces" &&
	fish -n "$c/spaces.fish" &&
	head -n1 "$c/_spaces" | grep -qx "#compdef spaces -p spaces-\*" &&
	ls "$c" >files &&
	printf "%s\n" _spaces spaces.bash spaces.fish >want &&
	diff -u want files
'

t_case 'the completion scripts register every command' '
	for src in "$TOP"/cmd/spaces.c "$TOP"/cmd/spaces-*.c; do
		c=${src##*/}
		c=${c%.c}
		grep -q "[ 	]$c\([ 	]\|\$\)" "$TOP/completions/spaces.bash" &&
		grep -q "[ 	]$c\([ 	]\|\$\)" "$TOP/completions/spaces.fish" ||
		{ echo "$c is not registered"; exit 1; }
	done
'

t_case 'spaces.7 is lint-clean' '
	lint "$TOP/man/spaces.7"
'

t_case 'spaces.7 has the overview sections' '
	sections "$TOP/man/spaces.7" NAME DESCRIPTION ENVIRONMENT FILES \
	    "EXIT STATUS" EXAMPLES "SEE ALSO"
'

for src in "$TOP"/cmd/spaces.c "$TOP"/cmd/spaces-*.c; do
	[ -e "$src" ] || continue
	cmd=${src##*/}
	cmd=${cmd%.c}
	man=$TOP/man/$cmd.1

	t_case "$cmd: the manual is lint-clean" '
		lint "$man"
	'

	t_case "$cmd: the manual has the usual sections" '
		sections "$man" NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES \
		    "EXIT STATUS" EXAMPLES "SEE ALSO"
	'

	t_case "$cmd: spaces.7 lists it" '
		grep -q "^\.It Xr $cmd 1\$" "$TOP/man/spaces.7" ||
		    { echo "no .It Xr $cmd 1 in spaces.7"; exit 1; }
	'

	t_case "$cmd -h prints the SYNOPSIS" '
		run "$cmd" -h &&
		status 0 &&
		err_empty &&
		sed "/^[[:space:]]*\$/q" out |
		    sed "1s/^[[:space:]]*usage:[[:space:]]*//" | words >usage &&
		synopsis "$man" | words >synopsis &&
		test -s synopsis &&
		diff -u synopsis usage
	'

	t_case "$cmd --help prints what -h prints" '
		run "$cmd" -h &&
		mv out h &&
		run "$cmd" --help &&
		status 0 &&
		diff -u h out
	'

	t_case "$cmd: the manual documents every long option" '
		run "$cmd" -h &&
		status 0 &&
		{ longopts; echo help; echo version; } | sort -u >opts &&
		test -s opts &&
		grep "^\.It" "$man" >items &&
		fail=0 &&
		while read -r o; do
			mentions items "Fl \\\\-" "$o" || fail=1
		done <opts &&
		test "$fail" -eq 0
	'

	t_case "$cmd: the manual documents every short option" '
		run "$cmd" -h &&
		status 0 &&
		shortopts >opts &&
		grep "^\.It" "$man" >items &&
		fail=0 &&
		while read -r o; do
			mentions items "Fl " "$o" || fail=1
		done <opts &&
		test "$fail" -eq 0
	'

	t_case "$cmd: its option table (--complete) has every option of the usage, each in the manual" '
		run "$cmd" -h &&
		status 0 &&
		{ longopts | sed "s/^/--/"; shortopts | sed "s/^/-/"; echo --help; echo --version; } |
		    sort -u >want &&
		run "$cmd" --complete &&
		status 0 &&
		cut -f1 out >got.1 &&
		{
			# And its subcommands own, but for spaces(1)s: those
			# are commands with their own manual.
			[ "$cmd" = spaces ] ||
			"$cmd" --complete=operand >subs
			[ "$(head -n1 subs 2>/dev/null)" != command ] ||
			for s in $(sed 1d subs); do
				"$cmd" "$s" --complete | cut -f1 || exit 1
			done
		} >>got.1 &&
		tr , "\n" <got.1 | sort -u >got &&
		comm -23 want got >missing &&
		{ [ ! -s missing ] ||
		    { echo "in the usage, not in the table:"; cat missing; exit 1; }; } &&
		fail=0 &&
		for o in $(grep -- "^--" got | sed "s/^--//"); do
			mentions "$man" "Fl \\\\-" "$o" || fail=1
		done &&
		test "$fail" -eq 0
	'

	t_case "$cmd --version prints the name and version" '
		run "$cmd" --version &&
		status 0 &&
		err_empty &&
		test "$(wc -l <out)" -eq 1 &&
		if [ -n "$version" ]; then
			out_is <<-EOF
			$cmd $version
			EOF
		else
			out_has "^$cmd [0-9][^ ]*\$"
		fi
	'

	t_case "$cmd --no-such-option is a usage error" '
		run "$cmd" --no-such-option &&
		status 2 &&
		out_empty &&
		err_has "usage: $cmd" &&
		err_has "no-such-option" &&
		{ [ "$(grep -vc "^ " err)" -le 2 ] ||
		    { echo "stderr is more than a usage:"; cat err; exit 1; }; }
	'
done

t_end
