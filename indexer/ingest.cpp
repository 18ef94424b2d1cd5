// index_paths: the orchestration of a run. Workers walk the list of files
// and make a FileResult of each (the per-file pipeline below); one writer
// thread per shard applies them (shard_writer.hpp); files that are gone
// are removed at the end.
#include "folio/ingest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "article_reader.hpp"
#include "folio/error.hpp"
#include "folio/schema.hpp"
#include "folio/text.hpp"
#include "result_queue.hpp"
#include "shard_writer.hpp"
#include "walk.hpp"

namespace folio {
namespace fs = std::filesystem;

namespace {

// The files the index knows, by article id, from every shard.
struct KnownFiles {
  std::map<std::string, schema::FileRecord> indexed;  // folio.file:
  std::map<std::string, schema::BadFileRecord> bad;   // folio.bad:
};

template <class Record>
void load_records(const Xapian::Database& db, std::string_view key_prefix,
                  std::map<std::string, Record>& into) {
  const std::string prefix(key_prefix);
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    into.emplace((*it).substr(prefix.size()), Record::from_json(db.get_metadata(*it)));
  }
}

KnownFiles load_known_files(const WritableIndex& index) {
  KnownFiles known;
  for (const Xapian::WritableDatabase& shard : index.shards) {
    load_records(shard, schema::kFileKeyPrefix, known.indexed);
    load_records(shard, schema::kBadFileKeyPrefix, known.bad);
  }
  return known;
}

bool is_under(const std::string& path, const fs::path& root) {
  const std::string r = root.string();
  return path == r ||
         (path.size() > r.size() && path.starts_with(r) && (r.ends_with('/') || path[r.size()] == '/'));
}

fs::path absolute_root(const fs::path& root) {
  fs::path p = fs::absolute(root).lexically_normal();
  // "dir/" normalises to "dir/" with an empty filename: drop it.
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) {
    p = p.parent_path();
  }
  return p;
}

// --- The per-file pipeline -------------------------------------------------

bool unchanged_since(const schema::FileRecord& record, const FileStat& st) {
  return record.size == st.size && record.mtime_ns == st.mtime_ns;
}

// A file that could not be indexed is read again only when it may have
// become readable: it changed, or its mode did (ctime), or it was too
// large and this run's limit is higher.
bool worth_retrying(const schema::BadFileRecord& bad, const FileStat& st, const IndexOptions& options) {
  return bad.size != st.size || bad.mtime_ns != st.mtime_ns || bad.ctime_ns != st.ctime_ns ||
         (bad.too_large && st.size <= options.max_file_size);
}

// Reads a file that is new or changed and fills `r` as touched or changed.
// Throws folio::Error when it cannot be indexed.
void read_changed_file(const fs::path& file, const FileStat& st, const schema::FileRecord* old,
                       const ArticleReader& reader, FileResult& r) {
  const std::string bytes = read_file_bytes(file);
  r.bytes = bytes.size();
  r.record = {r.path, bytes.size(), st.mtime_ns, fnv1a64(bytes), 0};
  if (old != nullptr && old->content_hash == r.record.content_hash) {
    // Touched but not changed: remember the new mtime, keep the documents.
    r.record.sections = old->sections;
    r.kind = FileResult::Kind::touched;
    return;
  }
  r.article = reader.parse(bytes, r.path);
  for (const Section& section : r.article.sections) {
    r.documents.push_back(make_section_document(r.article, section, r.id));
  }
  r.record.sections = static_cast<int>(r.article.sections.size());
  r.warning = r.article.warning;
  r.kind = FileResult::Kind::changed;
}

FileResult skipped_file(FileResult r, std::string reason, const FileStat* st, bool too_large = false) {
  r.kind = FileResult::Kind::skipped;
  r.reason = std::move(reason);
  if (st != nullptr) {
    r.bad_record = schema::BadFileRecord{r.path, st->size, st->mtime_ns, st->ctime_ns, r.reason, too_large};
  }
  return r;
}

