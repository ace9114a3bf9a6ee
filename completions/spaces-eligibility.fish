# fish completion for spaces-eligibility(1)

# The programme names: rule file stems in $SPACES_RULES_PATH and the
# installed rule directories, plus the families (stems without -<version>).
function __spaces_eligibility_programs
    set -l dirs (string split -n : -- "$SPACES_RULES_PATH")
    set -l bin (command -s spaces-eligibility)
    if test -n "$bin"
        set -l d (dirname -- $bin)
        set -a dirs $d/../share/rules $d/../share/spaces/rules
    end
    set -a dirs /usr/local/share/spaces/rules /usr/share/spaces/rules
    for d in $dirs
        for f in $d/*.json
            set -l n (string replace -r '\.json$' '' -- (basename -- $f))
            echo $n
            string replace -r -- '-[^-]*$' '' $n
        end
    end | sort -u
end

function __spaces_eligibility_zones
    set -l z /usr/share/zoneinfo
    test -d $z; or return
    set -l tok (string replace -r -- '^--tz=' '' (commandline -ct))
    set -l dir (string match -r -- '.*/' $tok; or echo '')
    for f in $z/$dir*
        set -l n (string replace -- "$z/" '' $f)
        if test -d $f
            echo $n/
        else if not string match -qr '\.(tab|zi)$' -- $n
            echo $n
        end
    end
end

set -l c spaces-eligibility
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s j -l json -d 'Print an NDJSON verdict record'
complete -c $c -l table -d 'Print the table even when not on a terminal'
complete -c $c -s q -l quiet -d 'Print nothing, just the exit status'
complete -c $c -s v -l verbose -d 'Add weekly counts, descriptions and sources'
complete -c $c -s p -l program -x -a '(__spaces_eligibility_programs)' -d 'The programme to check'
complete -c $c -s r -l rules -r -F -d 'Use this rule file'
complete -c $c -l list-programs -d 'List the rule sets found and exit'
complete -c $c -l followers -x -d 'The number of followers'
complete -c $c -l country -x -a 'US' -d 'The country: an ISO 3166 code or a name'
complete -c $c -l age -x -d 'The age in years at the --as-of date'
complete -c $c -l birth-date -x -d 'The birth date, YYYY-MM-DD'
complete -c $c -l as-of -x -d 'The day the verdict is for'
complete -c $c -l weeks -x -d 'The number of complete ISO weeks to look back over'
complete -c $c -l tz -x -a '(__spaces_eligibility_zones)' -d 'The IANA time zone'
