// Finding the article files under the folders given to `folio index`.
// Private to indexer/.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "article_reader.hpp"
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

// The same for a '/'-separated path string, without making a path of it.
bool is_ignored_path(std::string_view path, bool is_dir, const std::vector<IgnoreRule>& rules);

// A pattern that matches exactly `relative` (a path below a root, '/'
// separated) and nothing else: glob characters escaped, anchored.
std::string exact_pattern(std::string_view relative);

// A root of a walk, resolved by the caller.
struct WalkRoot {
  std::string real;                   // realpath() of the root
  std::string shown;                  // absolute, as the user gave it (links kept)
  std::vector<std::string> excludes;  // gitignore patterns relative to the root
  // When not empty, only these paths (real, at or below `real`; they need
  // not exist) are listed, as a full walk would list them: for a watch's
  // changes. Empty: the whole root.
  std::vector<std::string> within;
};

// One article file found.
struct ListedFile {
  std::string real;    // its real path: the article id is made from it
  std::string shown;   // the root's shown path + the path below it: stored and shown
  FileStat stat;       // stat(2), links followed, taken during the walk
  std::string failed;  // why it could not be stat()ed ("" when it was)
};

// The article files (is_article_file_name) under `roots`, in walk order
// (root by root, each folder's files by name, then its folders by name),
// each once (a file reached twice, through a link or two roots, is listed
// under the first path the walk met). Hidden files and folders are
// skipped, and so is what a root's excludes or a .folioignore in a folder
// (for that folder and below) matches. A root that is a file is listed
// whatever its name. Folders behind symbolic links are not followed; files
// behind them are listed under the link's path, with their real path.
// Unreadable folders, dangling links and file names that are not UTF-8 are
// reported through `skip`. Throws folio::Error for a root that does not
// exist (one with `within` may be gone: nothing is listed for it).
std::vector<ListedFile> list_files(const std::vector<WalkRoot>& roots,
                                   const std::function<void(const SkippedFile&)>& skip);

// list_files() over `roots` as given with the same `excludes` each: their
// shown paths, sorted.
std::vector<std::string> list_article_files(const std::vector<std::filesystem::path>& roots,
                                            const std::vector<std::string>& excludes,
                                            const std::function<void(const SkippedFile&)>& skip);

// The real path of `path` (realpath(3)) when it exists, else its absolute,
// lexically normal form with the longest existing prefix resolved; never a
// trailing '/'.
std::string real_path(const std::filesystem::path& path);
// `path` absolute and lexically normal, links kept, without a trailing '/'.
std::string shown_path(const std::filesystem::path& path);
// Whether `path` is `dir` or below it (string prefix at a '/').
bool is_under(std::string_view path, std::string_view dir);

}  // namespace folio::walk
