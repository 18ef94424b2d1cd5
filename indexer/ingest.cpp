#include "folio/ingest.hpp"

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

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
    if (errno == ENOENT) throw Error("vanished during the run");
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

// The people and places seen, with their aliases, kept in a shard's
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
    if (it->second.add_aliases(aliases) || fresh) dirty_.insert(key);
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

struct ArticleReader::LazyLexicon {
  std::once_flag once;
  LexiconLoader load;
  std::shared_ptr<const Lexicon> lexicon;
  std::string error;  // why `load` failed
};

ArticleReader::ArticleReader(SiteBoilerplate boilerplate, std::shared_ptr<const Lexicon> lexicon)
    : boilerplate_(std::move(boilerplate)), lexicon_(std::make_shared<LazyLexicon>()) {
  std::call_once(lexicon_->once, [&] { lexicon_->lexicon = std::move(lexicon); });
}

ArticleReader::ArticleReader(SiteBoilerplate boilerplate, LexiconLoader load)
    : boilerplate_(std::move(boilerplate)), lexicon_(std::make_shared<LazyLexicon>()) {
  lexicon_->load = std::move(load);
}

std::shared_ptr<const Lexicon> ArticleReader::lexicon() const {
  LazyLexicon& lazy = *lexicon_;
  std::call_once(lazy.once, [&] {
    try {
      lazy.lexicon = lazy.load();
    } catch (const std::exception& e) {
      lazy.error = e.what();
    }
  });
  if (!lazy.error.empty()) throw LexiconLoadError(lazy.error);
  return lazy.lexicon;
}

Article ArticleReader::parse(std::string_view bytes, const std::string& path) const {
  // Checked after decoding: a UTF-16 file may hold only its byte-order mark.
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
  if (std::shared_ptr<const Lexicon> lexicon = this->lexicon()) EntityExtractor(lexicon).annotate(article);
  return article;
}

Article ArticleReader::read(const fs::path& file) const {
  return parse(read_bytes(file), file.string());
}

namespace {

// What a worker made of one file, for the writer to apply.
struct FileResult {
  enum class Kind { unchanged, touched, changed, skipped } kind = Kind::unchanged;
  std::string path;
  std::string id;
  std::uint64_t bytes = 0;  // read from disk
  schema::FileRecord record;
  Article article;  // changed: with its people and places
  std::vector<Xapian::Document> documents;  // one per section
  std::string reason;  // skipped
  std::string warning;  // changed, but indexed with a warning (Article::warning)
};

FileResult process_file(const fs::path& file, const std::map<std::string, schema::FileRecord>& known,
                        const IndexOptions& options, const ArticleReader& reader) {
  FileResult r;
  r.path = file.string();
  r.id = schema::article_id(r.path);
  const auto old = known.find(r.id);
  try {
    const FileStat st = stat_file(file);
    if (old != known.end() && old->second.size == st.size && old->second.mtime_ns == st.mtime_ns) {
      return r;  // unchanged, not read
    }
    if (st.size > options.max_file_size) {
      throw Error(fmt::format("larger than the size limit ({} bytes > {})", st.size,
                              options.max_file_size));
    }
    const std::string bytes = read_bytes(file);
    r.bytes = bytes.size();
    r.record = {r.path, bytes.size(), st.mtime_ns, fnv1a64(bytes), 0};
    if (old != known.end() && old->second.content_hash == r.record.content_hash) {
      // Touched but not changed: remember the new mtime, keep the documents.
      r.record.sections = old->second.sections;
      r.kind = FileResult::Kind::touched;
      return r;
    }
    r.article = reader.parse(bytes, r.path);
    for (const Section& section : r.article.sections) {
      r.documents.push_back(make_section_document(r.article, section, r.id));
    }
    r.record.sections = static_cast<int>(r.article.sections.size());
    r.warning = r.article.warning;
    r.kind = FileResult::Kind::changed;
  } catch (const Error& e) {
    r.kind = FileResult::Kind::skipped;
    r.reason = e.what();
  }
  return r;
}

// A bounded queue between the reading workers and a shard's writer: workers
// wait when it is full, so memory does not grow with the folder.
class ResultQueue {
 public:
  explicit ResultQueue(std::size_t capacity) : capacity_(capacity) {}

  void push(FileResult r) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(r));
    not_empty_.notify_one();
  }

  // nullopt when every producer is done and the queue is empty.
  std::optional<FileResult> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || producers_ == 0; });
    if (items_.empty()) return std::nullopt;
    FileResult r = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return r;
  }

  void set_producers(unsigned n) {
    std::lock_guard lock(mutex_);
    producers_ = static_cast<int>(n);
  }

  void producer_done() {
    std::lock_guard lock(mutex_);
    --producers_;
    not_empty_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<FileResult> items_;
  int producers_ = 0;
};

}  // namespace

