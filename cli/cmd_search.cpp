// folio search QUERY...: ranked sections matching a query, with filters and
// facets.
#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/ranges.h>

#include <map>
#include <optional>

#include "command.hpp"
#include "folio/curation.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

// "person, place, country, author": the facet fields other than dates.
std::string facet_counted_list() {
  std::string out;
  for (const schema::FieldInfo& field : schema::kFields) {
    if ((field.flags & schema::kFacet) == 0 || field.kind == schema::FieldKind::date) continue;
    out += fmt::format("{}{}", out.empty() ? "" : ", ", field.name);
  }
  return out;
}

struct SearchArgs {
  std::vector<std::string> words;
  FilterArgs filters;  // --person, --place, --author, --since ...
  std::vector<std::string> facets;
  std::string facet_by = "section";
  bool disjunctive = false;
  bool by_article = false;
  std::string sort = "relevance";
  unsigned limit = 10;
  unsigned offset = 0;
  bool json = false;
  std::string format = "text";
  bool all = false;
  bool any = false;
  bool partial = false;
  std::string histogram;  // "" none; "auto", "year", "month", "day"
  bool no_dedupe = false;
  double time_limit = kSearchTimeLimit;
};

int run_search(const GlobalOptions& global, const SearchArgs& args) {
  if (args.json && args.format != "text" && args.format != "json") {
    throw Error(fmt::format("--json and --format {} contradict each other: give one", args.format));
  }
  SearchRequest request;
  for (const std::string& word : args.words) {
    if (!request.query.empty()) request.query += ' ';
    request.query += word;
  }
  args.filters.apply_to(request);
  for (const std::string& f : args.facets) request.facets.push_back(parse_facet_spec(f));
  request.facet_by_article = args.facet_by == "article";
  request.disjunctive = args.disjunctive;
  request.by_article = args.by_article;
  request.sort = args.sort == "date"    ? SortOrder::date
                 : args.sort == "-date" ? SortOrder::date_descending
                                        : SortOrder::relevance;
  request.mode = args.all ? MatchMode::all : args.any ? MatchMode::any : MatchMode::relaxed;
  request.limit = args.limit;
  request.offset = args.offset;
  request.histogram = !args.histogram.empty();
  if (args.histogram != "auto" && request.histogram) {
    request.histogram_granularity = parse_facet_spec("date:" + args.histogram).granularity;
  }
  request.dedupe = !args.no_dedupe;
  request.time_limit = args.time_limit;

  const Curation curation = load_curation(global);
  const std::filesystem::path dir = database_dir(global);
  const OpenOptions open_options{.partial = args.partial};
  // An indexer committing meanwhile can invalidate what this reader sees;
  // reopen at the new revision and run the search again. Opened inside the
  // loop: opening can meet a commit too.
  std::optional<Index> index;
  SearchResults results;
  // Retries for a while, not a number of times: a folio index committing a
  // small batch every few milliseconds can overtake many searches in a row.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool node_retried = false;
  constexpr int kCorruptRetries = 3;
  int corrupt_retries = 0;
  for (int attempt = 0;; ++attempt) {
    try {
      if (!index) index = open_for_reading(dir, open_options);
      results = search(*index, request, curation);
      break;
    } catch (const Xapian::DatabaseModifiedError&) {
      // An indexer committing batch after batch can overtake a search more
      // than once: retry on the newest revision, backing off a little.
      if (std::chrono::steady_clock::now() > give_up) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * std::min(attempt + 1, 10)));
      index.reset();
    } catch (const node::ShardChanged&) {
      // A node committed during the search: again, on its new revision; a
      // node indexing batch after batch, as a local indexer, for a while.
      if (std::chrono::steady_clock::now() > give_up) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * std::min(attempt + 1, 10)));
      index.reset();
    } catch (const Xapian::DatabaseCorruptError&) {
      // Xapian 1.4's glass backend can also report a block that a writer
      // committing meanwhile has reused as corrupt: a damaged index stays
      // damaged at the new revision, so only a few retries.
      if (++corrupt_retries > kCorruptRetries) throw;
      index.reset();
    } catch (const Xapian::NetworkError&) {
      // A node went away (or closed an idle connection): opening the
      // cluster again names a node that is down, or leaves it out.
      if (node_retried) throw;
      node_retried = true;
      index.reset();
    } catch (const node::NodeError&) {
      if (node_retried || !args.partial) throw;
      node_retried = true;
      index.reset();
    }
  }
  results.missing_nodes = index->missing_nodes();
  if (!results.missing_nodes.empty()) {
    print_error(fmt::format("searched without {} (not answering): results are partial",
                            fmt::join(results.missing_nodes, ", ")));
  }
  const OutputFormat format = args.json ? OutputFormat::json : output_format_named(args.format);
  // A name that matched several entities, the most mentioned taken: say which.
  for (const ResolvedFilter& f : results.filters) {
    if (!f.choice.empty()) print_error(fmt::format("{}: {}", f.field, f.choice));
  }
  make_printer(global, format)->search_results(results);
  if (results.time_limited) {
    fmt::print(stderr, "folio: the search took more than {}s: it stopped counting, so totals are estimates\n",
               request.time_limit);
  }
  return results.total + results.relaxed_total > 0 ? kExitFound : kExitNotFound;
}

}  // namespace

