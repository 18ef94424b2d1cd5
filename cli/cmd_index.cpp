// folio index PATH...: add, update and remove articles in the index.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/ingest.hpp"

namespace folio::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) { g_interrupted.store(true); }

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
  bool quiet = false;
  double max_size_mb = 20;
};

int run_index(const GlobalOptions& global, const IndexArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  const ArticleReader reader = load_article_reader();
  IndexOptions options;
  options.roots.assign(args.paths.begin(), args.paths.end());
  options.max_file_size = static_cast<std::uintmax_t>(args.max_size_mb * 1024 * 1024);
  options.stop = &g_interrupted;

  Xapian::WritableDatabase db = open_for_writing(database_dir(global));
  install_sigint_handler();
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  const IndexReport report = index_paths(db, options, reader, [&](const SkippedFile& s) {
    print_error(fmt::format("skipped {}: {}", display_path(s.path, cwd), s.reason));
  });
  db.close();

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!args.quiet) {
    fmt::print("{} added, {} updated, {} removed, {} unchanged, {} skipped; "
               "{} sections written in {:.2f}s\n",
               report.added, report.updated, report.removed, report.unchanged,
               report.skipped.size(), report.sections, seconds);
  }
  if (report.interrupted) {
    print_error("interrupted: the files indexed so far are committed; run the same "
                "command again to finish");
    return kExitInterrupted;
  }
  return kExitFound;
}

}  // namespace

void add_index_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<IndexArgs>();
  CLI::App* sub = app.add_subcommand(
      "index",
      "Index .txt articles under each PATH (folders are walked recursively, "
      "hidden entries skipped). Unchanged files are skipped, changed files "
      "re-indexed, and indexed files that are gone from PATH removed.");
  sub->add_option("PATH", args->paths, "Article files or folders")->required();
  sub->add_flag("-q,--quiet", args->quiet, "Do not print the summary line");
  sub->add_option("--max-size", args->max_size_mb,
                  "Skip files larger than this many MB")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_index(ctx.global, *args); }; });
}

}  // namespace folio::cli
