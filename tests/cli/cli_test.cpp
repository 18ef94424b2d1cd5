// End-to-end tests: run the real folio binary on a copy of corpus/ in a
// temporary folder and check what a user sees: stdout (against the golden
// files in tests/cli/golden/; UPDATE_GOLDEN=1 rewrites them), stderr and the
// exit status.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using nlohmann::json;

const fs::path kSourceDir{FOLIO_SOURCE_DIR};
const fs::path kFolio{FOLIO_BINARY};

// The sample article (corpus/README.md describes every corpus file).
constexpr const char* kSample = "corpus/000_01b42376bab70225.txt";
constexpr const char* kSampleTitle =
    "Antony Blinken’s Visit to Beijing Signals Hope for Improved Communication";
constexpr const char* kCorePhrase = "\"core concerns\"";
constexpr std::size_t kCorpusArticles = 11;

// ---------------------------------------------------------------------------
// Text helpers

// The lines of `text`, without their '\n'; a final newline adds no empty line.
std::vector<std::string> lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    out.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool has_ansi_escape(std::string_view text) { return contains(text, "\x1b["); }

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t min = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    if ((byte & 0xE0U) == 0xC0U) {
      length = 2;
      min = 0x80;
    } else if ((byte & 0xF0U) == 0xE0U) {
      length = 3;
      min = 0x800;
    } else if ((byte & 0xF8U) == 0xF0U) {
      length = 4;
      min = 0x10000;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    char32_t code = byte & (0x7FU >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0U) != 0x80U) return false;
      code = (code << 6) | (next & 0x3FU);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& file, std::string_view content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

void append_to_file(const fs::path& file, std::string_view content) {
  std::ofstream out(file, std::ios::binary | std::ios::app);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot append to " + file.string());
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// ---------------------------------------------------------------------------
// Running folio

// A file descriptor closed on destruction.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// An unnamed temporary file (created in `dir`, then unlinked).
Fd anonymous_file(const fs::path& dir) {
  std::string name = (dir / "capture-XXXXXX").string();
  Fd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) throw_errno("mkostemp " + name);
  ::unlink(name.c_str());
  return fd;
}

std::string read_fd(int fd) {
  std::string out;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      // 0 is the end of a file; EIO is how a pty master says that every
      // slave descriptor is closed, i.e. the child has exited.
      if (n < 0 && errno != EIO) throw_errno("read");
      return out;
    }
  }
}

std::string read_whole_fd(int fd) {
  if (::lseek(fd, 0, SEEK_SET) < 0) throw_errno("lseek");
  return read_fd(fd);
}

// What one run of folio printed and how it ended.
struct Run {
  std::vector<std::string> args;  // after argv[0]
  int exit_code = -1;             // 128 + N when killed by signal N
  std::string out;
  std::string err;

  std::vector<std::string> err_lines() const { return lines(err); }
};

// For INFO(run): the command line and what it printed.
std::ostream& operator<<(std::ostream& os, const Run& run) {
  os << "$ folio";
  for (const std::string& arg : run.args) os << " '" << arg << "'";
  os << "\nexit status: " << run.exit_code << "\n--- stdout ---\n"
     << run.out.substr(0, 4000) << (run.out.size() > 4000 ? "[...]\n" : "") << "--- stderr ---\n"
     << run.err;
  return os;
}

struct RunOptions {
  // Environment variables to set on top of the fixture's controlled ones.
  std::map<std::string, std::string> env;
  // Connect stdout to a pseudo-terminal instead of a file.
  bool stdout_is_terminal = false;
};

// A pseudo-terminal whose slave side writes bytes unchanged (no "\n" to
// "\r\n" translation).
struct Pty {
  Fd master{-1};
  Fd slave{-1};
};

