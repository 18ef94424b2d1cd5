// --help wrapped to the terminal: CLI11 2.1's formatter prints each
// description on one line, indenting after the line breaks it contains, so
// this one puts line breaks into the descriptions.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace folio::cli {

class WrappingFormatter : public CLI::Formatter {
 public:
  // `columns`: the terminal's width; 0 does not wrap.
  explicit WrappingFormatter(std::size_t columns) : columns_(columns) {}

  std::string make_option_desc(const CLI::Option* opt) const override;
  // Without the default values of flags that take one ("--histogram{auto}"
  // is shown "--histogram").
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_description(const CLI::App* app) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_footer(const CLI::App* app) const override;

 private:
  // The width of a description beside the names column, at least 20.
  std::size_t beside() const;
  std::size_t columns_;
};

// The width --help wraps to: that of a terminal on stdout, else 0 (none),
// so that piped help (man page tests, grep) keeps one line per option.
std::size_t help_columns();

}  // namespace folio::cli
