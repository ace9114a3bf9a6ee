# fish completion for spaces-clip(1)

# Audio files, marked as such among the files fish offers anyway: any
# file may be audio, since the format is read from the content.
function __spaces_clip_audio
    set -l tok (commandline -ct)
    for f in $tok*
        string match -qri -- '\.(?:aac|ts|m4[ab]|mp4|opus|og[ga]|wav|flac|mp3|aif[fc]?)$' $f
        and test -f $f
        and printf '%s\t%s\n' $f 'Audio file'
    end
end

set -l c spaces-clip
set -l times '0 30 1:30 10:00 1:00:00 1h2m3.5s'
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s f -l force -d 'Replace outputs that exist'
complete -c $c -s j -l json -d 'Print a clip record per output'
complete -c $c -s q -l quiet -d 'Print no notes on stderr'
complete -c $c -s s -l start -x -a "$times" -d 'Start the clip here'
complete -c $c -s e -l end -x -a "$times" -d 'End the clip here'
complete -c $c -s d -l duration -x -a "$times" -d 'Make the clip this long'
complete -c $c -s o -l output -r -F -d 'Output file, template (%n %02n %t %s) or -'
complete -c $c -s o -l output -x -a - -d 'The standard output'
complete -c $c -l clips -r -F -d 'Cut the clips listed in a file (or -)'
complete -c $c -l clips -x -a - -d 'The standard input'
complete -c $c -l format -x -a 'm4a aac opus mp3 flac wav' -d 'Output format'
complete -c $c -l reencode -d 'Decode and encode even when a lossless cut is possible'
complete -c $c -l bitrate -x -a '24 32 48 64 96 128 192' -d 'Bitrate in kb/s (6-510)'
complete -c $c -l mono -d 'Mix the channels to one'
complete -c $c -l fade-in -x -a '0.5 1 2 3' -d 'Fade in over the first S seconds'
complete -c $c -l fade-out -x -a '0.5 1 2 3' -d 'Fade out over the last S seconds'
complete -c $c -l loudness -x -a '-16 -19 -23' -d 'Loudness in LUFS (-16 stereo, -19 mono)'
complete -c $c -l true-peak -x -a '-1 -1.5 -2' -d 'True-peak ceiling in dBTP (-1)'
complete -c $c -l title -x -d 'The title tag'
complete -c $c -l artist -x -d 'The artist tag'
complete -c $c -l album -x -d 'The album tag'
complete -c $c -l comment -x -d 'The comment tag'
complete -c $c -l chapters -r -F -d 'Read the chapters from a file (or -)'
complete -c $c -l chapters -x -a - -d 'The standard input'
complete -c $c -l chapters-json -r -F -d 'Write Podcasting 2.0 JSON chapters here'
complete -c $c -l speakers -r -F -d 'Turn records: check clips against the consent ledger'
complete -c $c -l require-consent -d 'Do not write a clip with a voice without consent'
complete -c $c -l mute-unconsented -d 'Make the turns of voices without consent silence'
# The input: any file, audio files marked, or - for the standard input.
complete -c $c -a '(__spaces_clip_audio)'
complete -c $c -a - -d 'The standard input'
