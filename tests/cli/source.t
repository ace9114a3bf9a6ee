#!/bin/sh
# The house rules a compiler does not check (STYLE.md).
. "${0%/*}/../lib.sh"

t_case 'banned.h is the last #include of every .c file' '
	bad=0
	for f in "$TOP"/lib/*/*.c "$TOP"/cmd/*.c "$TOP"/fuzz/*.c; do
		last=$(grep "^#include" "$f" | tail -n 1)
		[ "$last" = "#include \"banned.h\"" ] ||
		{ echo "${f#$TOP/}: last include is $last"; bad=1; }
	done
	[ $bad -eq 0 ]
'

t_case 'a banned function does not compile' '
	printf "#include <string.h>\n#include \"banned.h\"\nvoid f(char *d) { strcpy(d, \"x\"); }\n" >b.c &&
	! cc -I"$TOP/lib/base" -c b.c -o b.o 2>cc.err &&
	grep -q "sorry_strcpy_is_banned" cc.err
'

t_case 'lib/ never prints to stdout' '
	! grep -nE "(^|[^a-z_])(printf|puts|putchar|vprintf)\(|stdout" "$TOP"/lib/*/*.c |
	    grep -v -e "^$TOP/lib/base/io.c:" -e "^$TOP/lib/base/options.c:"
'

t_case 'cmd/ holds no parser: no jansson loads or sscanf there' '
	! grep -nE "json_load|sscanf|(^|[^_a-z])(strtol|strtoll|strtoul|strtod|atoi)\\(" "$TOP"/cmd/*.c
'

t_case 'every command has a man page and a test file' '
	bad=0
	for f in "$TOP"/cmd/*.c; do
		c=$(basename "$f" .c)
		for p in man/$c.1 tests/cli/$c.t; do
			[ -f "$TOP/$p" ] || { echo "missing $p"; bad=1; }
		done
	done
	[ $bad -eq 0 ]
'

t_case 'spaces-eligibility links no audio, network or archive library' '
	readelf -d "$t_bin/spaces-eligibility" | grep NEEDED >needed &&
	grep -q "libjansson" needed &&
	! grep -E "curl|opus|ogg|sndfile|archive|ical|ebur128|faad" needed
'

# layers_ok ROOT: every #include "x.h" of ROOT/lib/L/* names a header of
# L or of a layer below it (the order of LAYERS in ROOT/Makefile).
layers_ok() {
	ok_bad=0 ok_below=
	for l in $(sed -n "s/^LAYERS = //p" "$1/Makefile"); do
		ok_below="$ok_below $l"
		for f in "$1/lib/$l"/*.[ch]; do
			[ -f "$f" ] || continue
			for h in $(sed -n "s/^#include \"\([^\"]*\)\".*/\1/p" "$f"); do
				ok=0
				for b in $ok_below; do
					[ -f "$1/lib/$b/$h" ] && ok=1
				done
				[ $ok -eq 1 ] || {
					echo "${f#$1/}: $h is not in lib/$l or below"
					ok_bad=1
				}
			done
		done
	done
	return $ok_bad
}

t_case 'unit tests and fuzz harnesses are named after their modules' '
	mods=$(ls "$TOP"/lib/*/*.c | sed "s|.*/||; s|\.c\$||") &&
	bad=0 &&
	for f in "$TOP"/tests/unit/t_*.c "$TOP"/fuzz/fuzz_*.c; do
		n=${f##*/}
		n=${n%.c}
		n=${n#t_}
		n=${n#fuzz_}
		ok=0
		for m in $mods; do
			case $n in "$m" | "$m"_*) ok=1 ;; esac
		done
		[ $ok -eq 1 ] || { echo "${f#$TOP/}: no module $n"; bad=1; }
	done &&
	[ $bad -eq 0 ]
'

t_case 'lib/ is layered: a module includes only its folder and those below' '
	[ "$(sed -n "s/^LAYERS = //p" "$TOP/Makefile")" = "base media x plan" ] &&
	! ls "$TOP"/lib/*.c 2>/dev/null | grep . &&
	layers_ok "$TOP"
'

t_case 'the layer check refuses an include from a folder above' '
	mkdir -p lib/base lib/x &&
	echo "LAYERS = base x" >Makefile &&
	printf "#include \"down.h\"\n" >lib/x/up.c && : >lib/base/down.h &&
	layers_ok . &&
	printf "#include \"up.h\"\n" >lib/base/down.c && : >lib/x/up.h &&
	! layers_ok . >out && grep -q "lib/base/down.c: up.h" out
'

t_end
