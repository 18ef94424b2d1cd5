#include "folio/ingest.hpp"

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "folio/error.hpp"
#include "folio/schema.hpp"
#include "folio/text.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

struct FileStat {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

// Throws folio::Error with the system's reason.
FileStat stat_file(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw Error(std::strerror(errno));
  }
  return {static_cast<std::uint64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
              st.st_mtim.tv_nsec};
}

std::string read_bytes(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(std::strerror(errno));
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      throw Error(std::strerror(saved));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

// Throws folio::Error when the bytes are not an article folio can index.
void check_article_bytes(std::string_view bytes) {
  if (trim(bytes).empty()) throw Error("empty file");
  if (bytes.find('\0') != std::string_view::npos) {
    throw Error("binary file (contains NUL bytes)");
  }
}

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 1 && name[0] == '.';
}

bool is_article_name(const fs::path& p) {
  return equals_icase(p.extension().string(), ".txt");
}

// Lists article files under `roots`, sorted. Unreadable folders and paths
// that are not UTF-8 are reported through `skip`.
std::vector<fs::path> list_article_files(
    const std::vector<fs::path>& roots,
    const std::function<void(const SkippedFile&)>& skip) {
  std::vector<fs::path> files;
  std::vector<fs::path> pending;
  for (const fs::path& root : roots) {
    std::error_code ec;
    const fs::file_status st = fs::status(root, ec);
    if (fs::is_regular_file(st)) {
      files.push_back(root);
    } else if (fs::is_directory(st)) {
      pending.push_back(root);
    } else {
      throw Error(fmt::format("cannot index {}: {}", root.string(),
                              ec ? ec.message() : "not a file or folder"));
    }
  }
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      skip({dir.string(), ec.message()});
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      const fs::path& p = it->path();
      if (is_hidden(p)) continue;
      std::error_code sec;
      // Folders reached through a symbolic link are not followed (no loops);
      // files reached through one are indexed.
      if (it->is_directory(sec) && !it->is_symlink(sec)) {
        pending.push_back(p);
      } else if (is_article_name(p) && it->is_regular_file(sec)) {
        if (!is_valid_utf8(p.native())) {
          skip({repair_utf8(p.native()), "file name is not valid UTF-8"});
          continue;
        }
        files.push_back(p);
      }
    }
    if (ec) skip({dir.string(), ec.message()});
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::map<std::string, schema::FileRecord> load_file_records(
    const Xapian::Database& db) {
  std::map<std::string, schema::FileRecord> records;
  const std::string prefix(schema::kFileKeyPrefix);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix);
       ++it) {
    records.emplace((*it).substr(prefix.size()),
                    schema::FileRecord::from_json(db.get_metadata(*it)));
  }
  return records;
}

bool is_under(const std::string& path, const fs::path& root) {
  const std::string r = root.string();
  return path == r || (path.size() > r.size() && path.starts_with(r) &&
                       (r.ends_with('/') || path[r.size()] == '/'));
}

fs::path absolute_root(const fs::path& root) {
  fs::path p = fs::absolute(root).lexically_normal();
  // "dir/" normalises to "dir/" with an empty filename: drop it.
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) {
    p = p.parent_path();
  }
  return p;
}

}  // namespace

Article read_article(const fs::path& file, const SiteBoilerplate& boilerplate) {
  const std::string bytes = read_bytes(file);
  check_article_bytes(bytes);
  return parse_plain_text_article(repair_utf8(bytes), file.string(), boilerplate);
}

IndexReport index_paths(Xapian::WritableDatabase& db, const IndexOptions& options,
                        const SiteBoilerplate& boilerplate,
                        const std::function<void(const SkippedFile&)>& on_skip) {
  IndexReport report;
  auto skip = [&](SkippedFile s) {
    on_skip(s);
    report.skipped.push_back(std::move(s));
  };

  std::vector<fs::path> roots;
  for (const fs::path& r : options.roots) roots.push_back(absolute_root(r));
  const std::vector<fs::path> files = list_article_files(roots, skip);
  std::map<std::string, schema::FileRecord> known = load_file_records(db);
  std::set<std::string> seen;

  std::size_t uncommitted = 0;
  auto changed = [&] {
    if (++uncommitted >= options.files_per_commit) {
      db.commit();
      uncommitted = 0;
    }
  };

  for (const fs::path& file : files) {
    if (options.stop != nullptr && options.stop->load()) {
      report.interrupted = true;
      break;
    }
    const std::string path = file.string();
    const std::string id = schema::article_id(path);
    seen.insert(id);
    const auto old = known.find(id);
    try {
      const FileStat st = stat_file(file);
      if (old != known.end() && old->second.size == st.size &&
          old->second.mtime_ns == st.mtime_ns) {
        ++report.unchanged;
        continue;
      }
      if (st.size > options.max_file_size) {
        throw Error(fmt::format("larger than the size limit ({} bytes > {})",
                                st.size, options.max_file_size));
      }
      const std::string bytes = read_bytes(file);
      check_article_bytes(bytes);
      schema::FileRecord record{path, bytes.size(), st.mtime_ns, fnv1a64(bytes), 0};
      if (old != known.end() && old->second.content_hash == record.content_hash) {
        // Touched but not changed: remember the new mtime, keep the documents.
        record.sections = old->second.sections;
        db.set_metadata(schema::file_key(id), record.to_json());
        ++report.unchanged;
        changed();
        continue;
      }
      const Article article =
          parse_plain_text_article(repair_utf8(bytes), path, boilerplate);
      // Replacing the whole article inside one commit: a reader never sees
      // half of it.
      if (old != known.end()) {
        db.delete_document(schema::article_term(id));
        ++report.updated;
      } else {
        ++report.added;
      }
      for (const Section& section : article.sections) {
        db.replace_document(
            schema::section_id_term(schema::section_id(id, section.index)),
            make_section_document(article, section, id));
      }
      record.sections = static_cast<int>(article.sections.size());
      report.sections += article.sections.size();
      db.set_metadata(schema::file_key(id), record.to_json());
      changed();
    } catch (const Error& e) {
      skip({path, e.what()});
    }
  }

  if (!report.interrupted) {
    for (const auto& [id, record] : known) {
      if (seen.count(id) != 0) continue;
      const bool in_scope = std::any_of(roots.begin(), roots.end(),
                                        [&](const fs::path& r) { return is_under(record.path, r); });
      if (!in_scope) continue;
      db.delete_document(schema::article_term(id));
      db.set_metadata(schema::file_key(id), "");
      ++report.removed;
    }
  }
  db.commit();
  return report;
}

}  // namespace folio
