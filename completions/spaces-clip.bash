# bash completion for spaces-clip(1)

_spaces_clip()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		# COMP_WORDBREAKS splits --loudness=-16 into three words.
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	# Option values: files, the formats, or a few examples; any other
	# value is typed.
	case $prev in
	--format)
		COMPREPLY=($(compgen -W 'm4a aac opus mp3 flac wav' -- "$cur"))
		return
		;;
	-o|--output|--chapters-json)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ $prev != --chapters-json && -z $cur ]] && COMPREPLY+=(-)
		return
		;;
	--clips|--chapters|--speakers)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ -z $cur ]] && COMPREPLY+=(-)
		return
		;;
	-s|--start|-e|--end|-d|--duration)
		COMPREPLY=($(compgen -W '0 30 1:30 10:00 1:00:00 1h2m3.5s' \
		    -- "$cur"))
		return
		;;
	--fade-in|--fade-out)
		COMPREPLY=($(compgen -W '0.5 1 2 3' -- "$cur"))
		return
		;;
	--loudness)
		COMPREPLY=($(compgen -W '-16 -19 -23' -- "$cur"))
		return
		;;
	--true-peak)
		COMPREPLY=($(compgen -W '-1 -1.5 -2' -- "$cur"))
		return
		;;
	--bitrate)
		COMPREPLY=($(compgen -W '24 32 48 64 96 128 192' -- "$cur"))
		return
		;;
	--title|--artist|--album|--comment)
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '- -h --help --version -f --force
		    -j --json -q --quiet -s --start -e --end -d --duration
		    -o --output --clips --format --reencode --bitrate --mono
		    --fade-in --fade-out --loudness --true-peak --title
		    --artist --album --comment --chapters --chapters-json
		    --speakers --require-consent --mute-unconsented' \
		    -- "$cur"))
		return
	fi

	# The input: audio files and the directories on the way to them, or
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

complete -F _spaces_clip spaces-clip
