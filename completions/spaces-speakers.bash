# bash completion for spaces-speakers(1)

_spaces_speakers()
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

	local IFS=$'\n' f
	case $prev in
	--min-turn)
		COMPREPLY=($(compgen -W '0 1 2 3 5' -- "$cur"))
		return
		;;
	--audio)
		# The ADTS audio of a Space, or any file.
		compopt -o filenames 2>/dev/null
		for f in $(compgen -f -- "$cur"); do
			[[ ${f,,} =~ \.(aac|ts)$ ]] && COMPREPLY+=("$f")
		done
		COMPREPLY+=($(compgen -d -- "$cur"))
		[[ ${#COMPREPLY[@]} -eq 0 ]] &&
		    COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		IFS=$' \t\n'
		COMPREPLY=($(compgen -W '- -h --help --version -j --json
		    -q --quiet --table --vtt --chapters --audio --min-turn' \
		    -- "$cur"))
		return
	fi

	# Operands: NDJSON record files, or "-".
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
	[[ -z $cur ]] && COMPREPLY+=(-)
}

complete -F _spaces_speakers spaces-speakers
