# bash completion for spaces-eligibility(1)

# The programme names: rule file stems in $SPACES_RULES_PATH and the
# installed rule directories, plus the families (stems without -<version>).
_spaces_eligibility_programs()
{
	local d f n prefix IFS=:
	prefix=$(command -v spaces-eligibility 2>/dev/null)
	prefix=${prefix%/*}
	for d in $SPACES_RULES_PATH ${prefix:+$prefix/../share/rules} \
	    ${prefix:+$prefix/../share/spaces/rules} \
	    /usr/local/share/spaces/rules /usr/share/spaces/rules; do
		[[ -d $d ]] || continue
		for f in "$d"/*.json; do
			[[ -e $f ]] || continue
			n=${f##*/}
			n=${n%.json}
			printf '%s\n%s\n' "$n" "${n%-*}"
		done
	done | sort -u
}

_spaces_eligibility()
{
	local cur prev words cword split
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion -s || return
	else
		COMPREPLY=()
		split=false
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		# COMP_WORDBREAKS splits --tz=Europe/Lis into three words.
		if [[ $cur == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-1]} cur=
		elif [[ $prev == = ]]; then
			prev=${COMP_WORDS[COMP_CWORD-2]}
		fi
	fi

	case $prev in
	-p | --program)
		local IFS=$'\n'
		COMPREPLY=($(compgen -W "$(_spaces_eligibility_programs)" \
		    -- "$cur"))
		return
		;;
	-r | --rules)
		local IFS=$'\n'
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") \
		    $(compgen -d -- "$cur"))
		return
		;;
	--country)
		COMPREPLY=($(compgen -W 'US' -- "$cur"))
		return
		;;
	--tz)
		# Zone names are paths under zoneinfo: complete one level at
		# a time, directories with a slash and no space after.
		local z=/usr/share/zoneinfo IFS=$'\n'
		[[ -d $z ]] || return
		COMPREPLY=($(cd "$z" && compgen -f -- "$cur" |
		    while read -r e; do
			[[ $e == *.tab || $e == *.zi ]] && continue
			[[ -d $e ]] && e=$e/
			printf '%s\n' "$e"
		    done))
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == */ ]] &&
		    compopt -o nospace 2>/dev/null
		return
		;;
	--followers | --age | --birth-date | --as-of | --weeks)
		return
		;;
	esac

	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-h --help --version -j --json --table
		    -q --quiet -v --verbose -p --program -r --rules
		    --list-programs --followers --country --age --birth-date
		    --as-of --weeks --tz' -- "$cur"))
		return
	fi

	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _spaces_eligibility spaces-eligibility
