// index_paths: the orchestration of a run. Workers walk the list of files
// and make a FileResult of each (the per-file pipeline below); one writer
// thread per shard applies them (shard_writer.hpp); files that are gone
// are removed at the end.
#include "folio/ingest.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
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

// What the index knows of a file, and whether this run listed it.
struct Known {
  std::optional<schema::FileRecord> indexed;  // folio.file:
  std::optional<schema::BadFileRecord> bad;   // folio.bad:
  bool listed = false;
  const std::string& path() const { return indexed ? indexed->path : bad->path; }
};

// The canonical form FileRecord::to_json() writes, parsed without a JSON
// parser: every run reads every file record, and nlohmann's parser was a
// tenth of a no-op run. Anything else (a path with escapes, another
// layout) is nullopt, for FileRecord::from_json().
std::optional<schema::FileRecord> quick_file_record(std::string_view j) {
  auto literal = [&](std::string_view lit) {
    if (!j.starts_with(lit)) return false;
    j.remove_prefix(lit.size());
    return true;
  };
  auto number = [&](auto& out, int base = 10) {
    const auto [end, ec] = std::from_chars(j.data(), j.data() + j.size(), out, base);
    if (ec != std::errc()) return false;
    j.remove_prefix(static_cast<std::size_t>(end - j.data()));
    return true;
  };
  schema::FileRecord r;
  if (!literal(R"({"hash":")") || !number(r.content_hash, 16) || !literal(R"(","mtime_ns":)") ||
      !number(r.mtime_ns) || !literal(R"(,"path":")")) {
    return std::nullopt;
  }
  const std::size_t quote = j.find('"');
  if (quote == std::string_view::npos || j.substr(0, quote).find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  r.path = std::string(j.substr(0, quote));
  j.remove_prefix(quote);
  if (!literal(R"(","sections":)") || !number(r.sections) || !literal(R"(,"size":)") || !number(r.size) ||
      !literal("}") || !j.empty()) {
    return std::nullopt;
  }
  return r;
}

std::uint64_t id_number(std::string_view id) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n, 16);
  if (ec != std::errc() || end != id.data() + id.size()) {
    throw Error(fmt::format("the index is damaged: bad article id '{}' in its file records", id));
  }
  return n;
}

// The files the index knows, from every shard, by the number their article
// id spells (fnv1a64 of the real path), in a sorted array: no node per
// file, and a look-up touches a few cache lines of ids.
class KnownFiles {
 public:
  // Reads the records of one more shard; then call sort().
  void load(const Xapian::Database& shard) {
    const std::string file_prefix(schema::kFileKeyPrefix);
    const std::string bad_prefix(schema::kBadFileKeyPrefix);
    for (auto it = shard.metadata_keys_begin(file_prefix); it != shard.metadata_keys_end(file_prefix); ++it) {
      const std::string key = *it;
      const std::string value = shard.get_metadata(key);
      std::optional<schema::FileRecord> record = quick_file_record(value);
      if (!record) record = schema::FileRecord::from_json(value);
      add(id_number(std::string_view(key).substr(file_prefix.size()))).indexed = std::move(record);
    }
    for (auto it = shard.metadata_keys_begin(bad_prefix); it != shard.metadata_keys_end(bad_prefix); ++it) {
      const std::string key = *it;
      add(id_number(std::string_view(key).substr(bad_prefix.size()))).bad =
          schema::BadFileRecord::from_json(shard.get_metadata(key));
    }
  }
  void reserve(std::size_t n) {
    ids_.reserve(n);
    items_.reserve(n);
  }
  // Sorts by id, merging a file's folio.file: and folio.bad: records.
  void sort() {
    std::vector<std::size_t> order(ids_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids_[a] < ids_[b]; });
    std::vector<std::uint64_t> ids;
    std::vector<Known> items;
    ids.reserve(ids_.size());
    items.reserve(ids_.size());
    for (const std::size_t i : order) {
      if (!ids.empty() && ids.back() == ids_[i]) {
        if (items_[i].indexed) items.back().indexed = std::move(items_[i].indexed);
        if (items_[i].bad) items.back().bad = std::move(items_[i].bad);
        continue;
      }
      ids.push_back(ids_[i]);
      items.push_back(std::move(items_[i]));
    }
    ids_ = std::move(ids);
    items_ = std::move(items);
  }
  Known* find(std::uint64_t id) {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    return it == ids_.end() || *it != id ? nullptr : &items_[static_cast<std::size_t>(it - ids_.begin())];
  }
  std::size_t size() const { return ids_.size(); }
  std::uint64_t id(std::size_t i) const { return ids_[i]; }
  const Known& item(std::size_t i) const { return items_[i]; }

 private:
  Known& add(std::uint64_t id) {
    ids_.push_back(id);
    return items_.emplace_back();
  }

  std::vector<std::uint64_t> ids_;
  std::vector<Known> items_;
};

