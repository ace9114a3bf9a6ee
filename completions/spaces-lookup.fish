# fish completion for spaces-lookup(1)

set -l c spaces-lookup
complete -c $c -f
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s j -l json -d 'Print NDJSON records, even on a terminal'
complete -c $c -l table -d 'Print the table even when not on a terminal'
complete -c $c -s q -l quiet -d 'Print nothing, just the exit status'
complete -c $c -s v -l verbose -d 'Show the requests, secrets redacted'
complete -c $c -l token-file -r -F -d 'Read the bearer token from a file'
complete -c $c -l state -x -a 'live scheduled all' -d 'Keep the Spaces in this state'
complete -c $c -l no-wait -d 'Fail at once when rate limited'
complete -c $c -l space -d 'Look up Space ids'
complete -c $c -l creator -d 'Look up the Spaces these users host'
complete -c $c -l search -x -d 'Search Space titles'
complete -c $c -l user -d 'Look up users (@handle, handle, id or @me)'
