// folio config: the settings in effect, in the config file's own format,
// each with where it came from.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "command.hpp"
#include "config.hpp"
#include "folio/curation.hpp"

namespace folio::cli {
namespace {

namespace fs = std::filesystem;

// A TOML value: numbers and booleans bare, text quoted, lists in [].
std::string toml_value(const std::vector<std::string>& values, bool list) {
  auto one = [](const std::string& v) {
    const bool bare =
        v == "true" || v == "false" || (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        }));
    if (bare) return v;
    std::string quoted = "\"";
    for (char c : v) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\"";
  };
  if (!list && values.size() == 1) return one(values.front());
  std::string out = "[";
  for (const std::string& v : values) out += fmt::format("{}{}", out.size() > 1 ? ", " : "", one(v));
  return out + "]";
}

struct Setting {
  std::string key;
  std::string value;
  std::string source;
};

void print_settings(const std::vector<Setting>& settings) {
  std::size_t width = 0;
  for (const Setting& s : settings) width = std::max(width, s.key.size() + s.value.size() + 3);
  width = std::min<std::size_t>(width, 48);
  for (const Setting& s : settings) {
    const std::string line = fmt::format("{} = {}", s.key, s.value);
    fmt::print("{:<{}}  # {}\n", line, width, s.source);
  }
}

// The options of `command` and of its option groups.
void collect_options(const CLI::App& command, std::vector<const CLI::Option*>& out) {
  for (const CLI::Option* op : command.get_options()) out.push_back(op);
  for (const CLI::App* group : command.get_subcommands({})) {
    if (group->get_name().empty()) collect_options(*group, out);
  }
}

bool given(const Context& ctx, const std::string& name) {
  for (std::size_t i = 1; i < ctx.command_line.size() && ctx.command_line[i] != "--"; ++i) {
    if (ctx.command_line[i] == name || ctx.command_line[i].starts_with(name + "=")) return true;
  }
  return false;
}

// The settings of one command (`section` "" for the global options).
std::vector<Setting> settings_of(const Context& ctx, const CLI::App& command, const std::string& section) {
  std::vector<const CLI::Option*> options;
  collect_options(command, options);
  std::vector<Setting> out;
  for (const CLI::Option* op : options) {
    if (op->get_lnames().empty() || !op->get_configurable()) continue;
    const std::string key = op->get_lnames().front();
    if (key == "help" || key == "version" || key == "config" || key == "no-config") continue;
    const bool list = op->get_items_expected_max() > 1;
    const std::string fullname = section.empty() ? key : section + "." + key;
    Setting setting{key, "", ""};
    const auto item =
        std::find_if(ctx.config.items.begin(), ctx.config.items.end(), [&](const CLI::ConfigItem& i) {
          return i.fullname() == fullname ||
                 (op->get_snames().size() == 1 &&
                  i.fullname() == (section.empty() ? "" : section + ".") + op->get_snames().front());
        });
    if (section.empty() && key == "color" && !given(ctx, "--color") && item == ctx.config.items.end()) {
      setting.value = toml_value({ctx.global.color}, false);
      setting.source = "default";
    } else if (section.empty() && key == "db") {
      std::string source;
      setting.value = toml_value({database_dir(ctx.global, &source).string()}, false);
      setting.source = source == "config" ? ctx.config.where(fullname) : source;
    } else if (section.empty() && given(ctx, "--" + key)) {
      setting.value = toml_value(op->results(), list);
      setting.source = "command line";
    } else if (item != ctx.config.items.end()) {
      setting.value = toml_value(item->inputs, list);
      setting.source = ctx.config.where(item->fullname());
    } else if (!op->get_default_str().empty()) {
      setting.value = toml_value({op->get_default_str()}, list);
      setting.source = "default";
    } else if (op->get_expected_min() == 0) {
      setting.value = "false";
      setting.source = "default";
    } else {
      continue;  // no default: unset
    }
    out.push_back(std::move(setting));
  }
  return out;
}

int run_config(const Context& ctx, const CLI::App& app) {
  const ConfigFile& config = ctx.config;
  if (config.path.empty()) {
    fmt::print("# config file: none ({})\n",
               config.chosen_by == "--no-config"
                   ? "--no-config"
                   : fmt::format("{} does not exist", (config_home() / "config").string()));
  } else {
    fmt::print("# config file: {} ({})\n", config.path.string(),
               config.chosen_by == "default" ? "the default" : "from " + config.chosen_by);
  }
  if (ctx.global.entities.empty()) {
    fmt::print("# entities file: none (--no-config)\n");
  } else {
    std::error_code ec;
    const Curation curation = load_curation(ctx.global);
    fmt::print("# entities file: {} ({})\n", ctx.global.entities.string(),
               fs::exists(ctx.global.entities, ec) ? fmt::format("{} rules", curation.user_rules())
                                                   : "does not exist");
  }
  fmt::print(
      "# Options without a default and not set are left out; any long option of\n"
      "# `folio COMMAND --help` can be set in [COMMAND] (docs/config.md).\n");
  print_settings(settings_of(ctx, app, ""));
  for (const CLI::App* command : app.get_subcommands({})) {
    const std::string& name = command->get_name();
    if (name.empty() || name.starts_with("__") || name == "config") continue;
    const std::vector<Setting> settings = settings_of(ctx, *command, name);
    if (settings.empty()) continue;
    fmt::print("\n[{}]\n", name);
    print_settings(settings);
  }
  for (const auto& [name, saved] : config.saved) {
    fmt::print("\n[saved.{}]  # {}:{}\n", name, config.path.string(), saved.line);
    if (!saved.query.empty()) fmt::print("query = {}\n", toml_value({saved.query}, false));
    // The flags back as keys: "--place a --place b" is place = ["a", "b"].
    std::vector<std::pair<std::string, std::vector<std::string>>> keys;
    const CLI::App* search = app.get_subcommand("search");
    for (std::size_t i = 0; i < saved.flags.size(); ++i) {
      const std::string key = saved.flags[i].substr(2);
      const CLI::Option* op = search->get_option_no_throw(saved.flags[i]);
      const bool has_value = op != nullptr && op->get_expected_min() > 0 && i + 1 < saved.flags.size();
      if (keys.empty() || keys.back().first != key) keys.emplace_back(key, std::vector<std::string>());
      keys.back().second.push_back(has_value ? saved.flags[++i] : "true");
    }
    for (const auto& [key, values] : keys) {
      const CLI::Option* op = search->get_option_no_throw("--" + key);
      fmt::print("{} = {}\n", key, toml_value(values, op != nullptr && op->get_items_expected_max() > 1));
    }
  }
  return kExitFound;
}

}  // namespace

void add_config_command(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "config",
      "Print the settings in effect, in the config file's format, each with where it came from: "
      "default, the config file (FILE:LINE), the environment or the command line; then the saved "
      "searches. The config file is --config FILE, else $FOLIO_CONFIG, else "
      "$XDG_CONFIG_HOME/folio/config (docs/config.md).");
  sub->callback([&ctx, &app] { ctx.run = [&ctx, &app] { return run_config(ctx, app); }; });
}

}  // namespace folio::cli