FileResult process_file(const fs::path& file, const KnownFiles& known, const IndexOptions& options,
                        const ArticleReader& reader) {
  FileResult r;
  r.path = file.string();
  r.id = schema::article_id(r.path);
  const auto old = known.indexed.find(r.id);
  const auto bad = known.bad.find(r.id);
  r.had_record = old != known.indexed.end();
  r.had_bad_record = bad != known.bad.end();
  FileStat st;
  try {
    st = stat_file(file);
  } catch (const Error& e) {
    return skipped_file(std::move(r), e.what(), nullptr);
  }
  if (r.had_record && unchanged_since(old->second, st)) return r;  // unchanged, not read
  if (r.had_bad_record && !worth_retrying(bad->second, st, options)) {
    r.kind = FileResult::Kind::still_skipped;
    r.reason = bad->second.reason;
    return r;
  }
  if (st.size > options.max_file_size) {
    return skipped_file(
        std::move(r),
        fmt::format("larger than the size limit ({} bytes > {})", st.size, options.max_file_size), &st, true);
  }
  try {
    read_changed_file(file, st, r.had_record ? &old->second : nullptr, reader, r);
  } catch (const Error& e) {
    return skipped_file(std::move(r), e.what(), &st);
  }
  return r;
}

// --- The orchestration -----------------------------------------------------

// One call of index_paths: its threads, their shared state, and the report.
class IndexRun {
 public:
  IndexRun(WritableIndex& index, const IndexOptions& options, const ArticleReader& reader,
           const std::function<void(const SkippedFile&)>& on_skip,
           const std::function<void(const IndexProgress&)>& on_progress)
      : index_(index), options_(options), reader_(reader), on_skip_(on_skip), on_progress_(on_progress) {}

  IndexReport run();

 private:
  void list_files();
  void start_queues(unsigned jobs);
  void read_files();                // a worker thread
  void write_shard(std::size_t k);  // shard k's writer thread
  void account(const FileResult& r);
  void remove_gone_files();
  void skip(SkippedFile s) {
    on_skip_(s);
    report_.skipped.push_back(std::move(s));
  }
  // The first error that is not one file's (Xapian's, the lexicon's) stops
  // every thread and is thrown once they are done.
  void fail(std::exception_ptr e) {
    {
      std::lock_guard lock(report_mutex_);
      if (!error_) error_ = std::move(e);
    }
    failed_.store(true);
  }
  bool stopped() const { return failed_.load() || (options_.stop != nullptr && options_.stop->load()); }

  WritableIndex& index_;
  const IndexOptions& options_;
  const ArticleReader& reader_;
  const std::function<void(const SkippedFile&)>& on_skip_;
  const std::function<void(const IndexProgress&)>& on_progress_;

  std::vector<fs::path> roots_;
  std::vector<std::string> files_;
  KnownFiles known_;
  std::vector<std::unique_ptr<ResultQueue>> queues_;  // one per shard
  std::vector<ShardWriter> writers_;                  // one per shard
  std::atomic<std::size_t> next_{0};                  // the next file to read
  std::atomic<bool> failed_{false};                   // a thread failed: everyone stops
  std::exception_ptr error_;

  std::mutex report_mutex_;  // what follows, and the callbacks, for the writers
  IndexReport report_;
  IndexProgress progress_;
  std::set<std::string> seen_;  // ids of the files listed and processed
};

IndexReport IndexRun::run() {
  list_files();
  known_ = load_known_files(index_);
  // Workers read, decode, parse, extract and build documents; each shard
  // has one writer thread, fed by its own queue, as Xapian's databases are
  // not thread-safe.
  const unsigned jobs = options_.jobs > 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
  start_queues(jobs);
  std::vector<std::thread> workers, writers;
  for (unsigned j = 0; j < jobs; ++j) workers.emplace_back([this] { read_files(); });
  for (std::size_t k = 0; k < writers_.size(); ++k) {
    writers.emplace_back([this, k] { write_shard(k); });
  }
  for (std::thread& w : workers) w.join();
  for (std::thread& w : writers) w.join();
  if (error_) std::rethrow_exception(error_);
  report_.interrupted = stopped() && progress_.files_done < files_.size();
  if (!report_.interrupted) remove_gone_files();
  return std::move(report_);
}

