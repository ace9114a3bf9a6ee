# bash completion for spaces(1) and every spaces-* command.
#
# One script for all: each command describes its own options and operands
# when asked with --complete (spaces(7), COMPLETION), so nothing here names
# an option.  Installed once under each command's name, for the loader of
# bash-completion.

# _spaces_ask [WHAT]: "${_spaces_pre[@]}" --complete[=WHAT], its lines in
# _spaces_out.  _spaces_pre is the command, and its subcommand if any.
_spaces_ask()
{
	local IFS=$'\n'
	_spaces_out=($("${_spaces_pre[@]}" --complete${1+="$1"} \
	    2>/dev/null </dev/null))
}

# _spaces_value WHAT CUR: the candidates for the value of option WHAT (or
# "operand"), by the kind the command gives it.
_spaces_value()
{
	local IFS=$'\n' kind w ext= stdin=
	local -a words
	_spaces_ask "$1"
	((${#_spaces_out[@]})) || return
	kind=${_spaces_out[0]}
	words=("${_spaces_out[@]:1}")
	case $kind in
	file)
		compopt -o filenames 2>/dev/null
		for w in "${words[@]}"; do
			if [[ $w == - ]]; then
				stdin=1
			else
				ext=${ext:+$ext|}$w
			fi
		done
		if [[ -n $ext ]]; then
			# A regex, not a glob: extglob may be off.
			for w in $(compgen -f -- "$2"); do
				[[ ${w,,} =~ \.($ext)$ && -f $w ]] &&
				    COMPREPLY+=("$w")
			done
			COMPREPLY+=($(compgen -d -- "$2"))
		fi
		((${#COMPREPLY[@]})) || COMPREPLY=($(compgen -f -- "$2"))
		[[ -n $stdin && -z $2 ]] && COMPREPLY+=(-)
		;;
	dir)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$2"))
		;;
	none)
		;;
	*)
		COMPREPLY=($(compgen -W "${words[*]}" -- "$2"))
		;;
	esac
}

# _spaces_words WORD...: complete the last WORD of the arguments of the
# command in _spaces_pre.
_spaces_words()
{
	local cur=${@: -1} prev= w i n=$# takes=" " line names kind
	local IFS=$'\n' first= dashdash=0
	local -a words=("$@")
	((n > 1)) && prev=${words[n-2]}

	# The options that take a value, as " -x --long ... ".
	_spaces_ask
	for line in "${_spaces_out[@]}"; do
		names=${line%%$'\t'*}
		kind=${line#*$'\t'}
		kind=${kind%%$'\t'*}
		[[ $kind == none ]] || takes+="${names//,/ } "
	done

	# The first operand before the cursor, skipping option values.
	for ((i = 0; i < n - 1; i++)); do
		w=${words[i]}
		if ((dashdash)) || [[ $w != -?* ]]; then
			first=$i
			break
		elif [[ $w == -- ]]; then
			dashdash=1
		elif [[ $w != *=* && $takes == *" $w "* ]]; then
			i=$((i + 1))
		fi
	done

	if [[ -z $first ]] && ((!dashdash)); then
		if [[ $cur == --*=* ]]; then
			_spaces_value "${cur%%=*}" "${cur#*=}"
			return
		fi
		if [[ -n $prev && $prev != *=* && $takes == *" $prev "* ]]
		then
			_spaces_value "$prev" "$cur"
			return
		fi
		if [[ $cur == -* ]]; then
			for line in "${_spaces_out[@]}"; do
				names=${line%%$'\t'*}
				COMPREPLY+=($(compgen -W "${names//,/$'\n'}" \
				    -- "$cur"))
			done
			return
		fi
	fi

	# A command of subcommands: past the first operand, the subcommand's
	# own completion (spaces info ..., spaces-schedule add ...).
	if [[ -n $first ]]; then
		_spaces_ask operand
		if [[ ${_spaces_out[0]} == command ]]; then
			_spaces_pre+=("${words[first]}")
			_spaces_words "${words[@]:first+1}"
			return
		fi
	fi
	_spaces_value operand "$cur"
}

_spaces_complete()
{
	local -a words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
	local cur=${COMP_WORDS[COMP_CWORD]}
	COMPREPLY=()
	# COMP_WORDBREAKS splits --threshold=-40 at the "=": join it again.
	if [[ $cur == = || ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then
		local k=$COMP_CWORD
		[[ $cur == = ]] || k=$((k - 1))
		words=("${COMP_WORDS[@]:0:k-1}"
		    "${COMP_WORDS[k-1]}=${COMP_WORDS[k+1]}")
	fi
	_spaces_pre=("${words[0]}")
	_spaces_words "${words[@]:1}"
}

complete -F _spaces_complete spaces spaces-archive-extract spaces-clip \
    spaces-consent spaces-eligibility spaces-info spaces-lookup spaces-record \
    spaces-schedule spaces-speakers
# Installed under another command's name: that one too.
[[ ${BASH_SOURCE[0]##*/} == spaces-* ]] &&
    complete -F _spaces_complete "${BASH_SOURCE[0]##*/}"
