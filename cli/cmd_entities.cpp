// folio entities [NAME-FRAGMENT]: the people and places the index knows.
#include <algorithm>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/search.hpp"
#include "folio/text.hpp"

namespace folio::cli {
namespace {

struct EntitiesArgs {
  std::string fragment;
  std::string type = "all";
  std::string sort = "count";
  std::size_t limit = 0;  // 0: all
  bool json = false;
};

int run_entities(const GlobalOptions& global, const EntitiesArgs& args) {
  const Index index = open_for_reading(database_dir(global));
  EntityQuery query;
  if (args.type != "all") query.types = {*schema::field_named(args.type)};
  query.fragment = args.fragment;
  const Curation curation = load_curation(global);
  query.curation = &curation;
  std::vector<EntityCount> found = list_entities(index, query);
  if (args.sort == "name") {
    // By name as a reader looks one up: case and accents aside, then the id.
    std::stable_sort(found.begin(), found.end(), [](const EntityCount& a, const EntityCount& b) {
      const std::string fa = fold(a.record.name);
      const std::string fb = fold(b.record.name);
      return fa != fb ? fa < fb : a.record.id < b.record.id;
    });
  }
  if (args.limit > 0 && found.size() > args.limit) found.resize(args.limit);
  make_printer(global, args.json)->entities(found);
  return found.empty() ? kExitNotFound : kExitFound;
}

}  // namespace

void add_entities_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EntitiesArgs>();
  CLI::App* sub = app.add_subcommand("entities",
                                     "List the people and places mentioned in the index, most mentioned "
                                     "first, with the number of sections and articles that mention them and "
                                     "the names they appear under: how to find the right filter value.");
  sub->add_option("NAME-FRAGMENT", args->fragment,
                  "Only entities whose id, name or an alias contains this "
                  "(case and accents do not matter)");
  // The fields with registry records, then "all".
  std::vector<std::string> types;
  for (const schema::FieldInfo& field : schema::kFields) {
    if ((field.flags & schema::kRegistry) != 0) types.emplace_back(field.name);
  }
  std::string help;
  for (const std::string& type : types) help += type + ", ";
  help.resize(help.size() - 2);
  help += " or all";
  types.emplace_back("all");
  sub->add_option("--type", args->type, help)->check(CLI::IsMember(types))->capture_default_str();
  sub->add_option("--sort", args->sort,
                  "count (most mentioned first) or name (A to Z, case and accents aside)")
      ->check(CLI::IsMember({"count", "name"}))
      ->capture_default_str();
  sub->add_option("-n,--limit", args->limit, "Show at most this many (0: all)")->capture_default_str();
  sub->add_flag("--json", args->json, "Print JSON (format: docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_entities(ctx.global, *args); }; });
}

}  // namespace folio::cli
