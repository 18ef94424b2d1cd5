// folio similar ID: the sections most like one, ranked.
#include <fmt/format.h>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

struct SimilarArgs {
  std::string id;
  FilterArgs filters;
  bool by_article = false;
  unsigned limit = 10;
  unsigned offset = 0;
  bool json = false;
  std::string format = "text";
  std::string histogram;
  bool no_dedupe = false;
};

int run_similar(const GlobalOptions& global, const SimilarArgs& args) {
  if (args.json && args.format != "text" && args.format != "json") {
    throw Error(fmt::format("--json and --format {} contradict each other: give one", args.format));
  }
  SearchRequest request;
  args.filters.apply_to(request);
  request.by_article = args.by_article;
  request.limit = args.limit;
  request.offset = args.offset;
  request.dedupe = !args.no_dedupe;
  request.histogram = !args.histogram.empty();
  if (request.histogram && args.histogram != "auto") {
    request.histogram_granularity = parse_facet_spec("date:" + args.histogram).granularity;
  }
  const Index index = open_for_reading(database_dir(global));
  SearchResults results;
  try {
    results = similar(index, args.id, request);
  } catch (const Error& e) {
    // An unknown id is "not found"; a bad filter is an error.
    if (std::string_view(e.what()).starts_with("no section")) {
      print_error(e.what());
      return kExitNotFound;
    }
    throw;
  }
  const OutputFormat format = args.json ? OutputFormat::json : output_format_named(args.format);
  make_printer(global, format)->search_results(results);
  return results.total > 0 ? kExitFound : kExitNotFound;
}

}  // namespace

void add_similar_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SimilarArgs>();
  CLI::App* sub = app.add_subcommand(
      "similar",
      fmt::format("The sections most like one, best first: the {} words that best tell the section "
                  "apart from the rest of the index (Xapian's relevance feedback), searched for. Its own "
                  "article and its copies are left out. ID is a section id (ARTICLE-N) or an article "
                  "id (its lead).",
                  kSimilarTerms));
  sub->add_option("ID", args->id, "Section or article id")->required();
  add_filter_options(*sub, args->filters);
  auto* output = sub->add_option_group("Output");
  output->add_flag("--by-article", args->by_article, "One hit per article: its best section");
  output->add_option("-n,--limit", args->limit, "Show at most this many hits")->capture_default_str();
  output->add_option("--offset", args->offset, "Skip this many hits first")->capture_default_str();
  output->add_option("--format", args->format, "As folio search: " + output_format_help())
      ->check(CLI::IsMember(output_format_names()))
      ->capture_default_str();
  output->add_flag("--json", args->json, "Same as --format json (docs/json-format.md)");
  output
      ->add_flag("--histogram{auto}", args->histogram,
                 "After the hits, the similar sections per period (as folio search)")
      ->check(CLI::IsMember({"auto", "year", "month", "day"}));
  output->add_flag("--no-dedupe", args->no_dedupe, "Show every copy of an article as a hit of its own");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_similar(ctx.global, *args); }; });
}

}  // namespace folio::cli
