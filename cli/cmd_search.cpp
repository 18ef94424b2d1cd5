// folio search QUERY...: ranked sections matching a query.
#include "command.hpp"
#include "folio/database.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

struct SearchArgs {
  std::vector<std::string> words;
  unsigned limit = 10;
  unsigned offset = 0;
  bool json = false;
};

int run_search(const GlobalOptions& global, const SearchArgs& args) {
  SearchRequest request;
  for (const std::string& word : args.words) {
    if (!request.query.empty()) request.query += ' ';
    request.query += word;
  }
  request.limit = args.limit;
  request.offset = args.offset;
  const Xapian::Database db = open_for_reading(database_dir(global));
  const SearchResults results = search(db, request);
  make_printer(global, args.json)->search_results(results);
  return results.total > 0 ? kExitFound : kExitNotFound;
}

}  // namespace

void add_search_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* sub = app.add_subcommand(
      "search",
      "Search the index; print the best sections first. QUERY words are "
      "joined with AND. Syntax: \"a phrase\", AND, OR, NOT, +must, -mustnot, "
      "wildcard*, title:word, heading:word, author:\"Jane Doe\".");
  sub->add_option("QUERY", args->words, "Query words (quote phrases for the shell)")
      ->required();
  sub->add_option("-n,--limit", args->limit, "Show at most this many sections")
      ->capture_default_str();
  sub->add_option("--offset", args->offset, "Skip this many sections first")
      ->capture_default_str();
  sub->add_flag("--json", args->json,
                "Print one JSON document (format: docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_search(ctx.global, *args); }; });
}

}  // namespace folio::cli
