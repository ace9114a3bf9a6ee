# bash completion for spaces(1)

# Where the completions of the spaces-* commands are, when no loader of
# bash-completion finds them: beside this file, installed or in the tree.
_spaces_compdir=${BASH_SOURCE[0]%/*}
[[ ${BASH_SOURCE[0]} == */* ]] || _spaces_compdir=.
[[ $_spaces_compdir == /* ]] || _spaces_compdir=$PWD/$_spaces_compdir

# The command names: spaces-* on PATH and beside the spaces being run,
# without the prefix.
_spaces_commands()
{
	local IFS=$'\n' c d=
	[[ ${COMP_WORDS[0]} == */* ]] && d=${COMP_WORDS[0]%/*}
	for c in $(compgen -c spaces-) ${d:+$(compgen -f "$d/spaces-")}; do
		[[ $c == */* && ! -x $c ]] && continue
		c=${c##*/}
		printf '%s\n' "${c#spaces-}"
	done | sort -u
}

_spaces()
{
	local cur=${COMP_WORDS[COMP_CWORD]} cmd spec fn f IFS=$' \t\n'
	COMPREPLY=()

	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '-h --help --version' \
			    -- "$cur"))
		else
			COMPREPLY=($(compgen -W "help $(_spaces_commands)" \
			    -- "$cur"))
		fi
		return
	fi
	case ${COMP_WORDS[1]} in
	help)
		((COMP_CWORD == 2)) &&
		    COMPREPLY=($(compgen -W "$(_spaces_commands)" -- "$cur"))
		return
		;;
	-* | */* | '')
		return
		;;
	esac

	# spaces NAME ARGS...: what spaces-NAME ARGS... completes.
	cmd=spaces-${COMP_WORDS[1]}
	if ! complete -p "$cmd" >/dev/null 2>&1; then
		if declare -F _comp_load >/dev/null; then
			_comp_load -- "$cmd"
		elif declare -F __load_completion >/dev/null; then
			__load_completion "$cmd"
		fi
	fi
	if ! complete -p "$cmd" >/dev/null 2>&1; then
		for f in "$cmd" "$cmd.bash"; do
			f=$_spaces_compdir/$f
			[[ -f $f ]] && . "$f" && break
		done
	fi
	spec=$(complete -p "$cmd" 2>/dev/null)
	[[ $spec == *" -F "* ]] || return
	fn=${spec#* -F }
	fn=${fn%% *}

	# Shift the words: "spaces NAME" becomes "spaces-NAME", and the line
	# and the cursor follow, for the helpers that read them.
	local line=${COMP_LINE#*"${COMP_WORDS[0]}"}
	line=${line#"${line%%[![:space:]]*}"}
	line=$cmd${line#"${COMP_WORDS[1]}"}
	local point=$((COMP_POINT - ${#COMP_LINE} + ${#line}))
	local -a words=("$cmd" "${COMP_WORDS[@]:2}")
	local COMP_LINE=$line COMP_POINT=$point COMP_CWORD=$((COMP_CWORD - 1))
	local -a COMP_WORDS=("${words[@]}")
	"$fn" "$cmd" "$cur" "${COMP_WORDS[COMP_CWORD-1]}"
}

complete -F _spaces spaces
