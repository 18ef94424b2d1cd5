#!/bin/bash
# The shell completions (completions/): usage: completions_test.sh SHELL
# FOLIO SOURCE_DIR. bash: the script registers `complete -p folio` and its
# function completes subcommands, options, option values and the entity
# names of an index; zsh and fish: the files parse (and fish completes).
# Exits 77 (skipped) when SHELL is not installed.
set -u
shell=$1 folio=$2 src=$3
if ! command -v "$shell" >/dev/null; then
    echo "SKIPPED: $shell is not installed (apt-get install $shell)"
    exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() {  # expect WHAT GOT WORD...: each WORD is among GOT's words
    local what=$1 got=$2 w
    shift 2
    for w in "$@"; do
        if [[ " $got " != *" $w "* ]]; then
            echo "FAIL: $what: expected '$w' in: $got"
            fail=1
        fi
    done
}
mkdir -p "$tmp/bin" && ln -s "$folio" "$tmp/bin/folio"
cp "$src"/corpus/*.txt "$tmp/" 2>/dev/null
"$folio" --db "$tmp/db" index --quiet "$tmp" || { echo "FAIL: cannot index"; exit 1; }

case $shell in
bash)
    # shellcheck source=/dev/null
    source "$src/completions/folio.bash"
    spec=$(complete -p folio) || { echo "FAIL: complete -p folio: nothing registered"; exit 1; }
    expect "complete -p folio" "$spec" _folio_complete
    run() {
        COMP_WORDS=("$@")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMPREPLY=()
        _folio_complete
        echo "${COMPREPLY[*]}"
    }
    expect "subcommands" "$(run "$folio" '')" index search show stats extract entities compact version
    expect "se<TAB>" "$(run "$folio" se)" search
    expect "search options" "$(run "$folio" search --)" --person --place --since --facet --format --sort --json --db --color
    expect "index options" "$(run "$folio" index --)" --exclude --compact --no-compact
    expect "--format values" "$(run "$folio" search --format '')" text json paths
    expect "--format=j" "$(run "$folio" search --format = j)" json
    expect "--sort values" "$(run "$folio" search --sort '')" relevance date -date
    expect "--color values" "$(run "$folio" --color '')" auto always never
    expect "--facet fields" "$(run "$folio" search --facet '')" person place country author date
    # Entity ids, read from the index named by --db.
    person=$("$folio" --db "$tmp/db" entities --type person --json |
        grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
    place=$("$folio" --db "$tmp/db" entities --type place --json |
        grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
    [[ -n $person && -n $place ]] || { echo "FAIL: the corpus index has no person or place"; fail=1; }
    expect "--person from the index" "$(run "$folio" --db "$tmp/db" search --person "${person:0:3}")" "$person"
    expect "--place from the index" "$(run "$folio" --db "$tmp/db" search --place "${place:0:2}")" "$place"
    got=$(run "$folio" --db "$tmp/db" search --person zzzz-no-such)
    [[ -z $got ]] || { echo "FAIL: --person zzzz-no-such completed to: $got"; fail=1; }
    ;;
zsh)
    zsh -n "$src/completions/_folio" || { echo "FAIL: zsh -n _folio"; fail=1; }
    ;;
fish)
    fish -n "$src/completions/folio.fish" || { echo "FAIL: fish -n folio.fish"; fail=1; }
    got=$(PATH="$tmp/bin:$PATH" fish -c "source '$src/completions/folio.fish'; complete -C 'folio search --format '" | cut -f1)
    expect "fish --format values" "$(echo $got)" text json paths
    got=$(PATH="$tmp/bin:$PATH" fish -c "source '$src/completions/folio.fish'; complete -C 'folio co'" | cut -f1)
    expect "fish subcommands" "$(echo $got)" compact
    ;;
esac
[[ $fail == 0 ]] && echo "ok: $shell completions"
exit $fail
