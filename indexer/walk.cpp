#include "walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <unordered_set>

#include "folio/error.hpp"
#include "folio/formats.hpp"
#include "folio/text.hpp"

namespace folio::walk {
namespace fs = std::filesystem;

namespace {

constexpr const char* kIgnoreFile = ".folioignore";

bool is_hidden(std::string_view name) { return name.size() > 1 && name[0] == '.'; }

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

bool is_ignored_path(std::string_view path, bool is_dir, const std::vector<IgnoreRule>& rules) {
  bool ignored = false;
  const std::size_t slash = path.rfind('/');
  const std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  for (const IgnoreRule& r : rules) {
    if (r.dir_only && !is_dir) continue;
    bool match = false;
    if (r.anchored) {
      const std::string& base = r.base.native();
      if (!is_under(path, base) || path.size() == base.size()) continue;
      const std::string_view rel = path.substr(base.size() + (base.ends_with('/') ? 0 : 1));
      match = match_components(split_slashes(r.pattern), 0, split_slashes(rel), 0);
    } else {
      match = fnmatch(r.pattern.c_str(), name.c_str(), 0) == 0;
    }
    if (match) ignored = !r.negate;
  }
  return ignored;
}

bool is_ignored(const fs::path& path, bool is_dir, const std::vector<IgnoreRule>& rules) {
  return is_ignored_path(path.native(), is_dir, rules);
}

std::string exact_pattern(std::string_view relative) {
  std::string out = "/";
  for (const char c : relative) {
    if (c == '*' || c == '?' || c == '[' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool is_under(std::string_view path, std::string_view dir) {
  if (!path.starts_with(dir)) return false;
  return path.size() == dir.size() || dir.ends_with('/') || path[dir.size()] == '/';
}

std::string shown_path(const fs::path& path) {
  std::string p = fs::absolute(path).lexically_normal().native();
  while (p.size() > 1 && p.ends_with('/')) p.pop_back();
  return p;
}

std::string real_path(const fs::path& path) {
  std::string shown = shown_path(path);
  if (char* resolved = ::realpath(shown.c_str(), nullptr)) {
    std::string out(resolved);
    std::free(resolved);
    return out;
  }
  // Gone (a forgotten folder, a watched one removed): resolve what exists.
  fs::path p(shown);
  fs::path rest;
  while (p.has_parent_path() && p != p.root_path()) {
    rest = p.filename() / rest;
    p = p.parent_path();
    if (char* resolved = ::realpath(p.c_str(), nullptr)) {
      std::string out = (fs::path(resolved) / rest).lexically_normal().native();
      std::free(resolved);
      while (out.size() > 1 && out.ends_with('/')) out.pop_back();
      return out;
    }
  }
  return shown;
}

namespace {

std::int64_t nanoseconds(const struct timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

FileStat file_stat(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_size), nanoseconds(st.st_mtim), nanoseconds(st.st_ctim)};
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out += dir;
  if (!out.ends_with('/')) out += '/';
  out += name;
  return out;
}

// One walk: opendir/readdir and one fstatat per article file, as find(1)
// does; std::filesystem would stat every entry and split every path.
class Walk {
 public:
  Walk(const std::function<void(const SkippedFile&)>& skip) : skip_(skip) {}

  void add_root(const WalkRoot& root);
  std::vector<ListedFile> take();

 private:
  using Rules = std::shared_ptr<const std::vector<IgnoreRule>>;
  struct Pending {
    std::string real;
    std::string shown;
    Rules rules;
  };

  void walk_dir(Pending current);
  void add_path_within(const WalkRoot& root, const std::string& path, Rules rules);
  void add_file(int dir_fd, const std::string& dir, const std::string& shown_dir, const char* name,
                unsigned char type);
  static Rules with_ignore_file(const std::string& dir, Rules rules);

  const std::function<void(const SkippedFile&)>& skip_;
  bool may_repeat_ = false;  // a second root or a link to a file was seen
  int roots_ = 0;
  std::vector<ListedFile> files_;
  std::vector<Pending> pending_;
};

Walk::Rules Walk::with_ignore_file(const std::string& dir, Rules rules) {
  const std::string file = join_path(dir, kIgnoreFile);
  if (::access(file.c_str(), F_OK) != 0) return rules;
  auto more = std::make_shared<std::vector<IgnoreRule>>(*rules);
  for (IgnoreRule& r : read_ignore_file(dir)) more->push_back(std::move(r));
  return more;
}

void Walk::add_root(const WalkRoot& root) {
  may_repeat_ = may_repeat_ || !files_.empty() || !pending_.empty() || roots_ > 0;
  ++roots_;
  struct stat st {};
  const bool exists = ::stat(root.real.c_str(), &st) == 0;
  if (!exists && root.within.empty()) {
    throw Error(fmt::format("cannot index {}: {}", root.shown, std::strerror(errno)));
  }
  if (exists && S_ISREG(st.st_mode)) {
    // A file given as a root: listed whatever its name.
    if (root.within.empty() || std::any_of(root.within.begin(), root.within.end(),
                                           [&](const std::string& w) { return is_under(root.real, w); })) {
      files_.push_back({root.real, root.shown, file_stat(st), ""});
    }
    return;
  }
  if (exists && !S_ISDIR(st.st_mode)) {
    throw Error(fmt::format("cannot index {}: not a file or folder", root.shown));
  }
  auto rules = std::make_shared<std::vector<IgnoreRule>>();
  for (const std::string& e : root.excludes) {
    IgnoreRule rule;
    if (parse_ignore_rule(e, root.real, rule)) rules->push_back(std::move(rule));
  }
  if (!exists) return;
  if (root.within.empty()) {
    walk_dir({root.real, root.shown, std::move(rules)});
  } else {
    for (const std::string& w : root.within) {
      if (is_under(w, root.real)) add_path_within(root, w, rules);
    }
  }
  while (!pending_.empty()) {
    Pending current = std::move(pending_.back());
    pending_.pop_back();
    walk_dir(std::move(current));
  }
}

// A path below a root, as the walk from the root would see it: each folder
// on the way must be neither hidden nor ignored, and brings its
// .folioignore.
void Walk::add_path_within(const WalkRoot& root, const std::string& path, Rules rules) {
  std::string dir = root.real;
  std::string shown = root.shown;
  const std::string rest = path.size() > root.real.size() ? path.substr(root.real.size() + 1) : "";
  std::size_t start = 0;
  while (!rest.empty()) {
    rules = with_ignore_file(dir, rules);
    const std::size_t slash = rest.find('/', start);
    const std::string name = rest.substr(start, slash == std::string::npos ? slash : slash - start);
    const std::string next = join_path(dir, name);
    struct stat st {};
    if (::lstat(next.c_str(), &st) != 0) return;  // gone: nothing to list
    const bool is_dir = S_ISDIR(st.st_mode);
    if (is_hidden(name) || is_ignored_path(next, is_dir, *rules)) return;
    if (slash == std::string::npos) {
      if (is_dir) {
        shown = join_path(shown, name);
        break;
      }
      const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) return;
      add_file(fd, dir, shown, name.c_str(), S_ISLNK(st.st_mode) ? DT_LNK : DT_REG);
      ::close(fd);
      return;
    }
    if (!is_dir) return;  // a link to a folder is not followed
    dir = next;
    shown = join_path(shown, name);
    start = slash + 1;
  }
  pending_.push_back({path, shown, std::move(rules)});
}

void Walk::walk_dir(Pending current) {
  DIR* d = ::opendir(current.real.c_str());
  if (d == nullptr) {
    skip_({current.shown, std::strerror(errno)});
    return;
  }
  current.rules = with_ignore_file(current.real, current.rules);
  const int fd = ::dirfd(d);
  // Each folder's entries by name: the same order on every run.
  std::vector<std::pair<std::string, unsigned char>> entries;
  errno = 0;
  while (const dirent* entry = ::readdir(d)) {
    const char* name = entry->d_name;
    if (name[0] == '.') continue;  // ".", ".." and hidden entries
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      if (::fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(st.st_mode)   ? DT_DIR
             : S_ISLNK(st.st_mode) ? DT_LNK
             : S_ISREG(st.st_mode) ? DT_REG
                                   : DT_UNKNOWN;
    }
    if (type == DT_DIR || ((type == DT_REG || type == DT_LNK) && is_article_file_name(name))) {
      entries.emplace_back(name, type);
    }
    errno = 0;
  }
  if (errno != 0) skip_({current.shown, std::strerror(errno)});
  std::sort(entries.begin(), entries.end());
  std::vector<Pending> subdirs;
  for (const auto& [name, type] : entries) {
    std::string real = join_path(current.real, name);
    if (is_ignored_path(real, type == DT_DIR, *current.rules)) continue;
    if (type == DT_DIR) {
      subdirs.push_back({std::move(real), join_path(current.shown, name), current.rules});
    } else {
      add_file(fd, current.real, current.shown, name.c_str(), type);
    }
  }
  // Popped from the back: the first folder next.
  pending_.insert(pending_.end(), std::make_move_iterator(subdirs.rbegin()),
                  std::make_move_iterator(subdirs.rend()));
  ::closedir(d);
}

void Walk::add_file(int dir_fd, const std::string& dir, const std::string& shown_dir, const char* name,
                    unsigned char type) {
  const std::string_view n(name);
  if (!is_valid_utf8(n)) {
    skip_({repair_utf8(join_path(shown_dir, n)), "file name is not valid UTF-8"});
    return;
  }
  struct stat st {};
  ListedFile f{join_path(dir, n), join_path(shown_dir, n), {}, ""};
  if (::fstatat(dir_fd, name, &st, 0) != 0) {
    // A dangling link or a loop; a regular file that vanished is one the
    // index forgets (not listed).
    if (type == DT_LNK) skip_({f.shown, std::strerror(errno)});
    return;
  }
  if (!S_ISREG(st.st_mode)) return;  // a link to a folder, a device ...
  if (type == DT_LNK) {
    may_repeat_ = true;
    char* resolved = ::realpath(f.real.c_str(), nullptr);
    if (resolved == nullptr) {
      skip_({f.shown, std::strerror(errno)});
      return;
    }
    f.real = resolved;
    std::free(resolved);
  }
  f.stat = file_stat(st);
  files_.push_back(std::move(f));
}

std::vector<ListedFile> Walk::take() {
  // A file is listed twice only through a link or two roots.
  if (!may_repeat_) return std::move(files_);
  std::vector<bool> keep(files_.size());
  {
    std::unordered_set<std::string_view> seen;
    seen.reserve(files_.size());
    for (std::size_t i = 0; i < files_.size(); ++i) keep[i] = seen.insert(files_[i].real).second;
  }
  std::vector<ListedFile> out;
  out.reserve(files_.size());
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (keep[i]) out.push_back(std::move(files_[i]));
  }
  files_.clear();
  return out;
}

}  // namespace

std::vector<ListedFile> list_files(const std::vector<WalkRoot>& roots,
                                   const std::function<void(const SkippedFile&)>& skip) {
  Walk walk(skip);
  for (const WalkRoot& root : roots) walk.add_root(root);
  return walk.take();
}

std::vector<std::string> list_article_files(const std::vector<fs::path>& roots,
                                            const std::vector<std::string>& excludes,
                                            const std::function<void(const SkippedFile&)>& skip) {
  std::vector<WalkRoot> walk_roots;
  for (const fs::path& r : roots) walk_roots.push_back({real_path(r), shown_path(r), excludes, {}});
  std::vector<std::string> out;
  for (ListedFile& f : list_files(walk_roots, skip)) out.push_back(std::move(f.shown));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace folio::walk
