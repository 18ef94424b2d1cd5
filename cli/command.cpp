#include "command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "folio/error.hpp"
#include "folio/filter_date.hpp"
#include "terminal.hpp"

namespace folio::cli {
namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

void FilterArgs::apply_to(SearchRequest& request) const {
  request.filters = filters;
  request.place_exact = place_exact;
  request.since = since;
  request.until = until;
  request.undated = undated;
  request.today = today();
}

CLI::Option_group* add_filter_options(CLI::App& app, FilterArgs& args) {
  auto* group = app.add_option_group("Filters", "The same flag twice is OR, different flags AND");
  // One flag per field with schema::kFilter, in table order.
  for (const schema::FieldInfo& field : schema::kFields) {
    if ((field.flags & schema::kFilter) == 0) continue;
    group
        ->add_option(fmt::format("--{}", field.name), args.filters[field.field],
                     std::string(field.filter_help))
        ->type_name("NAME")
        ->allow_extra_args(false);
    if (field.roll_up) {
      group->add_flag(fmt::format("--{}-exact", field.name), args.place_exact,
                      fmt::format("--{0} matches the {0} itself, not the {0}s in it", field.name));
    }
  }
  group
      ->add_option("--since", args.since,
                   "Articles dated on or after DATE: 2023, 2023-06, 2023-06-18, June 2023, "
                   "18 June 2023, June 18, 2023, today, yesterday, last week, 3 months ago")
      ->type_name("DATE");
  group
      ->add_option("--until", args.until,
                   "Articles dated on or before DATE (its whole period: 2023-06 includes June 30)")
      ->type_name("DATE");
  group->add_flag("--undated", args.undated, "Only articles without a date");
  return group;
}

fs::path database_dir(const GlobalOptions& global, std::string* source) {
  auto from = [&](const char* what, fs::path dir) {
    if (source != nullptr) *source = what;
    return dir;
  };
  if (!global.db.empty()) return from("command line", global.db);
  if (const std::string db = env("FOLIO_DB"); !db.empty()) return from("environment (FOLIO_DB)", db);
  if (!global.config_db.empty()) {
    const std::string home = env("HOME");
    if (global.config_db.starts_with("~/") && !home.empty()) {
      return from("config", fs::path(home) / global.config_db.substr(2));
    }
    return from("config", global.config_db);
  }
  if (const std::string xdg = env("XDG_DATA_HOME"); !xdg.empty()) {
    return from("default ($XDG_DATA_HOME/folio)", fs::path(xdg) / "folio");
  }
  if (const std::string home = env("HOME"); !home.empty()) {
    return from("default (~/.local/share/folio)", fs::path(home) / ".local" / "share" / "folio");
  }
  throw Error("cannot tell where the index is: use --db DIR or set FOLIO_DB");
}

Curation load_curation(const GlobalOptions& global) {
  Curation curation;
  if (!global.entities.empty()) curation.read_file(global.entities);
  try {
    curation.defer_country_names(data_dir() / "lexicon" / "countries.tsv");
  } catch (const Error&) {
    // Without folio's data files, names resolve as the index has them.
  }
  return curation;
}

fs::path data_dir() {
  constexpr const char* kProbe = "boilerplate.txt";
  std::vector<fs::path> candidates;
  if (const std::string dir = env("FOLIO_DATA_DIR"); !dir.empty()) {
    candidates.emplace_back(dir);
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "folio");
  candidates.emplace_back(FOLIO_INSTALL_DATA_DIR);
  for (const fs::path& dir : candidates) {
    if (fs::exists(dir / kProbe, ec)) return dir;
  }
  throw Error(
      fmt::format("cannot find folio's data files (looked for {} in {}); "
                  "set FOLIO_DATA_DIR",
                  kProbe, candidates.back().string()));
}

ArticleReader load_article_reader() {
  const fs::path data = data_dir();
  LexiconSources sources;
  sources.data_dir = data;
  return ArticleReader(SiteBoilerplate::load(data / "boilerplate.txt"),
                       [sources] { return Lexicon::load(sources); });
}

bool use_color(const GlobalOptions& global) {
  if (global.color == "always") return true;
  if (global.color == "never") return false;
  return ::isatty(STDOUT_FILENO) == 1 && env("TERM") != "dumb" && env("NO_COLOR").empty();
}

OutputFormat output_format_named(std::string_view name) {
  for (const OutputFormatInfo& f : kOutputFormats) {
    if (f.name == name) return f.format;
  }
  throw Error(fmt::format("unknown format '{}'", name));
}

std::vector<std::string> output_format_names() {
  std::vector<std::string> names;
  for (const OutputFormatInfo& f : kOutputFormats) names.emplace_back(f.name);
  return names;
}

std::string output_format_help() {
  std::string help;
  for (const OutputFormatInfo& f : kOutputFormats) {
    help += fmt::format("{}{} ({})", help.empty() ? "" : ", ", f.name, f.help);
  }
  return help;
}

std::size_t stdout_columns() { return terminal_columns(STDOUT_FILENO); }

std::unique_ptr<Printer> make_printer(const GlobalOptions& global, OutputFormat format) {
  if (format == OutputFormat::json) return make_json_printer(stdout);
  std::error_code ec;
  TextStyle style{use_color(global), fs::current_path(ec), stdout_columns()};
  switch (format) {
    case OutputFormat::paths:
      return make_paths_printer(stdout, std::move(style));
    case OutputFormat::vimgrep:
      return make_vimgrep_printer(stdout, std::move(style));
    case OutputFormat::tsv:
      return make_tsv_printer(stdout, std::move(style));
    case OutputFormat::ids:
      return make_ids_printer(stdout, std::move(style));
    case OutputFormat::files:
      return make_files_printer(stdout, std::move(style));
    default:
      return make_text_printer(stdout, std::move(style));
  }
}

Date today() {
  const std::string fixed = env("FOLIO_TODAY");
  if (fixed.empty()) return local_today();
  const std::optional<Date> d = parse_date(fixed);
  if (!d || d->precision != DatePrecision::day) {
    throw Error(fmt::format("FOLIO_TODAY='{}' is not a YYYY-MM-DD date", fixed));
  }
  return *d;
}

void print_error(std::string_view message) {
  std::fflush(stdout);
  fmt::print(stderr, "folio: {}\n", message);
}

}  // namespace folio::cli
