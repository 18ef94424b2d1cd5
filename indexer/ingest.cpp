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
#include "folio/formats.hpp"
#include "folio/schema.hpp"
#include "folio/text.hpp"
#include "walk.hpp"

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

// The people and places seen, with their aliases, kept in the database's
// metadata so that the query side can resolve names without the lexicon.
// Entries are cached and written once per commit.
class EntityRegistry {
 public:
  explicit EntityRegistry(Xapian::WritableDatabase& db) : db_(db) {}

  void add(const Article& article) {
    for (const Section& section : article.sections) {
      for (const Person& p : section.people) {
        merge(schema::EntityRecord::Type::person, p.id, p.name, p.aliases, PlaceKind::country, "");
      }
      for (const Place& p : section.places) {
        merge(schema::EntityRecord::Type::place, p.id, p.name, p.aliases, p.kind, p.country);
        // A place's country gets a record too, for the country facet and
        // filter, even if no article names the country itself.
        if (!p.country.empty() && p.country != p.id) {
          merge(schema::EntityRecord::Type::place, p.country, p.country_name, {}, PlaceKind::country,
                p.country);
        }
      }
    }
  }

  void flush() {
    for (const std::string& key : dirty_) db_.set_metadata(key, cache_.at(key).to_json());
    dirty_.clear();
  }

 private:
  static constexpr std::size_t kMaxAliases = 16;

  void merge(schema::EntityRecord::Type type, const std::string& id, const std::string& name,
             const std::vector<std::string>& aliases, PlaceKind kind, const std::string& country) {
    const std::string key = schema::entity_key(type, id);
    auto it = cache_.find(key);
    bool fresh = false;
    if (it == cache_.end()) {
      const std::string stored = db_.get_metadata(key);
      fresh = stored.empty();
      schema::EntityRecord record;
      if (stored.empty()) {
        record = {type, id, name, {}, kind, country};
      } else {
        record = schema::EntityRecord::from_json(type, id, stored);
      }
      it = cache_.emplace(key, std::move(record)).first;
    }
    bool changed = false;
    for (const std::string& alias : aliases) {
      auto& list = it->second.aliases;
      if (alias == it->second.name || std::find(list.begin(), list.end(), alias) != list.end()) {
        continue;
      }
      if (list.size() >= kMaxAliases) break;
      list.push_back(alias);
      changed = true;
    }
    if (changed || fresh) dirty_.insert(key);
  }

  Xapian::WritableDatabase& db_;
  std::map<std::string, schema::EntityRecord> cache_;
  std::set<std::string> dirty_;
};

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

ArticleReader::ArticleReader(SiteBoilerplate boilerplate, std::shared_ptr<const Lexicon> lexicon)
    : boilerplate_(std::move(boilerplate)), lexicon_(std::move(lexicon)) {}

Article ArticleReader::parse(std::string_view bytes, const std::string& path) const {
  if (trim(bytes).empty()) throw Error("empty file");
  const DecodedText decoded = decode_text(bytes);
  if (trim(decoded.text).empty()) throw Error("empty file");
  Article article;
  switch (detect_format(path, decoded.text)) {
    case Format::html:
      article = parse_html_article(decoded.text, path, boilerplate_);
      break;
    case Format::markdown:
      article = parse_markdown_article(decoded.text, path, boilerplate_);
      break;
    case Format::plain:
      article = parse_plain_text_article(decoded.text, path, boilerplate_);
      break;
  }
  if (lexicon_) EntityExtractor(lexicon_).annotate(article);
  return article;
}

Article ArticleReader::read(const fs::path& file) const {
  return parse(read_bytes(file), file.string());
}

IndexReport index_paths(Xapian::WritableDatabase& db, const IndexOptions& options,
                        const ArticleReader& reader,
                        const std::function<void(const SkippedFile&)>& on_skip) {
  IndexReport report;
  auto skip = [&](SkippedFile s) {
    on_skip(s);
    report.skipped.push_back(std::move(s));
  };

  std::vector<fs::path> roots;
  for (const fs::path& r : options.roots) roots.push_back(absolute_root(r));
  const std::vector<fs::path> files = walk::list_article_files(roots, options.excludes, skip);
  std::map<std::string, schema::FileRecord> known = load_file_records(db);
  std::set<std::string> seen;

  EntityRegistry registry(db);
  std::size_t uncommitted = 0;
  auto changed = [&] {
    if (++uncommitted >= options.files_per_commit) {
      registry.flush();
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
      if (trim(bytes).empty()) throw Error("empty file");
      schema::FileRecord record{path, bytes.size(), st.mtime_ns, fnv1a64(bytes), 0};
      if (old != known.end() && old->second.content_hash == record.content_hash) {
        // Touched but not changed: remember the new mtime, keep the documents.
        record.sections = old->second.sections;
        db.set_metadata(schema::file_key(id), record.to_json());
        ++report.unchanged;
        changed();
        continue;
      }
      const Article article = reader.parse(bytes, path);
      registry.add(article);
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
  registry.flush();
  db.commit();
  return report;
}

}  // namespace folio
