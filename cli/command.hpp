// What the folio front end's subcommands share: global options, the way
// each subcommand registers itself, and helpers that read the environment
// (the libraries never do).
#pragma once

#include <CLI/CLI.hpp>

#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "config.hpp"
#include "folio/curation.hpp"
#include "folio/ingest.hpp"
#include "folio/search.hpp"
#include "printers.hpp"

namespace folio::cli {

// Exit codes, as grep and ripgrep use them.
inline constexpr int kExitFound = 0;
inline constexpr int kExitNotFound = 1;
inline constexpr int kExitError = 2;
inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT

struct GlobalOptions {
  std::string db;                  // --db; empty: see database_dir()
  std::string color = "auto";      // --color: auto, always, never
  std::string config_db;           // the config file's db (after $FOLIO_DB)
  bool no_config = false;          // --no-config
  std::filesystem::path entities;  // the entities file; "" for none
};

// Set by the parsed subcommand's callback; main runs it after parsing, so
// that no command runs inside CLI11's parser.
struct Context {
  GlobalOptions global;
  std::function<int()> run;
  ConfigFile config;                      // read before the arguments are parsed
  std::vector<std::string> command_line;  // argv as given
};

void add_index_command(CLI::App& app, Context& ctx);
void add_search_command(CLI::App& app, Context& ctx);
void add_show_command(CLI::App& app, Context& ctx);
void add_open_command(CLI::App& app, Context& ctx);
void add_similar_command(CLI::App& app, Context& ctx);
void add_stats_command(CLI::App& app, Context& ctx);
void add_extract_command(CLI::App& app, Context& ctx);
void add_entities_command(CLI::App& app, Context& ctx);
void add_compact_command(CLI::App& app, Context& ctx);
void add_forget_command(CLI::App& app, Context& ctx);
void add_version_command(CLI::App& app, Context& ctx);
void add_serve_command(CLI::App& app, Context& ctx);
void add_join_command(CLI::App& app, Context& ctx);
void add_complete_command(CLI::App& app, Context& ctx);  // hidden: __complete
void add_config_command(CLI::App& app, Context& ctx);

// "folio 0.1.0\nXapian 1.4.22\nindex schema version 6" (no final newline).
std::string version_text();

// --db, else $FOLIO_DB, else the config file's db (~/ is the home
// folder), else $XDG_DATA_HOME/folio, else ~/.local/share/folio. Throws
// folio::Error when none can be worked out. `source`, if given, is set to
// where the answer came from: "command line", "environment (FOLIO_DB)",
// "config" or "default".
std::filesystem::path database_dir(const GlobalOptions& global, std::string* source = nullptr);

// The entity curation searches apply (include/folio/curation.hpp): the
// lexicon's other names of places (data_dir()'s countries.tsv and
// place_aliases.tsv, when there) and the user's entities file. Throws
// folio::Error "FILE:LINE: ..." for a bad line.
Curation load_curation(const GlobalOptions& global);

// The filter flags of `folio search`, `folio similar` and `folio open`:
// one per field with schema::kFilter (--person, --place, --org, --author),
// --place-exact, --since, --until and --undated.
struct FilterArgs {
  std::map<schema::Field, std::vector<std::string>> filters;
  bool place_exact = false;
  std::string since, until;
  bool undated = false;
  // Sets the request's filters, dates and today().
  void apply_to(SearchRequest& request) const;
};
// Adds the flags to `app` in an option group "Filters", which it returns;
// `args` must outlive the parse.
CLI::Option_group* add_filter_options(CLI::App& app, FilterArgs& args);

// The environment variable NAME, or "" when it is not set.
std::string env(const char* name);

// Where folio's data files are: $FOLIO_DATA_DIR, else <exe>/../share/folio
// (the build tree and the install tree have the same layout), else the
// configured install location. Throws folio::Error when none has them.
std::filesystem::path data_dir();

// The reader `folio index` and `folio extract` use: the boilerplate list
// and the people-and-places lexicon from data_dir() and the system's
// iso-codes, libgeonames and word list.
ArticleReader load_article_reader();

// --color=auto means: stdout is a terminal, TERM is not "dumb", and
// NO_COLOR is unset or empty.
bool use_color(const GlobalOptions& global);

enum class OutputFormat { text, json, paths, vimgrep, tsv, ids, files };

// The --format values of `folio search` and `folio similar`, with what
// each prints, for --help: one row per format.
struct OutputFormatInfo {
  std::string_view name;
  OutputFormat format;
  std::string_view help;
};
inline constexpr std::array<OutputFormatInfo, 7> kOutputFormats = {{
    {"text", OutputFormat::text, "for people"},
    {"json", OutputFormat::json, "one JSON document (docs/json-format.md)"},
    {"paths", OutputFormat::paths, "path:line per hit, for xargs"},
    {"vimgrep", OutputFormat::vimgrep,
     "path:line:column:text per hit, as ripgrep's --vimgrep: vim -q <(folio search ... --format vimgrep)"},
    {"tsv", OutputFormat::tsv,
     "tab-separated rank, score, date, path:line, id, title, heading per hit (tabs, newlines "
     "and backslashes in a field written \\t, \\n, \\\\), for fzf, cut and awk"},
    {"ids", OutputFormat::ids, "the id of each hit, one a line, for `folio show -`"},
    {"files", OutputFormat::files, "each article's path once, for xargs"},
}};
// The format called `name`; throws folio::Error for an unknown one.
OutputFormat output_format_named(std::string_view name);
// The names of kOutputFormats, and "--format NAME" help listing them all.
std::vector<std::string> output_format_names();
std::string output_format_help();

// The width of the terminal on stdout (else $COLUMNS, else 80).
std::size_t stdout_columns();

// A printer for stdout: text with the user's colour choice, JSON, or paths.
std::unique_ptr<Printer> make_printer(const GlobalOptions& global, OutputFormat format);
inline std::unique_ptr<Printer> make_printer(const GlobalOptions& global, bool json) {
  return make_printer(global, json ? OutputFormat::json : OutputFormat::text);
}

// Today, from $FOLIO_TODAY (YYYY-MM-DD, for tests and scripts) or the clock.
Date today();

// Writes "folio: <message>" to stderr.
void print_error(std::string_view message);

}  // namespace folio::cli
