// folio open ID | folio open --rank N QUERY...: a section's file in the
// user's editor, at the section's first line.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "command.hpp"
#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/search.hpp"

namespace folio::cli {
namespace {

struct OpenArgs {
  std::vector<std::string> words;  // ID, or QUERY words with --rank
  unsigned rank = 0;               // 0: words[0] is an id
};

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
    SearchRequest request;
    for (const std::string& word : args.words) request.query += (request.query.empty() ? "" : " ") + word;
    request.today = today();
    request.offset = args.rank - 1;
    request.limit = 1;
    const SearchResults results = search(index, request);
    if (results.hits.empty()) {
      print_error(fmt::format("no hit {} for '{}' ({} in all)", args.rank, request.query,
                              results.total + results.relaxed_total));
      return kExitNotFound;
    }
    section = results.hits.front().section;
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
      "N-th hit of `folio search QUERY...` is opened (folio open --rank 2 balloon). Exits 1 when "
      "there is no such section or hit, 2 when the editor fails.");
  sub->add_option("ID|QUERY", args->words, "A section or article id; with --rank, query words")->required();
  sub->add_option("--rank", args->rank, "Open the N-th hit of the query (1 is the best)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  sub->callback([&ctx, args] { ctx.run = [&ctx, args] { return run_open(ctx.global, *args); }; });
}

}  // namespace folio::cli
