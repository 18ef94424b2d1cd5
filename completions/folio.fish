# fish completion for folio. Installed to fish's vendor_completions.d.
# The candidates come from folio itself (`folio __complete`), from the
# same option table its parser uses.

# The subcommand on the command line, or "folio" before there is one.
function __folio_command
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case --db --color
                set skip 1
            case '-*'
            case '*'
                echo $w
                return
        end
    end
    echo folio
end

# "--db DIR" from the command line, for the entity names of --person/--place.
function __folio_db
    set -l words (commandline -opc)
    for i in (seq (count $words))
        if test "$words[$i]" = --db; and test $i -lt (count $words)
            echo --db
            echo $words[(math $i + 1)]
            return
        end
    end
end

function __folio_candidates
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l prev $words[-1]
    set -l cmd (__folio_command)
    set -l exe $words[1]
    if string match -qr -- '^--[^=]+=' $cur
        set -l opt (string replace -r -- '=.*' '' $cur)
        set -l value (string replace -r -- '^[^=]*=' '' $cur)
        for v in ($exe (__folio_db) __complete -- values $cmd $opt $value 2>/dev/null)
            echo "$opt=$v"
        end
        return
    end
    if string match -q -- '-*' $prev
        set -l values ($exe (__folio_db) __complete -- values $cmd $prev $cur 2>/dev/null)
        if test $status -eq 0
            if test (count $values) -gt 0
                printf '%s\n' $values
            else
                __fish_complete_path $cur
            end
            return
        end
    end
    if string match -q -- '-*' $cur
        $exe __complete -- options $cmd 2>/dev/null
    else if test $cmd = folio
        $exe __complete -- commands 2>/dev/null
    else
        __fish_complete_path $cur
    end
end

complete -c folio -f -a '(__folio_candidates)'
