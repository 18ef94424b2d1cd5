// folio forget PATH...: drop a folder's or a file's articles from the index
// and stop tracking it.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/ingest.hpp"

namespace folio::cli {
namespace {

struct ForgetArgs {
  std::vector<std::string> paths;
  bool quiet = false;
  bool json = false;
};

int run_forget(const GlobalOptions& global, const ForgetArgs& args) {
  const std::filesystem::path dir = database_dir(global);
  // Never create an index just to forget something in it.
  const Index check = open_for_reading(dir);
  (void)check;
  WritableIndex index = open_for_writing(dir);
  std::error_code ec;
  const std::filesystem::path cwd = std::filesystem::current_path(ec);
  nlohmann::json list = nlohmann::json::array();
  bool any = false;
  for (const std::string& path : args.paths) {
    const ForgetReport r = forget_path(index, path);
    any = any || !r.empty();
    if (args.json) {
      nlohmann::json excluded = nlohmann::json::array();
      for (const auto& [root, pattern] : r.excluded)
        excluded.push_back({{"root", root}, {"pattern", pattern}});
      list.push_back({{"path", path},
                      {"articles", r.articles},
                      {"skipped_files", r.skipped_files},
                      {"roots", r.roots},
                      {"excluded", std::move(excluded)}});
      continue;
    }
    if (r.empty()) {
      print_error(fmt::format("nothing in the index at or under {}", path));
      continue;
    }
    if (args.quiet) continue;
    fmt::print("forgot {}: {} article{} removed", path, r.articles, r.articles == 1 ? "" : "s");
    if (!r.roots.empty()) {
      fmt::print("; no longer indexed: {}", fmt::join(r.roots, ", "));
    }
    for (const auto& [root, pattern] : r.excluded) {
      fmt::print("; excluded from {} ({})", display_path(root, cwd), pattern);
    }
    fmt::print("\n");
  }
  index.close();
  if (args.json) fmt::print("{}\n", nlohmann::json{{"version", kJsonFormatVersion}, {"forgot", list}}.dump());
  return any ? kExitFound : kExitNotFound;
}

}  // namespace

void add_forget_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ForgetArgs>();
  CLI::App* sub = app.add_subcommand(
      "forget",
      "Remove the articles of each PATH (a folder or a file, which need not exist any more) from "
      "the index and stop tracking it: a folder given to `folio index` is no longer updated, and "
      "a path inside one is added to its excludes. Exits 1 when the index holds nothing there.");
  sub->add_option("PATH", args->paths, "Folders or files to forget")->required();
  sub->add_flag("-q,--quiet", args->quiet, "No summary line");
  sub->add_flag("--json", args->json, "Print what was removed as one JSON document (docs/json-format.md)");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_forget(ctx.global, *args); }; });
}

}  // namespace folio::cli
