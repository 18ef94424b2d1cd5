// folio __complete: what the shell completions (completions/) offer, read
// from the same option table the parser uses, so that a new subcommand,
// option or option value is completed without touching the scripts.
// Hidden from --help; its output is one candidate a line, "WORD\tDESCRIPTION".
//
//   folio __complete -- commands             the subcommands
//   folio __complete -- options CMD          CMD's options and the global ones
//   folio __complete -- values CMD OPT [PREFIX]   the values OPT takes: a fixed
//                                         set (--format, --sort, --color...),
//                                         facet fields, or the ids of the
//                                         people, places or organisations
//                                         in the index (as the entities
//                                         file makes them);
//                                         exits 1 when OPT takes no value
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"

namespace folio::cli {
namespace {

// Help text on one line, for a completion menu.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  constexpr std::size_t kMax = 80;
  if (text.size() > kMax) {
    std::size_t cut = text.rfind(' ', kMax);
    if (cut == std::string::npos || cut < kMax / 2) cut = kMax;
    text = text.substr(0, cut) + "...";
  }
  return text;
}

// An app's options, with those of its option groups (CLI11 keeps a group's
// options in an unnamed child App).
void collect_options(CLI::App& app, std::vector<CLI::Option*>& out) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->nonpositional()) out.push_back(opt);
  }
  for (CLI::App* group : app.get_subcommands({})) {
    if (group->get_name().empty()) collect_options(*group, out);
  }
}

// Each name once: an option group repeats its parent's --help.
void print_options(CLI::App& app, std::set<std::string>& printed) {
  std::vector<CLI::Option*> options;
  collect_options(app, options);
  for (CLI::Option* opt : options) {
    const std::string help = one_line(opt->get_description());
    for (const std::string& name : opt->get_lnames()) {
      if (printed.insert("--" + name).second) fmt::print("--{}\t{}\n", name, help);
    }
    for (const std::string& name : opt->get_snames()) {
      if (printed.insert("-" + name).second) fmt::print("-{}\t{}\n", name, help);
    }
  }
}

CLI::Option* find_option(CLI::App& app, const std::string& name) {
  std::vector<CLI::Option*> options;
  collect_options(app, options);
  for (CLI::Option* opt : options) {
    if (opt->check_name(name)) return opt;
  }
  return nullptr;
}

// The values a CLI::IsMember check lists: its description is "{a,b,c}".
std::vector<std::string> member_values(CLI::Option& opt) {
  std::vector<std::string> values;
  for (int i = 0;; ++i) {
    const CLI::Validator* check = nullptr;
    try {
      check = opt.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    const std::string text = check->get_description();
    const std::size_t open = text.find('{');
    const std::size_t close = text.find('}', open);
    if (open == std::string::npos || close == std::string::npos) continue;
    std::string list = text.substr(open + 1, close - open - 1);
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      if (comma > start) values.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return values;
}

// The ids of the index's entities of `type` that start with `prefix`, as
// the entities file makes them: a suppressed one is not offered, a merged
// one is the one it is merged into, a renamed one has its new name.
void print_entities(const GlobalOptions& global, schema::Field type, const std::string& prefix) {
  const Index index = open_for_reading(database_dir(global));
  Curation curation;
  try {
    curation = load_curation(global);
  } catch (const Error&) {
    // A bad entities file: `folio search` says so; complete as indexed.
  }
  std::map<std::string, std::string> offered;  // id -> name
  for (schema::EntityRecord& e : index.entities(type)) {
    const std::optional<std::string> into = curation.merged_into(type, e.id);
    if (curation.suppressed(type, e.id) || (into && curation.suppressed(type, *into))) continue;
    if (into) {
      if (offered.count(*into) != 0) continue;
      std::optional<schema::EntityRecord> target = index.entity(type, *into);
      e = target ? std::move(*target) : schema::EntityRecord{type, *into, *into, {}, e.kind, e.country};
    }
    curation.apply(e);
    if (e.id.starts_with(prefix)) offered.emplace(e.id, e.name);
  }
  for (const auto& [id, name] : offered) fmt::print("{}\t{}\n", id, one_line(name));
}

int print_values(const GlobalOptions& global, CLI::App& cmd, const std::string& option,
                 const std::string& prefix) {
  if (option == "--person" || option == "--place" || option == "--org") {
    const schema::Field type = *schema::field_named(option.substr(2));
    // No index yet, or one being rebuilt: nothing to offer, no error.
    try {
      print_entities(global, type, prefix);
    } catch (const std::exception&) {
    }
    return kExitFound;
  }
  if (option == "--facet") {
    for (const char* field :
         {"person", "place", "org", "country", "author", "date", "date:year", "date:month", "date:day"}) {
      if (std::string_view(field).starts_with(prefix)) fmt::print("{}\n", field);
    }
    return kExitFound;
  }
  CLI::Option* opt = find_option(cmd, option);
  if (opt == nullptr && cmd.get_parent() != nullptr) opt = find_option(*cmd.get_parent(), option);
  // A flag, or no such option: the word after it is not its value.
  if (opt == nullptr || opt->get_items_expected_max() == 0) return kExitNotFound;
  for (const std::string& value : member_values(*opt)) {
    if (value.starts_with(prefix)) fmt::print("{}\n", value);
  }
  return kExitFound;
}

int run_complete(CLI::App& root, const GlobalOptions& global, const std::vector<std::string>& words) {
  if (words.empty()) return kExitError;
  if (words[0] == "commands") {
    for (CLI::App* sub : root.get_subcommands({})) {
      if (sub->get_name().empty() || sub->get_group().empty()) continue;
      fmt::print("{}\t{}\n", sub->get_name(), one_line(sub->get_description()));
    }
    return kExitFound;
  }
  if (words.size() < 2) return kExitError;
  CLI::App* cmd = nullptr;
  try {
    cmd = root.get_subcommand(words[1]);
  } catch (const CLI::OptionNotFound&) {
    cmd = &root;
  }
  if (words[0] == "options") {
    std::set<std::string> printed;
    if (cmd != &root) print_options(*cmd, printed);
    print_options(root, printed);
    return kExitFound;
  }
  if (words[0] == "values" && words.size() >= 3) {
    return print_values(global, *cmd, words[2], words.size() > 3 ? words[3] : "");
  }
  return kExitError;
}

}  // namespace

void add_complete_command(CLI::App& app, Context& ctx) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* sub = app.add_subcommand("__complete", "Candidates for the shell completions");
  sub->group("");  // hidden
  // The scripts pass "--" first: the words after it may look like options.
  sub->add_option("WORDS", *words, "commands | options CMD | values CMD OPTION [PREFIX]");
  sub->callback([&app, &ctx, words] {
    ctx.run = [&app, &ctx, words] { return run_complete(app, ctx.global, *words); };
  });
}

}  // namespace folio::cli
