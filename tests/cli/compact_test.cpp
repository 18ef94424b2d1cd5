// folio compact, folio index's compaction of a new index, and folio
// version: run the real binary on a copy of corpus/ in a temp folder.
// Compacting must keep every search result and statistic, never lose the
// index (a leftover folder of a killed run, kill -9 at any moment), and
// refuse to run while an indexer holds the index.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "folio/schema.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

struct Run {
  int status = -1;  // exit code, or 128 + signal
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A temp folder with a copy of corpus/*.txt in corpus/ and the index in db/.
class Fixture {
 public:
  Fixture() {
    std::string pattern = (fs::temp_directory_path() / "folio-compact-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    root = fs::canonical(pattern);
    fs::create_directories(root / "corpus");
    for (const fs::directory_entry& e : fs::directory_iterator(fs::path(FOLIO_SOURCE_DIR) / "corpus")) {
      if (e.path().extension() == ".txt") fs::copy_file(e.path(), root / "corpus" / e.path().filename());
    }
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  fs::path db() const { return root / "db"; }
  fs::path temp() const { return root / "db.compacting"; }

  pid_t spawn(const std::vector<std::string>& args) const {
    const std::string out = (root / "run.out").string(), err = (root / "run.err").string();
    std::vector<std::string> copy{FOLIO_BINARY, "--db", db().string()};
    copy.insert(copy.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string dir = root.string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int in = ::open("/dev/null", O_RDONLY);
      if (o < 0 || e < 0 || in < 0 || ::chdir(dir.c_str()) != 0) ::_exit(127);
      ::dup2(in, 0);
      ::dup2(o, 1);
      ::dup2(e, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return pid;
  }

  Run wait_for(pid_t pid) const {
    int status = 0;
    ::waitpid(pid, &status, 0);
    Run r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(root / "run.out");
    r.err = slurp(root / "run.err");
    return r;
  }

  // folio --db <tmp>/db ARGS...
  Run folio(const std::vector<std::string>& args) const { return wait_for(spawn(args)); }

  void index(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"index", "corpus", "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Run r = folio(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
  }

  // What a user sees of the index: stats without the size, and the JSON of
  // searches that cover ranking, phrases, filters, facets and date sorting.
  json snapshot() const {
    json all = json::object();
    Run r = folio({"stats", "--json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    json stats = json::parse(r.out);
    stats.erase("size_bytes");
    // When each folder was last indexed moves with every `folio index`.
    for (json& folder : stats.at("roots")) folder.erase("indexed_at");
    all["stats"] = stats;
    const std::vector<std::vector<std::string>> searches{
        {"china"},
        {"\"core concerns\""},
        {"taiwan", "--facet", "person,place,date:month", "-n", "50"},
        {"the", "--sort", "-date", "-n", "50"},
        {"president OR minister", "--by-article", "-n", "50"},
    };
    for (const std::vector<std::string>& s : searches) {
      std::vector<std::string> args{"search"};
      args.insert(args.end(), s.begin(), s.end());
      args.emplace_back("--json");
      r = folio(args);
      INFO(r.err);
      REQUIRE((r.status == 0 || r.status == 1));
      all[s.front()] = json::parse(r.out);
    }
    r = folio({"entities", "--json"});
    all["entities"] = json::parse(r.out);
    return all;
  }

  std::uintmax_t bytes() const {
    std::uintmax_t n = 0;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(db())) {
      if (e.is_regular_file()) n += e.file_size();
    }
    return n;
  }

  fs::path root;
};

}  // namespace

TEST_CASE("compact: same search results and stats, a smaller index", "[compact]") {
  Fixture fx;
  fx.index({"--no-compact", "--shards", "2"});
  const json before = fx.snapshot();
  REQUIRE(before.at("china").at("total") > 0);
  const std::uintmax_t bytes_before = fx.bytes();

  const Run r = fx.folio({"compact"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Contains("compacted 2 shards:") && Contains("MB ->") && Contains("s\n"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK(fx.bytes() < bytes_before);
  CHECK(fx.snapshot() == before);
  CHECK_FALSE(fs::exists(fx.temp()));
  CHECK_FALSE(fs::exists(fx.root / "db.old"));

  // Compacted again, and then updated: still the same index.
  const Run again = fx.folio({"compact", "--json"});
  REQUIRE(again.status == 0);
  const json summary = json::parse(again.out);
  CHECK(summary.at("shards") == 2);
  CHECK(summary.at("bytes_after") <= summary.at("bytes_before"));
  fx.index();
  CHECK(fx.snapshot() == before);
}

TEST_CASE("compact: the folder a killed compaction left is removed, the index kept", "[compact]") {
  Fixture fx;
  fx.index({"--no-compact"});
  const json before = fx.snapshot();

  SECTION("a half-written new index beside the index") {
    // What a run killed while it compacted leaves: a partial copy.
    fs::create_directories(fx.temp() / "shard0");
    std::ofstream(fx.temp() / "shard0" / "postlist.glass") << "half written";
    CHECK(fx.snapshot() == before);  // searches never look at it
    const Run r = fx.folio({"compact"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.err, Contains("removed the folder an interrupted compaction left"));
    CHECK_FALSE(fs::exists(fx.temp()));
    CHECK(fx.snapshot() == before);
  }
  SECTION("killed between the two renames where the file system cannot exchange") {
    fs::rename(fx.db(), fx.root / "db.old");
    const Run r = fx.folio({"compact"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_FALSE(fs::exists(fx.root / "db.old"));
    CHECK(fx.snapshot() == before);
  }
}

TEST_CASE("compact: kill -9 at any moment leaves a whole index", "[compact]") {
  Fixture fx;
  fx.index({"--no-compact", "--shards", "2"});
  const json before = fx.snapshot();
  std::mt19937 random(14);  // fixed: the same kill times on every run
  // Compacting the corpus takes about 0.3 s: the kills land from start-up to
  // after the swap.
  std::uniform_int_distribution<int> delay_us(0, 350000);
  int killed_runs = 0;
  for (int i = 0; i < 12; ++i) {
    const pid_t pid = fx.spawn({"compact", "--quiet"});
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    ::kill(pid, SIGKILL);
    const Run killed = fx.wait_for(pid);
    INFO("run " << i << " ended with " << killed.status << ": " << killed.err);
    CHECK((killed.status == 0 || killed.status == 128 + SIGKILL));
    if (killed.status == 128 + SIGKILL) ++killed_runs;
    // Whole at once, before any clean-up: the old index or the new.
    CHECK(fx.snapshot() == before);
  }
  CHECK(killed_runs > 0);
  const Run r = fx.folio({"compact"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_FALSE(fs::exists(fx.temp()));
  CHECK(fx.snapshot() == before);
}

TEST_CASE("compact: refused while an indexer holds the index", "[compact]") {
  Fixture fx;
  fx.index();
  const json before = fx.snapshot();
  {
    // Xapian's write lock, as a running `folio index` holds it.
    Xapian::WritableDatabase writer((fx.db() / "shard0").string(), Xapian::DB_OPEN);
    const Run r = fx.folio({"compact"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("folio: cannot compact: the index at") &&
                          Contains("is being updated by another folio process"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(fs::exists(fx.temp()));
  }
  CHECK(fx.snapshot() == before);
  CHECK(fx.folio({"compact"}).status == 0);
}

TEST_CASE("compact: no index exits 2 and says how to make one", "[compact]") {
  Fixture fx;
  const Run r = fx.folio({"compact"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Contains("no index at") && Contains("folio index"));
  CHECK_FALSE(fs::exists(fx.db() / "XAPIANDB"));
}

TEST_CASE("index: a new index is compacted, an update is not, unless asked", "[compact]") {
  Fixture fx;
  auto compacted = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"index", "corpus", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Run r = fx.folio(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out).at("compacted").get<bool>();
  };
  SECTION("default") {
    CHECK(compacted({}));
    CHECK_FALSE(compacted({}));
    CHECK(compacted({"--compact"}));
  }
  SECTION("--no-compact") {
    CHECK_FALSE(compacted({"--no-compact"}));
    const std::uintmax_t loose = fx.bytes();
    CHECK(compacted({"--compact"}));
    CHECK(fx.bytes() < loose);
  }
  CHECK(fx.folio({"index", "corpus", "--compact", "--no-compact"}).status == 2);
}

TEST_CASE("version: folio's, Xapian's and the schema's versions", "[version]") {
  Fixture fx;
  const std::string expected = std::string("folio ") + FOLIO_VERSION + "\nXapian " +
                               Xapian::version_string() + "\nindex schema version " +
                               std::to_string(folio::schema::kVersion) + "\n";
  for (const char* how : {"--version", "version"}) {
    const Run r = fx.folio({how});
    INFO(how << ": " << r.err);
    CHECK(r.status == 0);
    CHECK(r.out == expected);
  }
}
