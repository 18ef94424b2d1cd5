// folio index PATH...: add, update and remove articles in the index.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <thread>

#include "command.hpp"
#include "folio/compact.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/ingest.hpp"
#include "folio/schema.hpp"
#include "terminal.hpp"

namespace folio::cli {
namespace {

using Clock = std::chrono::steady_clock;

// realpath(3) of `path`, or `path` made absolute when it does not resolve.
std::string real_path_of(const std::string& path) {
  if (char* resolved = ::realpath(path.c_str(), nullptr)) {
    std::string out(resolved);
    std::free(resolved);
    return out;
  }
  return std::filesystem::absolute(path).lexically_normal().string();
}

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) { g_interrupted.store(true); }

// Test hook, for tests/cli/robustness_test.cpp only: with
// FOLIO_TEST_PAUSE_AFTER_FILES=N in the environment, the run stops after
// the N-th file, says "folio: test: paused after N files" on stderr, and
// waits there (holding the write lock) for SIGINT or SIGTERM, which
// interrupt it as usual, or SIGUSR1, which lets it go on. The libraries
// know nothing of it: it lives in the progress callback.
std::atomic<bool> g_resume{false};

extern "C" void on_sigusr1(int) { g_resume.store(true); }

std::size_t test_pause_after_files() {
  const char* value = std::getenv("FOLIO_TEST_PAUSE_AFTER_FILES");
  if (value == nullptr || *value == '\0') return 0;
  struct sigaction sa {};
  sa.sa_handler = on_sigusr1;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, nullptr);
  return std::stoul(value);
}

void test_pause(std::size_t files_done) {
  print_error(fmt::format("test: paused after {} files", files_done));
  while (!g_interrupted.load() && !g_resume.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The first Ctrl-C asks the indexer to commit and stop; a second one kills.
void install_sigint_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sa.sa_flags = static_cast<int>(SA_RESETHAND);
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct IndexArgs {
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  bool quiet = false;
  bool json = false;
  double max_size_mb = 20;
  unsigned jobs = 0;
  unsigned shards = 0;
  std::size_t batch = 1000;
  // --compact / --no-compact; unset: compact an index this run created.
  std::optional<bool> compact;
  bool watch = false;
  // --poll SECONDS: rescan this often (without inotify, or always when given).
  std::optional<unsigned> poll;
};

// "[ 1234/21563 files]  12.3 MB/s  ETA 0:12" on one line of a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled), start_(Clock::now()) {}

  void update(const IndexProgress& p) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && p.files_done < p.files_total) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double mbps = seconds > 0 ? static_cast<double>(p.bytes_read) / 1e6 / seconds : 0;
    std::string eta = "--:--";
    if (p.files_done > 0 && seconds > 0.5) {
      const auto left = static_cast<long>(seconds * static_cast<double>(p.files_total - p.files_done) /
                                          static_cast<double>(p.files_done));
      eta = fmt::format("{}:{:02}", left / 60, left % 60);
    }
    // Fitted to the terminal's width, read each time (it may be resized):
    // a line that wrapped would not be overwritten by the next one.
    const std::string line = fit_line({fmt::format("[{:>{}}/{} files]", p.files_done,
                                                   fmt::formatted_size("{}", p.files_total), p.files_total),
                                       fmt::format("{:.1f} MB/s", mbps), fmt::format("ETA {}", eta)},
                                      terminal_columns(STDERR_FILENO));
    fmt::print(stderr, "\r\x1b[K{}", line);
    drawn_ = true;
  }

  void clear() {
    if (drawn_) fmt::print(stderr, "\r\x1b[K");
    drawn_ = false;
  }

 private:
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_{};
};

// FOLIO_TEST_MAX_WATCHES=N: behave as if inotify allowed N watches (tests
// of the fallback; the limit itself is a system setting).
std::size_t test_max_watches() {
  const char* value = std::getenv("FOLIO_TEST_MAX_WATCHES");
  return value == nullptr || *value == '\0' ? 0 : std::stoul(value);
}

