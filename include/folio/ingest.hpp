// Indexing: walk folders, read and parse articles, and bring the Xapian
// database up to date with them (add, replace, remove), committing in
// atomic batches.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <xapian.h>

#include "folio/database.hpp"
#include "folio/entities.hpp"
#include "folio/model.hpp"
#include "folio/plain_text.hpp"

namespace folio {

struct IndexOptions {
  // Files and folders to index; folders are walked recursively for article
  // files (.txt, .text, .md, .markdown, .html, .htm, .xhtml), skipping hidden
  // entries and what a .folioignore file (gitignore syntax) excludes. A
  // file named here is indexed whatever its extension. Every root must exist.
  std::vector<std::filesystem::path> roots;
  // More patterns to leave out, gitignore syntax, relative to each root.
  std::vector<std::string> excludes;
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

// Brings `index` up to date with the files under options.roots. Unchanged
// files (same size and mtime) are not read; changed ones replace all their
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
// does not exist, and as rethrow_write_error() does when the disk is full
// or the index read-only (the index stays as of its last commit); lets
// other Xapian::Errors and LexiconLoadError through, once every thread has
// stopped.
IndexReport index_paths(WritableIndex& index, const IndexOptions& options, const ArticleReader& reader,
                        const std::function<void(const SkippedFile&)>& on_skip,
                        const std::function<void(const IndexProgress&)>& on_progress = {});

// Builds the Xapian document for one section of an article. Exposed for
// tests; index_paths uses it.
Xapian::Document make_section_document(const Article& article, const Section& section,
                                       const std::string& article_id);

}  // namespace folio
