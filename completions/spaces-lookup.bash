# bash completion for spaces-lookup(1)

_spaces_lookup()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		# COMP_WORDBREAKS splits --state=live into three words.
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	case $prev in
	--state)
		COMPREPLY=($(compgen -W 'live scheduled all' -- "$cur"))
		return
		;;
	--token-file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--search)
		# A free-text query: nothing to offer.
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-h --help --version -j --json
		    -q --quiet -v --verbose --table --token-file --state
		    --no-wait --space --creator --search --user' -- "$cur"))
		return
	fi
	# Operands are Space ids and users: nothing to offer.
}

complete -F _spaces_lookup spaces-lookup
