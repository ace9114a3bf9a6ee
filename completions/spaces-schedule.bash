# bash completion for spaces-schedule(1)

_spaces_schedule()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	# Option values: a few examples; any other value is typed.
	case $prev in
	--calendar|-o|--output)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.ics' -- "$cur") $(compgen -d -- "$cur"))
		return
		;;
	--tz)
		COMPREPLY=($(compgen -W 'UTC America/New_York America/Los_Angeles
		    Europe/London Europe/Paris Asia/Tokyo' -- "$cur"))
		return
		;;
	--every)
		COMPREPLY=($(compgen -W "daily weekly monthly weekdays
		    'tue,thu 18:00' 'every 2 weeks on mon'" -- "$cur"))
		return
		;;
	--rrule)
		COMPREPLY=($(compgen -W 'FREQ=WEEKLY FREQ=DAILY
		    FREQ=WEEKLY;BYDAY=TU,TH' -- "$cur"))
		return
		;;
	--duration|--within)
		COMPREPLY=($(compgen -W '15m 30m 1h 90m 2h' -- "$cur"))
		return
		;;
	--weeks|--min|--count)
		COMPREPLY=($(compgen -W '1 2 4 8 13' -- "$cur"))
		return
		;;
	--title|--space|--at|--until|--from|--to|--as-of)
		return
		;;
	esac

	$split && return

	# The command: the first word that is not the global option or its value.
	local i cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--calendar) ((i++)) ;;
		--calendar=*|-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	local opts
	case $cmd in
	'') opts='-h --help --version --calendar' ;;
	add) opts='--tz --duration --rrule --every --until --count --title' ;;
	list) opts='-j --json --table --from --to' ;;
	log) opts='--space --at --duration --title -' ;;
	cadence) opts='-j --json --table --weeks --min --tz --as-of' ;;
	due) opts='-j --json --table --within' ;;
	export) opts='-o --output' ;;
	*) opts='-h --help' ;;
	esac

	if [[ -z $cmd && $cur != -* ]]; then
		COMPREPLY=($(compgen -W 'add list remove skip log cadence due
		    export import' -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	if [[ $cmd == import ]]; then
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.ics' -- "$cur") $(compgen -d -- "$cur"))
	fi
}

complete -F _spaces_schedule spaces-schedule
