# bash completion for spaces-consent(1)

_spaces_consent()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	# The subcommand: the first word that is not an option.
	local sub= i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		grant|revoke|list|check) sub=${COMP_WORDS[i]}; break ;;
		esac
	done

	case $prev in
	--use)
		COMPREPLY=($(compgen -W 'clips podcast all' -- "$cur"))
		return
		;;
	--ledger|--speakers)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--space|--evidence)
		return
		;;
	esac

	$split && return

	if [[ -z $sub ]]; then
		COMPREPLY=($(compgen -W 'grant revoke list check -h --help
		    --version' -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		case $sub in
		grant|revoke)
			COMPREPLY=($(compgen -W '--ledger --space --use
			    --evidence -h --help' -- "$cur")) ;;
		list)
			COMPREPLY=($(compgen -W '-j --json --ledger --space
			    --table -h --help' -- "$cur")) ;;
		check)
			COMPREPLY=($(compgen -W '- -j --json -q --quiet
			    --ledger --speakers --use --table -h --help' \
			    -- "$cur")) ;;
		esac
		return
	fi
	# check reads record files; grant and revoke take @name or ids.
	if [[ $sub == check ]]; then
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ -z $cur ]] && COMPREPLY+=(-)
	fi
}

complete -F _spaces_consent spaces-consent
