#include "config.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "command.hpp"
#include "folio/error.hpp"

namespace folio::cli {
namespace fs = std::filesystem;

namespace {

// CLI11 reads sections and keys; it does not say on which line. Replays its
// reading of the lines (ConfigBase::from_config: "[section]" headers,
// "key = value" lines, '#' and ';' comments) to find them.
std::map<std::string, std::size_t> setting_lines(const std::string& text) {
  std::map<std::string, std::size_t> lines;
  std::istringstream in(text);
  std::string line;
  std::string section;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    CLI::detail::trim(line);
    if (line.size() < 3 || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      if (section.size() > 1 && section.front() == '[' && section.back() == ']') {
        section = section.substr(1, section.size() - 2);
      }
      lines.emplace(section, number);
      continue;
    }
    std::string name = CLI::detail::trim_copy(line.substr(0, line.find('=')));
    CLI::detail::remove_quotes(name);
    lines.emplace(section.empty() ? name : section + "." + name, number);
  }
  return lines;
}

// The option a config key names in `app`, as CLI11 looks it up.
const CLI::Option* option_named(const CLI::App& app, const std::string& name) {
  const CLI::Option* op = app.get_option_no_throw("--" + name);
  if (op == nullptr && name.size() == 1) op = app.get_option_no_throw("-" + name);
  return op;
}

const CLI::App* subcommand_named(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

bool is_flag(const CLI::Option& op) { return op.get_expected_min() == 0; }

// The value of a flag as written: true or false.
bool flag_value(const std::vector<std::string>& inputs, const std::string& where, const std::string& key) {
  if (inputs.size() == 1 && (inputs[0] == "true" || inputs[0] == "1")) return true;
  if (inputs.size() == 1 && (inputs[0] == "false" || inputs[0] == "0")) return false;
  throw Error(fmt::format("{}: '{}' is a flag: give true or false", where, key));
}

// Checks a setting of `[section]` (or the top level, when `command` is
// the app itself) against the options of `command`.
void check_setting(const CLI::App& command, const CLI::ConfigItem& item, const std::string& where) {
  const CLI::Option* op = option_named(command, item.name);
  if (op == nullptr || !op->get_configurable() || op->get_name() == "--config" ||
      op->get_name() == "--no-config") {
    const std::string scope =
        command.get_parent() == nullptr ? "at the top level" : fmt::format("in [{}]", command.get_name());
    throw Error(fmt::format(
        "{}: '{}' is not a setting {} (the settings are the long options of `folio {}--help`)", where,
        item.name, scope, command.get_parent() == nullptr ? "" : command.get_name() + " "));
  }
  if (is_flag(*op)) flag_value(item.inputs, where, item.name);
}

// A key of a [saved.NAME] table: `query`, or an option of `folio search`.
void add_saved_setting(const CLI::App& search, const CLI::ConfigItem& item, const std::string& where,
                       SavedSearch& saved) {
  if (item.name == "query") {
    if (item.inputs.size() != 1) throw Error(fmt::format("{}: query is one string", where));
    saved.query = item.inputs.front();
    return;
  }
  const CLI::Option* op = option_named(search, item.name);
  if (op == nullptr || !op->get_configurable() || op->get_positional()) {
    throw Error(
        fmt::format("{}: '{}' is not an option of folio search (a saved search has `query` and "
                    "the long options of `folio search --help`)",
                    where, item.name));
  }
  const std::string flag = "--" + item.name;
  if (is_flag(*op)) {
    if (flag_value(item.inputs, where, item.name)) saved.flags.push_back(flag);
    return;
  }
  for (const std::string& value : item.inputs) {
    saved.flags.push_back(flag);
    saved.flags.push_back(value);
  }
}

// The file the arguments, the environment or the default choose.
void choose_file(const std::vector<std::string>& args, ConfigFile& config) {
  bool no_config = false;
  std::string given;
  for (std::size_t i = 1; i < args.size() && args[i] != "--"; ++i) {
    if (args[i] == "--no-config") no_config = true;
    if (args[i] == "--config" && i + 1 < args.size()) given = args[i + 1];
    if (args[i].starts_with("--config=")) given = args[i].substr(9);
  }
  if (no_config) {
    if (!given.empty()) throw Error("--config and --no-config contradict each other: give one");
    config.chosen_by = "--no-config";
    return;
  }
  const std::string from_env = env("FOLIO_CONFIG");
  config.chosen_by = !given.empty() ? "--config" : !from_env.empty() ? "FOLIO_CONFIG" : "default";
  config.path = !given.empty()      ? fs::path(given)
                : !from_env.empty() ? fs::path(from_env)
                                    : config_home() / "config";
  if (const std::string entities = env("FOLIO_ENTITIES"); !entities.empty()) {
    config.entities = entities;
  } else if (!config_home().empty()) {
    config.entities = config_home() / "entities";
  }
  std::error_code ec;
  if (config.chosen_by == "default" && (config_home().empty() || !fs::exists(config.path, ec))) {
    config.path.clear();
  }
}

}  // namespace

std::string ConfigFile::where(const std::string& fullname) const {
  const auto it = lines.find(fullname);
  return it == lines.end() ? path.string() : fmt::format("{}:{}", path.string(), it->second);
}

fs::path config_home() {
  if (const std::string xdg = env("XDG_CONFIG_HOME"); !xdg.empty()) return fs::path(xdg) / "folio";
  if (const std::string home = env("HOME"); !home.empty()) return fs::path(home) / ".config" / "folio";
  return {};
}

ConfigFile load_config(const CLI::App& app, const std::vector<std::string>& args) {
  ConfigFile config;
  choose_file(args, config);
  if (config.path.empty()) return config;
  std::ifstream in(config.path);
  std::error_code ec;
  if (!in || fs::is_directory(config.path, ec)) {
    throw Error(fmt::format("cannot read the config file {} (given by {})", config.path.string(),
                            config.chosen_by == "default" ? "default" : config.chosen_by));
  }
  std::ostringstream text;
  text << in.rdbuf();
  config.lines = setting_lines(text.str());
  std::istringstream parse(text.str());
  config.items = CLI::ConfigTOML().from_config(parse);

  const CLI::App* search = subcommand_named(app, "search");
  for (const CLI::ConfigItem& item : config.items) {
    const bool section_mark = item.name == "++" || item.name == "--";
    const std::string fullname = section_mark ? CLI::detail::join(item.parents, ".") : item.fullname();
    const std::string where = config.where(fullname);
    if (item.parents.empty()) {
      if (!section_mark) check_setting(app, item, where);
      continue;
    }
    const std::string& top = item.parents.front();
    if (top == "saved") {
      if (item.parents.size() == 1 && section_mark) continue;
      if (item.parents.size() != 2) {
        throw Error(
            fmt::format("{}: a saved search is a table: [saved.NAME] with query = \"...\" and "
                        "options of folio search",
                        where));
      }
      SavedSearch& saved = config.saved[item.parents[1]];
      if (saved.name.empty()) {
        saved.name = item.parents[1];
        saved.line =
            config.lines.count("saved." + saved.name) != 0 ? config.lines.at("saved." + saved.name) : 0;
      }
      if (!section_mark) add_saved_setting(*search, item, where, saved);
      continue;
    }
    const CLI::App* command = subcommand_named(app, top);
    if (command == nullptr || top.starts_with("__") || item.parents.size() > 1) {
      throw Error(
          fmt::format("{}: [{}] is not a section: the sections are folio's commands and "
                      "[saved.NAME]",
                      where, CLI::detail::join(item.parents, ".")));
    }
    if (!section_mark) check_setting(*command, item, where);
  }
  return config;
}

}  // namespace folio::cli
