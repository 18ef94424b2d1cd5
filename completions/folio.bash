# bash completion for folio.
# Installed to bash-completion's completionsdir (loaded on first use of
# folio), or source it from ~/.bashrc. The candidates come from folio
# itself (`folio __complete`), from the same option table its parser uses.

_folio_complete() {
    local folio=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--format=js": bash splits at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    # The subcommand, and --db for the entity names of --person/--place.
    local cmd= w i
    local -a db=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --db) db=(--db "${COMP_WORDS[i + 1]}") ;;
            --db=*) db=(--db "${w#--db=}") ;;
        esac
        if [[ -z $cmd && $w != -* ]]; then
            # A value of a global option is not the subcommand.
            case ${COMP_WORDS[i - 1]} in --db | --color) continue ;; esac
            [[ $w == = ]] && continue
            cmd=$w
        fi
    done

    local values
    if [[ $prev == -* ]] &&
        values=$("$folio" "${db[@]}" __complete -- values "${cmd:-folio}" "$prev" "$cur" 2>/dev/null); then
        if [[ -n $values ]]; then
            COMPREPLY=($(compgen -W "$(cut -f1 <<<"$values")" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))  # a free value: a path, a date...
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$folio" __complete -- options "${cmd:-folio}" 2>/dev/null | cut -f1)" -- "$cur"))
    elif [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$("$folio" __complete -- commands 2>/dev/null | cut -f1)" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
    return 0
}
complete -o bashdefault -o default -F _folio_complete folio
