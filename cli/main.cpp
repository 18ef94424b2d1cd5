// folio: index a folder of news articles and search it from the shell.
// The front end: parse arguments, run one subcommand, map errors to exit
// codes (0 found, 1 nothing found, 2 error).
#include <fmt/format.h>
#include <xapian.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "command.hpp"
#include "config.hpp"
#include "folio/error.hpp"
#include "help_formatter.hpp"

namespace {

constexpr const char* kDescription =
    "folio indexes a folder of news articles, one Xapian document per "
    "article section with its people, places and date, and searches it with "
    "ranked, phrase and boolean queries, filters and facet counts.";

constexpr const char* kFooter = R"(Examples:
  folio index ~/articles             index (or update) a folder of articles
  folio search '"core concerns"'     phrase search, best sections first
  folio search balloon --person Biden
  folio search oil -opec              sections about oil that do not say OPEC
  folio search taiwan --since 2023-06 --until 2023-07 --facet person,place
  folio search 'person:"Qin Gang" OR place:taiwan' --json
  folio entities qin                 find the name to filter on
  folio show 4f1c2a9e0b7d3e55-5      print one section in full
  folio help search                  the options of one command

The index lives in --db DIR, else $FOLIO_DB, else the config file's db,
else $XDG_DATA_HOME/folio (~/.local/share/folio).

Settings: $XDG_CONFIG_HOME/folio/config (~/.config/folio/config) sets
defaults for any long option, [COMMAND] sections for a command's, and
[saved.NAME] tables saved searches (folio search @NAME); folio config shows
them. $XDG_CONFIG_HOME/folio/entities merges, renames, aliases and
suppresses entities. docs/config.md has both formats.

Exit status: 0 something was found (or the command succeeded), 1 nothing
was found, 2 an error, 130 interrupted (what was indexed is committed).)";

// Whether `arg` names an option of `app` (or of the parent it falls
// through to) that takes a value: its next argument is that value.
bool takes_value(const CLI::App& app, const std::string& arg) {
  if (arg.find('=') != std::string::npos) return false;
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    if (const CLI::Option* opt = a->get_option_no_throw(arg)) return opt->get_items_expected_max() > 0;
  }
  return false;
}

bool is_option_of(const CLI::App& app, const std::string& arg) {
  const std::string name = arg.substr(0, arg.find('='));
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    if (a->get_option_no_throw(name) != nullptr) return true;
  }
  // -n5: a short option with its value attached.
  return name.size() > 2 && name[1] != '-' && takes_value(app, name.substr(0, 2));
}

// The subcommand of `app` called `name`, or nullptr.
const CLI::App* command_named(const CLI::App& app, const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return app.get_subcommand(name);
  } catch (const CLI::OptionNotFound&) {
    return nullptr;
  }
}

// `@NAME`, a saved search of the config file; nullptr for another word.
// Throws folio::Error for an @NAME that is not saved.
const folio::cli::SavedSearch* saved_search(const folio::cli::ConfigFile& config, const std::string& word) {
  if (word.size() < 2 || word[0] != '@') return nullptr;
  const std::string name = word.substr(1);
  if (!std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
      })) {
    return nullptr;
  }
  const auto it = config.saved.find(name);
  if (it != config.saved.end()) return &it->second;
  std::string names;
  for (const auto& [saved, _] : config.saved) names += fmt::format("{}@{}", names.empty() ? "" : ", ", saved);
  throw folio::Error(fmt::format("no saved search '{}' ({})", word,
                                 config.path.empty() ? "no config file is read"
                                 : config.saved.empty()
                                     ? fmt::format("{} has no [saved.NAME]", config.path.string())
                                     : "saved: " + names));
}

