#include "walk.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "folio/error.hpp"
#include "folio/formats.hpp"
#include "folio/text.hpp"

namespace folio::walk {
namespace fs = std::filesystem;

namespace {

constexpr const char* kIgnoreFile = ".folioignore";

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 1 && name[0] == '.';
}

std::vector<IgnoreRule> read_ignore_file(const fs::path& dir) {
  std::vector<IgnoreRule> rules;
  std::ifstream in(dir / kIgnoreFile);
  std::string line;
  while (std::getline(in, line)) {
    IgnoreRule rule;
    if (parse_ignore_rule(line, dir, rule)) rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace

bool parse_ignore_rule(std::string_view line, const fs::path& base, IgnoreRule& rule) {
  std::string_view p = trim(line);
  if (p.empty() || p.starts_with('#')) return false;
  rule = IgnoreRule{};
  rule.base = base;
  if (p.starts_with('!')) {
    rule.negate = true;
    p.remove_prefix(1);
  }
  if (p.ends_with('/')) {
    rule.dir_only = true;
    p.remove_suffix(1);
  }
  // A slash at the start or in the middle anchors the pattern to `base`.
  const bool leading_slash = p.starts_with('/');
  if (leading_slash) p.remove_prefix(1);
  rule.anchored = leading_slash || p.find('/') != std::string_view::npos;
  if (p.starts_with("**/") && p.find('/', 3) == std::string_view::npos) {
    p.remove_prefix(3);  // "**/x" is "x" at any depth: a file name
    rule.anchored = false;
  }
  rule.pattern = std::string(p);
  return !rule.pattern.empty();
}

namespace {

std::vector<std::string> split_slashes(std::string_view s) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t slash = s.find('/', start);
    parts.emplace_back(s.substr(start, slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

// gitignore's matching of an anchored pattern against a relative path,
// component by component: '*' and '?' do not cross a '/', and a "**"
// component matches any number of components, none included ("a/**/b"
// matches "a/b" and "a/x/y/b"; "a/**" everything inside a).
bool match_components(const std::vector<std::string>& pattern, std::size_t p,
                      const std::vector<std::string>& path, std::size_t i) {
  if (p == pattern.size()) return i == path.size();
  if (pattern[p] == "**") {
    for (std::size_t j = i; j <= path.size(); ++j) {
      if (match_components(pattern, p + 1, path, j)) return true;
    }
    return false;
  }
  return i < path.size() && fnmatch(pattern[p].c_str(), path[i].c_str(), 0) == 0 &&
         match_components(pattern, p + 1, path, i + 1);
}

}  // namespace

bool is_ignored(const fs::path& path, bool is_dir, const std::vector<IgnoreRule>& rules) {
  bool ignored = false;
  const std::string name = path.filename().string();
  for (const IgnoreRule& r : rules) {
    if (r.dir_only && !is_dir) continue;
    bool match = false;
    if (r.anchored) {
      const fs::path rel = path.lexically_relative(r.base);
      if (rel.empty() || *rel.begin() == "..") continue;
      match = match_components(split_slashes(r.pattern), 0, split_slashes(rel.native()), 0);
    } else {
      match = fnmatch(r.pattern.c_str(), name.c_str(), 0) == 0;
    }
    if (match) ignored = !r.negate;
  }
  return ignored;
}

std::vector<std::string> list_article_files(const std::vector<fs::path>& roots,
                                            const std::vector<std::string>& excludes,
                                            const std::function<void(const SkippedFile&)>& skip) {
  struct Pending {
    fs::path dir;
    std::shared_ptr<const std::vector<IgnoreRule>> rules;
  };
  // Strings, not fs::path: a path keeps its parsed components too, several
  // times the memory, and a folder may hold millions of files.
  std::vector<std::string> files;
  std::vector<Pending> pending;
  for (const fs::path& root : roots) {
    std::error_code ec;
    const fs::file_status st = fs::status(root, ec);
    if (fs::is_regular_file(st)) {
      files.push_back(root.native());
    } else if (fs::is_directory(st)) {
      auto rules = std::make_shared<std::vector<IgnoreRule>>();
      for (const std::string& e : excludes) {
        IgnoreRule rule;
        if (parse_ignore_rule(e, root, rule)) rules->push_back(std::move(rule));
      }
      pending.push_back({root, std::move(rules)});
    } else {
      throw Error(
          fmt::format("cannot index {}: {}", root.string(), ec ? ec.message() : "not a file or folder"));
    }
  }
  while (!pending.empty()) {
    Pending current = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(current.dir, ec);
    if (ec) {
      skip({current.dir.string(), ec.message()});
      continue;
    }
    if (fs::exists(current.dir / kIgnoreFile, ec)) {
      auto rules = std::make_shared<std::vector<IgnoreRule>>(*current.rules);
      for (IgnoreRule& r : read_ignore_file(current.dir)) rules->push_back(std::move(r));
      current.rules = std::move(rules);
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (is_hidden(p)) continue;
      std::error_code sec;
      // Folders reached through a symbolic link are not followed (no loops);
      // files reached through one are indexed.
      const bool is_dir = it->is_directory(sec) && !it->is_symlink(sec);
      if (is_ignored(p, is_dir, *current.rules)) continue;
      if (is_dir) {
        pending.push_back({p, current.rules});
      } else if (is_article_file_name(p.filename().string()) && it->is_regular_file(sec)) {
        if (!is_valid_utf8(p.native())) {
          skip({repair_utf8(p.native()), "file name is not valid UTF-8"});
          continue;
        }
        files.push_back(p.native());
      } else if (is_article_file_name(p.filename().string()) && sec) {
        // A symbolic link loop or a dangling link.
        skip({p.string(), sec.message()});
      }
    }
    if (ec) skip({current.dir.string(), ec.message()});
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace folio::walk