// --watch: after the first run, wait for changes and index them, a batch at
// a time, until Ctrl-C. The index is opened for each batch only, so that
// other writers (`folio forget`, a `folio index` of another folder) get a
// turn.
int watch(const GlobalOptions& global, const IndexArgs& args, IndexOptions options,
          const ArticleReader& reader, const std::filesystem::path& cwd) {
  std::vector<std::string> roots;
  {
    WritableIndex index = open_for_writing(database_dir(global));
    std::vector<std::string> wanted;
    for (const std::string& p : args.paths) wanted.push_back(real_path_of(p));
    for (const schema::RootRecord& r : stored_roots(index)) {
      if (args.paths.empty() || std::find(wanted.begin(), wanted.end(), r.real_path) != wanted.end()) {
        roots.push_back(r.real_path);
      }
    }
    index.close();
  }
  WatchOptions watch_options;
  if (args.poll) {
    watch_options.rescan = std::chrono::seconds(*args.poll);
    watch_options.poll = true;
  }
  watch_options.max_watches = test_max_watches();
  watch_options.entities_file = global.entities;
  Watcher watcher(roots, watch_options);
  // The entities file's rules, read again when it changes.
  std::optional<Curation> curation;
  if (!watcher.fallback_reason().empty()) print_error(watcher.fallback_reason());
  if (!args.quiet && !args.json) {
    print_error(fmt::format("watching {} folder{} for changes; Ctrl-C stops", watcher.watches(),
                            watcher.watches() == 1 ? "" : "s"));
  }
  std::string last_fallback = watcher.fallback_reason();
  std::optional<WatchBatch> pending;
  for (;;) {
    if (!pending) pending = watcher.next(g_interrupted);
    if (!pending) return kExitInterrupted;
    if (watcher.fallback_reason() != last_fallback) {
      last_fallback = watcher.fallback_reason();
      print_error(last_fallback);
    }
    const auto start = Clock::now();
    if (pending->entities_changed) {
      try {
        curation = load_curation(global);
        options.curation = &*curation;
        if (!args.quiet && !args.json) {
          print_error(fmt::format("{} changed: its rules apply from this batch", global.entities.string()));
        }
      } catch (const Error& e) {
        // As `folio search` would refuse it; the rules read before stay.
        print_error(fmt::format("{}; the earlier rules stay until it is fixed", e.what()));
      }
    }
    options.within = pending->rescan ? std::vector<std::filesystem::path>{} : pending->paths;
    IndexReport report;
    try {
      WritableIndex index = open_for_writing(database_dir(global));
      report = index_paths(index, options, reader, [&](const SkippedFile& s) {
        print_error(fmt::format("skipped {}: {}", display_path(s.path, cwd), s.reason));
      });
      index.close();
    } catch (const Error& e) {
      // Another writer has the index: try again in a moment, changes kept.
      print_error(fmt::format("{}; trying again", e.what()));
      for (int i = 0; i < 20 && !g_interrupted.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (g_interrupted.load()) return kExitInterrupted;
      continue;
    }
    const bool entities_batch = pending->entities_changed;
    pending.reset();
    for (const std::string& root : report.missing_roots) {
      print_error(fmt::format("{} is not there: its articles are kept; watching for it to come back",
                              display_path(root, cwd)));
    }
    const bool changed =
        report.added + report.updated + report.removed + report.skipped.size() > 0 || entities_batch;
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (changed && (args.json || !args.quiet)) {
      make_printer(global, args.json)->index_report(report, seconds, false);
      std::fflush(stdout);
    }
    if (report.interrupted) return kExitInterrupted;
  }
}

int run_index(const GlobalOptions& global, const IndexArgs& args) {
  const auto start = Clock::now();
  const ArticleReader reader = load_article_reader();
  IndexOptions options;
  options.roots.assign(args.paths.begin(), args.paths.end());
  // Without a PATH, every folder the index holds (as `notmuch new`).
  options.all_roots = args.paths.empty();
  options.excludes = args.excludes;
  options.max_file_size = static_cast<std::uintmax_t>(args.max_size_mb * 1024 * 1024);
  options.jobs = args.jobs;
  options.files_per_commit = args.batch;
  options.stop = &g_interrupted;
  // The entities file is applied to what the index stores, too.
  const Curation curation = load_curation(global);
  options.curation = &curation;

  // Xapian's writing takes a little more than half of the CPU, parsing and
  // extraction the rest: half the cores write (docs/benchmarks.md measures
  // 1 and 2 shards on 2 cores).
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const bool fresh = !std::filesystem::exists(database_dir(global) / schema::kStubFile);
  WritableIndex index = open_for_writing(database_dir(global), args.shards > 0 ? args.shards : cores / 2);
  if (args.shards > 0 && index.shards.size() != args.shards) {
    throw Error(fmt::format("the index at {} has {} shard{}: --shards only applies to a new index",
                            index.dir.string(), index.shards.size(), index.shards.size() == 1 ? "" : "s"));
  }
  install_sigint_handler();
  const std::size_t pause_after = test_pause_after_files();
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  // Progress goes to stderr, only on a terminal, never with --quiet or --json.
  ProgressBar bar(::isatty(STDERR_FILENO) == 1 && !args.quiet && !args.json);
  const IndexReport report = index_paths(
      index, options, reader,
      [&](const SkippedFile& s) {
        bar.clear();
        print_error(fmt::format("skipped {}: {}", display_path(s.path, cwd), s.reason));
      },
      [&](const IndexProgress& p) {
        bar.update(p);
        if (p.files_done == pause_after) test_pause(p.files_done);
      });
  bar.clear();
  index.close();
  for (const std::string& root : report.missing_roots) {
    print_error(fmt::format(
        "{} is not there (an unmounted disk?): its articles are kept; `folio forget {}` drops them",
        display_path(root, cwd), display_path(root, cwd)));
  }
  for (const SkippedFile& w : report.warned) {
    print_error(
        fmt::format("{}: {} (indexed with its title and metadata)", display_path(w.path, cwd), w.reason));
  }
  // Compacting a fresh index costs a few percent of the time it took and
  // halves its size (docs/benchmarks.md); an update rewrites too little to pay.
  std::optional<CompactReport> compacted;
  if (!report.interrupted && args.compact.value_or(fresh)) {
    try {
      compacted = compact_index(index.dir);
    } catch (const std::exception& e) {
      // Asked for, compaction must succeed; by default it is only a saving.
      if (args.compact.value_or(false)) throw;
      print_error(fmt::format("the new index is not compacted: {}", e.what()));
    }
  }

  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // --quiet drops the summary line, not the JSON a script asked for.
  if (args.json || !args.quiet)
    make_printer(global, args.json)->index_report(report, seconds, compacted.has_value());
  if (report.interrupted) {
    print_error(
        "interrupted: the files indexed so far are committed; run the same "
        "command again to finish");
    return kExitInterrupted;
  }
  if (args.watch) return watch(global, args, options, reader, cwd);
  return kExitFound;
}

}  // namespace

