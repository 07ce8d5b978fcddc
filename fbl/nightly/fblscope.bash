# SPDX-License-Identifier: ISC
# bash completion for fblscope(1).  The commands come from `fblscope
# --help` and each command's options from `fblscope COMMAND --help`, so
# that the completion cannot drift from the program.
_fblscope()
{
	local cur cmd sub words
	cur=${COMP_WORDS[COMP_CWORD]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		words=$(fblscope --help 2>/dev/null |
		    sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $cmd in
	db)	sub="migrate status" ;;
	keys)	sub="import list audit zone" ;;
	volume)	sub="import" ;;
	*)	sub= ;;
	esac
	if [ -n "$sub" ] && [ "$COMP_CWORD" -eq 2 ]; then
		COMPREPLY=($(compgen -W "$sub" -- "$cur"))
		return
	fi
	case $cur in
	-*)
		[ -n "$sub" ] && cmd="$cmd ${COMP_WORDS[2]}"
		# shellcheck disable=SC2086
		words=$(fblscope $cmd --help 2>/dev/null |
		    grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		;;
	*)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}
complete -F _fblscope fblscope
