# fish completion for spaces-consent(1)

set -l c spaces-consent
set -l cmds grant revoke list check

complete -c $c -f
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -l version -d 'Print the name and version and exit'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a grant -d 'Record that speakers agreed'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a revoke -d 'Record that speakers withdrew consent'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a list -d 'Print the ledger'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a check -d 'Check clips against the ledger'
complete -c $c -n "__fish_seen_subcommand_from $cmds" -l ledger -r -F -d 'The ledger file'
complete -c $c -n "__fish_seen_subcommand_from grant revoke list" -l space -x -d 'A Space id'
complete -c $c -n "__fish_seen_subcommand_from grant revoke check" -l use -x -a 'clips podcast all' -d 'The use'
complete -c $c -n "__fish_seen_subcommand_from grant revoke" -l evidence -x -d 'What shows the consent'
complete -c $c -n "__fish_seen_subcommand_from list check" -s j -l json -d 'Print NDJSON records'
complete -c $c -n "__fish_seen_subcommand_from list check" -l table -d 'Print a table'
complete -c $c -n "__fish_seen_subcommand_from check" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c $c -n "__fish_seen_subcommand_from check" -l speakers -r -F -d 'Turn records'
complete -c $c -n "__fish_seen_subcommand_from check" -F -a - -d 'Record files, or the standard input'
