# fish completion for spaces-schedule(1)

set -l c spaces-schedule
set -l cmds add list remove skip log cadence due export import
function __spaces_schedule_using
    set -l words (commandline -opc)
    for w in $words[2..-1]
        contains -- $w add list remove skip log cadence due export import
        and begin
            contains -- $w $argv
            return
        end
    end
    return 1
end

complete -c $c -f
complete -c $c -s h -l help -d 'Print the usage and exit'
complete -c $c -l version -d 'Print the name and version and exit'
complete -c $c -l calendar -r -F -d 'The calendar file'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a add -d 'Add a planned show'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a list -d 'List the occurrences'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a remove -d 'Remove an event by uid'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a skip -d 'Skip one occurrence (EXDATE)'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a log -d 'Record hosted Spaces'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a cadence -d 'Count Spaces per ISO week'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a due -d 'Print the Spaces starting soon'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a export -d 'Print or write the calendar'
complete -c $c -n "not __fish_seen_subcommand_from $cmds" -a import -d 'Merge an iCalendar file'
set -l zones 'UTC America/New_York America/Los_Angeles Europe/London Europe/Paris Asia/Tokyo'
complete -c $c -n '__spaces_schedule_using add cadence' -l tz -x -a $zones -d 'The IANA zone'
complete -c $c -n '__spaces_schedule_using add log' -l duration -x -a '30m 1h 90m 2h' -d 'How long (1h)'
complete -c $c -n '__spaces_schedule_using add' -l rrule -x -a 'FREQ=WEEKLY FREQ=DAILY' -d 'An RFC 5545 recurrence rule'
complete -c $c -n '__spaces_schedule_using add' -l every -x -a "daily weekly monthly weekdays 'tue,thu 18:00' 'every 2 weeks on mon'" -d 'A shorthand rule'
complete -c $c -n '__spaces_schedule_using add' -l until -x -d 'The last day of the series'
complete -c $c -n '__spaces_schedule_using add' -l count -x -d 'The number of occurrences'
complete -c $c -n '__spaces_schedule_using add log' -l title -x -d 'The title'
complete -c $c -n '__spaces_schedule_using list cadence due' -s j -l json -d 'Print NDJSON records'
complete -c $c -n '__spaces_schedule_using list cadence due' -l table -d 'Print the table'
complete -c $c -n '__spaces_schedule_using list' -l from -x -d 'The start of the window (now)'
complete -c $c -n '__spaces_schedule_using list' -l to -x -d 'The end of the window (14 days on)'
complete -c $c -n '__spaces_schedule_using log' -l space -x -d 'The Space id'
complete -c $c -n '__spaces_schedule_using log' -l at -x -d 'When it started'
complete -c $c -n '__spaces_schedule_using log' -a - -d 'space records on the standard input'
complete -c $c -n '__spaces_schedule_using cadence' -l weeks -x -a '1 2 4 8 13' -d 'Weeks either side (4)'
complete -c $c -n '__spaces_schedule_using cadence' -l min -x -a '1 2 3' -d 'Spaces a week at least (2)'
complete -c $c -n '__spaces_schedule_using cadence' -l as-of -x -d 'The day to look from (now)'
complete -c $c -n '__spaces_schedule_using due' -l within -x -a '5m 15m 1h' -d 'How soon (15m)'
complete -c $c -n '__spaces_schedule_using export' -s o -l output -r -F -d 'Write the calendar here'
complete -c $c -n '__spaces_schedule_using import' -F -d 'An iCalendar file'
