// folio compact: rewrite the index smaller, in place, safely.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "folio/compact.hpp"
#include "folio/error.hpp"

namespace folio::cli {
namespace {

struct CompactArgs {
  bool quiet = false;
  bool json = false;
};

std::string megabytes(std::uintmax_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

int run_compact(const GlobalOptions& global, const CompactArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  const std::filesystem::path dir = database_dir(global);
  CompactReport report;
  try {
    report = compact_index(dir);
  } catch (const Error& e) {
    throw Error(fmt::format("cannot compact: {}", e.what()));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (args.json) {
    fmt::print("{}\n", nlohmann::json{{"version", kJsonFormatVersion},
                                      {"bytes_before", report.bytes_before},
                                      {"bytes_after", report.bytes_after},
                                      {"shards", report.shards},
                                      {"seconds", seconds},
                                      {"removed_leftover", report.removed_leftover}}
                           .dump());
  } else if (!args.quiet) {
    if (report.removed_leftover) {
      print_error("removed the folder an interrupted compaction left");
    }
    const double saved = report.bytes_before == 0
                             ? 0
                             : 100.0 * (1.0 - static_cast<double>(report.bytes_after) /
                                                  static_cast<double>(report.bytes_before));
    fmt::print("compacted {} shard{}: {} -> {} ({:.0f}% smaller) in {:.2f}s\n", report.shards,
               report.shards == 1 ? "" : "s", megabytes(report.bytes_before), megabytes(report.bytes_after),
               saved, seconds);
  }
  return kExitFound;
}

}  // namespace

void add_compact_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CompactArgs>();
  CLI::App* sub =
      app.add_subcommand("compact",
                         "Rewrite the index smaller (Xapian's compaction of every shard) in a new folder "
                         "beside it, then swap it in with one atomic rename: searches keep working, and "
                         "an interrupted run leaves the old or the new index whole (the next run removes "
                         "what it left). Refused while `folio index` is updating the index.");
  sub->add_flag("-q,--quiet", args->quiet, "No summary line");
  sub->add_flag("--json", args->json, "Print the summary as one JSON document (docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_compact(ctx.global, *args); }; });
}

}  // namespace folio::cli
