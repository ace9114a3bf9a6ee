#!/bin/sh
# The house rules a compiler does not check (STYLE.md).
. "${0%/*}/../lib.sh"

t_case 'banned.h is the last #include of every .c file' '
	bad=0
	for f in "$TOP"/lib/*.c "$TOP"/cmd/*.c "$TOP"/fuzz/*.c; do
		last=$(grep "^#include" "$f" | tail -n 1)
		[ "$last" = "#include \"banned.h\"" ] ||
		{ echo "${f#$TOP/}: last include is $last"; bad=1; }
	done
	[ $bad -eq 0 ]
'

t_case 'a banned function does not compile' '
	printf "#include <string.h>\n#include \"banned.h\"\nvoid f(char *d) { strcpy(d, \"x\"); }\n" >b.c &&
	! cc -I"$TOP/lib" -c b.c -o b.o 2>cc.err &&
	grep -q "sorry_strcpy_is_banned" cc.err
'

t_case 'lib/ never prints to stdout' '
	! grep -nE "(^|[^a-z_])(printf|puts|putchar|vprintf)\(|stdout" "$TOP"/lib/*.c |
	    grep -v "^$TOP/lib/io.c:"
'

t_case 'cmd/ holds no parser: no jansson loads or sscanf there' '
	! grep -nE "json_load|sscanf|(^|[^_a-z])(strtol|strtoll|strtoul|strtod|atoi)\\(" "$TOP"/cmd/*.c
'

t_case 'every command has a man page, completions and a test file' '
	bad=0
	for f in "$TOP"/cmd/*.c; do
		c=$(basename "$f" .c)
		for p in man/$c.1 completions/$c.bash completions/_$c \
		    completions/$c.fish tests/cli/$c.t; do
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

t_end
