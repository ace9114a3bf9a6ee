# fish completion for spaces-archive-extract(1)

# Some -o templates; fish escapes their parentheses when it inserts them.
function __spaces_archive_extract_templates
    printf '%s\t%s\n' - 'The standard output' \
        'space-%(id)s_%(part)d.aac' 'The default' \
        '%(date)s-%(id)s_%(part)d.aac' 'By date' \
        '%(id)s_%(part)02d.aac' 'Two-digit part numbers'
end

# Operands: zip archives and the directories on the way to them.
function __spaces_archive_extract_archives
    __fish_complete_suffix .zip | string match -ri -- '^.*(?:\.zip|/)(?:\t.*)?$'
end

set -l c spaces-archive-extract
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -s f -l force -d 'Replace files that exist'
complete -c $c -s j -l json -d 'Print NDJSON records, even on a terminal'
complete -c $c -l table -d 'Print the table even when not on a terminal'
complete -c $c -s l -l list -d 'List the account and its Spaces, extract nothing'
complete -c $c -s q -l quiet -d 'No progress bar, no table of the files extracted'
complete -c $c -s C -l directory -x -a '(__fish_complete_directories)' -d 'Write the audio files in this directory'
complete -c $c -s o -l output -x -a '(__spaces_archive_extract_templates)' -d 'Name the audio files after this template'
complete -c $c -s s -l space -x -d 'Only this Space (repeatable)'
complete -c $c -l data -x -a 'account ageinfo follower following periscope-account-information profile spaces-metadata tweets direct-messages like personalization' -d 'Print the items of one data type as NDJSON'
# Operands: zip archives, or - for a zip stream on the standard input.
complete -c $c -f -k -a '(__spaces_archive_extract_archives)'
complete -c $c -f -a - -d 'Zip stream on the standard input'