IndexReport index_paths(WritableIndex& index, const IndexOptions& options,
                        const ArticleReader& reader,
                        const std::function<void(const SkippedFile&)>& on_skip,
                        const std::function<void(const IndexProgress&)>& on_progress) {
  IndexReport report;
  std::mutex report_mutex;  // report, progress and the callbacks, for the writers
  auto skip = [&](SkippedFile s) {
    on_skip(s);
    report.skipped.push_back(std::move(s));
  };

  std::vector<fs::path> roots;
  for (const fs::path& r : options.roots) roots.push_back(absolute_root(r));
  const std::vector<std::string> files = walk::list_article_files(roots, options.excludes, skip);
  std::map<std::string, schema::FileRecord> known;
  for (const Xapian::WritableDatabase& shard : index.shards) known.merge(load_file_records(shard));

  // Workers read, decode, parse, extract and build documents; each shard
  // has one writer thread, fed by its own queue, as Xapian's databases are
  // not thread-safe.
  const unsigned jobs = options.jobs > 0 ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t shard_count = index.shards.size();
  std::vector<std::unique_ptr<ResultQueue>> queues;
  for (std::size_t k = 0; k < shard_count; ++k) {
    queues.push_back(std::make_unique<ResultQueue>(4 * static_cast<std::size_t>(jobs)));
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};  // a writer failed: everyone stops
  auto stopped = [&] { return failed.load() || (options.stop != nullptr && options.stop->load()); };
  for (auto& q : queues) q->set_producers(jobs);
  // The first error that is not one file's (Xapian's, the lexicon's) stops
  // every thread and is thrown once they are done.
  std::exception_ptr error;
  auto fail = [&](std::exception_ptr e) {
    {
      std::lock_guard lock(report_mutex);
      if (!error) error = std::move(e);
    }
    failed.store(true);
  };
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      try {
        for (std::size_t i; !stopped() && (i = next.fetch_add(1)) < files.size();) {
          FileResult r = process_file(files[i], known, options, reader);
          queues[schema::shard_of(r.id, shard_count)]->push(std::move(r));
        }
      } catch (...) {
        fail(std::current_exception());
      }
      for (auto& q : queues) q->producer_done();
    });
  }

  std::set<std::string> seen;
  IndexProgress progress;
  progress.files_total = files.size();
  auto write_shard = [&](std::size_t k) {
    Xapian::WritableDatabase& db = index.shards[k];
    ResultQueue& queue = *queues[k];
    try {
      EntityRegistry registry(db);
      std::size_t uncommitted = 0;
      auto changed = [&] {
        if (++uncommitted >= options.files_per_commit) {
          registry.flush();
          db.commit();
          uncommitted = 0;
        }
      };
      while (std::optional<FileResult> r = queue.pop()) {
        switch (r->kind) {
          case FileResult::Kind::unchanged:
          case FileResult::Kind::skipped:
            break;
          case FileResult::Kind::touched:
            db.set_metadata(schema::file_key(r->id), r->record.to_json());
            changed();
            break;
          case FileResult::Kind::changed:
            registry.add(r->article);
            // The whole article is replaced inside one commit: a reader
            // never sees half of it.
            if (known.count(r->id) != 0) db.delete_document(schema::article_term(r->id));
            // The old sections are gone (or there were none): add, without
            // the look-up replace_document() would make for each id term.
            for (const Xapian::Document& doc : r->documents) db.add_document(doc);
            db.set_metadata(schema::file_key(r->id), r->record.to_json());
            changed();
            break;
        }
        std::lock_guard lock(report_mutex);
        seen.insert(r->id);
        ++progress.files_done;
        progress.bytes_read += r->bytes;
        switch (r->kind) {
          case FileResult::Kind::unchanged:
          case FileResult::Kind::touched:
            ++report.unchanged;
            break;
          case FileResult::Kind::skipped:
            skip({r->path, r->reason});
            break;
          case FileResult::Kind::changed:
            ++(known.count(r->id) != 0 ? report.updated : report.added);
            report.sections += r->documents.size();
            if (!r->warning.empty()) report.warned.push_back({r->path, r->warning});
            break;
        }
        if (on_progress) on_progress(progress);
      }
      registry.flush();
      db.commit();
    } catch (...) {
      fail(std::current_exception());
      // Let the workers finish: they may be waiting for room in this queue.
      while (queue.pop()) {
      }
    }
  };
  std::vector<std::thread> writers;
  for (std::size_t k = 0; k < shard_count; ++k) writers.emplace_back(write_shard, k);
  for (std::thread& w : workers) w.join();
  for (std::thread& w : writers) w.join();
  if (error) std::rethrow_exception(error);
  report.interrupted = stopped() && progress.files_done < files.size();

  if (!report.interrupted) {
    for (const auto& [id, record] : known) {
      if (seen.count(id) != 0) continue;
      const std::string& path = record.path;
      const bool in_scope = std::any_of(roots.begin(), roots.end(),
                                        [&](const fs::path& r) { return is_under(path, r); });
      if (!in_scope) continue;
      Xapian::WritableDatabase& db = index.shard_of(id);
      db.delete_document(schema::article_term(id));
      db.set_metadata(schema::file_key(id), "");
      ++report.removed;
    }
    for (Xapian::WritableDatabase& db : index.shards) db.commit();
  }
  return report;
}

}  // namespace folio
