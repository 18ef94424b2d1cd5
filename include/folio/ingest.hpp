// Indexing: walk folders, read and parse articles, and bring the Xapian
// database up to date with them (add, replace, remove), committing in
// atomic batches.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "folio/database.hpp"
#include "folio/entities.hpp"
#include "folio/model.hpp"
#include "folio/plain_text.hpp"

namespace folio {

class Curation;

struct IndexOptions {
  // Files and folders to index, as the user gave them (relative to the
  // working folder); folders are walked recursively for article
  // files (.txt, .text, .md, .markdown, .html, .htm, .xhtml), skipping hidden
  // entries and what a .folioignore file (gitignore syntax) excludes. A
  // file named here is indexed whatever its extension. Every root must
  // exist. Each is resolved (realpath) before ids are made, so a folder
  // reached through a link, or "./x" and "x", is one root, and remembered in
  // the index (schema::RootRecord) with its excludes.
  std::vector<std::filesystem::path> roots;
  // Also update every root stored in the index, with its stored excludes
  // (`folio index` without a PATH). A stored root that does not exist now
  // is not walked and its articles are kept (IndexReport::missing_roots): an
  // unmounted disk does not empty the index.
  bool all_roots = false;
  // Patterns to leave out, gitignore syntax, relative to each root. For the
  // roots in `roots`, patterns given replace the ones stored with the root
  // (none given: the stored ones apply; only blank ones: none apply); for
  // the other stored roots (all_roots) they are added for this run only.
  std::vector<std::string> excludes;
  // When not empty, only these paths (absolute; they need not exist) under
  // the roots are looked at: listed, updated, and their records dropped if
  // they are gone. For a watch, which knows what changed.
  std::vector<std::filesystem::path> within;
  // Files larger than this are skipped. Default: 20 MiB.
  std::uintmax_t max_file_size = 20u << 20;
  // Changed files per commit: a crash loses at most this much work.
  std::size_t files_per_commit = 1000;
  // Threads that read, decode, parse and extract (one more per shard
  // writes to Xapian). 0: one per core.
  unsigned jobs = 0;
  // When set by another thread (a signal handler), indexing stops after the
  // current file, commits what is done, and returns with interrupted set.
  const std::atomic<bool>* stop = nullptr;
  // The entities file's rules (folio/curation.hpp; not owned), applied to
  // the sections and entity records stored: when the rules differ from the
  // ones applied before, the entities whose rules changed are brought up to
  // date, in this run's commits. Null: no rules.
  const Curation* curation = nullptr;
};

// A file that was not indexed, and why.
struct SkippedFile {
  std::string path;
  std::string reason;  // "empty file", "binary file (NUL bytes)", ...
};

// How far indexing has got, for a progress bar.
struct IndexProgress {
  std::size_t files_done = 0;
  std::size_t files_total = 0;
  std::uint64_t bytes_read = 0;  // of files that were read (changed ones)
};

struct IndexReport {
  std::size_t added = 0;             // new files
  std::size_t updated = 0;           // files whose content changed
  std::size_t unchanged = 0;         // same size, mtime or content
  std::size_t removed = 0;           // indexed files that are gone from the roots
  std::size_t sections = 0;          // sections written for added and updated files
  std::vector<SkippedFile> skipped;  // reported by on_skip in this run
  // Files skipped by an earlier run and unchanged since: not read, not
  // reported again (the index remembers them, see docs/schema.md).
  std::size_t skipped_unchanged = 0;
  // Files indexed (counted in added or updated) with a warning, e.g. "no
  // article text found": a web page indexed with its title and metadata only.
  std::vector<SkippedFile> warned;
  // Stored roots that do not exist now (all_roots, within): not walked,
  // their articles kept. As stored (the path the user gave).
  std::vector<std::string> missing_roots;
  bool interrupted = false;
};

// Thrown when the lexicon cannot be loaded: not one file's fault, so
// index_paths() stops the whole run with it.
class LexiconLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Turns a file's bytes into an Article with its people and places, the way
// `folio index` and `folio extract` see it.
class ArticleReader {
 public:
  using LexiconLoader = std::function<std::shared_ptr<const Lexicon>()>;

  // `lexicon` may be null: then no people or places are extracted.
  ArticleReader(SiteBoilerplate boilerplate, std::shared_ptr<const Lexicon> lexicon);
  // The lexicon is loaded by `load` when the first article is parsed, once
  // for all threads, so a run that parses nothing (re-indexing an unchanged
  // folder) does not pay for it. If it fails, parse() throws
  // LexiconLoadError.
  ArticleReader(SiteBoilerplate boilerplate, LexiconLoader load);

  // UTF-8 is repaired, plain text is parsed, entities are extracted.
  // Throws folio::Error for an empty or binary file.
  Article parse(std::string_view bytes, const std::string& path) const;
  // Reads and parses a file. Throws folio::Error with the reason when it
  // cannot be read.
  Article read(const std::filesystem::path& file) const;

 private:
  struct LazyLexicon;
  // The lexicon, loading it the first time; may be null.
  std::shared_ptr<const Lexicon> lexicon() const;

