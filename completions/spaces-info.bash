# bash completion for spaces-info(1)

_spaces_info()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		# COMP_WORDBREAKS splits --threshold=-40 into three words.
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	# Option values: a few examples; any other value is typed.
	case $prev in
	--threshold)
		COMPREPLY=($(compgen -W '-60 -50 -40 -30' -- "$cur"))
		return
		;;
	--min-silence)
		COMPREPLY=($(compgen -W '0.3 0.5 700ms 1s 2s' -- "$cur"))
		return
		;;
	--min-speech)
		COMPREPLY=($(compgen -W '0.1 0.3 0.5 1s' -- "$cur"))
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '- -h --help --version -j --json
		    -q --quiet --loudness --silences --min-silence
		    --threshold --min-speech --table' -- "$cur"))
		return
	fi

	# Operands: audio files and the directories on the way to them, or
	# any file when none matches (the format is read from the content),
	# and "-".  A regex, not a glob: extglob may be off.
	local IFS=$'\n' f
	compopt -o filenames 2>/dev/null
	for f in $(compgen -f -- "$cur"); do
		[[ ${f,,} =~ \.(aac|ts|m4[ab]|mp4|opus|og[ga]|wav|flac|mp3|aif[fc]?)$ ]] &&
		    COMPREPLY+=("$f")
	done
	COMPREPLY+=($(compgen -d -- "$cur"))
	if [[ ${#COMPREPLY[@]} -eq 0 ]]; then
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
	[[ -z $cur ]] && COMPREPLY+=(-)
}

complete -F _spaces_info spaces-info
