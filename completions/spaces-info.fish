# fish completion for spaces-info(1)

# Audio files, marked as such among the files fish offers anyway: any
# file may be audio, since the format is read from the content.
function __spaces_info_audio
    set -l tok (commandline -ct)
    for f in $tok*
        string match -qri -- '\.(?:aac|ts|m4[ab]|mp4|opus|og[ga]|wav|flac|mp3|aif[fc]?)$' $f
        and test -f $f
        and printf '%s\t%s\n' $f 'Audio file'
    end
end

set -l c spaces-info
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s j -l json -d 'Print NDJSON records, even on a terminal'
complete -c $c -l table -d 'Print the summary even when not on a terminal'
complete -c $c -s q -l quiet -d 'Print no warnings on stderr'
complete -c $c -l loudness -d 'Add the EBU R128 loudness (LUFS, LU, dBTP)'
complete -c $c -l silences -d 'Print a clip record per stretch of speech'
complete -c $c -l min-silence -x -a '0.3 0.5 700ms 1s 2s' -d 'A silence must last this long to split (0.5)'
complete -c $c -l threshold -x -a '-60 -50 -40 -30' -d 'dBFS below which it is silence (-40)'
complete -c $c -l min-speech -x -a '0.1 0.3 0.5 1s' -d 'Drop shorter stretches of speech (0.3)'
# Operands: any file, audio files marked, or - for the standard input.
complete -c $c -a '(__spaces_info_audio)'
complete -c $c -a - -d 'The standard input'
