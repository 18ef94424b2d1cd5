// The index survives what real use throws at it: kill -9 at any moment,
// Ctrl-C, a second indexer, searches during indexing, and hostile files.
// Runs the real folio binary on generated articles in a temp folder.
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
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

struct Run {
  int status = -1;  // exit code, or 128 + signal
  std::string out, err;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "folio-robust-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

using Env = std::vector<std::pair<std::string, std::string>>;

// Starts folio with `args`, behind the command `wrapper` if not empty, with
// `env` added to its environment; stdout and stderr go to files in `dir`.
pid_t spawn(const fs::path& dir, const std::vector<std::string>& args, const std::string& tag,
            const std::vector<std::string>& wrapper = {}, const Env& env = {}) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
    const int out = ::open((dir / (tag + ".out")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open((dir / (tag + ".err")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<std::string> copy = wrapper;
    copy.emplace_back(FOLIO_BINARY);
    copy.insert(copy.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

Run wait_for(pid_t pid, const fs::path& dir, const std::string& tag) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  Run r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(dir / (tag + ".out"));
  r.err = slurp(dir / (tag + ".err"));
  return r;
}

Run folio(const fs::path& dir, const std::vector<std::string>& args,
          const std::vector<std::string>& wrapper = {}) {
  return wait_for(spawn(dir, args, "run", wrapper), dir, "run");
}

// Starts `folio index` with the test hook that pauses it after `files`
// files (cli/cmd_index.cpp), and waits until it says it has paused: it then
// holds the write lock, its signal handlers are in place, and it has files
// left to index. REQUIREs that it paused within a minute.
pid_t spawn_paused_indexer(const fs::path& dir, const std::vector<std::string>& args, const std::string& tag,
                           std::size_t files) {
  const pid_t pid = spawn(dir, args, tag, {}, {{"FOLIO_TEST_PAUSE_AFTER_FILES", std::to_string(files)}});
  const std::string line = "folio: test: paused after " + std::to_string(files) + " files\n";
  bool paused = false;
  for (int i = 0; i < 6000 && !paused; ++i) {
    paused = slurp(dir / (tag + ".err")).find(line) != std::string::npos;
    if (!paused) {
      INFO("the indexer's stderr: " << slurp(dir / (tag + ".err")));
      REQUIRE(::waitpid(pid, nullptr, WNOHANG) == 0);  // still running
      std::this_thread::sleep_for(10ms);
    }
  }
  REQUIRE(paused);
  return pid;
}

// Generated articles with several sections each (nothing copied from
// anywhere): enough of them that indexing takes a while.
void write_articles(const fs::path& folder, int count, int version = 0) {
  fs::create_directories(folder);
  static const char* kWords[] = {"harbour", "council",  "budget",   "river",    "market", "school",
                                 "bridge",  "festival", "election", "rainfall", "museum", "railway"};
  for (int i = 0; i < count; ++i) {
    std::ofstream f(folder / ("article-" + std::to_string(i) + ".txt"));
    f << "Report number " << i << " on the " << kWords[i % 12] << "\n\nBy Test Writer | June " << 1 + i % 28
      << ", 2023\n\nLead paragraph " << i << " version " << version << " about the " << kWords[(i + 3) % 12]
      << ".\n\n";
    for (int s = 1; s <= 4; ++s) {
      f << "Section " << s << " Heading\n\n";
      for (int p = 0; p < 6; ++p) {
        f << "Paragraph " << p << " of section " << s << " tells of the " << kWords[(i + s + p) % 12]
          << " and the " << kWords[(i * 7 + p) % 12] << " in town number " << i << ".\n\n";
      }
    }
  }
}

struct IndexState {
  Xapian::doccount documents = 0;
  std::set<std::string> ids;  // Q terms
};

// Opens each shard of the index (the lines of its XAPIANDB stub file) and
// checks every file record against the shard's documents: each indexed
// file has exactly the sections its record says, never half.
IndexState check_complete(const fs::path& db_dir) {
  IndexState st;
  std::ifstream stub(db_dir / "XAPIANDB");
  REQUIRE(stub);
  for (std::string line; std::getline(stub, line);) {
    REQUIRE(line.rfind("auto ", 0) == 0);
    const Xapian::Database db((db_dir / line.substr(5)).string());
    st.documents += db.get_doccount();
    Xapian::doccount recorded = 0;
    const std::string prefix = "folio.file:";
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
      const std::string id = (*it).substr(prefix.size());
      const auto record = nlohmann::json::parse(db.get_metadata(*it));
      const auto sections = record.at("sections").get<Xapian::doccount>();
      INFO(record.at("path").get<std::string>());
      CHECK(db.get_termfreq("XA" + id) == sections);
      recorded += sections;
    }
    CHECK(recorded == db.get_doccount());
    for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t) st.ids.insert(*t);
  }
  return st;
}

}  // namespace

TEST_CASE("kill -9 at random moments leaves the last commit whole, a rerun converges", "[robustness]") {
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  write_articles(articles, 600);
  const std::string db = (tmp.path / "db").string();
  std::mt19937 random(12345);  // fixed seed: the same kill times on every run
  std::uniform_int_distribution<int> delay_ms(50, 900);
  for (int round = 0; round < 6; ++round) {
    const pid_t pid = spawn(
        tmp.path, {"--db", db, "index", articles.string(), "--batch", "25", "--shards", "3", "-q"}, "kill");
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    ::kill(pid, SIGKILL);
    wait_for(pid, tmp.path, "kill");
    if (fs::exists(tmp.path / "db" / "XAPIANDB")) check_complete(tmp.path / "db");
  }
  const Run finish = folio(tmp.path, {"--db", db, "index", articles.string()});
  REQUIRE(finish.status == 0);
  const IndexState resumed = check_complete(tmp.path / "db");

  const Run clean = folio(tmp.path, {"--db", (tmp.path / "clean").string(), "index", articles.string()});
  REQUIRE(clean.status == 0);
  const IndexState fresh = check_complete(tmp.path / "clean");
  CHECK(resumed.documents == fresh.documents);
  CHECK(resumed.ids == fresh.ids);
}

TEST_CASE("Ctrl-C commits what is done and exits 130, the next run finishes", "[robustness]") {
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  write_articles(articles, 1500);
  const std::string db = (tmp.path / "db").string();
  // Paused after 300 files: the interrupt lands while 1200 are left.
  const pid_t pid =
      spawn_paused_indexer(tmp.path, {"--db", db, "index", articles.string(), "--batch", "50"}, "int", 300);
  ::kill(pid, SIGINT);
  const Run r = wait_for(pid, tmp.path, "int");
  INFO(r.err);
  REQUIRE(r.status == 130);
  CHECK(r.err.find("interrupted: the files indexed so far are committed") != std::string::npos);
  const IndexState interrupted = check_complete(tmp.path / "db");
  // At least the 300 files before the pause are committed, not all 1500.
  CHECK(interrupted.documents >= 300 * 5);
  CHECK(interrupted.documents < 1500 * 5);
  const Run again = folio(tmp.path, {"--db", db, "index", articles.string()});
  CHECK(again.status == 0);
  CHECK(check_complete(tmp.path / "db").documents == 1500 * 5);
}

TEST_CASE("a second indexer exits 2 at once naming the first, searches keep working", "[robustness]") {
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  write_articles(articles, 300);
  const std::string db = (tmp.path / "db").string();
  REQUIRE(folio(tmp.path, {"--db", db, "index", articles.string()}).status == 0);
  // Change every file so the next run rewrites the index while we watch;
  // it pauses after 100 files, holding the lock, until SIGUSR1.
  write_articles(articles, 1500, 1);
  const pid_t first =
      spawn_paused_indexer(tmp.path, {"--db", db, "index", articles.string(), "--batch", "20"}, "first", 100);
  const auto start = std::chrono::steady_clock::now();
  const Run second = folio(tmp.path, {"--db", db, "index", articles.string()});
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(::waitpid(first, nullptr, WNOHANG) == 0);  // the first still runs
  CHECK(second.status == 2);
  CHECK(second.err == "folio: the index at " + db + " is being updated by another folio process (pid " +
                          std::to_string(first) + ")\n");
  CHECK(took < 5s);  // it did not wait for the lock
  // Searches while the first is paused mid-run and while it goes on:
  // found or not found, never an error.
  auto search = [&] {
    const Run s = folio(tmp.path, {"--db", db, "search", "railway", "--facet", "date", "-n", "3"});
    INFO(s.err);
    CHECK((s.status == 0 || s.status == 1));
  };
  search();
  ::kill(first, SIGUSR1);
  int status = 0;
  for (int searches = 0; ::waitpid(first, &status, WNOHANG) == 0;) {
    if (searches++ < 200) {
      search();
    } else {
      std::this_thread::sleep_for(10ms);
    }
  }
  INFO(slurp(tmp.path / "first.err"));
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  CHECK(slurp(tmp.path / "first.out").find("1200 added, 300 updated") != std::string::npos);
  CHECK(check_complete(tmp.path / "db").documents == 1500 * 5);
}

TEST_CASE("hostile files: each is named with a reason, the rest is indexed", "[robustness]") {
  TempDir tmp;
  const fs::path a = tmp.path / "articles";
  write_articles(a, 3);
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(a / name, std::ios::binary) << bytes;
  };
  write("empty.txt", "");
  write("nul.txt", "Title\n\nText with a \0 NUL in the middle.\n"s);
  write("binary.txt",
        "\x7f"
        "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00"s);
  write("latin1.txt", "Caf\xe9s of S\xe3o Paulo\n\nThe caf\xe9 is open.\n");
  write("utf16.txt", "\xff\xfeT\0i\0t\0l\0e\0\n\0\n\0W\0o\0r\0d\0s\0.\0\n\0"s);
  write("page.txt",
        "<!DOCTYPE html><html><head><title>HTML in a .txt</title></head><body>"
        "<article><h1>Harbour news</h1><p>The harbour reopened.</p></article></body></html>");
  std::string headings = "Many Headings\n\n";
  for (int i = 0; i < 100000; ++i)
    headings += "Heading " + std::to_string(i) + "\n\nText " + std::to_string(i) + ".\n\n";
  write("headings.txt", headings);
  write("long-line.txt", "One Long Line\n\n" + std::string(10 << 20, 'a') + "\n");
  write("huge.txt", "Huge\n\n" + std::string(4 << 20, 'b') + "\n");
  fs::create_symlink("loop-b.txt", a / "loop-a.txt");
  fs::create_symlink("loop-a.txt", a / "loop-b.txt");
  write(std::string("bad-\xff-name.txt"), "Title\n\nText.\n");
  // An author and a person whose names are longer than a Xapian term may be.
  std::string author, person;
  for (int i = 0; i < 30; ++i) author += "Averyverylongname ";
  for (int i = 0; i < 6; ++i) person += "Q" + std::string(60, 'x') + " ";
  write("long-names.txt", "Long Names\n\nBy " + author + "| June 1, 2023\n\nYesterday " + person +
                              "said that " + person + "was right.\n");

  const Run r =
      folio(tmp.path, {"--db", (tmp.path / "db").string(), "index", a.string(), "--max-size", "3", "--json"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto summary = nlohmann::json::parse(r.out);
  std::map<std::string, std::string> reasons;
  for (const auto& s : summary.at("skipped")) {
    reasons[fs::path(s.at("path").get<std::string>()).filename().string()] =
        s.at("reason").get<std::string>();
  }
  CHECK(reasons["empty.txt"] == "empty file");
  CHECK(reasons["nul.txt"].find("binary") != std::string::npos);
  CHECK(reasons["binary.txt"].find("binary") != std::string::npos);
  CHECK(reasons["huge.txt"].find("size limit") != std::string::npos);
  CHECK(reasons["long-line.txt"].find("size limit") != std::string::npos);
  CHECK(reasons.count("loop-a.txt") == 1);
  CHECK(reasons.count("bad-\xef\xbf\xbd-name.txt") == 1);
  // One stderr line per skipped file, each naming it.
  CHECK(static_cast<std::size_t>(std::count(r.err.begin(), r.err.end(), '\n')) ==
        summary.at("skipped").size());
  // 3 generated + latin1 + utf16 + page + headings + long-names.
  CHECK(summary.at("added").get<int>() == 8);

  const Run cafe = folio(tmp.path, {"--db", (tmp.path / "db").string(), "search", "São Paulo", "--json"});
  CHECK(cafe.status == 0);
  const Run html = folio(
      tmp.path,
      {"--db", (tmp.path / "db").string(), "show",
       nlohmann::json::parse(
           folio(tmp.path, {"--db", (tmp.path / "db").string(), "search", "harbour reopened", "--json"}).out)
           .at("hits")
           .at(0)
           .at("id")
           .get<std::string>()});
  // Read as HTML: the <title> is the title (it and the <h1> disagree, and
  // with no other source the <title> wins, as in reader views).
  CHECK(html.out.find("title:    HTML in a .txt") != std::string::npos);
  CHECK(html.out.find("<p>") == std::string::npos);

  // The 10 MB line passes under a larger limit.
  const Run big =
      folio(tmp.path, {"--db", (tmp.path / "db").string(), "index", (a / "long-line.txt").string()});
  CHECK(big.status == 0);
  CHECK(big.out.find("1 added") != std::string::npos);
}

TEST_CASE("an unreadable file is named with the system's reason, the rest is indexed", "[robustness]") {
  TempDir tmp;
  const fs::path a = tmp.path / "articles";
  write_articles(a, 2);
  std::ofstream(a / "secret.txt") << "Secret\n\nNot for you.\n";
  fs::permissions(a / "secret.txt", fs::perms::none);
  // Root reads any file: run folio as root without the capabilities that
  // override file permissions (CI runs as root).
  std::vector<std::string> wrapper;
  if (::geteuid() == 0) wrapper = {"/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search"};
  const Run r = folio(tmp.path, {"--db", (tmp.path / "db").string(), "index", a.string(), "--json"}, wrapper);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto summary = nlohmann::json::parse(r.out);
  CHECK(summary.at("added").get<int>() == 2);
  REQUIRE(summary.at("skipped").size() == 1);
  CHECK(summary.at("skipped").at(0).at("reason") == "Permission denied");
  CHECK(r.err.find("secret.txt: Permission denied") != std::string::npos);

  // Unchanged, it is not read nor reported again, only counted.
  const Run again = folio(tmp.path, {"--db", (tmp.path / "db").string(), "index", a.string()}, wrapper);
  CHECK(again.status == 0);
  CHECK(again.err.empty());
  CHECK(again.out.find("0 skipped (and 1 skipped before, unchanged)") != std::string::npos);
  const Run stats = folio(tmp.path, {"--db", (tmp.path / "db").string(), "stats", "--json"});
  CHECK(nlohmann::json::parse(stats.out).at("skipped_files") == 1);
  // A chmod changes its ctime: it is retried, and indexed.
  fs::permissions(a / "secret.txt", fs::perms::owner_read);
  const Run fixed =
      folio(tmp.path, {"--db", (tmp.path / "db").string(), "index", a.string(), "--json"}, wrapper);
  INFO(fixed.err);
  CHECK(nlohmann::json::parse(fixed.out).at("added") == 1);
  CHECK(nlohmann::json::parse(fixed.out).at("skipped_unchanged") == 0);
  const Run after = folio(tmp.path, {"--db", (tmp.path / "db").string(), "stats", "--json"});
  CHECK(nlohmann::json::parse(after.out).at("skipped_files") == 0);
}

namespace {

// A tmpfs of `size` mounted on `dir` for the life of the object; mounted()
// is false when this process may not mount (not root, no CAP_SYS_ADMIN).
class Tmpfs {
 public:
  Tmpfs(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ =
        ::geteuid() == 0 && run({"/bin/mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.string()});
  }
  ~Tmpfs() {
    if (mounted_) run({"/bin/umount", dir_.string()});
  }
  bool mounted() const { return mounted_; }
  // Remounts with other options ("ro", "rw,size=200m"); true on success.
  bool remount(const std::string& options) {
    return run({"/bin/mount", "-o", "remount," + options, dir_.string()});
  }

 private:
  static bool run(std::vector<std::string> args) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  fs::path dir_;
  bool mounted_ = false;
};

}  // namespace

TEST_CASE("a full disk: the message says what to do, the last commit stays whole, a rerun converges",
          "[robustness]") {
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  write_articles(articles, 600);
  const fs::path db = tmp.path / "db";
  Tmpfs disk(db, "2m");
  if (!disk.mounted()) {
    WARN("skipped: cannot mount a 2 MB tmpfs here (this test needs root, as in CI)");
    return;
  }
  const Run full = folio(tmp.path, {"--db", db.string(), "index", articles.string(), "--batch", "25"});
  INFO(full.err);
  REQUIRE(full.status == 2);
  const IndexState committed = check_complete(db);
  CHECK(committed.documents < 600 * 5);
  const std::size_t articles_committed = committed.documents / 5;
  CHECK(articles_committed > 0);  // the first batches fit
  CHECK(full.err == "folio: no space left on the device holding the index at " + db.string() +
                        "; the index is as of the last commit (" + std::to_string(articles_committed) +
                        " articles); free space and run the same command again\n");
  // Searches still work on what was committed.
  CHECK(folio(tmp.path, {"--db", db.string(), "search", "railway"}).status ==
        (articles_committed > 0 ? 0 : 1));

  REQUIRE(disk.remount("size=200m"));
  const Run again = folio(tmp.path, {"--db", db.string(), "index", articles.string()});
  INFO(again.err);
  CHECK(again.status == 0);
  CHECK(check_complete(db).documents == 600 * 5);
}

TEST_CASE("a read-only index: the message says so, searches work, the index is untouched", "[robustness]") {
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  write_articles(articles, 3);
  const fs::path db = tmp.path / "db";
  Tmpfs disk(db, "20m");
  if (!disk.mounted()) {
    WARN("skipped: cannot mount a tmpfs here (this test needs root, as in CI)");
    return;
  }
  // The index folder is a mount point: a new index is indexed but cannot be
  // compacted by swapping folders, which is said, and is no failure.
  const Run first = folio(tmp.path, {"--db", db.string(), "index", articles.string()});
  REQUIRE(first.status == 0);
  CHECK(first.err.find("folio: the new index is not compacted: cannot compact the index at " + db.string() +
                       " in place: it is a mount point") == 0);
  CHECK(folio(tmp.path, {"--db", db.string(), "compact"}).status == 2);
  write_articles(articles, 4);
  REQUIRE(disk.remount("ro"));
  const Run ro = folio(tmp.path, {"--db", db.string(), "index", articles.string()});
  CHECK(ro.status == 2);
  CHECK(ro.err == "folio: cannot write to the index at " + db.string() +
                      ": Read-only file system; the index is as it was (3 articles); make the folder "
                      "writable and run the same command again\n");
  CHECK(folio(tmp.path, {"--db", db.string(), "search", "railway"}).status == 0);
  CHECK(check_complete(db).documents == 3 * 5);

  REQUIRE(disk.remount("rw"));
  CHECK(folio(tmp.path, {"--db", db.string(), "index", articles.string()}).status == 0);
  CHECK(check_complete(db).documents == 4 * 5);

  // A new index on a read-only file system.
  REQUIRE(disk.remount("ro"));
  const Run create = folio(tmp.path, {"--db", (db / "new").string(), "index", articles.string()});
  CHECK(create.status == 2);
  CHECK(create.err ==
        "folio: cannot create index directory " + (db / "new").string() + ": Read-only file system\n");
}

TEST_CASE("a folder that is not a folio index is left alone", "[robustness]") {
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  write_articles(articles, 2);
  // A folder of other files: folio does not write into it.
  const Run others = folio(tmp.path, {"--db", articles.string(), "index", articles.string()});
  CHECK(others.status == 2);
  CHECK(others.err.find("folio: " + articles.string() +
                        " is not a folio index: it holds other files (article-") == 0);
  CHECK(!fs::exists(articles / "XAPIANDB"));
  CHECK(!fs::exists(articles / "shard0"));
  // Someone else's Xapian database.
  const fs::path xdb = tmp.path / "xdb";
  {
    Xapian::WritableDatabase w(xdb.string(), Xapian::DB_CREATE);
    Xapian::Document doc;
    doc.add_term("foo");
    w.add_document(doc);
    w.commit();
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"index", articles.string()}, {"search", "foo"}, {"stats"}}) {
    std::vector<std::string> full = {"--db", xdb.string()};
    full.insert(full.end(), args.begin(), args.end());
    const Run r = folio(tmp.path, full);
    INFO(args[0]);
    CHECK(r.status == 2);
    CHECK(r.err == "folio: " + xdb.string() +
                       " is not a folio index: it holds a Xapian database that folio did not make; "
                       "choose an empty or new folder with --db (or $FOLIO_DB)\n");
  }
  CHECK(Xapian::Database(xdb.string()).get_doccount() == 1);
}

TEST_CASE("a search the time limit cut still prints its page, and says the totals are estimates",
          "[robustness][limits]") {
  // A date filter is a boolean match, which Xapian stops once it has the
  // page when its timer fires. The index grows (sections holding only a
  // date term) until counting every match takes far longer than a timer.
  TempDir tmp;
  const fs::path articles = tmp.path / "articles";
  const fs::path db = tmp.path / "db";
  write_articles(articles, 3);
  REQUIRE(folio(tmp.path, {"--db", db.string(), "index", articles.string()}).status == 0);
  // Of two years (the articles are of 2023): the match is an OR of posting
  // lists, whose total Xapian knows only by counting (a single term's total
  // is its term frequency, exact however early the match stops).
  Xapian::Document dated[2];
  dated[0].add_boolean_term("Y2021");
  dated[1].add_boolean_term("Y2022");
  const std::vector<std::string> search = {"--db", db.string(), "search",  "--since",
                                           "2000", "--json",    "--limit", "2"};
  // The time of the match: a search counting every section, less one that
  // matches none (start-up, opening), the faster of two runs each.
  auto fastest = [&](const std::vector<std::string>& args, Run& run) {
    auto best = std::chrono::steady_clock::duration::max();
    for (int i = 0; i < 2; ++i) {
      const auto start = std::chrono::steady_clock::now();
      run = folio(tmp.path, args);
      best = std::min(best, std::chrono::steady_clock::now() - start);
    }
    return best;
  };
  Run whole, none;
  std::vector<std::string> nothing = search;
  nothing.insert(nothing.end(), {"nosuchwordanywhere", "--time-limit", "0"});
  std::vector<std::string> everything = search;
  everything.insert(everything.end(), {"--time-limit", "0"});
  for (Xapian::doccount sections = 100'000; sections <= 3'200'000; sections *= 2) {
    {
      Xapian::WritableDatabase shard((db / "shard0").string());
      while (shard.get_doccount() < sections) shard.add_document(dated[shard.get_doccount() % 2]);
      shard.commit();
    }
    if (fastest(everything, whole) - fastest(nothing, none) > 100ms) break;
  }
  REQUIRE(whole.status == 0);
  CHECK(nlohmann::json::parse(whole.out).at("time_limited") == false);
  CHECK(whole.err.empty());
  std::vector<std::string> limited = search;
  limited.insert(limited.end(), {"--time-limit", "0.000000001"});
  const Run cut = folio(tmp.path, limited);
  REQUIRE(cut.status == 0);
  const nlohmann::json page = nlohmann::json::parse(cut.out);
  CHECK(page.at("time_limited") == true);
  CHECK(page.at("hits").size() == 2);
  CHECK(page.at("total") <= nlohmann::json::parse(whole.out).at("total"));
  CHECK(cut.err == "folio: the search took more than 1e-09s: it stopped counting, so totals are estimates\n");
}
