#!/bin/sh
# make install / uninstall: a working toolkit from the prefix alone.
. "${0%/*}/../lib.sh"

build=${t_bin%/bin}
cmds=$(cd "$TOP/cmd" && ls spaces.c spaces-*.c | sed 's/\.c$//')

# The files make install must write under PREFIX, sorted.
expected() {
	for c in $cmds; do
		echo "bin/$c"
		echo "share/man/man1/$c.1"
		echo "share/bash-completion/completions/$c"
		echo "share/fish/vendor_completions.d/$c.fish"
	done
	echo share/man/man7/spaces.7
	echo share/zsh/site-functions/_spaces
	for r in "$TOP"/share/rules/*.json; do
		echo "share/spaces/rules/${r##*/}"
	done
}

install_here() {
	make -s -C "$TOP" O="$build" install PREFIX=/opt/sp \
	    DESTDIR="$PWD/root" >make.log 2>&1 || { cat make.log; return 1; }
}

t_case 'install writes exactly the expected files' '
	install_here &&
	(cd root/opt/sp && find . -type f | sed "s|^\./||" | sort) >got &&
	expected | sort >want &&
	diff -u want got &&
	[ -x root/opt/sp/bin/spaces-eligibility ]
'

t_case 'installed commands run from the prefix alone, rules found' '
	install_here &&
	cp -R root/opt/sp moved &&
	PATH=/usr/bin:/bin run moved/bin/spaces-eligibility --list-programs --table &&
	status 0 &&
	out_has "^spark-2021 " &&
	out_has "^ticketed-spaces-2021 " &&
	run moved/bin/spaces-eligibility --as-of 2026-11-21 --followers 4999 </dev/null &&
	status 1
'

t_case 'installed spaces runs the installed commands, from the prefix alone' '
	install_here &&
	cp -R root/opt/sp moved &&
	PATH=/usr/bin:/bin run moved/bin/spaces eligibility --list-programs --table &&
	status 0 &&
	out_has "^spark-2021 " &&
	PATH=/usr/bin:/bin run moved/bin/spaces help &&
	status 0 &&
	for c in $cmds; do
		[ "$c" = spaces ] && continue
		out_has "^   ${c#spaces-} " || exit 1
	done &&
	mkdir fake &&
	printf "#!/bin/sh\necho \"\$MANPATH\" \"\$@\"\n" >fake/man &&
	chmod 755 fake/man &&
	PATH=$PWD/fake:/usr/bin:/bin MANPATH=/x run moved/bin/spaces help clip &&
	status 0 &&
	out_is <<-EOF
	$(pwd -P)/moved/bin/../share/man:/x spaces-clip
	EOF
'

t_case 'installed man pages render with man -l' '
	install_here &&
	for p in root/opt/sp/share/man/man1/*.1 root/opt/sp/share/man/man7/spaces.7; do
		MANWIDTH=80 man -l -P cat "$p" >page 2>man.err &&
		grep -q "^NAME" page && grep -q "^EXIT STATUS" page ||
		{ echo "$p:"; cat man.err; exit 1; }
	done
'

t_case 'installed bash completion completes options and programmes' '
	install_here &&
	cat >comp.bash <<-EOF &&
	. root/opt/sp/share/bash-completion/completions/spaces-eligibility
	PATH=$PWD/root/opt/sp/bin:\$PATH
	COMP_WORDS=(spaces-eligibility --list-p); COMP_CWORD=1
	_spaces_complete; echo "\${COMPREPLY[*]}"
	COMP_WORDS=(spaces-eligibility --program tick); COMP_CWORD=2
	_spaces_complete; echo "\${COMPREPLY[*]}"
	EOF
	bash comp.bash >got 2>&1 &&
	printf "%s\n" "--list-programs" "ticketed-spaces ticketed-spaces-2021" >want &&
	diff -u want got
'

t_case 'installed bash completion of spaces hands over to the command'"'"'s' '
	install_here &&
	cat >comp.bash <<-EOF &&
	. root/opt/sp/share/bash-completion/completions/spaces
	PATH=$PWD/root/opt/sp/bin:/usr/bin:/bin
	c() {
		COMP_LINE="\$*"; COMP_POINT=\${#COMP_LINE}
		COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1))
		_spaces_complete; echo "\${COMPREPLY[*]}"
	}
	c spaces eli
	c spaces eligibility --list-p
	c spaces eligibility --program tick
	EOF
	bash comp.bash >got 2>&1 &&
	printf "%s\n" eligibility --list-programs \
	    "ticketed-spaces ticketed-spaces-2021" >want &&
	diff -u want got
'

t_case 'uninstall removes exactly what install wrote' '
	install_here &&
	touch root/opt/sp/bin/other-tool &&
	make -s -C "$TOP" O="$build" uninstall PREFIX=/opt/sp \
	    DESTDIR="$PWD/root" >make.log 2>&1 &&
	(cd root/opt/sp && find . -type f) >left &&
	[ "$(cat left)" = "./bin/other-tool" ]
'

t_end
