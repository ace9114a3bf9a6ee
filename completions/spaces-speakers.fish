# fish completion for spaces-speakers(1)

set -l c spaces-speakers
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s j -l json -d 'Print NDJSON turn records, even on a terminal'
complete -c $c -l table -d 'Print the timeline even when not on a terminal'
complete -c $c -l vtt -d 'Print WebVTT cues with voice spans'
complete -c $c -l chapters -d 'Print one chapter per speaker change'
complete -c $c -s q -l quiet -d 'Print no warnings'
complete -c $c -l audio -r -F -d 'Read the Hydra tags of this ADTS file'
complete -c $c -l min-turn -x -a '0 1 2 3 5' -d 'Seconds another voice must be loudest to take the floor (2)'
# Operands: record files, or - for the standard input.
complete -c $c -a - -d 'The standard input'
