// The user's configuration file ($XDG_CONFIG_HOME/folio/config): defaults
// for any option, read with CLI11's TOML support, and saved searches.
// Format: docs/config.md.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace folio::cli {

// `folio search @NAME`: a [saved.NAME] table of the config file.
struct SavedSearch {
  std::string name;
  std::string query;               // its `query` key; may be empty
  std::vector<std::string> flags;  // the other keys as `folio search` flags: "--since", "2023"
  std::size_t line = 0;            // of its [saved.NAME] header
};

// Where the configuration file is and what it holds.
struct ConfigFile {
  // The file read, or "" when none is (--no-config, or the default file
  // does not exist).
  std::filesystem::path path;
  // How `path` was chosen: "--config", "FOLIO_CONFIG", "default" or
  // "--no-config".
  std::string chosen_by;
  std::vector<CLI::ConfigItem> items;        // as CLI11 reads them
  std::map<std::string, std::size_t> lines;  // "search.limit" -> its line
  std::map<std::string, SavedSearch> saved;  // by name
  // The entities file (docs/config.md): $FOLIO_ENTITIES, else
  // config_home()/entities; "" with --no-config.
  std::filesystem::path entities;

  // "FILE:LINE" of a setting (CLI11's full name: "search.limit", "db").
  std::string where(const std::string& fullname) const;
};

// $XDG_CONFIG_HOME/folio, else ~/.config/folio; "" when neither HOME nor
// XDG_CONFIG_HOME is set.
std::filesystem::path config_home();

// Chooses the configuration file from the arguments (`--config FILE`,
// `--no-config`, looked for among the global options before the command),
// else $FOLIO_CONFIG, else config_home()/config, and reads it. Checks every
// section and key against `app`'s commands and options. Throws folio::Error
// "FILE:LINE: ..." for a setting folio does not have, a malformed saved
// search, or a --config FILE that cannot be read.
ConfigFile load_config(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace folio::cli