Pty open_pty() {
  Pty pty;
  pty.master = Fd(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (pty.master.get() < 0) throw_errno("posix_openpt");
  if (::grantpt(pty.master.get()) != 0) throw_errno("grantpt");
  if (::unlockpt(pty.master.get()) != 0) throw_errno("unlockpt");
  char name[256];
  if (::ptsname_r(pty.master.get(), name, sizeof name) != 0) throw_errno("ptsname_r");
  pty.slave = Fd(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (pty.slave.get() < 0) throw_errno(std::string("open ") + name);
  termios settings{};
  if (::tcgetattr(pty.slave.get(), &settings) != 0) throw_errno("tcgetattr");
  settings.c_oflag &= ~tcflag_t{OPOST};
  if (::tcsetattr(pty.slave.get(), TCSANOW, &settings) != 0) throw_errno("tcsetattr");
  return pty;
}

// Runs `exe args...` in `cwd` with exactly the environment `env`, stdin
// from /dev/null, and returns what it printed. No shell is involved, so
// every argument reaches folio byte for byte.
Run run_process(const fs::path& exe, const std::vector<std::string>& args, const fs::path& cwd,
                std::vector<std::string> env, bool stdout_is_terminal,
                const fs::path& scratch_dir) {
  Run run;
  run.args = args;

  std::vector<std::string> argv_strings;
  argv_strings.push_back(exe.string());
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  const std::string cwd_string = cwd.string();

  Fd null_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (null_fd.get() < 0) throw_errno("open /dev/null");
  const Fd stdout_file = anonymous_file(scratch_dir);
  const Fd err_file = anonymous_file(scratch_dir);
  Pty pty;
  if (stdout_is_terminal) pty = open_pty();
  const int stdout_target = stdout_is_terminal ? pty.slave.get() : stdout_file.get();

  const pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork");
  if (pid == 0) {
    // The child: only async-signal-safe calls until execve.
    if (::chdir(cwd_string.c_str()) != 0 || ::dup2(null_fd.get(), STDIN_FILENO) < 0 ||
        ::dup2(stdout_target, STDOUT_FILENO) < 0 || ::dup2(err_file.get(), STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execve(argv[0], argv.data(), envp.data());
    constexpr char kMessage[] = "cli_test: execve failed\n";
    [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(127);
  }

  if (stdout_is_terminal) {
    // Read while the child runs so that it never blocks on a full pty.
    pty.slave.reset();
    run.out = read_fd(pty.master.get());
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw_errno("waitpid");
  }
  if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    run.exit_code = 128 + WTERMSIG(status);
  }
  if (!stdout_is_terminal) run.out = read_whole_fd(stdout_file.get());
  run.err = read_whole_fd(err_file.get());
  return run;
}

// ---------------------------------------------------------------------------
// Golden files

bool update_golden() {
  const char* value = std::getenv("UPDATE_GOLDEN");
  return value != nullptr && std::string_view(value) == "1";
}

// Compares `actual` (already normalised) with tests/cli/golden/<name>.txt,
// or rewrites that file when UPDATE_GOLDEN=1.
void check_golden(const std::string& name, const std::string& actual) {
  const fs::path file = kSourceDir / "tests" / "cli" / "golden" / (name + ".txt");
  if (update_golden()) {
    fs::create_directories(file.parent_path());
    write_file(file, actual);
    WARN("UPDATE_GOLDEN=1: rewrote " << file.string());
    return;
  }
  INFO("golden file " << file.string() << " (UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(file));
  CHECK(actual == read_file(file));
}

// ---------------------------------------------------------------------------
// The fixture: a temp folder with a copy of corpus/*.txt and an index path.

class CliFixture {
 public:
  CliFixture() {
    const char* tmpdir = std::getenv("TMPDIR");
    const fs::path parent = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
    std::string pattern = (parent / "folio-cli-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw_errno("mkdtemp " + pattern);
    // folio prints paths relative to its working folder, which getcwd()
    // reports without symlinks: resolve them here too.
    root_ = fs::canonical(pattern);
    fs::create_directories(root_ / "corpus");
    fs::create_directories(root_ / "scratch");
    for (const fs::directory_entry& entry : fs::directory_iterator(kSourceDir / "corpus")) {
      if (entry.is_regular_file() && entry.path().extension() == ".txt") {
        fs::copy_file(entry.path(), root_ / "corpus" / entry.path().filename());
      }
    }
  }

  CliFixture(const CliFixture&) = delete;
  CliFixture& operator=(const CliFixture&) = delete;

  ~CliFixture() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  const fs::path& root() const { return root_; }
  fs::path corpus() const { return root_ / "corpus"; }
  fs::path db() const { return root_ / "db"; }

  // folio --db <tmp>/db ARGS..., run in the temp folder.
  Run folio(const std::vector<std::string>& args, const RunOptions& options = {}) const {
    std::vector<std::string> full{"--db", db().string()};
    full.insert(full.end(), args.begin(), args.end());
    return folio_without_db(full, options);
  }

  // folio ARGS..., exactly as given.
  Run folio_without_db(const std::vector<std::string>& args, const RunOptions& options = {}) const {
    return run_process(kFolio, args, root_, environment(options), options.stdout_is_terminal,
                       root_ / "scratch");
  }

  // `folio index corpus`, which must succeed.
  Run index_corpus() const {
    Run run = folio({"index", "corpus"});
    INFO(run);
    REQUIRE(run.exit_code == 0);
    return run;
  }

  // `folio stats --json`, parsed.
  json stats() const {
    const Run run = folio({"stats", "--json"});
    INFO(run);
    REQUIRE(run.exit_code == 0);
    return json::parse(run.out);
  }

  // `folio search ARGS... --json`, parsed; it must exit 0 or 1.
  json search_json(std::vector<std::string> args) const {
    args.insert(args.begin(), "search");
    args.emplace_back("--json");
    const Run run = folio(args);
    INFO(run);
    REQUIRE((run.exit_code == 0 || run.exit_code == 1));
    json results = json::parse(run.out);
    CHECK((run.exit_code == 0) == (results.at("total") > 0));
    return results;
  }

  // `folio extract FILES... --json`: one parsed document per file.
  std::vector<json> extract_json(std::vector<std::string> files) const {
    files.insert(files.begin(), "extract");
    files.emplace_back("--json");
    const Run run = folio_without_db(files);
    INFO(run);
    REQUIRE(run.exit_code == 0);
    std::vector<json> documents;
    for (const std::string& line : lines(run.out)) documents.push_back(json::parse(line));
    return documents;
  }

  // The corpus files as folio is given them: corpus/NAME.txt, sorted.
  std::vector<std::string> corpus_files() const {
    std::vector<std::string> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(corpus())) {
      files.push_back((fs::path("corpus") / entry.path().filename()).string());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  // What a user compares by eye: ids (a hash of the absolute path) become
  // <ID>, the temp folder <TMP>, and the indexing time <T>.
  std::string normalise(std::string text) const {
    const std::string root = root_.string();
    for (std::size_t pos = 0; (pos = text.find(root, pos)) != std::string::npos;) {
      text.replace(pos, root.size(), "<TMP>");
    }
    static const std::regex kId("\\b[0-9a-f]{16}\\b");
    static const std::regex kTime("written in [0-9]+\\.[0-9]+s");
    text = std::regex_replace(text, kId, "<ID>");
    return std::regex_replace(text, kTime, "written in <T>s");
  }

 private:
  // A clean environment: no FOLIO_DB, no NO_COLOR, TERM=dumb, HOME and
  // XDG_DATA_HOME inside the temp folder; PATH and sanitizer settings pass.
  std::vector<std::string> environment(const RunOptions& options) const {
    std::map<std::string, std::string> env{
        {"HOME", (root_ / "home").string()},
        {"XDG_DATA_HOME", (root_ / "xdg-data").string()},
        {"TERM", "dumb"},
    };
    for (const char* name : {"PATH", "LD_LIBRARY_PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                             "LSAN_OPTIONS", "TSAN_OPTIONS", "LLVM_PROFILE_FILE"}) {
      if (const char* value = std::getenv(name)) env[name] = value;
    }
    for (const auto& [name, value] : options.env) env[name] = value;
    std::vector<std::string> out;
    for (const auto& [name, value] : env) out.push_back(name + "=" + value);
    return out;
  }

  fs::path root_;
};

// The number of sections folio extracts from each of `files`, summed.
std::size_t extracted_sections(const CliFixture& fx, const std::vector<std::string>& files) {
  std::size_t total = 0;
  for (const json& doc : fx.extract_json(files)) total += doc.at("sections").size();
  return total;
}

std::vector<std::string> hit_ids(const json& results) {
  std::vector<std::string> ids;
  for (const json& hit : results.at("hits")) ids.push_back(hit.at("id").get<std::string>());
  return ids;
}

std::vector<std::string> hit_headings(const json& results) {
  std::vector<std::string> headings;
  for (const json& hit : results.at("hits")) {
    headings.push_back(hit.at("heading").get<std::string>());
  }
  return headings;
}

void set_mtime(const fs::path& file, std::time_t seconds) {
  const timespec times[2] = {{seconds, 0}, {seconds, 0}};
  if (::utimensat(AT_FDCWD, file.c_str(), times, 0) != 0) throw_errno("utimensat");
}

std::time_t mtime_of(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw_errno("stat " + file.string());
  return st.st_mtim.tv_sec;
}

// ---------------------------------------------------------------------------
// search

TEST_CASE_METHOD(CliFixture, "search: a quoted phrase finds the section that contains it first",
                 "[cli][search]") {
  index_corpus();
  const Run run = folio({"search", kCorePhrase});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  const std::vector<std::string> out = lines(run.out);
  REQUIRE(out.size() >= 2);
  CHECK(out[0] == fmt::format("1. {} › Blinken’s Agenda in Beijing", kSampleTitle));
  CHECK_THAT(out[1], Contains(std::string(kSample) + ":23"));
  check_golden("search_core_concerns", normalise(run.out));

  const json results = search_json({kCorePhrase});
  REQUIRE(!results.at("hits").empty());
  const json& first = results["hits"][0];
  CHECK(first.at("heading") == "Blinken’s Agenda in Beijing");
  CHECK(first.at("path") == (root() / kSample).string());
  CHECK(first.at("line") == 23);
  CHECK(first.at("section") == 5);
  // Highlights are byte ranges of the snippet: exactly the phrase's words.
  std::vector<std::string> highlighted;
  const std::string snippet = first.at("snippet");
  for (const json& range : first.at("highlights")) {
    highlighted.push_back(snippet.substr(range[0].get<std::size_t>(), range[1].get<std::size_t>()));
  }
  CHECK(highlighted == std::vector<std::string>{"core", "concerns"});
}

TEST_CASE_METHOD(CliFixture, "search: a straight apostrophe matches the curly one in the text",
                 "[cli][search]") {
  index_corpus();
  // The sample spells every possessive with U+2019 (’); users type '.
  REQUIRE(!contains(read_file(root() / kSample), "Blinken's"));
  const json straight = search_json({"Blinken's", "--limit", "100"});
  const json curly = search_json({"Blinken’s", "--limit", "100"});
  CHECK(straight.at("total") > 0);
  CHECK_THAT(hit_headings(straight),
             Catch::Matchers::VectorContains(std::string("Blinken’s Historic Visit")));
  CHECK(curly.at("total") == straight.at("total"));
  CHECK(hit_ids(curly) == hit_ids(straight));

  SECTION("inside a phrase too") {
    const json phrase = search_json({"\"Beijing's core concerns\""});
    REQUIRE(phrase.at("total") == 1);
    CHECK(phrase["hits"][0].at("heading") == "Blinken’s Agenda in Beijing");
  }
}

TEST_CASE_METHOD(CliFixture, "search: --limit and --offset page through the same ranking",
                 "[cli][search]") {
  index_corpus();
  const json all = search_json({"China", "--limit", "100"});
  REQUIRE(all.at("hits").size() >= 3);
  const json page = search_json({"China", "--limit", "2", "--offset", "1"});
  CHECK(page.at("total") == all.at("total"));
  REQUIRE(page.at("hits").size() == 2);
  CHECK(page["hits"][0].at("rank") == 2);
  CHECK(page["hits"][1].at("rank") == 3);
  CHECK(page["hits"][0].at("id") == all["hits"][1].at("id"));
  CHECK(page["hits"][1].at("id") == all["hits"][2].at("id"));

  const Run text = folio({"search", "China", "--limit", "2", "--offset", "1"});
  INFO(text);
  CHECK(text.exit_code == 0);
  const std::vector<std::string> out = lines(text.out);
  REQUIRE(!out.empty());
  CHECK_THAT(out.front(), StartsWith("2. "));
  CHECK(out.back() == fmt::format("{} matching sections, showing 2-3", all.at("total").get<int>()));
}

TEST_CASE_METHOD(CliFixture, "search --json: every hit has the documented fields and types",
                 "[cli][search][json]") {
  index_corpus();
  const std::string query = "China OR Biden OR climate OR Nigeria OR Thompson";
  const Run run = folio({"search", query, "--limit", "1000", "--json"});
  INFO(run);
  REQUIRE(run.exit_code == 0);
  CHECK(lines(run.out).size() == 1);  // one document
  const json results = json::parse(run.out);
  CHECK(results.at("version") == 1);
  CHECK(results.at("query") == query);
  REQUIRE(results.at("total").is_number_unsigned());
  const json& hits = results.at("hits");
  REQUIRE(hits.is_array());
  CHECK(results.at("total") == hits.size());
  REQUIRE(hits.size() > 10);

  static const std::regex kId("^[0-9a-f]{16}-[0-9]+$");
  static const std::map<std::string, std::size_t> kDateLength{
      {"day", 10}, {"month", 7}, {"year", 4}};
  double previous_score = std::numeric_limits<double>::infinity();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const json& hit = hits[i];
    INFO("hit " << i << ": " << hit.dump());
    CHECK(hit.at("rank") == i + 1);
    REQUIRE(hit.at("id").is_string());
    CHECK(std::regex_match(hit["id"].get<std::string>(), kId));
    CHECK(ids.insert(hit["id"].get<std::string>()).second);
    REQUIRE(hit.at("score").is_number());
    CHECK(hit["score"].get<double>() <= previous_score);
    previous_score = hit["score"].get<double>();
    CHECK(hit.at("title").is_string());
    CHECK(hit.at("heading").is_string());
    CHECK(hit.at("section").is_number_unsigned());
    CHECK(hit["id"].get<std::string>().ends_with("-" + hit["section"].dump()));
    REQUIRE(hit.at("path").is_string());
    const fs::path path = hit["path"].get<std::string>();
    CHECK(path.is_absolute());
    CHECK(path.parent_path() == corpus());
    CHECK(fs::exists(path));
    CHECK(hit.at("line").is_number_unsigned());
    CHECK(hit["line"].get<int>() >= 1);
    REQUIRE(hit.at("date_precision").is_string());
    const std::string precision = hit["date_precision"];
    if (precision == "none") {
      CHECK(hit.at("date").is_null());
    } else {
      REQUIRE(kDateLength.count(precision) == 1);
      REQUIRE(hit.at("date").is_string());
      CHECK(hit["date"].get<std::string>().size() == kDateLength.at(precision));
    }
    REQUIRE(hit.at("authors").is_array());
    for (const json& author : hit["authors"]) CHECK(author.is_string());
    REQUIRE(hit.at("snippet").is_string());
    const std::string snippet = hit["snippet"];
    REQUIRE(hit.at("highlights").is_array());
    for (const json& range : hit["highlights"]) {
      REQUIRE(range.is_array());
      REQUIRE(range.size() == 2);
      CHECK(range[0].is_number_unsigned());
      CHECK(range[1].is_number_unsigned());
      CHECK(range[0].get<std::size_t>() + range[1].get<std::size_t>() <= snippet.size());
    }
  }
}

// ---------------------------------------------------------------------------
// index

TEST_CASE_METHOD(CliFixture, "index: indexing again changes nothing and says so", "[cli][index]") {
  const Run first = index_corpus();
  CHECK(first.err.empty());
  CHECK_THAT(first.out, StartsWith(fmt::format("{} added, 0 updated, 0 removed, 0 unchanged, "
                                               "0 skipped; ",
                                               kCorpusArticles)));
  check_golden("index_corpus", normalise(first.out));
  const json before = stats();
  CHECK(before.at("articles") == kCorpusArticles);
  CHECK(before.at("sections") == extracted_sections(*this, corpus_files()));

  for (int round = 1; round <= 2; ++round) {
    INFO("re-index round " << round);
    const Run again = index_corpus();
    INFO(again);
    CHECK(lines(again.out).size() == 1);
    CHECK_THAT(again.out, StartsWith(fmt::format("0 added, 0 updated, 0 removed, {} unchanged, "
                                                 "0 skipped; 0 sections written in ",
                                                 kCorpusArticles)));
    const json after = stats();
    CHECK(after.at("sections") == before.at("sections"));
    CHECK(after.at("articles") == before.at("articles"));
    CHECK(search_json({kCorePhrase}).at("total") == 1);  // no duplicate documents
  }
}

TEST_CASE_METHOD(CliFixture, "index: a new mtime alone is unchanged, new content is updated",
                 "[cli][index]") {
  index_corpus();
  const json before = stats();

  SECTION("touched, same content") {
    const fs::path file = corpus() / "001_markets_rally.txt";
    const std::time_t old_mtime = mtime_of(file);
    set_mtime(file, old_mtime - 86400 * 365);
    REQUIRE(mtime_of(file) != old_mtime);
    const Run run = index_corpus();
    INFO(run);
    CHECK_THAT(run.out, StartsWith(fmt::format("0 added, 0 updated, 0 removed, {} unchanged, ",
                                               kCorpusArticles)));
    CHECK(stats().at("sections") == before.at("sections"));
  }

  SECTION("changed content") {
    const std::string file = "corpus/003_climate_talks.txt";
    const std::size_t old_sections = extracted_sections(*this, {file});
    const Run missing = folio({"search", "zyxwvutsrq"});
    CHECK(missing.exit_code == 1);

    append_to_file(root() / file, "\nA late paragraph mentions the zyxwvutsrq accord.\n");
    const std::size_t new_sections = extracted_sections(*this, {file});
    const Run run = index_corpus();
    INFO(run);
    CHECK_THAT(run.out, StartsWith(fmt::format("0 added, 1 updated, 0 removed, {} unchanged, "
                                               "0 skipped; {} sections written in ",
                                               kCorpusArticles - 1, new_sections)));

    const json found = search_json({"zyxwvutsrq"});
    REQUIRE(found.at("total") == 1);
    CHECK(found["hits"][0].at("path") == (root() / file).string());
    // The other articles keep their sections, and the old version of this
    // one is gone rather than duplicated.
    CHECK(stats().at("sections") ==
          before.at("sections").get<std::size_t>() - old_sections + new_sections);
    CHECK(stats().at("articles") == kCorpusArticles);
    CHECK(search_json({"\"Money Remains the Sticking Point\""}).at("total") == 1);
  }
}

TEST_CASE_METHOD(CliFixture, "index: a deleted file's sections are removed", "[cli][index]") {
  index_corpus();
  const json before = stats();
  const json found = search_json({"Balakrishnan"});
  REQUIRE(found.at("total") == 1);
  const std::string old_id = found["hits"][0].at("id");
  const std::size_t sample_sections = extracted_sections(*this, {kSample});

  fs::remove(root() / kSample);
  const Run run = index_corpus();
  INFO(run);
  CHECK_THAT(run.out, StartsWith(fmt::format("0 added, 0 updated, 1 removed, {} unchanged, "
                                             "0 skipped; 0 sections written in ",
                                             kCorpusArticles - 1)));

  const Run search = folio({"search", "Balakrishnan"});
  INFO(search);
  CHECK(search.exit_code == 1);
  CHECK(!contains(search.out, "Balakrishnan"));
  CHECK(folio({"show", old_id}).exit_code == 1);
  const json after = stats();
  CHECK(after.at("articles") == before.at("articles").get<std::size_t>() - 1);
  CHECK(after.at("sections") == before.at("sections").get<std::size_t>() - sample_sections);
}

TEST_CASE_METHOD(CliFixture, "index: empty and binary files are skipped, bad UTF-8 is repaired",
                 "[cli][index]") {
  write_file(corpus() / "empty.txt", "");
  constexpr char kBinary[] = "Binary Title\n\nSome\0bytes here.\n";
  write_file(corpus() / "binary.txt", std::string(kBinary, sizeof kBinary - 1));
  write_file(corpus() / "bad_utf8.txt",
             "Broken \xff\xfe Title\n\nA paragraph with \xc3 bad text about qqbadutf.\n");

  const Run run = folio({"index", "corpus"});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, StartsWith(fmt::format("{} added, 0 updated, 0 removed, 0 unchanged, "
                                             "2 skipped; ",
                                             kCorpusArticles + 1)));
  const std::vector<std::string> err = run.err_lines();
  REQUIRE(err.size() == 2);
  const auto line_about = [&err](std::string_view file) {
    const auto it = std::find_if(err.begin(), err.end(),
                                 [file](const std::string& line) { return contains(line, file); });
    return it == err.end() ? std::string() : *it;
  };
  const std::string empty_line = line_about("empty.txt");
  const std::string binary_line = line_about("binary.txt");
  CHECK_THAT(empty_line, StartsWith("folio: skipped "));
  CHECK_THAT(empty_line, Contains("empty"));
  CHECK_THAT(binary_line, StartsWith("folio: skipped "));
  CHECK_THAT(binary_line, Contains("binary"));

  const Run found = folio({"search", "qqbadutf"});
  INFO(found);
  CHECK(found.exit_code == 0);
  CHECK(is_valid_utf8(found.out));
  const json results = search_json({"qqbadutf"});  // throws on invalid UTF-8
  REQUIRE(results.at("total") == 1);
  const std::string title = results["hits"][0].at("title");
  CHECK_THAT(title, StartsWith("Broken "));
  CHECK_THAT(title, Contains("Title"));
  CHECK(stats().at("articles") == kCorpusArticles + 1);
}

TEST_CASE_METHOD(CliFixture, "index: a path that does not exist fails and keeps the index",
                 "[cli][index]") {
  index_corpus();
  const json before = stats();
  const Run run = folio({"index", "no-such-folder"});
  INFO(run);
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  REQUIRE(run.err_lines().size() == 1);
  CHECK_THAT(run.err, StartsWith("folio: "));
  CHECK_THAT(run.err, Contains("no-such-folder"));

  const Run search = folio({"search", kCorePhrase});
  INFO(search);
  CHECK(search.exit_code == 0);
  CHECK_THAT(search.out, Contains("Blinken’s Agenda in Beijing"));
  const json after = stats();
  CHECK(after.at("articles") == before.at("articles"));
  CHECK(after.at("sections") == before.at("sections"));
}

// ---------------------------------------------------------------------------
// show and extract

TEST_CASE_METHOD(CliFixture, "show: prints a section from a search in full", "[cli][show]") {
  index_corpus();
  const json results = search_json({kCorePhrase});
  REQUIRE(!results.at("hits").empty());
  const std::string id = results["hits"][0].at("id");

  const Run run = folio({"show", id});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK_THAT(run.out, Contains("Blinken’s Agenda in Beijing"));
  CHECK_THAT(run.out, Contains("core concerns"));
  CHECK_THAT(run.out, Contains("Diaoyutai"));  // first sentence: not just the snippet
  CHECK_THAT(run.out, Contains("under the guise of competition."));  // last sentence
  check_golden("show_core_concerns", normalise(run.out));

  SECTION("an article id shows every section") {
    const Run article = folio({"show", id.substr(0, id.find('-')), "--json"});
    INFO(article);
    CHECK(article.exit_code == 0);
    const json shown = json::parse(article.out);
    CHECK(shown.at("sections").size() == extracted_sections(*this, {kSample}));
  }

  SECTION("an unknown id exits 1 with one line on stderr") {
    for (const std::string& unknown : {id.substr(0, id.find('-')) + "-99",
                                       std::string("0000000000000000-0"), std::string("nope")}) {
      const Run missing = folio({"show", unknown});
      INFO(missing);
      CHECK(missing.exit_code == 1);
      CHECK(missing.out.empty());
      CHECK(missing.err_lines().size() == 1);
    }
  }
}

TEST_CASE_METHOD(CliFixture, "extract --json: the sample's sections, date and no boilerplate",
                 "[cli][extract][json]") {
  const std::vector<json> documents = extract_json({kSample});
  REQUIRE(documents.size() == 1);
  const json& article = documents[0];
  CHECK(article.at("version") == 1);
  CHECK(article.at("title") == kSampleTitle);
  CHECK(article.at("date") == "2023-06-18");
  CHECK(article.at("date_precision") == "day");
  CHECK(article.at("authors") == json::array());

  const std::vector<std::pair<int, std::string>> expected{
      {5, ""},
      {7, "Frosty Bilateral Ties and Balloon Episode Delay"},
      {11, "Balloon Episode Downplayed by President Biden"},
      {15, "Hope for Future Meetings"},
      {19, "Future Summits and Diplomatic Engagements"},
      {23, "Blinken’s Agenda in Beijing"},
      {27, "Deteriorating Relations and Concerns"},
      {31, "Blinken’s Objectives and Regional Allies"},
      {37, "Nurturing Mutual Respect and Strategic Trust"},
      {41, "Blinken’s Historic Visit"},
  };
  const json& sections = article.at("sections");
  REQUIRE(sections.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("section " << i << ": " << sections[i].dump());
    CHECK(sections[i].at("index") == i);
    CHECK(sections[i].at("line") == expected[i].first);
    CHECK(sections[i].at("heading") == expected[i].second);
    const std::string text = sections[i].at("text");
    CHECK(!text.empty());
    CHECK(!contains(text, "Leave a Reply"));
    CHECK(!contains(text, "Your email address"));
  }

  SECTION("one JSON document per file") {
    const std::vector<json> two = extract_json({kSample, "corpus/001_markets_rally.txt"});
    REQUIRE(two.size() == 2);
    CHECK(two[1].at("title") == "Global Stocks Rally as the Fed Pauses and Chipmakers Surge");
  }

  SECTION("text output") {
    const Run run = folio_without_db({"extract", kSample});
    INFO(run);
    CHECK(run.exit_code == 0);
    check_golden("extract_sample", normalise(run.out));
  }
}

// ---------------------------------------------------------------------------
// Exit status, errors and help

TEST_CASE_METHOD(CliFixture, "exit status: 0 when search finds something, 1 when nothing",
                 "[cli][exit]") {
  index_corpus();
  const Run hit = folio({"search", "Diaoyutai"});
  INFO(hit);
  CHECK(hit.exit_code == 0);
  CHECK(!hit.out.empty());

  const Run none = folio({"search", "qwxzvbnmplk"});
  INFO(none);
  CHECK(none.exit_code == 1);
  CHECK(none.out.empty());
  CHECK(none.err.empty());
}

TEST_CASE_METHOD(CliFixture, "exit status: a bad query exits 2 with one line on stderr",
                 "[cli][exit]") {
  index_corpus();
  const Run run = folio({"search", "AND OR ("});
  INFO(run);
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK(run.err_lines().size() == 1);
  CHECK_THAT(run.err, StartsWith("folio: bad query"));
}

TEST_CASE_METHOD(CliFixture, "exit status: a missing index exits 2 and says how to make one",
                 "[cli][exit]") {
  fs::create_directories(root() / "empty-dir");
  const std::vector<std::string> dirs{(root() / "no-such-db").string(),
                                      (root() / "empty-dir").string()};
  const std::vector<std::vector<std::string>> commands{
      {"search", "china"}, {"show", "0000000000000000-0"}, {"stats"}};
  for (const std::string& dir : dirs) {
    for (const std::vector<std::string>& command : commands) {
      std::vector<std::string> args{"--db", dir};
      args.insert(args.end(), command.begin(), command.end());
      const Run run = folio_without_db(args);
      INFO(run);
      CHECK(run.exit_code == 2);
      CHECK(run.out.empty());
      CHECK(run.err_lines().size() == 1);
      CHECK_THAT(run.err, StartsWith("folio: "));
      CHECK_THAT(run.err, Contains("no index at"));
      CHECK_THAT(run.err, Contains("folio index"));
    }
  }
  CHECK(!fs::exists(root() / "no-such-db"));  // reading never creates an index
}

TEST_CASE_METHOD(CliFixture, "exit status: an unknown flag exits 2 with one line on stderr",
                 "[cli][exit]") {
  index_corpus();
  const std::vector<std::vector<std::string>> cases{
      {"search", "--bogus", "x"}, {"--bogus", "search", "x"}, {"index", "--bogus", "corpus"},
      {"show", "--bogus", "x"},   {"stats", "--bogus"},       {"extract", "--bogus", kSample}};
  for (const std::vector<std::string>& args : cases) {
    const Run run = folio(args);
    INFO(run);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err_lines().size() == 1);
    CHECK_THAT(run.err, StartsWith("folio: "));
    CHECK_THAT(run.err, Contains("--bogus"));
  }
  // And it did not run anything: the index is as it was.
  CHECK(stats().at("articles") == kCorpusArticles);
}

TEST_CASE_METHOD(CliFixture, "help: --help exits 0 and prints usage on stdout", "[cli][help]") {
  const std::vector<std::vector<std::string>> commands{{},       {"index"}, {"search"},
                                                       {"show"}, {"stats"}, {"extract"}};
  for (const std::vector<std::string>& command : commands) {
    std::vector<std::string> args = command;
    args.emplace_back("--help");
    const Run run = folio_without_db(args);
    INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    const std::string usage =
        command.empty() ? std::string("Usage: folio ") : "Usage: folio " + command[0];
    CHECK_THAT(run.out, Contains(usage));
    CHECK_THAT(run.out, Contains("Exit status"));
  }
  CHECK(!fs::exists(root() / "xdg-data" / "folio"));  // help opens no index
}

// ---------------------------------------------------------------------------
// Colour

TEST_CASE_METHOD(CliFixture, "color: escapes only when asked for or on a terminal",
                 "[cli][color]") {
  index_corpus();
  const auto search = [this](std::vector<std::string> extra, RunOptions options = {}) {
    std::vector<std::string> args{"search", kCorePhrase};
    args.insert(args.end(), extra.begin(), extra.end());
    return folio(args, options);
  };

  SECTION("--color always wraps the matched words") {
    const Run run = search({"--color", "always"});
    INFO(run);
    CHECK(run.exit_code == 0);
    static const std::regex kMatch(
        "\x1b\\[[0-9;]+mcore\x1b\\[0?m \x1b\\[[0-9;]+mconcerns\x1b\\[0?m");
    CHECK(std::regex_search(run.out, kMatch));
  }

  SECTION("--color never, and the default when stdout is not a terminal") {
    const Run never = search({"--color", "never"});
    INFO(never);
    CHECK(never.exit_code == 0);
    CHECK(!has_ansi_escape(never.out));
    const Run plain = search({});
    INFO(plain);
    CHECK(plain.exit_code == 0);
    CHECK(!has_ansi_escape(plain.out));
    const Run auto_color = search({"--color", "auto"}, {{{"TERM", "xterm-256color"}}, false});
    INFO(auto_color);
    CHECK(!has_ansi_escape(auto_color.out));
  }

  SECTION("--color auto on a terminal: colour unless TERM=dumb or NO_COLOR is set") {
    const Run tty = search({"--color", "auto"}, {{{"TERM", "xterm-256color"}}, true});
    INFO(tty);
    CHECK(tty.exit_code == 0);
    CHECK_THAT(tty.out, Contains("concerns"));
    CHECK(has_ansi_escape(tty.out));

    const Run no_color =
        search({"--color", "auto"}, {{{"TERM", "xterm-256color"}, {"NO_COLOR", "1"}}, true});
    INFO(no_color);
    CHECK(no_color.exit_code == 0);
    CHECK_THAT(no_color.out, Contains("core concerns"));
    CHECK(!has_ansi_escape(no_color.out));

    const Run empty_no_color =
        search({"--color", "auto"}, {{{"TERM", "xterm-256color"}, {"NO_COLOR", ""}}, true});
    INFO(empty_no_color);
    CHECK(has_ansi_escape(empty_no_color.out));

    const Run dumb = search({"--color", "auto"}, {{{"TERM", "dumb"}}, true});
    INFO(dumb);
    CHECK_THAT(dumb.out, Contains("core concerns"));
    CHECK(!has_ansi_escape(dumb.out));
  }

  SECTION("JSON is never coloured") {
    const Run run = search({"--json", "--color", "always"});
    INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(!has_ansi_escape(run.out));
    CHECK(json::parse(run.out).at("total") == 1);
    const Run tty = search({"--json"}, {{{"TERM", "xterm-256color"}}, true});
    INFO(tty);
    CHECK(!has_ansi_escape(tty.out));
  }

  SECTION("a wrong value exits 2 and lists the valid ones") {
    const Run run = search({"--color", "sometimes"});
    INFO(run);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    REQUIRE(run.err_lines().size() == 1);
    CHECK_THAT(run.err, StartsWith("folio: "));
    CHECK_THAT(run.err, Contains("sometimes"));
    CHECK_THAT(run.err, Contains("auto"));
    CHECK_THAT(run.err, Contains("always"));
    CHECK_THAT(run.err, Contains("never"));
  }
}

// ---------------------------------------------------------------------------
// Options and the index location

TEST_CASE_METHOD(CliFixture, "options: global options also work after the subcommand",
                 "[cli][options]") {
  index_corpus();
  const Run run = folio_without_db(
      {"search", kCorePhrase, "--db", db().string(), "--color", "always", "--limit", "1"});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Contains("Blinken’s Agenda in Beijing"));
  CHECK(has_ansi_escape(run.out));
}

TEST_CASE_METHOD(CliFixture,
                 "options: the index is --db, else $FOLIO_DB, else $XDG_DATA_HOME/folio",
                 "[cli][options]") {
  SECTION("$XDG_DATA_HOME/folio") {
    const Run run = folio_without_db({"index", "corpus"});
    INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(fs::is_directory(root() / "xdg-data" / "folio"));
    CHECK(folio_without_db({"search", kCorePhrase}).exit_code == 0);
  }

  SECTION("$FOLIO_DB wins over $XDG_DATA_HOME, --db over both") {
    const RunOptions with_env{{{"FOLIO_DB", (root() / "env-db").string()}}, false};
    const Run run = folio_without_db({"index", "corpus"}, with_env);
    INFO(run);
    CHECK(run.exit_code == 0);
    CHECK(fs::is_directory(root() / "env-db"));
    CHECK(!fs::exists(root() / "xdg-data" / "folio"));
    CHECK(folio_without_db({"search", kCorePhrase}, with_env).exit_code == 0);
    // --db names an index that does not exist: it must be used, not $FOLIO_DB.
    const Run explicit_db = folio({"search", kCorePhrase}, with_env);
    INFO(explicit_db);
    CHECK(explicit_db.exit_code == 2);
    CHECK_THAT(explicit_db.err, Contains("no index at"));
  }
}

}  // namespace
