// Watcher: inotify watches on every folder under the roots, events turned
// into batches of changed paths once they settle; periodic rescans when
// inotify cannot watch everything.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include "folio/error.hpp"
#include "folio/formats.hpp"
#include "folio/ingest.hpp"
#include "walk.hpp"

namespace folio {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint32_t kDirMask = IN_CREATE | IN_CLOSE_WRITE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM |
                                   IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                                   IN_DONT_FOLLOW;

std::string join_path(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (!out.ends_with('/')) out += '/';
  out += name;
  return out;
}

std::string system_max_watches() {
  std::ifstream in("/proc/sys/fs/inotify/max_user_watches");
  std::string value;
  in >> value;
  return value.empty() ? "?" : value;
}

// What tells a file's versions apart: a file replaced by a rename has
// another inode, one written in place another size or time.
struct FileStamp {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  constexpr std::int64_t kNs = 1000000000;
  return {true,
          st.st_dev,
          st.st_ino,
          st.st_size,
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * kNs + st.st_mtim.tv_nsec,
          static_cast<std::int64_t>(st.st_ctim.tv_sec) * kNs + st.st_ctim.tv_nsec};
}

}  // namespace

struct Watcher::State {
  std::vector<std::string> roots;  // real paths
  WatchOptions options;
  int fd = -1;
  std::map<int, std::string> paths;  // watch descriptor -> folder
  std::map<std::string, int> wds;    // folder -> watch descriptor
  std::set<std::string> missing;     // roots that are not there now
  std::set<std::string> changed;     // paths changed since the last batch
  bool rescan = false;               // events were lost or too many paths changed
  Clock::time_point first_change{}, last_change{};
  Clock::time_point next_rescan{}, next_missing_check{};
  std::string fallback;  // why inotify is not used
  FileStamp entities;    // of options.entities_file when last looked at
  bool entities_changed = false;

