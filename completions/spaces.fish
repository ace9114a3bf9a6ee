# fish completion for spaces(1)

# The command names: spaces-* on PATH, without the prefix, with what the
# toolkit's own do.
function __spaces_commands
    set -l names
    for d in $PATH
        for f in $d/spaces-?*
            test -f $f -a -x $f
            and set -a names (string replace -r '^.*/spaces-' '' -- $f)
        end
    end
    set -q names[1]; or return
    for n in (printf '%s\n' $names | sort -u)
        switch $n
            case archive-extract
                printf '%s\t%s\n' $n 'Read an X data archive: Spaces audio, account facts'
            case clip
                printf '%s\t%s\n' $n 'Cut audio clips, lossless or podcast-ready'
            case eligibility
                printf '%s\t%s\n' $n 'Decide whether a creator qualifies for a programme'
            case info
                printf '%s\t%s\n' $n 'Describe audio: exact duration, codec, loudness'
            case lookup
                printf '%s\t%s\n' $n 'Ask the X API v2 about Spaces and users'
            case record
                printf '%s\t%s\n' $n "Capture a Space's audio, gap-proof and resumable"
            case schedule
                printf '%s\t%s\n' $n 'Plan recurring Spaces, log hosted ones, cadence'
            case '*'
                printf '%s\n' $n
        end
    end
end

# No command name yet: only options, if anything, after spaces.
function __spaces_needs_command
    set -l t (commandline -opc)
    for w in $t[2..-1]
        string match -q -- '-*' $w; or return 1
    end
end

function __spaces_after_help
    set -l t (commandline -opc)
    test (count $t) -eq 2; and string match -q -- help $t[2]
end

# spaces NAME ARGS...: what spaces-NAME ARGS... completes.
function __spaces_delegating
    set -l t (commandline -opc)
    set -q t[2]; or return 1
    not string match -q -r -- '^(help|-.*)$' $t[2]
end

function __spaces_delegate
    set -l t (commandline -opc)
    set -l words spaces-$t[2] $t[3..-1]
    complete -C (string join -- ' ' (string escape -- $words) (commandline -ct))
end

set -l c spaces
complete -c $c -n __spaces_needs_command -s h -l help -d 'Print the usage and the commands and exit'
complete -c $c -n __spaces_needs_command -l version -d 'Print the name and version and exit'
complete -c $c -n __spaces_needs_command -f -a help -d 'Show the manual of a command'
complete -c $c -n __spaces_needs_command -f -a '(__spaces_commands)'
complete -c $c -n __spaces_after_help -f -a '(__spaces_commands)'
complete -c $c -n __spaces_delegating -f -a '(__spaces_delegate)'