void IndexRun::list_files() {
  for (const fs::path& r : options_.roots) roots_.push_back(absolute_root(r));
  files_ = walk::list_article_files(roots_, options_.excludes, [this](SkippedFile s) { skip(std::move(s)); });
  progress_.files_total = files_.size();
}

void IndexRun::start_queues(unsigned jobs) {
  for (Xapian::WritableDatabase& shard : index_.shards) {
    queues_.push_back(std::make_unique<ResultQueue>(4 * static_cast<std::size_t>(jobs)));
    queues_.back()->set_producers(jobs);
    writers_.emplace_back(shard, options_.files_per_commit);
  }
}

void IndexRun::read_files() {
  try {
    for (std::size_t i; !stopped() && (i = next_.fetch_add(1)) < files_.size();) {
      FileResult r = process_file(files_[i], known_, options_, reader_);
      const std::size_t shard = schema::shard_of(r.id, queues_.size());
      queues_[shard]->push(std::move(r));
    }
  } catch (...) {
    fail(std::current_exception());
  }
  for (auto& q : queues_) q->producer_done();
}

void IndexRun::write_shard(std::size_t k) {
  ResultQueue& queue = *queues_[k];
  try {
    while (std::optional<FileResult> r = queue.pop()) {
      writers_[k].apply(*r);
      account(*r);
    }
    writers_[k].commit();
  } catch (...) {
    fail(std::current_exception());
    // Let the workers finish: they may be waiting for room in this queue.
    while (queue.pop()) {
    }
  }
}

void IndexRun::account(const FileResult& r) {
  std::lock_guard lock(report_mutex_);
  seen_.insert(r.id);
  ++progress_.files_done;
  progress_.bytes_read += r.bytes;
  switch (r.kind) {
    case FileResult::Kind::unchanged:
    case FileResult::Kind::touched:
      ++report_.unchanged;
      break;
    case FileResult::Kind::still_skipped:
      ++report_.skipped_unchanged;
      break;
    case FileResult::Kind::skipped:
      skip({r.path, r.reason});
      break;
    case FileResult::Kind::changed:
      ++(r.had_record ? report_.updated : report_.added);
      report_.sections += r.documents.size();
      if (!r.warning.empty()) report_.warned.push_back({r.path, r.warning});
      break;
  }
  if (on_progress_) on_progress_(progress_);
}

// Files the index knows under a root that were not listed this time are
// gone: their sections and records go too (a bad file's record is only
// forgotten, it had nothing indexed).
void IndexRun::remove_gone_files() {
  auto gone = [&](const std::string& id, const std::string& path) {
    return seen_.count(id) == 0 &&
           std::any_of(roots_.begin(), roots_.end(), [&](const fs::path& r) { return is_under(path, r); });
  };
  const std::size_t shards = writers_.size();
  for (const auto& [id, record] : known_.indexed) {
    if (!gone(id, record.path)) continue;
    writers_[schema::shard_of(id, shards)].forget(id);
    ++report_.removed;
  }
  for (const auto& [id, record] : known_.bad) {
    if (gone(id, record.path)) writers_[schema::shard_of(id, shards)].forget(id);
  }
  for (ShardWriter& w : writers_) w.commit();
}

}  // namespace

IndexReport index_paths(WritableIndex& index, const IndexOptions& options, const ArticleReader& reader,
                        const std::function<void(const SkippedFile&)>& on_skip,
                        const std::function<void(const IndexProgress&)>& on_progress) {
  try {
    return IndexRun(index, options, reader, on_skip, on_progress).run();
  } catch (const Xapian::Error&) {
    rethrow_write_error(index.dir, std::current_exception());
  }
}

}  // namespace folio