  bool is_dir_root(const std::string& root) const {
    struct stat st {};
    return ::stat(root.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }

  void fall_back(std::string reason) {
    if (fd >= 0) ::close(fd);
    fd = -1;
    paths.clear();
    wds.clear();
    fallback = std::move(reason);
    next_rescan = Clock::now() + options.rescan;
  }

  // Watches `dir` and every folder below it (not hidden, links not
  // followed). False when the watch limit is reached (then fallen back).
  bool watch_tree(const std::string& dir) {
    std::vector<std::string> pending{dir};
    while (!pending.empty() && fd >= 0) {
      const std::string d = std::move(pending.back());
      pending.pop_back();
      if (options.max_watches > 0 && wds.size() >= options.max_watches && !wds.count(d)) {
        errno = ENOSPC;
      } else {
        const int wd = ::inotify_add_watch(fd, d.c_str(), kDirMask);
        if (wd >= 0) {
          paths[wd] = d;
          wds[d] = wd;
        } else if (errno != ENOSPC) {
          continue;  // gone meanwhile, unreadable, not a folder
        }
        if (wd >= 0) errno = 0;
      }
      if (errno == ENOSPC) {
        fall_back(fmt::format(
            "the inotify watch limit is reached (fs.inotify.max_user_watches = {}{}): rescanning "
            "every {} s instead; raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (and a "
            "line in /etc/sysctl.d/ to keep it)",
            options.max_watches > 0 ? std::to_string(options.max_watches) : system_max_watches(),
            options.max_watches > 0 ? ", set for a test" : "", options.rescan.count()));
        return false;
      }
      DIR* h = ::opendir(d.c_str());
      if (h == nullptr) continue;
      while (const dirent* e = ::readdir(h)) {
        if (e->d_name[0] == '.') continue;
        unsigned char type = e->d_type;
        if (type == DT_UNKNOWN) {
          struct stat st {};
          if (::fstatat(::dirfd(h), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
            type = DT_DIR;
          }
        }
        if (type == DT_DIR) pending.push_back(join_path(d, e->d_name));
      }
      ::closedir(h);
    }
    return fd >= 0;
  }

  void unwatch_tree(const std::string& dir) {
    for (auto it = wds.lower_bound(dir); it != wds.end() && walk::is_under(it->first, dir);) {
      if (fd >= 0) ::inotify_rm_watch(fd, it->second);
      paths.erase(it->second);
      it = wds.erase(it);
    }
  }

  // Watches each root: a folder and its tree, or a file's folder.
  void watch_roots() {
    for (const std::string& root : roots) {
      if (fd < 0) return;
      struct stat st {};
      if (::stat(root.c_str(), &st) != 0) {
        missing.insert(root);
        continue;
      }
      missing.erase(root);
      if (S_ISDIR(st.st_mode)) {
        watch_tree(root);
      } else {
        // A file root: its folder, for events about it alone.
        const std::string parent = fs::path(root).parent_path().native();
        if (!wds.count(parent)) {
          const int wd = ::inotify_add_watch(fd, parent.c_str(), kDirMask);
          if (wd >= 0) {
            paths[wd] = parent;
            wds[parent] = wd;
          }
        }
      }
    }
  }

  // Whether a change at `path` concerns the roots.
  bool concerns(const std::string& path) const {
    return std::any_of(roots.begin(), roots.end(),
                       [&](const std::string& r) { return walk::is_under(path, r); });
  }

  void note(std::string path) {
    if (!concerns(path)) return;
    const auto now = Clock::now();
    if (changed.empty() && !rescan) first_change = now;
    last_change = now;
    if (rescan) return;
    // A folder's change covers the paths below it.
    for (auto it = changed.lower_bound(path); it != changed.end() && walk::is_under(*it, path);) {
      it = changed.erase(it);
    }
    const auto above = std::find_if(changed.begin(), changed.end(),
                                    [&](const std::string& c) { return walk::is_under(path, c); });
    if (above != changed.end()) return;
    changed.insert(std::move(path));
    if (changed.size() > options.max_batch_paths) {
      changed.clear();
      rescan = true;
    }
  }

  void handle(const inotify_event& e, std::string_view name) {
    if ((e.mask & IN_Q_OVERFLOW) != 0) {
      // Events were lost: look at everything, and watch what is new.
      rescan = true;
      first_change = last_change = Clock::now();
      watch_roots();
      return;
    }
    const auto it = paths.find(e.wd);
    if (it == paths.end()) return;
    const std::string dir = it->second;
    if ((e.mask & IN_IGNORED) != 0) {
      wds.erase(dir);
      paths.erase(e.wd);
      return;
    }
    if ((e.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) != 0) {
      // A root renamed or removed: its watches describe nothing any more.
      if (std::find(roots.begin(), roots.end(), dir) != roots.end()) {
        unwatch_tree(dir);
        missing.insert(dir);
        note(dir);
      }
      return;
    }
    if (name.empty()) return;
    const std::string path = join_path(dir, name);
    const bool is_dir = (e.mask & IN_ISDIR) != 0;
    if (name == ".folioignore") {
      note(dir);  // what the folder lists may change
      return;
    }
    if (name.starts_with('.')) return;  // hidden: editors' swap and temporary files
    if (is_dir) {
      if ((e.mask & (IN_MOVED_FROM | IN_DELETE)) != 0) unwatch_tree(path);
      if ((e.mask & (IN_CREATE | IN_MOVED_TO)) != 0) watch_tree(path);
      if ((e.mask & (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) != 0) note(path);
      return;
    }
    const bool file_root = std::find(roots.begin(), roots.end(), path) != roots.end();
    if (file_root || is_article_file_name(name)) note(path);
  }

  void read_events() {
    alignas(inotify_event) char buffer[64 * 1024];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) return;  // EAGAIN: drained
      for (std::size_t off = 0; off + sizeof(inotify_event) <= static_cast<std::size_t>(n);) {
        inotify_event e{};
        std::memcpy(&e, buffer + off, sizeof e);
        const char* name = buffer + off + sizeof e;
        handle(e, std::string_view(name, e.len > 0 ? ::strnlen(name, e.len) : 0));
        off += sizeof(inotify_event) + e.len;
        if (fd < 0) return;  // fell back while handling
      }
    }
  }

  // The entities file is looked at once a second: one stat(), wherever it
  // is (its folder need not exist), whatever an editor does to save it.
  void check_entities() {
    if (options.entities_file.empty()) return;
    const FileStamp now = stamp_of(options.entities_file);
    if (now == entities) return;
    entities = now;
    entities_changed = true;
    // Every file's people and places may change: all of them looked at.
    if (changed.empty() && !rescan) first_change = Clock::now();
    last_change = Clock::now();
    changed.clear();
    rescan = true;
  }

  // Roots that came back are watched and looked at again.
  void check_missing() {
    if (missing.empty()) return;
    for (auto it = missing.begin(); it != missing.end();) {
      struct stat st {};
      if (::stat(it->c_str(), &st) == 0) {
        const std::string root = *it;
        it = missing.erase(it);
        if (fd >= 0 && S_ISDIR(st.st_mode)) watch_tree(root);
        note(root);
      } else {
        ++it;
      }
    }
  }
};

Watcher::Watcher(std::vector<std::string> roots, WatchOptions options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.roots = std::move(roots);
  s.options = std::move(options);
  s.next_rescan = Clock::now() + s.options.rescan;
  s.next_missing_check = Clock::now();
  s.entities = stamp_of(s.options.entities_file);
  s.fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (s.fd < 0) {
    s.fall_back(fmt::format("inotify is not available ({}): rescanning every {} s instead",
                            std::strerror(errno), s.options.rescan.count()));
    return;
  }
  s.watch_roots();
}

Watcher::~Watcher() {
  if (state_ && state_->fd >= 0) ::close(state_->fd);
}

const std::string& Watcher::fallback_reason() const { return state_->fallback; }

std::size_t Watcher::watches() const { return state_->wds.size(); }

std::optional<WatchBatch> Watcher::next(const std::atomic<bool>& stop) {
  State& s = *state_;
  for (;;) {
    if (stop.load()) return std::nullopt;
    const auto now = Clock::now();
    if (now >= s.next_missing_check) {
      s.check_missing();
      s.check_entities();
      s.next_missing_check = now + std::chrono::seconds(1);
    }
    const bool pending = s.rescan || !s.changed.empty();
    if (pending && (now - s.last_change >= s.options.settle || now - s.first_change >= s.options.max_delay)) {
      WatchBatch batch;
      batch.rescan = s.rescan;
      batch.entities_changed = std::exchange(s.entities_changed, false);
      if (!s.rescan) batch.paths.assign(s.changed.begin(), s.changed.end());
      s.changed.clear();
      s.rescan = false;
      return batch;
    }
    const bool periodic = s.options.rescan.count() > 0 && (s.fd < 0 || s.options.poll);
    if (periodic && now >= s.next_rescan) {
      s.next_rescan = now + s.options.rescan;
      if (s.fd < 0 && s.fallback.empty()) s.fallback = "inotify is not used";
      WatchBatch batch;
      batch.rescan = true;
      batch.entities_changed = std::exchange(s.entities_changed, false);
      s.changed.clear();
      s.rescan = false;
      return batch;
    }
    // Sleep until the batch is due, a second at most (missing roots, stop).
    auto wait = std::chrono::milliseconds(1000);
    if (pending) {
      const auto due = std::min(s.last_change + s.options.settle, s.first_change + s.options.max_delay);
      wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(due - now),
                        std::chrono::milliseconds(1), wait);
    }
    if (periodic) {
      wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(s.next_rescan - now),
                        std::chrono::milliseconds(1), wait);
    }
    if (s.fd >= 0) {
      pollfd p{s.fd, POLLIN, 0};
      // A signal (Ctrl-C) ends the wait early with EINTR: the loop sees `stop`.
      if (::poll(&p, 1, static_cast<int>(wait.count())) > 0) s.read_events();
    } else {
      const auto until = Clock::now() + wait;
      while (!stop.load() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

}  // namespace folio
