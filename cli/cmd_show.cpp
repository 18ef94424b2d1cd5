// folio show ID: one section, or every section of an article, in full.
#include <optional>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

struct ShowArgs {
  std::string id;
  bool json = false;
};

int run_show(const GlobalOptions& global, const ShowArgs& args) {
  const Index index = open_for_reading(database_dir(global));
  std::vector<schema::SectionData> sections;
  try {
    sections = find_sections(index.db(), args.id);
  } catch (const Error& e) {
    print_error(e.what());
    return kExitNotFound;
  }
  const std::optional<schema::SectionRef> section = schema::parse_section_id(args.id);
  const std::string article_id = section ? section->article_id : args.id;
  make_printer(global, args.json)->sections(sections, article_id);
  return kExitFound;
}

}  // namespace

void add_show_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* sub =
      app.add_subcommand("show",
                         "Print a section in full with its metadata. ID is a section id from "
                         "`folio search` (ARTICLE-N), or an article id (ARTICLE) for all its sections.");
  sub->add_option("ID", args->id, "Section or article id")->required();
  sub->add_flag("--json", args->json, "Print JSON (format: docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_show(ctx.global, *args); }; });
}

}  // namespace folio::cli
