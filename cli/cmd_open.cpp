// folio open ID | folio open --rank N QUERY...: a section's file in the
// user's editor, at the section's first line.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "command.hpp"
#include "folio/curation.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

struct OpenArgs {
  std::vector<std::string> words;  // ID, or QUERY words with --rank
  unsigned rank = 0;               // 0: words[0] is an id
  // With --rank: what makes the hits of `folio search`, so that the N-th
  // hit is the one the search showed.
  FilterArgs filters;
  std::string sort = "relevance";
  bool by_article = false;
  bool all = false;
  bool any = false;
  bool no_dedupe = false;
};

// The N-th hit of the search the words and flags make, as `folio search`
// with the same flags (and the entities file) ranks them.
std::optional<schema::SectionData> ranked_hit(const GlobalOptions& global, const Index& index,
                                              const OpenArgs& args) {
  SearchRequest request;
  for (const std::string& word : args.words) request.query += (request.query.empty() ? "" : " ") + word;
  args.filters.apply_to(request);
  request.sort = args.sort == "date"    ? SortOrder::date
                 : args.sort == "-date" ? SortOrder::date_descending
                                        : SortOrder::relevance;
  request.mode = args.all ? MatchMode::all : args.any ? MatchMode::any : MatchMode::relaxed;
  request.by_article = args.by_article;
  request.dedupe = !args.no_dedupe;
  request.offset = args.rank - 1;
  request.limit = 1;
  const Curation curation = load_curation(global);
  const SearchResults results = search(index, request, curation);
  if (results.hits.empty()) {
    print_error(fmt::format("no hit {} for '{}' ({} in all)", args.rank, request.query,
                            results.total + results.relaxed_total));
    return std::nullopt;
  }
  return results.hits.front().section;
}

// $VISUAL, else $EDITOR, else vi.
std::string editor() {
  for (const char* name : {"VISUAL", "EDITOR"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return "vi";
}

// Runs `EDITOR +LINE PATH` through /bin/sh, so that an editor set with
// arguments ("code -w", "emacsclient -t") works as in git; waits for it.
int run_editor(const std::string& command, int line, const std::string& path) {
  const std::string script = command + " \"$@\"";
  const std::string at_line = fmt::format("+{}", line);
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) throw fmt::system_error(errno, "cannot start the editor");
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", script.c_str(), command.c_str(), at_line.c_str(), path.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw fmt::system_error(errno, "cannot wait for the editor");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return kExitFound;
  print_error(WIFEXITED(status)
                  ? fmt::format("the editor '{}' exited with status {}", command, WEXITSTATUS(status))
                  : fmt::format("the editor '{}' was killed", command));
  return kExitError;
}

int run_open(const GlobalOptions& global, const OpenArgs& args) {
  const Index index = open_for_reading(database_dir(global));
  schema::SectionData section;
  if (args.rank == 0) {
    const FilterArgs& f = args.filters;
    const bool filtered = f.place_exact || f.undated || !f.since.empty() || !f.until.empty() ||
                          std::any_of(f.filters.begin(), f.filters.end(),
                                      [](const auto& field) { return !field.second.empty(); });
    if (filtered) throw Error("filters select among the hits of a query: give --rank N with them");
    if (args.words.size() != 1) {
      throw Error("give one ID (ARTICLE-N or ARTICLE), or --rank N with a query");
    }
    std::vector<schema::SectionData> found;
    try {
      found = find_sections(index.db(), args.words.front());
    } catch (const Error& e) {
      print_error(e.what());
      return kExitNotFound;
    }
    section = found.front();
  } else {
    std::optional<schema::SectionData> hit = ranked_hit(global, index, args);
    if (!hit) return kExitNotFound;
    section = std::move(*hit);
  }
  if (!std::filesystem::exists(section.path)) {
    throw Error(fmt::format("{} is gone: run `folio index` to update the index", section.path));
  }
  return run_editor(editor(), section.line, section.path);
}

}  // namespace

void add_open_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<OpenArgs>();
  CLI::App* sub = app.add_subcommand(
      "open",
      "Open a section's file in $VISUAL, else $EDITOR, else vi, at the section's first line: "
      "`EDITOR +LINE PATH` (run through /bin/sh, so EDITOR may have arguments). ID is a section "
      "id (ARTICLE-N) or an article id (its lead); with --rank N, the words are a query and the "
      "N-th hit of `folio search QUERY...` with the same filters, --sort, --by-article, --all, "
      "--any and --no-dedupe is opened (folio open --rank 2 balloon --place china). Exits 1 when "
      "there is no such section or hit, 2 when the editor fails.");
  sub->add_option("ID|QUERY", args->words, "A section or article id; with --rank, query words")->required();
  sub->add_option("--rank", args->rank, "Open the N-th hit of the query (1 is the best)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  add_filter_options(*sub, args->filters);
  auto* ranking = sub->add_option_group("Ranking", "With --rank: as folio search");
  ranking->add_option("--sort", args->sort, "relevance, date (oldest first) or -date (newest first)")
      ->check(CLI::IsMember({"relevance", "date", "-date"}))
      ->capture_default_str();
  ranking->add_flag("--by-article", args->by_article, "One hit per article: its best section");
  auto* all = ranking->add_flag("--all", args->all, "Only the sections with every word (no relaxed hits)");
  ranking->add_flag("--any", args->any, "Rank every section with any of the words")->excludes(all);
  ranking->add_flag("--no-dedupe", args->no_dedupe, "Count every copy of an article as a hit of its own");
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_open(ctx.global, *args); }; });
}

}  // namespace folio::cli
