# fish completion for spaces-record(1)

set -l c spaces-record
complete -c $c -f
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s f -l force -d 'Replace an existing output'
complete -c $c -s j -l json -d 'Print space and gap records'
complete -c $c -s o -l output -r -F -d 'The output file name template'
complete -c $c -s q -l quiet -d 'Print no notices'
complete -c $c -s v -l verbose -d 'Show the requests and failed chunks'
complete -c $c -l format -x -a 'm4a aac opus' -d 'The output format'
complete -c $c -l jobs -x -d 'Transfers at a time'
complete -c $c -l playlist -x -d 'The live, master or replay playlist'
complete -c $c -l replay -x -d 'The replay playlist that fills the gaps'
complete -c $c -s c -l cookies -r -F -d 'The cookies of a logged-in session'
complete -c $c -l max-duration -x -d 'Stop a live capture after this long'
complete -c $c -l wait -d 'Wait for a scheduled Space to start'
