# zcomplete.zsh FPATH LINE: what zsh's own completion system offers at the
# end of LINE (typed in an interactive zsh on a pseudo-terminal, then Tab),
# one match a line.
zmodload zsh/zpty || exit 2
out=${TMPDIR:-/tmp}/zcomplete.$$
rm -f $out $out.done
zpty z zsh -f -i
zpty -w z "exec 2>>$out.err"
zpty -w z "PROMPT=''; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -d $out.dump"
# Every match that reaches the list is logged; options that only ask
# (-O, -A, -D) are passed on as they are.
zpty -w z "compadd() { if [[ \${(j: :)@} == *-[OAD]* ]]; then builtin compadd \"\$@\"; return; fi; local -a _m; builtin compadd -A _m \"\$@\"; print -rl -- \$_m >>$out; builtin compadd \"\$@\"; }"
zpty -w z "comppostfuncs=(_zc_done); _zc_done() { : >>$out; : >$out.done; }"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "$2"$'\t'
i=0
while [[ ! -e $out.done ]] && (( i++ < 100 )); do sleep 0.1; done
zpty -d z
[[ -e $out.done ]] || { echo "zcomplete: no completion" >&2; exit 1; }
sort -u $out
rm -f $out $out.done $out.dump $out.err
