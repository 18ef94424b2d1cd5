// Finding the article files under the folders given to `folio index`.
// Private to indexer/.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "folio/ingest.hpp"

namespace folio::walk {

// One line of a .folioignore file or one --exclude pattern (gitignore
// syntax: "*.log", "/drafts", "tmp/", "!keep.txt", "a/**/b").
struct IgnoreRule {
  std::string pattern;
  std::filesystem::path base;  // folder the pattern is relative to
  bool negate = false;         // "!pattern" re-includes
  bool dir_only = false;       // "pattern/" matches folders only
  bool anchored = false;       // contains '/': matched against the path from base
};

// Parses one pattern; returns false for blank lines and comments.
bool parse_ignore_rule(std::string_view line, const std::filesystem::path& base, IgnoreRule& rule);

// Whether the last rule matching `path` excludes it. Patterns match as in
// gitignore: an unanchored one the file name, an anchored one the path from
// its base, where `*`, `?` and `[...]` stay within one component and a `**`
// component spans any number of them.
bool is_ignored(const std::filesystem::path& path, bool is_dir, const std::vector<IgnoreRule>& rules);

// The paths of the article files (is_article_file_name) under `roots`,
// sorted. Hidden
// files and folders are skipped, and so is what `excludes` or a
// .folioignore in a folder (for that folder and below) matches. A root that
// is a file is listed whatever its name. Folders behind symbolic links are
// not followed. Unreadable folders and file names that are not UTF-8 are
// reported through `skip`. Throws folio::Error for a root that does not exist.
std::vector<std::string> list_article_files(const std::vector<std::filesystem::path>& roots,
                                            const std::vector<std::string>& excludes,
                                            const std::function<void(const SkippedFile&)>& skip);

}  // namespace folio::walk
