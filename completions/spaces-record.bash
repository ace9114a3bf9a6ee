# bash completion for spaces-record(1)

_spaces_record()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		# COMP_WORDBREAKS splits --format=aac into three words.
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	case $prev in
	--format)
		COMPREPLY=($(compgen -W 'm4a aac opus' -- "$cur"))
		return
		;;
	-o|--output|-c|--cookies)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--jobs|--playlist|--replay|--max-duration)
		# A number or a URL: nothing to offer.
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-h --help --version -f --force
		    -j --json -o --output -q --quiet -v --verbose --format
		    --jobs --playlist --replay -c --cookies --wait
		    --max-duration' -- "$cur"))
		return
	fi
}

complete -F _spaces_record spaces-record
