# fish completion for spaces(1) and every spaces-* command.
#
# One script for all: each command describes its own options and operands
# when asked with --complete (spaces(7), COMPLETION), so nothing here names
# an option.  Installed once under each command's name, for fish's loader.

# __spaces_value WHAT CUR: candidates for the value of option WHAT (or
# "operand") of the command in $__spaces_pre (the command, and its
# subcommand if any), by the kind it gives it: word TAB what it is.
function __spaces_value
    set -l out ($__spaces_pre --complete=$argv[1] 2>/dev/null </dev/null)
    or return
    set -q out[1]; or return
    set -l kind $out[1]
    set -e out[1]
    switch $kind
        case file
            set -l ext
            for w in $out
                if test "$w" = -
                    test -z "$argv[2]"; and printf '%s\t%s\n' - 'The standard input'
                else
                    set -a ext $w
                end
            end
            for f in $argv[2]*
                if test -d $f
                    printf '%s/\t%s\n' $f Directory
                else if test (count $ext) -eq 0
                    printf '%s\t%s\n' $f File
                else if string match -qri -- '\.('(string join '|' $ext)')$' $f
                    printf '%s\t%s\n' $f File
                end
            end
        case dir
            __fish_complete_directories $argv[2]
        case none
        case '*'
            for w in $out
                printf '%s\t%s\n' $w $kind
            end
    end
end

# __spaces_words ARG... CUR: the candidates at CUR after the arguments ARG
# of the command in $__spaces_pre.
function __spaces_words
    set -l cur $argv[-1]
    set -l args $argv[1..-2]
    test (count $argv) -eq 1; and set args
    set -l takes
    set -l lines ($__spaces_pre --complete 2>/dev/null </dev/null)
    for line in $lines
        set -l f (string split \t -- $line)
        test "$f[2]" = none; or set -a takes (string split , -- $f[1])
    end

    # The first operand, skipping option values; "--" ends options.
    set -l first 0
    set -l dd 0
    set -l skip 0
    set -l i 0
    for w in $args
        set i (math $i + 1)
        if test $skip -eq 1
            set skip 0
        else if test $dd -eq 1; or not string match -q -- '-?*' $w
            set first $i
            break
        else if test "$w" = --
            set dd 1
        else if contains -- $w $takes
            set skip 1
        end
    end

    if test $first -eq 0; and test $dd -eq 0
        if test $skip -eq 1
            __spaces_value $args[-1] $cur
            return
        end
        if string match -q -- '--*=*' $cur
            set -l o (string split -m1 = -- $cur)
            for v in (__spaces_value $o[1] $o[2])
                echo "$o[1]=$v"
            end
            return
        end
        if string match -q -- '-*' $cur
            for line in $lines
                set -l f (string split \t -- $line)
                for n in (string split , -- $f[1])
                    printf '%s\t%s\n' $n $f[3]
                end
            end
            return
        end
    end

    # A command of subcommands: past the first operand, the subcommand's
    # own completion (spaces info ..., spaces-schedule add ...).
    if test $first -gt 0
        set -l kind ($__spaces_pre --complete=operand 2>/dev/null </dev/null)[1]
        if test "$kind" = command
            set -a __spaces_pre $args[$first]
            set -l rest
            test $first -lt (count $args); and set rest $args[(math $first + 1)..-1]
            __spaces_words $rest $cur
            return
        end
    end
    __spaces_value operand $cur
end

function __spaces_complete
    set -l toks (commandline -opc)
    set -g __spaces_pre $toks[1]
    set -e toks[1]
    __spaces_words $toks (commandline -ct)
end

for c in spaces spaces-archive-extract spaces-clip spaces-consent \
        spaces-eligibility spaces-info spaces-lookup spaces-record \
        spaces-schedule spaces-speakers (basename (status current-filename) .fish)
    complete -c $c -f -a '(__spaces_complete)'
end
