// folio extract FILE...: what the indexer sees in files, without indexing.
#include <fmt/format.h>

#include "command.hpp"
#include "folio/error.hpp"
#include "folio/ingest.hpp"

namespace folio::cli {
namespace {

struct ExtractArgs {
  std::vector<std::string> files;
  bool json = false;
};

int run_extract(const GlobalOptions& global, const ExtractArgs& args) {
  const ArticleReader reader = load_article_reader();
  const auto printer = make_printer(global, args.json);
  int status = kExitFound;
  for (const std::string& file : args.files) {
    try {
      const auto path = std::filesystem::absolute(file).lexically_normal();
      const Article article = reader.read(path);
      if (!article.warning.empty()) print_error(fmt::format("{}: {}", file, article.warning));
      printer->extracted(article);
    } catch (const Error& e) {
      print_error(fmt::format("cannot extract {}: {}", file, e.what()));
      status = kExitError;
    }
  }
  return status;
}

}  // namespace

void add_extract_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* sub =
      app.add_subcommand("extract",
                         "Show what the indexer sees in each FILE (title, authors, date, sections "
                         "with their headings, start lines, people and places) without indexing it.");
  sub->add_option("FILE", args->files, "Article files")->required();
  sub->add_flag("--json", args->json, "Print one JSON document per file (format: docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_extract(ctx.global, *args); }; });
}

}  // namespace folio::cli
