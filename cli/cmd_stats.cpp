// folio stats: what the index holds.
#include "command.hpp"
#include "folio/database.hpp"
#include "folio/search.hpp"

namespace folio::cli {

void add_stats_command(CLI::App& app, Context& ctx) {
  auto json = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("stats",
                                     "Print the number of articles and sections, the date span, the "
                                     "size and the schema version of the index.");
  sub->add_flag("--json", *json, "Print JSON (format: docs/json-format.md)");
  sub->callback([&ctx, json] {
    ctx.run = [&ctx, json] {
      const std::filesystem::path dir = database_dir(ctx.global);
      const Index index = open_for_reading(dir);
      make_printer(ctx.global, *json)->stats(index_stats(index));
      return kExitFound;
    };
  });
}

}  // namespace folio::cli