// `saved` (option, value, option ...) without the options of one value
// that `given` has too.
std::vector<std::string> without_overridden(const CLI::App& command, const std::vector<std::string>& saved,
                                            const std::vector<std::string>& given) {
  auto option_of = [&](const std::string& arg) -> const CLI::Option* {
    for (const CLI::App* a = &command; a != nullptr; a = a->get_parent()) {
      if (const CLI::Option* opt = a->get_option_no_throw(arg.substr(0, arg.find('=')))) return opt;
    }
    return nullptr;
  };
  std::vector<const CLI::Option*> overridden;
  for (const std::string& arg : given) {
    const CLI::Option* opt = arg.starts_with("-") ? option_of(arg) : nullptr;
    if (opt != nullptr && opt->get_items_expected_max() <= 1) overridden.push_back(opt);
  }
  std::vector<std::string> kept;
  for (std::size_t k = 0; k < saved.size(); ++k) {
    const CLI::Option* opt = option_of(saved[k]);
    const bool has_value = opt != nullptr && opt->get_items_expected_max() > 0 && k + 1 < saved.size();
    if (std::find(overridden.begin(), overridden.end(), opt) == overridden.end()) {
      kept.push_back(saved[k]);
      if (has_value) kept.push_back(saved[k + 1]);
    }
    if (has_value) ++k;
  }
  return kept;
}

// Whether the arguments (before "--") give the option `name` ("--db").
bool given_on_command_line(const std::vector<std::string>& args, const std::string& name) {
  for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == name || args[i].starts_with(name + "=")) return true;
  }
  return false;
}

