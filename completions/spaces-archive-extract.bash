# bash completion for spaces-archive-extract(1)

# Some -o templates, quoted: their parentheses are shell syntax.
_spaces_archive_extract_templates()
{
	local t
	for t in - "'space-%(id)s_%(part)d.aac'" \
	    "'%(date)s-%(id)s_%(part)d.aac'" "'%(id)s_%(part)02d.aac'"; do
		[[ $t == "$cur"* ]] && COMPREPLY+=("$t")
	done
}

_spaces_archive_extract()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		# COMP_WORDBREAKS splits --data=tweets into three words.
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	case $prev in
	-C | --directory)
		local IFS=$'\n'
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	-o | --output)
		_spaces_archive_extract_templates
		return
		;;
	--data)
		COMPREPLY=($(compgen -W 'account ageinfo follower following
		    periscope-account-information profile spaces-metadata
		    tweets direct-messages like personalization' -- "$cur"))
		return
		;;
	-s | --space)
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '- -h --help --version -f --force
		    -j --json -l --list -q --quiet -C --directory -o --output
		    -s --space --data --table' -- "$cur"))
		return
	fi

	# Operands: zip archives, directories on the way to them, and "-".
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -X '!*.[Zz][Ii][Pp]' -- "$cur")
	    $(compgen -d -- "$cur"))
	[[ -z $cur ]] && COMPREPLY+=(-)
}

complete -F _spaces_archive_extract spaces-archive-extract
