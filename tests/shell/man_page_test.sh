#!/bin/bash
# The man page cannot rot: every subcommand `folio --help` lists has its
# own ".SS folio CMD" section in docs/folio.1, and every option that
# `folio CMD --help` lists is named in that section (the global options,
# in OPTIONS). Usage: man_page_test.sh FOLIO MAN_PAGE
set -u
folio=$1 page=$2
fail=0
# The options a --help lists: "  -n,--limit UINT" -> -n --limit.
options_of() {
    "$@" --help | grep -E '^ +-' | sed -E 's/^ +//; s/ .*//' | tr ',' '\n' | grep -E '^-'
}
# The lines of the man page from the line matching $1 to the next .SS/.SH.
section() {
    awk -v head="$1" '$0 == head { on = 1; next } on && /^\.S[SH]/ { exit } on' "$page"
}
in_section() {  # in_section TEXT OPTION: groff writes '-' as '\-'
    local groff=${2//-/\\-}
    grep -qF -- "\\fB$groff\\fR" <<<"$1" || grep -qF -- "\\fB$groff " <<<"$1" ||
        grep -qF -- ".B $groff" <<<"$1" || grep -qF -- ".BR $groff" <<<"$1" ||
        grep -qF -- ".BI $groff" <<<"$1" || grep -qF -- "\" $groff" <<<"$1"
}
commands=$("$folio" --help | sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[[ -n $commands ]] || { echo "FAIL: no subcommands in folio --help"; exit 1; }
global=$(section ".SH OPTIONS")
for opt in $(options_of "$folio"); do
    in_section "$global" "$opt" || { echo "FAIL: global option $opt is not in OPTIONS of $page"; fail=1; }
done
for cmd in $commands; do
    text=$(section ".SS folio $cmd")
    if [[ -z $text ]]; then
        echo "FAIL: no '.SS folio $cmd' section in $page"
        fail=1
        continue
    fi
    for opt in $(options_of "$folio" "$cmd"); do
        case $opt in -h | --help) continue ;; esac  # OPTIONS says it once
        in_section "$text" "$opt" || { echo "FAIL: folio $cmd $opt is not in the '.SS folio $cmd' section of $page"; fail=1; }
    done
done
for part in "ENVIRONMENT" "FILES" "EXIT STATUS" "EXAMPLES" "DATES" "QUERY SYNTAX"; do
    grep -q "^\.SH \"\?$part\"\?$" "$page" || { echo "FAIL: no .SH $part in $page"; fail=1; }
done
[[ $fail == 0 ]] && echo "ok: $page names every command and option"
exit $fail