// The arguments as CLI11 is to parse them. `folio help [COMMAND]` becomes
// `folio [COMMAND] --help`, as git's does. For `folio search`, a word
// starting with '-' after the first query word is a query word when no
// option has that name ("oil -opec"), and so is everything after "--",
// wherever it is: the query words go last, after one "--". Sets `unknown`
// to a command name that is not one of `app`'s. A word `@NAME` is the saved
// search NAME of `config`: its query words and options.
std::vector<std::string> prepared_arguments(const CLI::App& app, std::vector<std::string> args,
                                            const folio::cli::ConfigFile& config, std::string& unknown) {
  std::size_t i = 1;
  // The global options before the command.
  while (i < args.size() && args[i].starts_with("-") && args[i] != "--") {
    i += takes_value(app, args[i]) ? 2u : 1u;
  }
  if (i >= args.size()) return args;
  if (args[i] == "help") {
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
    args.insert(args.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1, args.size())), "--help");
    if (i + 1 < args.size() && command_named(app, args[i]) == nullptr) unknown = args[i];
    return args;
  }
  const CLI::App* command = command_named(app, args[i]);
  if (command == nullptr) {
    if (!args[i].starts_with("-")) unknown = args[i];
    return args;
  }
  if (command->get_name() != "search") return args;
  std::vector<std::string> options(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(i + 1));
  std::vector<std::string> words;
  std::vector<std::string> saved_flags;
  for (std::size_t j = i + 1; j < args.size(); ++j) {
    const std::string& arg = args[j];
    if (arg == "--") {
      words.insert(words.end(), args.begin() + static_cast<std::ptrdiff_t>(j + 1), args.end());
      break;
    }
    const bool dash_word = arg.size() > 1 && arg[0] == '-';
    if (dash_word && (words.empty() || is_option_of(*command, arg))) {
      options.push_back(arg);
      if (takes_value(*command, arg) && j + 1 < args.size()) options.push_back(args[++j]);
    } else if (const folio::cli::SavedSearch* saved = saved_search(config, arg)) {
      if (!saved->query.empty()) words.push_back(saved->query);
      saved_flags.insert(saved_flags.end(), saved->flags.begin(), saved->flags.end());
    } else {
      words.push_back(arg);
    }
  }
  // A saved search's options come first; an option of one value given on
  // the command line too replaces the saved one, one of several adds to it.
  const std::vector<std::string> kept = without_overridden(*command, saved_flags, options);
  options.insert(options.begin() + static_cast<std::ptrdiff_t>(i + 1), kept.begin(), kept.end());
  if (!words.empty()) {
    options.emplace_back("--");
    options.insert(options.end(), words.begin(), words.end());
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace folio::cli;
  CLI::App app(kDescription, "folio");
  // Before the subcommands are added: each takes its parent's formatter.
  app.formatter(std::make_shared<WrappingFormatter>(help_columns()));
  app.footer(kFooter);
  app.set_version_flag("--version", version_text(),
                       "Print folio's, Xapian's and the index schema's versions and exit");
  app.require_subcommand(1);
  Context ctx;
  app.add_option("--db", ctx.global.db,
                 "Index folder (default: $FOLIO_DB, the config file's db, "
                 "$XDG_DATA_HOME/folio, ~/.local/share/folio)")
      ->type_name("DIR");
  app.add_option("--color", ctx.global.color,
                 "Colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), "
                 "always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.set_config("--config", "",
                 "Read settings from FILE (default: $FOLIO_CONFIG, else "
                 "$XDG_CONFIG_HOME/folio/config, ~/.config/folio/config)")
      ->type_name("FILE");
  app.add_flag("--no-config", ctx.global.no_config,
               "Read no config file and no entities file: folio's own defaults")
      ->configurable(false);

  add_index_command(app, ctx);
  add_search_command(app, ctx);
  add_show_command(app, ctx);
  add_open_command(app, ctx);
  add_similar_command(app, ctx);
  add_stats_command(app, ctx);
  add_extract_command(app, ctx);
  add_entities_command(app, ctx);
  add_compact_command(app, ctx);
  add_forget_command(app, ctx);
  add_serve_command(app, ctx);
  add_join_command(app, ctx);
  add_version_command(app, ctx);
  add_complete_command(app, ctx);
  add_config_command(app, ctx);
  for (CLI::App* sub : app.get_subcommands({})) sub->fallthrough();

  const std::vector<std::string> given(argv, argv + argc);
  std::string unknown;
  std::vector<std::string> args;
  try {
    ctx.config = load_config(app, given);
    // CLI11 reads the file: the one --config gives, else this one (given
    // as a result, not a default, so that --help does not show it).
    if (ctx.config.chosen_by != "--config" && !ctx.config.path.empty()) {
      app.get_config_ptr()->add_result(ctx.config.path.string());
    }
    args = prepared_arguments(app, given, ctx.config, unknown);
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitError;
  }
  if (!unknown.empty()) {
    print_error(fmt::format("unknown command '{}' (see 'folio help')", unknown));
    return kExitError;
  }
  std::vector<char*> parsed_argv;
  for (const std::string& arg : args) parsed_argv.push_back(const_cast<char*>(arg.c_str()));
  try {
    app.parse(static_cast<int>(parsed_argv.size()), parsed_argv.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    print_error(fmt::format("{} (see 'folio --help'{})", e.what(),
                            ctx.config.path.empty() ? "" : fmt::format(" and {}", ctx.config.path.string())));
    return kExitError;
  }
  // The config file's db comes after $FOLIO_DB (database_dir()).
  ctx.command_line = given;
  if (!given_on_command_line(given, "--db")) ctx.global.config_db = std::exchange(ctx.global.db, {});
  ctx.global.entities = ctx.global.no_config ? std::filesystem::path() : ctx.config.entities;

  const std::string db = [&] {
    try {
      return database_dir(ctx.global).string();
    } catch (const std::exception&) {
      return std::string("the index");
    }
  }();
  try {
    return ctx.run();
  } catch (const Xapian::QueryParserError& e) {
    print_error(fmt::format("bad query: {}", e.get_msg()));
  } catch (const Xapian::DatabaseLockError&) {
    print_error(fmt::format("the index at {} is being updated by another folio process", db));
  } catch (const Xapian::DatabaseOpeningError& e) {
    print_error(fmt::format("cannot open the index at {}: {}", db, e.get_msg()));
  } catch (const Xapian::DatabaseCorruptError& e) {
    print_error(
        fmt::format("the index at {} is damaged ({}): delete it and run "
                    "`folio index` again",
                    db, e.get_msg()));
  } catch (const Xapian::Error& e) {
    print_error(fmt::format("{}: {}", e.get_type(), e.get_msg()));
  } catch (const std::exception& e) {
    print_error(e.what());
  }
  return kExitError;
}