void add_search_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SearchArgs>();
  CLI::App* sub = app.add_subcommand(
      "search",
      "Search the index; print the best sections first. The sections with every QUERY word "
      "come first; when they are fewer than --limit and there are three words or more "
      "(stopwords aside), the sections with most of the words follow. "
      "Syntax: \"a phrase\", AND, OR, NOT, +must, -mustnot, wildcard*, title:word, "
      "heading:word, author:\"Jane Doe\", person:\"Qin Gang\", place:taiwan, "
      "date:2023-06..2023-07 (also date:2023, date:..2023-06-18, date:2023-06-01..). "
      "A QUERY may be left out when a filter is given.");
  sub->add_option("QUERY", args->words, "Query words (quote phrases for the shell)");
  add_filter_options(*sub, args->filters);
  auto* facets = sub->add_option_group("Facets");
  facets
      ->add_option("--facet", args->facets,
                   fmt::format("Count the values of fields over all matches: {} (with :N for "
                               "the top N, default 10) and date (date:year, date:month, "
                               "date:day); comma-separated or repeated",
                               facet_counted_list()))
      ->delimiter(',')
      ->type_name("FIELD")
      ->allow_extra_args(false);
  facets->add_option("--facet-by", args->facet_by, "Count sections or articles")
      ->check(CLI::IsMember({"section", "article"}))
      ->capture_default_str();
  facets->add_flag("--disjunctive", args->disjunctive,
                   "A facet of a filtered field is counted without that field's filter, "
                   "so it shows the other values too");
  auto* matching = sub->add_option_group("Matching");
  auto* all = matching->add_flag("--all", args->all,
                                 "Only the sections with every word (no relaxed hits), for scripts");
  matching
      ->add_flag("--any", args->any,
                 "Rank every section with any of the words (stopwords dropped, with "
                 "pseudo-relevance feedback); AND, OR, NOT in an all-caps query are words")
      ->excludes(all);
  matching
      ->add_option(
          "--time-limit", args->time_limit,
          "Stop counting matches after this many seconds (0: never; at most 3600): the hits are still the "
          "best, the totals become estimates (time_limited in JSON)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  auto* output = sub->add_option_group("Output");
  output->add_flag("--by-article", args->by_article,
                   "One hit per article: its best section, with the others counted");
  output->add_option("--sort", args->sort, "relevance, date (oldest first) or -date (newest first)")
      ->check(CLI::IsMember({"relevance", "date", "-date"}))
      ->capture_default_str();
  output->add_option("-n,--limit", args->limit, "Show at most this many hits")->capture_default_str();
  output->add_option("--offset", args->offset, "Skip this many hits first")->capture_default_str();
  output->add_option("--format", args->format, output_format_help())
      ->check(CLI::IsMember(output_format_names()))
      ->capture_default_str();
  sub->add_flag("--partial", args->partial,
                "With a cluster index (`folio join`): search the nodes that answer and say which did not, "
                "rather than fail");
  // A flag with an optional value: `--histogram` alone never takes the
  // next word (a query word) as its value; `--histogram=month` does.
  output
      ->add_flag("--histogram{auto}", args->histogram,
                 "After the hits, the matching sections (with every word, all of them, not only "
                 "those shown) per year, month or day as a bar chart, with the undated ones; "
                 "--histogram=year|month|day, else chosen from the span of the dates")
      ->check(CLI::IsMember({"auto", "year", "month", "day"}));
  output->add_flag("--no-dedupe", args->no_dedupe,
                   "Show every copy of an article (the same title and text in another file) as "
                   "a hit of its own; by default copies are one hit, \"(+N copies)\"");
  output->add_flag("--json", args->json, "Same as --format json: one JSON document (docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_search(ctx.global, *args); }; });
}

}  // namespace folio::cli
