// What the front end needs to know about the terminal it writes to: its
// width, and how to fit a line of parts into it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace folio::cli {

// The width of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS when it is
// a positive number, else `fallback`.
std::size_t terminal_columns(int fd, std::size_t fallback = 80);

// The parts joined with two spaces, as many as fit in `columns` - 1
// characters (UTF-8 code points), leaving out the last ones first; the
// first part is cut to fit when even it alone does not. The last column is
// kept free so that a terminal does not wrap the line.
std::string fit_line(const std::vector<std::string>& parts, std::size_t columns);

}  // namespace folio::cli

namespace folio::cli {

// `text` with its spaces turned into line breaks so that no line is longer
// than `width` code points (a longer word stays whole on its own line);
// its own line breaks are kept. `width` 0: unchanged.
std::string wrap_text(std::string_view text, std::size_t width);

}  // namespace folio::cli
