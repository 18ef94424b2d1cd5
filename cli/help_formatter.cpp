#include "help_formatter.hpp"

#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "terminal.hpp"

namespace folio::cli {

std::size_t WrappingFormatter::beside() const {
  if (columns_ == 0) return 0;
  const std::size_t names = get_column_width();
  return columns_ > names + 21 ? columns_ - names - 1 : 20;
}

std::string WrappingFormatter::make_option_desc(const CLI::Option* opt) const {
  return wrap_text(CLI::Formatter::make_option_desc(opt), beside());
}

std::string WrappingFormatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  std::string name = CLI::Formatter::make_option_name(opt, is_positional);
  for (std::size_t open; (open = name.find('{')) != std::string::npos;) {
    const std::size_t close = name.find('}', open);
    if (close == std::string::npos) break;
    name.erase(open, close - open + 1);
  }
  return name;
}

std::string WrappingFormatter::make_description(const CLI::App* app) const {
  return wrap_text(CLI::Formatter::make_description(app), columns_ > 1 ? columns_ - 1 : 0);
}

std::string WrappingFormatter::make_subcommand(const CLI::App* sub) const {
  std::stringstream out;
  CLI::detail::format_help(out, sub->get_display_name(true), wrap_text(sub->get_description(), beside()),
                           get_column_width());
  return out.str();
}

std::string WrappingFormatter::make_footer(const CLI::App* app) const {
  return wrap_text(CLI::Formatter::make_footer(app), columns_ > 1 ? columns_ - 1 : 0);
}

std::size_t help_columns() { return ::isatty(STDOUT_FILENO) == 1 ? terminal_columns(STDOUT_FILENO) : 0; }

}  // namespace folio::cli
