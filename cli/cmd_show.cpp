// folio show ID...: sections, or every section of articles, in full.
#include <iostream>
#include <optional>
#include <sstream>

#include "command.hpp"
#include "folio/curation.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

struct ShowArgs {
  std::vector<std::string> ids;
  bool json = false;
};

// The ids to show: as given, with "-" replaced by the words read from
// stdin (one id a line, as `--format ids` prints them).
std::vector<std::string> ids_to_show(const std::vector<std::string>& given) {
  std::vector<std::string> ids;
  bool read_stdin = false;
  for (const std::string& id : given) {
    if (id != "-") {
      ids.push_back(id);
      continue;
    }
    if (read_stdin) continue;  // stdin is read once
    read_stdin = true;
    std::string line;
    while (std::getline(std::cin, line)) {
      std::istringstream words(line);
      for (std::string word; words >> word;) ids.push_back(word);
    }
  }
  return ids;
}

int run_show(const GlobalOptions& global, const ShowArgs& args) {
  const Index index = open_for_reading(database_dir(global));
  const std::vector<std::string> ids = ids_to_show(args.ids);
  if (ids.empty()) throw Error("no id to show: give IDs, or '-' and ids on stdin");
  // As searches show them: the entities file's merges, names and
  // suppressions (the index has them from its last run; the file may be newer).
  const Curation curation = load_curation(global);
  const Curation::Lookup lookup = [&index](schema::Field type, const std::string& id) {
    return index.entity(type, id);
  };
  std::vector<ShownSection> shown;
  bool missing = false;
  for (const std::string& id : ids) {
    std::vector<schema::SectionData> sections;
    try {
      sections = find_sections(index.db(), id);
    } catch (const Error& e) {
      print_error(e.what());
      missing = true;
      continue;
    }
    const std::optional<schema::SectionRef> section = schema::parse_section_id(id);
    const std::string article_id = section ? section->article_id : id;
    for (schema::SectionData& s : sections) {
      curation.apply(s, lookup);
      std::string section_id = schema::section_id(article_id, s.index);
      shown.push_back({std::move(section_id), std::move(s)});
    }
  }
  if (!shown.empty()) make_printer(global, args.json)->sections(shown);
  return missing ? kExitNotFound : kExitFound;
}

}  // namespace

void add_show_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* sub = app.add_subcommand(
      "show",
      "Print sections in full with their metadata. Each ID is a section id from `folio search` "
      "(ARTICLE-N), or an article id (ARTICLE) for all its sections; '-' reads ids from stdin, "
      "one a line (folio search ... --format ids | folio show -). Exits 1 when an id is not "
      "in the index (the others are printed).");
  sub->add_option("ID", args->ids, "Section or article ids, or - for stdin")->required();
  sub->add_flag("--json", args->json, "Print JSON (format: docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_show(ctx.global, *args); }; });
}

}  // namespace folio::cli