KnownFiles load_known_files(const WritableIndex& index) {
  KnownFiles known;
  Xapian::doccount n = 0;
  for (const Xapian::WritableDatabase& shard : index.shards) n += shard.get_doccount();
  known.reserve(n);
  for (const Xapian::WritableDatabase& shard : index.shards) known.load(shard);
  known.sort();
  return known;
}

// A root of this run: where it is, the patterns it is walked with, and
// what is stored for it.
struct RunRoot {
  walk::WalkRoot walk;
  std::vector<std::string> stored_excludes;  // what its record keeps
  std::optional<schema::RootRecord> stored;  // its record before this run
  std::string old_key;                       // a stored record under another key (the link moved)
};

std::vector<std::string> non_blank(const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  for (const std::string& p : patterns) {
    if (!trim(p).empty()) out.push_back(p);
  }
  return out;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The folder all `paths` are in, for a hint ("" if none is common).
std::string common_folder(const KnownFiles& known) {
  std::string common;
  bool first = true;
  for (std::size_t i = 0; i < known.size(); ++i) {
    const Known& k = known.item(i);
    const std::string dir = fs::path(k.path()).parent_path().native();
    if (first) {
      common = dir;
      first = false;
      continue;
    }
    std::size_t n = 0;
    while (n < common.size() && n < dir.size() && common[n] == dir[n]) ++n;
    common.resize(n);
    while (!common.empty() && !walk::is_under(dir, common)) common.pop_back();
  }
  while (common.size() > 1 && common.ends_with('/')) common.pop_back();
  return common;
}

// --- The per-file pipeline -------------------------------------------------

// Unchanged: same size and mtime, and stored under the path shown now (a
// root given another way than before, through a link or not, rewrites its
// articles' paths).
bool unchanged_since(const schema::FileRecord& record, const walk::ListedFile& f) {
  return record.size == f.stat.size && record.mtime_ns == f.stat.mtime_ns && record.path == f.shown;
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
void read_changed_file(const walk::ListedFile& file, const schema::FileRecord* old,
                       const ArticleReader& reader, FileResult& r) {
  const std::string bytes = read_file_bytes(file.real);
  r.bytes = bytes.size();
  r.record = {r.path, bytes.size(), file.stat.mtime_ns, fnv1a64(bytes), 0};
  if (old != nullptr && old->content_hash == r.record.content_hash && old->path == r.path) {
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

// A listed file that is not unchanged: new, changed, or skipped.
FileResult process_file(const walk::ListedFile& file, const std::string& id, const Known* known,
                        const IndexOptions& options, const ArticleReader& reader) {
  FileResult r;
  r.path = file.shown;
  r.id = id;
  r.had_record = known != nullptr && known->indexed.has_value();
  r.had_bad_record = known != nullptr && known->bad.has_value();
  if (!file.failed.empty()) return skipped_file(std::move(r), file.failed, nullptr);
  const FileStat& st = file.stat;
  if (st.size > options.max_file_size) {
    return skipped_file(
        std::move(r),
        fmt::format("larger than the size limit ({} bytes > {})", st.size, options.max_file_size), &st, true);
  }
  try {
    read_changed_file(file, r.had_record ? &*known->indexed : nullptr, reader, r);
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
  void resolve_roots();
  void add_root(const fs::path& given, const schema::RootRecord* stored, bool from_store);
  void list_files();
  void sort_out_unchanged();
  void read_changed_files();
  void start_queues(unsigned jobs);
  void read_files();                // a worker thread
  void write_shard(std::size_t k);  // shard k's writer thread
  void account(const FileResult& r);
  // The writer of shard k; all are made on first use, on this thread.
  ShardWriter& writer(std::size_t k) {
    if (writers_.empty()) {
      for (Xapian::WritableDatabase& shard : index_.shards)
        writers_.emplace_back(shard, options_.files_per_commit, options_.curation);
    }
    return writers_[k];
  }
  void progress() {
    ++progress_.files_done;
    if (on_progress_) on_progress_(progress_);
  }
  void remove_gone_files();
  bool is_gone(const Known& k) const;
  void store_roots();
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

  std::vector<RunRoot> roots_;
  std::vector<std::string> within_;  // real paths
  std::vector<walk::ListedFile> files_;
  KnownFiles known_;
  // The files to read: indexes into files_, with their ids.
  std::vector<std::pair<std::size_t, std::uint64_t>> todo_;
  std::vector<std::unique_ptr<ResultQueue>> queues_;  // one per shard
  std::vector<ShardWriter> writers_;                  // one per shard
  std::atomic<std::size_t> next_{0};                  // the next file of todo_ to read
  std::atomic<bool> failed_{false};                   // a thread failed: everyone stops
  std::exception_ptr error_;

  std::mutex report_mutex_;  // what follows, and the callbacks, for the writers
  IndexReport report_;
  IndexProgress progress_;
};

IndexReport IndexRun::run() {
  resolve_roots();
  list_files();
  known_ = load_known_files(index_);
  sort_out_unchanged();
  // The entities file's changes go into the run's first commit of each
  // shard (the last, when nothing else changes).
  bool curated = false;
  for (std::size_t k = 0; k < index_.shards.size(); ++k) curated = writer(k).update_curation() || curated;
  const bool read = !todo_.empty() && !stopped();
  if (read) read_changed_files();
  if (curated && !read) {
    for (ShardWriter& w : writers_) w.commit();
  }
  if (error_) std::rethrow_exception(error_);
  report_.interrupted = stopped() && progress_.files_done < files_.size();
  if (!report_.interrupted) remove_gone_files();
  store_roots();
  return std::move(report_);
}

void IndexRun::add_root(const fs::path& given, const schema::RootRecord* stored, bool from_store) {
  RunRoot root;
  root.walk.real = walk::real_path(given);
  root.walk.shown = walk::shown_path(given);
  const std::string key = schema::root_key(root.walk.real);
  for (const RunRoot& r : roots_) {
    if (r.walk.real == root.walk.real) return;  // "x" and "./x", a link and its folder
  }
  if (stored == nullptr) {
    for (const schema::RootRecord& s : schema::stored_roots(index_.shards.front())) {
      if (schema::root_key(s.real_path) == key || s.path == root.walk.shown) {
        root.stored = s;
        break;
      }
    }
  } else {
    root.stored = *stored;
  }
  if (root.stored && schema::root_key(root.stored->real_path) != key) {
    root.old_key = schema::root_key(root.stored->real_path);
  }
  const std::vector<std::string> given_excludes = non_blank(options_.excludes);
  if (from_store) {
    root.stored_excludes = root.stored->excludes;
    root.walk.excludes = root.stored_excludes;
    root.walk.excludes.insert(root.walk.excludes.end(), given_excludes.begin(), given_excludes.end());
  } else {
    root.stored_excludes = options_.excludes.empty() && root.stored ? root.stored->excludes : given_excludes;
    root.walk.excludes = root.stored_excludes;
  }
  if (from_store || !within_.empty()) {
    struct stat st {};
    if (::stat(root.walk.real.c_str(), &st) != 0) {
      report_.missing_roots.push_back(root.walk.shown);
      return;
    }
  }
  if (!within_.empty()) {
    for (const std::string& w : within_) {
      if (walk::is_under(w, root.walk.real)) root.walk.within.push_back(w);
    }
    if (root.walk.within.empty()) return;
  }
  roots_.push_back(std::move(root));
}

void IndexRun::resolve_roots() {
  for (const fs::path& w : options_.within) within_.push_back(walk::real_path(w));
  for (const fs::path& r : options_.roots) add_root(r, nullptr, false);
  if (options_.all_roots) {
    const std::vector<schema::RootRecord> stored = schema::stored_roots(index_.shards.front());
    for (const schema::RootRecord& s : stored) add_root(s.path, &s, true);
    if (stored.empty() && options_.roots.empty()) {
      const std::size_t articles = index_.shards.empty() ? 0 : [&] {
        std::size_t n = 0;
        const std::string prefix(schema::kFileKeyPrefix);
        for (const auto& shard : index_.shards) {
          for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) ++n;
        }
        return n;
      }();
      if (articles == 0) {
        throw Error(
            "no folders to index: run `folio index FOLDER`; the index remembers it, and "
            "`folio index` alone updates every folder it holds");
      }
      const std::string under = common_folder(load_known_files(index_));
      throw Error(fmt::format(
          "the index at {} holds {} article{} but no folders to update: it was made by a folio that "
          "did not remember them; run `folio index FOLDER` once for each folder it holds{}, then "
          "`folio index` alone updates them all",
          index_.dir.string(), articles, articles == 1 ? "" : "s",
          under.empty() || under == "/" ? "" : fmt::format(" (its files are under {})", under)));
    }
  } else if (options_.roots.empty()) {
    throw Error("no folders to index: give a FOLDER (or update the stored ones)");
  }
}

void IndexRun::list_files() {
  std::vector<walk::WalkRoot> walk_roots;
  for (const RunRoot& r : roots_) walk_roots.push_back(r.walk);
  files_ = walk::list_files(walk_roots, [this](SkippedFile s) { skip(std::move(s)); });
  progress_.files_total = files_.size();
}

// The cheap pass, on this thread: a file whose size and mtime are as
// recorded is done (a no-op run ends here, with no thread started), and so
// is one that could not be indexed before and has not changed since.
void IndexRun::sort_out_unchanged() {
  for (std::size_t i = 0; i < files_.size() && !stopped(); ++i) {
    const walk::ListedFile& f = files_[i];
    const std::uint64_t id = fnv1a64(f.real);
    if (Known* known = known_.find(id)) {
      Known& k = *known;
      k.listed = true;
      if (k.indexed && f.failed.empty() && unchanged_since(*k.indexed, f)) {
        ++report_.unchanged;
        progress();
        continue;
      }
      if (k.bad && !k.indexed && f.failed.empty() && k.bad->path == f.shown &&
          !worth_retrying(*k.bad, f.stat, options_)) {
        ++report_.skipped_unchanged;
        progress();
        continue;
      }
    }
    todo_.emplace_back(i, id);
  }
}

void IndexRun::read_changed_files() {
  // Workers read, decode, parse, extract and build documents; each shard
  // has one writer thread, fed by its own queue, as Xapian's databases are
  // not thread-safe.
  const unsigned cores =
      options_.jobs > 0 ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
  const unsigned jobs = static_cast<unsigned>(std::min<std::size_t>(cores, todo_.size()));
  start_queues(jobs);
  writer(0);  // before the threads
  std::vector<std::thread> workers, writers;
  for (unsigned j = 0; j < jobs; ++j) workers.emplace_back([this] { read_files(); });
  for (std::size_t k = 0; k < writers_.size(); ++k) {
    writers.emplace_back([this, k] { write_shard(k); });
  }
  for (std::thread& w : workers) w.join();
  for (std::thread& w : writers) w.join();
}

void IndexRun::start_queues(unsigned jobs) {
  for (std::size_t k = 0; k < index_.shards.size(); ++k) {
    queues_.push_back(std::make_unique<ResultQueue>(4 * static_cast<std::size_t>(jobs)));
    queues_.back()->set_producers(jobs);
  }
}

void IndexRun::read_files() {
  try {
    for (std::size_t i; !stopped() && (i = next_.fetch_add(1)) < todo_.size();) {
      const auto& [file, id] = todo_[i];
      FileResult r = process_file(files_[file], to_hex(id), known_.find(id), options_, reader_);
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
      writer(k).apply(*r);
      account(*r);
    }
    writer(k).commit();
  } catch (...) {
    fail(std::current_exception());
    // Let the workers finish: they may be waiting for room in this queue.
    while (queue.pop()) {
    }
  }
}

void IndexRun::account(const FileResult& r) {
  std::lock_guard lock(report_mutex_);
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
  progress();
}

// A file the index knows that this run did not list is gone when it is
// under a root walked (or, for a watch, under a path looked at): by the
// path shown now, the one stored before (a root given another way), or
// the real one.
bool IndexRun::is_gone(const Known& k) const {
  if (k.listed) return false;
  const std::string& path = k.path();
  for (const RunRoot& r : roots_) {
    std::vector<std::string_view> prefixes{r.walk.shown, r.walk.real};
    if (r.stored) prefixes.emplace_back(r.stored->path);
    for (const std::string_view prefix : prefixes) {
      if (!walk::is_under(path, prefix)) continue;
      if (r.walk.within.empty()) return true;
      // The path below the root, against the paths looked at.
      const std::string below = r.walk.real + path.substr(prefix.size());
      for (const std::string& w : r.walk.within) {
        if (walk::is_under(below, w)) return true;
      }
    }
  }
  return false;
}

// Files the index knows under a root that were not listed this time are
// gone: their sections and records go too (a bad file's record is only
// forgotten, it had nothing indexed).
void IndexRun::remove_gone_files() {
  bool any = false;
  for (std::size_t i = 0; i < known_.size(); ++i) {
    const Known& k = known_.item(i);
    if (!is_gone(k)) continue;
    const std::string article = to_hex(known_.id(i));
    writer(schema::shard_of(article, index_.shards.size())).forget(article);
    if (k.indexed) ++report_.removed;
    any = true;
  }
  if (any) {
    for (ShardWriter& w : writers_) w.commit();
  }
}

// Each root walked is remembered with its patterns, and the time when it
// was last indexed completely.
void IndexRun::store_roots() {
  Xapian::WritableDatabase& first = index_.shards.front();
  const std::int64_t now = unix_now();
  bool changed = false;
  for (const RunRoot& r : roots_) {
    schema::RootRecord record{r.walk.shown, r.walk.real, r.stored_excludes, 0};
    if (r.stored) record.indexed_at = r.stored->indexed_at;
    if (!report_.interrupted) record.indexed_at = now;
    if (!r.old_key.empty()) first.set_metadata(r.old_key, "");
    const std::string json = record.to_json();
    const std::string key = schema::root_key(r.walk.real);
    if (first.get_metadata(key) == json) continue;
    first.set_metadata(key, json);
    changed = true;
  }
  if (changed) first.commit();
}

}  // namespace

std::vector<schema::RootRecord> stored_roots(const WritableIndex& index) {
  return schema::stored_roots(index.shards.front());
}

IndexReport index_paths(WritableIndex& index, const IndexOptions& options, const ArticleReader& reader,
                        const std::function<void(const SkippedFile&)>& on_skip,
                        const std::function<void(const IndexProgress&)>& on_progress) {
  try {
    return IndexRun(index, options, reader, on_skip, on_progress).run();
  } catch (const Xapian::Error&) {
    rethrow_write_error(index.dir, std::current_exception());
  }
}

ForgetReport forget_path(WritableIndex& index, const fs::path& path) {
  ForgetReport report;
  const std::string shown = walk::shown_path(path);
  const std::string real = walk::real_path(path);
  try {
    Xapian::WritableDatabase& first = index.shards.front();
    // The prefixes the files are stored under: the path as given and
    // resolved, and for a root at or below it, the root's own.
    std::vector<std::string> prefixes{shown, real};
    for (schema::RootRecord& root : schema::stored_roots(first)) {
      const bool below = walk::is_under(root.path, shown) || walk::is_under(root.real_path, real);
      if (below) {
        prefixes.push_back(root.path);
        prefixes.push_back(root.real_path);
        first.set_metadata(schema::root_key(root.real_path), "");
        report.roots.push_back(root.path);
        continue;
      }
      // Inside a root: excluded from it from now on.
      std::string_view inside;
      if (walk::is_under(real, root.real_path)) {
        inside = std::string_view(real).substr(root.real_path.size());
      } else if (walk::is_under(shown, root.path)) {
        inside = std::string_view(shown).substr(root.path.size());
      } else {
        continue;
      }
      while (inside.starts_with('/')) inside.remove_prefix(1);
      prefixes.push_back(root.path + "/" + std::string(inside));
      const std::string pattern = walk::exact_pattern(inside);
      if (std::find(root.excludes.begin(), root.excludes.end(), pattern) == root.excludes.end()) {
        root.excludes.push_back(pattern);
        first.set_metadata(schema::root_key(root.real_path), root.to_json());
        report.excluded.emplace_back(root.path, pattern);
      }
    }
    for (Xapian::WritableDatabase& shard : index.shards) {
      ShardWriter writer(shard, std::numeric_limits<std::size_t>::max());
      KnownFiles known;
      known.load(shard);
      known.sort();
      for (std::size_t i = 0; i < known.size(); ++i) {
        const Known& file = known.item(i);
        const std::string& p = file.path();
        if (std::none_of(prefixes.begin(), prefixes.end(),
                         [&](const std::string& prefix) { return walk::is_under(p, prefix); })) {
          continue;
        }
        writer.forget(to_hex(known.id(i)));
        ++(file.indexed ? report.articles : report.skipped_files);
      }
      writer.commit();
    }
  } catch (const Xapian::Error&) {
    rethrow_write_error(index.dir, std::current_exception());
  }
  return report;
}

}  // namespace folio