void add_index_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* sub = app.add_subcommand(
      "index",
      "Index the articles under each PATH: .txt, .md and .html files in any common encoding "
      "(folders are walked recursively; hidden entries and what a .folioignore file lists "
      "are skipped). Unchanged files are skipped unread, changed files re-indexed, and "
      "indexed files that are gone from PATH removed. The index remembers each PATH with "
      "its --exclude patterns: `folio index` alone updates them all (`folio stats` lists "
      "them, `folio forget` drops one). Paths are resolved (symbolic links, ./) before "
      "files get their ids, so a folder is never indexed twice. Ctrl-C commits what is "
      "done and exits with 130; another `folio index` on the same index exits 2 at once.");
  sub->add_option("PATH", args->paths,
                  "Article files or folders to add or update (default: every folder the index holds)");
  sub->add_option("--exclude", args->excludes,
                  "Leave out paths matching GLOB (gitignore syntax, like .folioignore); repeatable. "
                  "Stored with each PATH, replacing its earlier patterns (--exclude '' clears them); "
                  "without a PATH, added to the stored ones for this run")
      ->type_name("GLOB")
      ->allow_extra_args(false);
  sub->add_option("-j,--jobs", args->jobs, "Threads that read and parse files (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  sub->add_option("--shards", args->shards,
                  "Split a new index into N Xapian databases, written in parallel "
                  "(default: half the cores, at least 1)")
      ->check(CLI::Range(1u, schema::kMaxShards));
  sub->add_option(
         "--batch", args->batch,
         "Changed files per commit and shard: each commit is atomic, so a crash loses at most one batch")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  sub->add_option("--max-size", args->max_size_mb, "Skip files larger than this many MB")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI::Option* compact = sub->add_flag_callback(
      "--compact", [args] { args->compact = true; },
      "Compact the index at the end, as `folio compact` does (default: only an index "
      "this run created)");
  sub->add_flag_callback(
         "--no-compact", [args] { args->compact = false; }, "Do not compact, not even a new index")
      ->excludes(compact);
  sub->add_flag("-w,--watch", args->watch,
                "After indexing, keep running and index what changes under the folders (inotify), "
                "in batches a moment after the changes settle, one summary line per batch; Ctrl-C "
                "stops (exit 130). Falls back to rescans when inotify cannot watch them all");
  sub->add_option("--poll", args->poll,
                  "With --watch: also rescan every SECONDS (for network file systems); without "
                  "inotify, rescans happen every 60 s anyway")
      ->type_name("SECONDS")
      ->check(CLI::Range(1u, 86400u));
  sub->add_flag("-q,--quiet", args->quiet, "No progress and no summary line");
  sub->add_flag("--json", args->json, "Print the summary as one JSON document (docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_index(ctx.global, *args); }; });
}

}  // namespace folio::cli