  SiteBoilerplate boilerplate_;
  std::shared_ptr<LazyLexicon> lexicon_;
};

// Brings `index` up to date with the files under options.roots (and the
// stored roots, with options.all_roots). Unchanged files (same size and
// mtime, stat()ed once during the walk) are not read, and a run in which
// nothing changed starts no thread and writes only the roots' records; changed ones replace all their
// sections; indexed files under a root that no longer exist are removed.
// A file that cannot be indexed is reported through `on_skip` and
// remembered in its shard (schema::BadFileRecord): while it stays the same
// it is neither read nor reported again, only counted in
// IndexReport::skipped_unchanged.
// Files are read and parsed by options.jobs threads in parallel and written
// by one thread per shard, in batches of options.files_per_commit per
// shard, each an atomic commit. `on_skip` is called for each file that
// could not be indexed, `on_progress` (may be empty) after each file; one
// call at a time, from any of these threads. Throws folio::Error if a root
// in options.roots does not exist, when there is nothing to index (no root
// given, and none stored: the message says what to run), and as rethrow_write_error() does when the disk is
// full or the index read-only (the index stays as of its last commit); lets other Xapian::Errors and
// LexiconLoadError through, once every thread has stopped.
IndexReport index_paths(WritableIndex& index, const IndexOptions& options, const ArticleReader& reader,
                        const std::function<void(const SkippedFile&)>& on_skip,
                        const std::function<void(const IndexProgress&)>& on_progress = {});

// What forget_path() removed.
struct ForgetReport {
  std::size_t articles = 0;        // indexed files whose sections and records went
  std::size_t skipped_files = 0;   // records of files that could not be indexed
  std::vector<std::string> roots;  // stored roots no longer tracked (at or below the path)
  // A path inside a stored root is added to its excludes, so that the next
  // `folio index` does not bring it back: the root, and the pattern.
  std::vector<std::pair<std::string, std::string>> excluded;
  bool empty() const { return articles == 0 && skipped_files == 0 && roots.empty() && excluded.empty(); }
};

// Removes a folder's or a file's sections and records from `index` and
// stops tracking it: a stored root at or below `path` is dropped, a path
// inside a stored root becomes one of its excludes. `path` need not exist
// any more; it is resolved as index_paths() resolves roots, and matched
// both as given and resolved. Throws as rethrow_write_error() does.
ForgetReport forget_path(WritableIndex& index, const std::filesystem::path& path);

// The roots stored in `index`, sorted by path (see schema::RootRecord).
std::vector<schema::RootRecord> stored_roots(const WritableIndex& index);

// How a Watcher batches changes. Defaults suit a person editing files.
struct WatchOptions {
  // A batch is handed out this long after the last change ...
  std::chrono::milliseconds settle{300};
  // ... or this long after the first one, if changes keep coming.
  std::chrono::milliseconds max_delay{3000};
  // How often to rescan everything when inotify cannot watch every folder
  // (or with `poll`). 0: never.
  std::chrono::seconds rescan{60};
  // Also rescan every `rescan` with inotify working (network file systems,
  // whose remote changes inotify does not see).
  bool poll = false;
  // More changed paths than this in one batch: a rescan of the roots
  // instead, so that memory stays bounded.
  std::size_t max_batch_paths = 10000;
  // Behave as if the system allowed this many inotify watches (0: as many
  // as it allows); for tests of the fallback.
  std::size_t max_watches = 0;
  // The entities file (curation.hpp), watched too: created, written,
  // replaced (renamed over) or deleted, it makes a batch with
  // WatchBatch::entities_changed, a second after at most. "": none.
  std::filesystem::path entities_file = {};
};

// What changed since the last batch.
struct WatchBatch {
  // Real paths of changed files and folders (a folder: anything below it
  // may have changed), for IndexOptions::within. Empty with `rescan`.
  std::vector<std::filesystem::path> paths;
  bool rescan = false;  // look at everything: events were lost, or a periodic rescan
  // The entities file changed (with `rescan`): read it again, its rules
  // apply from this batch on.
  bool entities_changed = false;
};

// Watches the folders under some roots with inotify: file created,
// written, moved, deleted, its mode changed, folders created, moved or
// removed (new folders are watched as they come; a root that is removed
// or renamed is watched again if it comes back). Hidden entries are not
// watched. Memory is bounded by the number of folders and
// max_batch_paths. When inotify is not available or its watch limit is
// reached, it falls back to periodic rescans and says why
// (fallback_reason). Not thread-safe. Never throws after construction.
class Watcher {
 public:
  // `roots`: real paths (walk::real_path) of folders or files.
  Watcher(std::vector<std::string> roots, WatchOptions options);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // "" while inotify watches everything; else why it does not, with what
  // to do about it.
  const std::string& fallback_reason() const;
  // How many folders are watched.
  std::size_t watches() const;
  // Waits for the next batch of changes and returns it; nullopt as soon as
  // `stop` is set (checked at least every second, and when a signal
  // interrupts the wait).
  std::optional<WatchBatch> next(const std::atomic<bool>& stop);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Builds the Xapian document for one section of an article. Exposed for
// tests; index_paths uses it.
Xapian::Document make_section_document(const Article& article, const Section& section,
                                       const std::string& article_id);

}  // namespace folio
