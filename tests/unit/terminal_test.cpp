// The front end's terminal helpers (cli/terminal.hpp): the progress line
// cut to the width, --help wrapped to it; and the histogram's periods.
#include "terminal.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "folio/search.hpp"
#include "folio/text.hpp"
#include "help_formatter.hpp"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("fit_line keeps the parts that fit, the last column free", "[terminal]") {
  using folio::cli::fit_line;
  const std::vector<std::string> parts{"[ 120/2000 files]", "12.5 MB/s", "ETA 0:42"};
  CHECK(fit_line(parts, 80) == "[ 120/2000 files]  12.5 MB/s  ETA 0:42");
  CHECK(fit_line(parts, 39) == "[ 120/2000 files]  12.5 MB/s  ETA 0:42");  // 38 characters
  CHECK(fit_line(parts, 38) == "[ 120/2000 files]  12.5 MB/s");
  CHECK(fit_line(parts, 20) == "[ 120/2000 files]");
  CHECK(fit_line(parts, 10) == "[ 120/200");
  CHECK(fit_line({"àéîõü"}, 4) == "àéî");  // code points, not bytes
  CHECK(fit_line(parts, 0).empty());
}

TEST_CASE("terminal_columns: the terminal, else $COLUMNS, else the fallback", "[terminal]") {
  // fd -1 is no terminal.
  ::setenv("COLUMNS", "57", 1);
  CHECK(folio::cli::terminal_columns(-1) == 57);
  ::setenv("COLUMNS", "wide", 1);
  CHECK(folio::cli::terminal_columns(-1, 66) == 66);
  ::unsetenv("COLUMNS");
  CHECK(folio::cli::terminal_columns(-1) == 80);
}

TEST_CASE("wrap_text breaks at spaces within the width, keeps its own breaks", "[terminal]") {
  using folio::cli::wrap_text;
  CHECK(wrap_text("one two three four", 9) == "one two\nthree\nfour");
  CHECK(wrap_text("one two\nthree four", 80) == "one two\nthree four");
  CHECK(wrap_text("a unbreakable-long-word b", 5) == "a\nunbreakable-long-word\nb");
  CHECK(wrap_text("no wrap", 0) == "no wrap");
  CHECK(wrap_text("ééé ééé", 3) == "ééé\nééé");
}

TEST_CASE("help wraps every line to the terminal's width", "[terminal][help]") {
  CLI::App app(
      "A description long enough to need wrapping at sixty columns, as folio's descriptions often do.",
      "folio");
  app.formatter(std::make_shared<folio::cli::WrappingFormatter>(60));
  std::string value;
  app.add_option("--format", value,
                 "text, json, paths, vimgrep, tsv, ids or files: each explained in a sentence or two");
  std::string period;
  app.add_flag("--histogram{auto}", period, "Bars");
  app.add_subcommand("search", "Search the index and print the best sections first, ranked by BM25");
  app.footer("A footer that also runs on for longer than sixty columns of text, as footers do.");
  const std::string help = app.help();
  INFO(help);
  for (const std::string& line : lines_of(help)) CHECK(folio::utf8_length(line) < 60);
  CHECK(help.find("BM25") != std::string::npos);
  CHECK(help.find("  --histogram ") != std::string::npos);  // its default value not shown
  CHECK(help.find("{auto}") == std::string::npos);
  // Unwrapped without a width.
  CLI::App plain(
      "A description long enough to need wrapping at sixty columns, as folio's descriptions often do.",
      "folio");
  plain.formatter(std::make_shared<folio::cli::WrappingFormatter>(0));
  CHECK(lines_of(plain.help()).at(0).size() > 60);
}

TEST_CASE("the histogram's periods: gaps filled, granularity from the span", "[histogram]") {
  using folio::DateGranularity;
  CHECK(folio::histogram_granularity("20230601", "20230630") == DateGranularity::day);
  CHECK(folio::histogram_granularity("20230601", "20230720") == DateGranularity::day);
  CHECK(folio::histogram_granularity("20230601", "20230820") == DateGranularity::month);
  CHECK(folio::histogram_granularity("20210101", "20231231") == DateGranularity::month);
  CHECK(folio::histogram_granularity("2019", "20231231") == DateGranularity::year);

  const std::map<std::string, Xapian::doccount> days{{"20221230", 2}, {"20230102", 1}, {"20230105", 4}};
  const folio::DateHistogram by_day = folio::make_date_histogram(days, 3, std::nullopt);
  CHECK(by_day.granularity == DateGranularity::day);
  CHECK(by_day.undated == 3);
  REQUIRE(by_day.bars.size() == 7);  // 30 Dec to 5 Jan, the year's end crossed
  CHECK(by_day.bars[0].period == "2022-12-30");
  CHECK(by_day.bars[2].period == "2023-01-01");
  CHECK(by_day.bars[2].count == 0);
  CHECK(by_day.bars[6].period == "2023-01-05");
  CHECK(by_day.bars[6].count == 4);

  const folio::DateHistogram by_month = folio::make_date_histogram(days, 0, DateGranularity::month);
  REQUIRE(by_month.bars.size() == 2);
  CHECK(by_month.bars[0].period == "2022-12");
  CHECK(by_month.bars[1].count == 5);
  const folio::DateHistogram by_year = folio::make_date_histogram(
      {{"19990600", 1}, {"20010100", 2}}, 0, DateGranularity::year);  // month and year precision keys
  REQUIRE(by_year.bars.size() == 3);
  CHECK(by_year.bars[1].period == "2000");
  CHECK(by_year.bars[1].count == 0);
  // Too many periods to fill: only those with matches.
  const folio::DateHistogram sparse =
      folio::make_date_histogram({{"19000101", 1}, {"20230101", 1}}, 0, DateGranularity::day);
  CHECK(sparse.bars.size() == 2);
  CHECK(folio::make_date_histogram({}, 4, std::nullopt).bars.empty());
}
