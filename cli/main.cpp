// folio: index a folder of news articles and search it from the shell.
// The front end: parse arguments, run one subcommand, map errors to exit
// codes (0 found, 1 nothing found, 2 error).
#include <fmt/format.h>
#include <xapian.h>

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "folio/error.hpp"

namespace {

constexpr const char* kDescription =
    "folio indexes a folder of news articles, one Xapian document per "
    "article section with its people, places and date, and searches it with "
    "ranked, phrase and boolean queries, filters and facet counts.";

constexpr const char* kFooter = R"(Examples:
  folio index ~/articles             index (or update) a folder of articles
  folio search '"core concerns"'     phrase search, best sections first
  folio search balloon --person Biden
  folio search taiwan --since 2023-06 --until 2023-07 --facet person,place
  folio search 'person:"Qin Gang" OR place:taiwan' --json
  folio entities qin                 find the name to filter on
  folio show 4f1c2a9e0b7d3e55-5      print one section in full

The index lives in --db DIR, else $FOLIO_DB, else $XDG_DATA_HOME/folio
(~/.local/share/folio).

Exit status: 0 something was found (or the command succeeded), 1 nothing
was found, 2 an error, 130 interrupted (what was indexed is committed).)";

}  // namespace

int main(int argc, char** argv) {
  using namespace folio::cli;
  CLI::App app(kDescription, "folio");
  app.footer(kFooter);
  app.set_version_flag("--version", version_text(),
                       "Print folio's, Xapian's and the index schema's versions and exit");
  app.require_subcommand(1);
  Context ctx;
  app.add_option("--db", ctx.global.db, "Index folder (default: $FOLIO_DB, "
                 "$XDG_DATA_HOME/folio, ~/.local/share/folio)")
      ->type_name("DIR");
  app.add_option("--color", ctx.global.color,
                 "Colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), "
                 "always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");

  add_index_command(app, ctx);
  add_search_command(app, ctx);
  add_show_command(app, ctx);
  add_stats_command(app, ctx);
  add_extract_command(app, ctx);
  add_entities_command(app, ctx);
  add_compact_command(app, ctx);
  add_version_command(app, ctx);
  add_complete_command(app, ctx);
  for (CLI::App* sub : app.get_subcommands({})) sub->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    print_error(fmt::format("{} (see 'folio --help')", e.what()));
    return kExitError;
  }

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
    print_error(fmt::format(
        "the index at {} is being updated by another folio process", db));
  } catch (const Xapian::DatabaseOpeningError& e) {
    print_error(fmt::format("cannot open the index at {}: {}", db, e.get_msg()));
  } catch (const Xapian::DatabaseCorruptError& e) {
    print_error(fmt::format("the index at {} is damaged ({}): delete it and run "
                            "`folio index` again",
                            db, e.get_msg()));
  } catch (const Xapian::Error& e) {
    print_error(fmt::format("{}: {}", e.get_type(), e.get_msg()));
  } catch (const std::exception& e) {
    print_error(e.what());
  }
  return kExitError;
}
