// End-to-end tests of the folders an index remembers (folio index without
// PATH, folio forget, folio stats, resolved paths) and of folio index
// --watch, with the real binary in a temporary folder.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

const fs::path kSourceDir{FOLIO_SOURCE_DIR};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

std::string article(const std::string& title, const std::string& word) {
  return title + "\n\nThe " + word + " story is told here in full, with the " + word + " facts.\n";
}

struct Run {
  int status = -1;
  std::string out, err;
};

// A temporary folder with articles in news/ and an index in db/.
struct Fixture {
  fs::path root;

  Fixture() {
    std::string pattern = (fs::temp_directory_path() / "folio-roots-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root = pattern;
    write(root / "news" / "a.txt", article("Alpha", "zebra"));
    write(root / "news" / "sub" / "b.txt", article("Bravo", "walrus"));
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  // Starts folio [--db <root>/db] ARGS... in `root`; output to files.
  pid_t spawn(const std::vector<std::string>& args, const std::string& tag = "run",
              const std::vector<std::string>& env = {}) const {
    const std::string out = (root / (tag + ".out")).string(), err = (root / (tag + ".err")).string();
    // <root>/db unless ARGS name another index first.
    std::vector<std::string> copy{FOLIO_BINARY};
    if (args.empty() || args.front() != "--db") copy.insert(copy.end(), {"--db", (root / "db").string()});
    copy.insert(copy.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> environment{"HOME=" + root.string(), "PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8"};
    environment.insert(environment.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (std::string& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);
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
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    return pid;
  }

  Run wait_for(pid_t pid, const std::string& tag = "run") const {
    int status = 0;
    ::waitpid(pid, &status, 0);
    Run r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(root / (tag + ".out"));
    r.err = slurp(root / (tag + ".err"));
    return r;
  }

  Run folio(const std::vector<std::string>& args) const { return wait_for(spawn(args)); }

  json stats() const {
    const Run r = folio({"stats", "--json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
  }

  // The paths `folio search WORD` finds, by article.
  std::vector<std::string> found(const std::string& word) const {
    const Run r = folio({"search", word, "--by-article", "--json"});
    std::vector<std::string> paths;
    if (r.status != 0) return paths;  // 1: no hit
    const json results = json::parse(r.out);
    for (const json& hit : results.at("hits")) paths.push_back(hit.at("path"));
    return paths;
  }

  std::string path(const std::string& rel) const { return (root / rel).lexically_normal().string(); }
};

// Waits up to `seconds` for `done`.
bool eventually(const std::function<bool()>& done, double seconds = 8) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

}  // namespace

TEST_CASE("roots: folio index without PATH updates every folder the index holds", "[roots]") {
  Fixture fx;
  write(fx.root / "other" / "c.txt", article("Charlie", "okapi"));
  // Nothing stored yet: a clear message, exit 2.
  Run r = fx.folio({"index"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Contains("no folders to index") && Contains("folio index FOLDER"));

  REQUIRE(fx.folio({"index", "news", "--exclude", "*.md"}).status == 0);
  REQUIRE(fx.folio({"index", "other"}).status == 0);
  write(fx.root / "news" / "new.txt", article("Delta", "narwhal"));
  write(fx.root / "news" / "skip.md", "# Echo\n\nThe narwhal again.\n");
  write(fx.root / "other" / "d.txt", article("Foxtrot", "narwhal"));
  r = fx.folio({"index"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("2 added"));
  std::vector<std::string> narwhal = fx.found("narwhal");
  std::sort(narwhal.begin(), narwhal.end());
  CHECK(narwhal == std::vector<std::string>{fx.path("news/new.txt"), fx.path("other/d.txt")});

  const json st = fx.stats();
  REQUIRE(st.at("roots").size() == 2);
  CHECK(st.at("roots")[0].at("path") == fx.path("news"));
  CHECK(st.at("roots")[0].at("excludes") == json::array({"*.md"}));
  CHECK(st.at("roots")[0].at("indexed_at").is_string());
  CHECK(st.at("roots")[1].at("path") == fx.path("other"));
  const Run text = fx.folio({"stats"});
  CHECK_THAT(text.out,
             Contains("folders:        " + fx.path("news") + "  indexed ") && Contains(", excluding *.md"));

  // A stored folder that is not there is kept, and said so.
  fs::rename(fx.root / "other", fx.root / "elsewhere");
  r = fx.folio({"index"});
  CHECK(r.status == 0);
  CHECK_THAT(r.err, Contains("other is not there") && Contains("folio forget"));
  CHECK(fx.found("okapi").size() == 1);
}

TEST_CASE("roots: a stub over other indexes' shards shows every index's folders and size", "[roots]") {
  Fixture fx;
  write(fx.root / "other" / "c.txt", article("Charlie", "okapi"));
  REQUIRE(fx.folio({"index", "news"}).status == 0);
  REQUIRE(fx.folio({"--db", fx.path("db2"), "index", "other"}).status == 0);
  const Run joined =
      fx.folio({"--db", fx.path("both"), "join", "--local", fx.path("db"), "--local", fx.path("db2")});
  INFO(joined.err);
  REQUIRE(joined.status == 0);
  const Run r = fx.folio({"--db", fx.path("both"), "stats", "--json"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json st = json::parse(r.out);
  CHECK(st.at("articles") == 3);
  CHECK(st.at("shards") == 2);
  REQUIRE(st.at("roots").size() == 2);
  CHECK(st.at("roots")[0].at("path") == fx.path("news"));
  CHECK(st.at("roots")[1].at("path") == fx.path("other"));
  auto size_of = [&](const std::string& db) {
    return json::parse(fx.folio({"--db", fx.path(db), "stats", "--json"}).out)
        .at("size_bytes")
        .get<std::uint64_t>();
  };
  CHECK(st.at("size_bytes").get<std::uint64_t>() > size_of("db") + size_of("db2"));
}

TEST_CASE("roots: a folder reached through a link or as ./x is indexed once and shown as given", "[roots]") {
  Fixture fx;
  fs::create_directory_symlink(fx.root / "news", fx.root / "link");
  REQUIRE(fx.folio({"index", "link"}).status == 0);
  CHECK(fx.found("zebra") == std::vector<std::string>{fx.path("link/a.txt")});
  Run r = fx.folio({"index", "./news/"});
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Contains("0 added"));
  CHECK(fx.stats().at("articles") == 2);
  // The path shown is the one given last.
  CHECK(fx.found("zebra") == std::vector<std::string>{fx.path("news/a.txt")});
  r = fx.folio({"index", "news", "link", "./news"});
  CHECK_THAT(r.out, Contains("0 added, 0 updated, 0 removed, 2 unchanged"));
  const json st = fx.stats();
  REQUIRE(st.at("roots").size() == 1);
  CHECK(st.at("roots")[0].at("real_path") == fs::canonical(fx.root / "news").string());
}

TEST_CASE("roots: folio forget drops a folder's or a file's articles and stops tracking it", "[roots]") {
  Fixture fx;
  write(fx.root / "news" / "sub" / "c.txt", article("Charlie", "okapi"));
  REQUIRE(fx.folio({"index", "news"}).status == 0);
  REQUIRE(fx.stats().at("articles") == 3);

  Run r = fx.folio({"forget", "news/sub/c.txt"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Contains("1 article removed"));
  CHECK(fx.found("okapi").empty());
  // Not brought back by the next update.
  REQUIRE(fx.folio({"index"}).status == 0);
  CHECK(fx.found("okapi").empty());
  CHECK(fx.found("walrus").size() == 1);

  r = fx.folio({"forget", "news/sub"});
  CHECK(r.status == 0);
  CHECK(fx.found("walrus").empty());
  REQUIRE(fx.folio({"index"}).status == 0);
  CHECK(fx.found("walrus").empty());
  CHECK(fx.found("zebra").size() == 1);

  // The whole folder, even once it is gone.
  fs::remove_all(fx.root / "news");
  r = fx.folio({"forget", "news", "--json"});
  CHECK(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("forgot")[0].at("articles") == 1);
  CHECK(j.at("forgot")[0].at("roots") == json::array({fx.path("news")}));
  CHECK(fx.stats().at("articles") == 0);
  CHECK(fx.stats().at("roots").empty());
  r = fx.folio({"forget", "news"});
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Contains("nothing in the index"));
}

TEST_CASE("roots: an index made before roots were stored says what to run", "[roots]") {
  Fixture fx;
  REQUIRE(fx.folio({"index", "news"}).status == 0);
  {
    // What an older folio left: file records, no folio.root: keys.
    Xapian::WritableDatabase shard((fx.root / "db" / "shard0").string());
    for (auto it = shard.metadata_keys_begin("folio.root:"); it != shard.metadata_keys_end("folio.root:");
         ++it) {
      shard.set_metadata(*it, "");
    }
    shard.commit();
  }
  const Run r = fx.folio({"index"});
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Contains("holds 2 articles but no folders to update") &&
                        Contains("its files are under " + fx.path("news")));
  CHECK(fx.folio({"index", "news"}).status == 0);
  CHECK(fx.folio({"index"}).status == 0);
}

TEST_CASE("watch: files created and edited and moved and deleted are searchable or gone in seconds",
          "[watch]") {
  Fixture fx;
  const pid_t watcher = fx.spawn({"index", "--watch", "news"}, "watch");
  REQUIRE(eventually([&] { return slurp(fx.root / "watch.err").find("watching") != std::string::npos; }));

  write(fx.root / "news" / "new.txt", article("Delta", "narwhal"));
  CHECK(eventually([&] { return fx.found("narwhal") == std::vector<std::string>{fx.path("news/new.txt")}; }));
  write(fx.root / "news" / "new.txt", article("Delta", "pangolin"));
  CHECK(eventually([&] { return fx.found("pangolin").size() == 1 && fx.found("narwhal").empty(); }));
  // A new folder, with a file written before its watch could exist.
  fs::create_directories(fx.root / "news" / "fresh" / "deeper");
  write(fx.root / "news" / "fresh" / "deeper" / "e.txt", article("Echo", "axolotl"));
  CHECK(eventually([&] { return fx.found("axolotl").size() == 1; }));
  fs::rename(fx.root / "news" / "new.txt", fx.root / "news" / "fresh" / "moved.txt");
  CHECK(eventually(
      [&] { return fx.found("pangolin") == std::vector<std::string>{fx.path("news/fresh/moved.txt")}; }));
  fs::remove(fx.root / "news" / "a.txt");
  CHECK(eventually([&] { return fx.found("zebra").empty(); }));
  fs::remove_all(fx.root / "news" / "fresh");
  CHECK(eventually([&] { return fx.found("pangolin").empty() && fx.found("axolotl").empty(); }));

  ::kill(watcher, SIGINT);
  const Run r = fx.wait_for(watcher, "watch");
  INFO(r.err);
  CHECK(r.status == 130);
  CHECK_THAT(r.out, Contains("1 added"));
  CHECK(fx.stats().at("articles") == 1);
}

TEST_CASE("watch: the entities file's new rules are stored from the next batch", "[watch][entities]") {
  Fixture fx;
  write(fx.root / "news" / "c.txt",
        "Charlie\n\nPresident Joe Biden met Prime Minister Rishi Sunak in London on Tuesday.\n");
  // Its folder is not there yet: the file may come later.
  const fs::path entities = fx.root / "rules" / "entities";
  const pid_t watcher =
      fx.spawn({"index", "--watch", "news"}, "watch", {"FOLIO_ENTITIES=" + entities.string()});
  REQUIRE(eventually([&] { return slurp(fx.root / "watch.err").find("watching") != std::string::npos; }));
  // The people the index stores: --no-config reads no entities file.
  auto people = [&] {
    std::set<std::string> ids;
    const Run r = fx.folio({"--no-config", "entities", "--json"});
    if (r.status != 0) return ids;
    const json list = json::parse(r.out);
    for (const json& e : list.at("entities")) {
      if (e.at("type") == "person") ids.insert(e.at("id").get<std::string>());
    }
    return ids;
  };
  const std::set<std::string> both{"joe-biden", "rishi-sunak"};
  REQUIRE(people() == both);

  write(entities, "suppress person:joe-biden\n");  // created
  CHECK(eventually([&] { return people() == std::set<std::string>{"rishi-sunak"}; }));
  // Replaced by a rename, as editors save.
  write(fx.root / "rules" / ".entities.swp", "merge person:rishi-sunak into person:joe-biden\n");
  fs::rename(fx.root / "rules" / ".entities.swp", entities);
  CHECK(eventually([&] { return people() == std::set<std::string>{"joe-biden"}; }));
  const Run merged = fx.folio({"--no-config", "search", "--person", "joe-biden", "--json"});
  REQUIRE(merged.status == 0);
  CHECK(json::parse(merged.out).at("hits").at(0).at("people").size() == 1);
  fs::remove(entities);  // deleted: the people as extracted
  CHECK(eventually([&] { return people() == both; }));

  ::kill(watcher, SIGINT);
  const Run r = fx.wait_for(watcher, "watch");
  INFO(r.err);
  CHECK(r.status == 130);
  CHECK_THAT(r.err, Contains(entities.string() + " changed: its rules apply from this batch"));
}

TEST_CASE("watch: at the inotify watch limit it says so and rescans instead", "[watch]") {
  Fixture fx;
  const pid_t watcher =
      fx.spawn({"index", "--watch", "--poll", "1", "news"}, "watch", {"FOLIO_TEST_MAX_WATCHES=1"});
  REQUIRE(eventually([&] { return slurp(fx.root / "watch.err").find("watching") != std::string::npos; }));
  CHECK_THAT(slurp(fx.root / "watch.err"),
             Contains("inotify watch limit") && Contains("sysctl fs.inotify.max_user_watches="));
  write(fx.root / "news" / "sub" / "new.txt", article("Delta", "narwhal"));
  CHECK(eventually([&] { return fx.found("narwhal").size() == 1; }));
  ::kill(watcher, SIGINT);
  CHECK(fx.wait_for(watcher, "watch").status == 130);
}
