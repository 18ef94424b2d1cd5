// A cluster of loopback nodes (`folio serve`, `folio join`) answers as one
// local index of the same files: corpus/ split over two nodes and a local
// index, compared with one index of all three folders. Then the faults: a
// node down before and during a search, with and without --partial, and a
// node re-indexing while searches run.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

struct Run {
  std::vector<std::string> args;
  int status = -1;
  std::string out, err;
};

std::ostream& operator<<(std::ostream& os, const Run& run) {
  os << "$ folio";
  for (const std::string& a : run.args) os << " '" << a << "'";
  return os << "\nexit " << run.status << "\n--- stdout ---\n"
            << run.out.substr(0, 3000) << "\n--- stderr ---\n"
            << run.err;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Starts folio with `args`, stdout and stderr to files; returns its pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  std::vector<std::string> copy{FOLIO_BINARY};
  copy.insert(copy.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string o = out.string(), e = err.string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fo = ::open(o.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int fe = ::open(e.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int in = ::open("/dev/null", O_RDONLY);
    if (fo < 0 || fe < 0 || in < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(fo, 1);
    ::dup2(fe, 2);
    ::setenv("FOLIO_TODAY", "2024-01-01", 1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A port p with p and p + 1 free on 127.0.0.1 (the service and xapian-tcpsrv).
int free_port_pair() {
  auto bind_port = [](int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      return -1;
    }
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return static_cast<int>(ntohs(a.sin_port));
  };
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int p = bind_port(0);
    if (p > 0 && p < 65535 && bind_port(p + 1) == p + 1) return p;
  }
  throw std::runtime_error("no free port pair");
}

// A temp folder: corpus/ split into a/, b/ and c/; a reference index of the
// three in ref/; nodes serving a/ and b/, c/ indexed locally; the cluster.
// `with_copies`: copies of some articles too, on one node, across nodes and
// in the local index.
class Cluster {
 public:
  explicit Cluster(bool with_copies = false) {
    std::string pattern = (fs::temp_directory_path() / "folio-remote-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    root = fs::canonical(pattern);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(FOLIO_SOURCE_DIR) / "corpus")) {
      if (e.path().extension() == ".txt" || e.path().extension() == ".md") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const char* part : {"a", "b", "c"}) fs::create_directories(root / part);
    for (std::size_t k = 0; k < files.size(); ++k) {
      fs::copy_file(files[k], root / std::string(1, static_cast<char>('a' + k % 3)) / files[k].filename());
    }
    if (with_copies) {
      // files[k] is in part 'a' + k % 3.
      auto copy_as = [&](std::size_t k, const char* part, const std::string& prefix) {
        fs::copy_file(files.at(k), root / part / (prefix + files[k].filename().string()));
      };
      copy_as(0, "a", "dup-");    // the sample article: a copy on its node (2 shards),
      copy_as(0, "b", "copy-");   // one on the other node,
      copy_as(0, "c", "again-");  // one in the local index
      copy_as(3, "b", "copy-");   // across nodes
      copy_as(2, "a", "copy-");   // from the local index to a node
      copy_as(5, "b", "copy-");   // undated, across
    }
    must({"--db", (root / "ref").string(), "index", "--shards", "2", (root / "a").string(),
          (root / "b").string(), (root / "c").string()});
    must({"--db", (root / "na").string(), "index", "--shards", "2", (root / "a").string()});
    must({"--db", (root / "nb").string(), "index", (root / "b").string()});
    must({"--db", (root / "nc").string(), "index", (root / "c").string()});
    start_node(0, "na");
    start_node(1, "nb");
    must({"--db", cluster().string(), "join", address(0), address(1), "--local", (root / "nc").string()});
  }
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;
  ~Cluster() {
    for (std::size_t k = 0; k < pids.size(); ++k) stop_node(k);
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  fs::path cluster() const { return root / "cluster"; }
  std::string address(std::size_t k) const { return "127.0.0.1:" + std::to_string(ports[k]); }

  void start_node(std::size_t k, const std::string& db) {
    if (pids.size() <= k) {
      pids.resize(k + 1, -1);
      ports.resize(k + 1, 0);
      dbs.resize(k + 1);
    }
    dbs[k] = db;
    const fs::path err = root / ("node" + std::to_string(k) + ".err");
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (ports[k] == 0 || attempt > 0) ports[k] = free_port_pair();
      // The log of a start before says "serving" until the child truncates it.
      fs::remove(err);
      pids[k] =
          spawn({"--db", (root / db).string(), "serve", "--listen", address(k)}, root / "node.out", err);
      // Ready once it says so; gone if its ports were taken meanwhile.
      for (int wait = 0; wait < 500; ++wait) {
        if (slurp(err).find("serving") != std::string::npos) return;
        int status = 0;
        if (::waitpid(pids[k], &status, WNOHANG) == pids[k]) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      stop_node(k);
    }
    throw std::runtime_error("folio serve did not start: " + slurp(err));
  }

  void stop_node(std::size_t k) {
    if (pids[k] <= 0) return;
    ::kill(pids[k], SIGTERM);
    wait_status(pids[k]);
    pids[k] = -1;
  }

  Run folio(const std::vector<std::string>& args) const {
    Run run;
    run.args = args;
    const fs::path out = root / "run.out", err = root / "run.err";
    run.status = wait_status(spawn(args, out, err));
    run.out = slurp(out);
    run.err = slurp(err);
    return run;
  }
  Run on(const fs::path& db, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db.string()});
    return folio(args);
  }

  void must(const std::vector<std::string>& args) const {
    const Run run = folio(args);
    if (run.status != 0) {
      std::ostringstream os;
      os << run;
      throw std::runtime_error(os.str());
    }
  }

  fs::path root;
  std::vector<pid_t> pids;
  std::vector<int> ports;
  std::vector<std::string> dbs;
};

// The hits in a comparable order: equal scores may come in docid order,
// which differs between two layouts of the same sections.
json normalised(json results) {
  json& hits = results["hits"];
  std::vector<json> list(hits.begin(), hits.end());
  std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
    const double sa = a["score"].get<double>(), sb = b["score"].get<double>();
    if (std::abs(sa - sb) > 1e-9) return sa > sb;
    return a["id"].get<std::string>() < b["id"].get<std::string>();
  });
  for (json& h : list) {
    h.erase("rank");
    h["score"] = std::round(h["score"].get<double>() * 1e6) / 1e6;
  }
  hits = list;
  return results;
}

// As normalised(), with copies merged: which copy stands for the others may
// differ between two layouts (their scores are equal), so each hit is
// compared by the sorted paths of it and its copies. Without `paths`, by
// its content alone: a page of --no-dedupe hits may end between copies of
// equal scores, and which of them it shows depends on the layout.
json normalised_copies(json results, bool paths_too = true) {
  for (json& h : results["hits"]) {
    std::vector<std::string> paths{h.at("path").get<std::string>()};
    for (const json& p : h.at("copies")) paths.push_back(p.get<std::string>());
    std::sort(paths.begin(), paths.end());
    if (!paths_too) paths.assign(paths.size(), "");
    h["copies"] = paths;
    h["id"] = paths.front();
    for (const char* key : {"path", "line"}) h.erase(key);
  }
  return normalised(results);
}

// How many hits of a text output say they merged copies.
std::size_t merged_lines(const std::string& out) {
  std::size_t n = 0;
  for (std::size_t at = out.find(" cop"); at != std::string::npos; at = out.find(" cop", at + 1)) {
    if (out.compare(at, 6, " copy)") == 0 || out.compare(at, 8, " copies)") == 0) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("a cluster merges copies as one local index does, on a node and across nodes", "[remote][copies]") {
  Cluster c(true);
  const std::vector<std::vector<std::string>> searches = {
      {"search", "china", "-n", "100"},
      {"search", "\"core concerns\"", "-n", "100"},
      {"search", "climate", "--facet", "person,place", "-n", "100"},
      {"search", "summit", "-n", "3", "--offset", "1"},
      {"search", "china", "--by-article", "-n", "100"},
      {"search", "summit", "--by-article", "--facet", "place", "-n", "100"},
      {"search", "china", "--sort", "date", "-n", "100"},
      {"search", "china", "--sort", "date", "-n", "4", "--offset", "3"},
      {"search", "the", "--sort", "-date", "-n", "100"},
      {"search", "--any", "what did the summit agree", "-n", "100"},
      {"search", "summit", "talks", "climate", "-n", "100"},
  };
  std::size_t merged = 0;
  for (const auto& args : searches) {
    for (const bool dedupe : {true, false}) {
      std::vector<std::string> with_json = args;
      with_json.emplace_back("--json");
      if (!dedupe) with_json.emplace_back("--no-dedupe");
      const Run local = c.on(c.root / "ref", with_json);
      const Run remote = c.on(c.cluster(), with_json);
      INFO(local);
      INFO(remote);
      REQUIRE(remote.status == local.status);
      if (local.status > 1) continue;
      const bool paths = dedupe || std::find(args.begin(), args.end(), "--offset") == args.end();
      const json want = normalised_copies(json::parse(local.out), paths);
      const json got = normalised_copies(json::parse(remote.out), paths);
      for (const json& h : want["hits"]) {
        if (h["copies"].size() > 1) ++merged;
      }
      if (got != want) {
        std::string line;
        for (const std::string& a : with_json) line += a + " ";
        FAIL_CHECK("the cluster answers otherwise: " << line << "\n"
                                                     << json::diff(want, got).dump().substr(0, 2000));
      }
    }
  }
  // Copies were merged, and --no-dedupe lists them one by one.
  CHECK(merged > 10);
  const json all =
      json::parse(c.on(c.cluster(), {"search", "\"core concerns\"", "--no-dedupe", "--json"}).out);
  const json one = json::parse(c.on(c.cluster(), {"search", "\"core concerns\"", "--json"}).out);
  CHECK(all.at("total") == 4);
  CHECK(one.at("total") == 1);
  REQUIRE(one.at("hits").size() == 1);
  CHECK(one["hits"][0].at("copies").size() == 3);

  const std::vector<std::string> text = {"search", "china", "-n", "100", "--color", "never"};
  const Run text_local = c.on(c.root / "ref", text), text_remote = c.on(c.cluster(), text);
  CHECK(merged_lines(text_local.out) > 0);
  CHECK(merged_lines(text_remote.out) == merged_lines(text_local.out));
  CHECK_THAT(text_remote.out, Contains("(+3 copies)"));
}

TEST_CASE("a cluster of two nodes and a local index answers as one local index", "[remote]") {
  Cluster c;
  const std::vector<std::vector<std::string>> searches = {
      {"search", "china", "-n", "100"},
      {"search", "balloon", "--facet", "person,place,country,author,date:year", "-n", "100"},
      {"search", "taiwan", "--facet", "person,place", "--facet-by", "article", "-n", "100"},
      {"search", "china", "--person", "biden", "--facet", "person,place", "--disjunctive", "-n", "100"},
      {"search", "china", "--by-article", "-n", "100"},
      {"search", "china", "--by-article", "--facet", "person", "-n", "100"},
      {"search", "china", "--sort", "date", "-n", "100"},
      {"search", "china", "--sort", "-date", "-n", "3", "--offset", "2"},
      {"search", "\"core concerns\"", "-n", "100"},
      {"search", "negotiatons", "-n", "100"},
      {"search", "summit", "talks", "climate", "-n", "100"},
      {"search", "--any", "what did the summit agree", "-n", "100"},
      {"search", "negoti*", "-n", "100"},
      {"search", "--place", "taiwan", "--facet", "date:month", "-n", "100"},
  };
  for (const auto& args : searches) {
    std::vector<std::string> with_json = args;
    with_json.emplace_back("--json");
    const Run local = c.on(c.root / "ref", with_json);
    const Run remote = c.on(c.cluster(), with_json);
    INFO(local);
    INFO(remote);
    REQUIRE(remote.status == local.status);
    if (local.status > 1) continue;
    json want = normalised(json::parse(local.out)), got = normalised(json::parse(remote.out));
    if (got != want) {
      std::string line;
      for (const std::string& a : args) line += a + " ";
      FAIL_CHECK("the cluster answers otherwise: " << line << "\n"
                                                   << json::diff(want, got).dump().substr(0, 2000));
    }
  }
  // The text output too, for a search whose scores are all different.
  const Run text_local = c.on(c.root / "ref", {"search", "balloon", "--facet", "person", "--color", "never"});
  const Run text_remote = c.on(c.cluster(), {"search", "balloon", "--facet", "person", "--color", "never"});
  CHECK(text_remote.out == text_local.out);

  // Aliases merged from several shards come in shard order: compared as sets
  // (two local indexes of the same files with other shard counts differ so too).
  auto aliases_sorted = [](json j) {
    for (json& e : j["entities"]) {
      std::vector<std::string> a = e["aliases"];
      std::sort(a.begin(), a.end());
      e["aliases"] = a;
    }
    return j;
  };
  const Run entities_local = c.on(c.root / "ref", {"entities", "--json"});
  const Run entities_remote = c.on(c.cluster(), {"entities", "--json"});
  INFO(entities_remote);
  REQUIRE(entities_remote.status == 0);
  CHECK(aliases_sorted(json::parse(entities_remote.out)) == aliases_sorted(json::parse(entities_local.out)));

  const json stats_local = json::parse(c.on(c.root / "ref", {"stats", "--json"}).out);
  const Run stats_run = c.on(c.cluster(), {"stats", "--json"});
  INFO(stats_run);
  const json stats_remote = json::parse(stats_run.out);
  for (const char* key :
       {"sections", "articles", "earliest", "latest", "undated_sections", "schema_version"}) {
    INFO(key);
    CHECK(stats_remote[key] == stats_local[key]);
  }
  CHECK(stats_remote["shards"] == 4);

  // show: a section and an article, wherever they live.
  const json hits = json::parse(c.on(c.root / "ref", {"search", "china", "-n", "100", "--json"}).out)["hits"];
  REQUIRE(hits.size() >= 3);
  for (const json& hit : hits) {
    const std::string id = hit["id"];
    const std::string article = id.substr(0, id.find('-'));
    for (const std::string& which : {id, article}) {
      const Run local = c.on(c.root / "ref", {"show", which, "--json"});
      const Run remote = c.on(c.cluster(), {"show", which, "--json"});
      INFO(remote);
      CHECK(remote.status == 0);
      CHECK(remote.out == local.out);
    }
  }

  // Indexing goes to the nodes, never through the cluster.
  const Run index = c.on(c.cluster(), {"index", (c.root / "a").string()});
  CHECK(index.status == 2);
  CHECK_THAT(index.err, Contains("is a cluster index") && Contains("folio index"));
}

TEST_CASE("a node that is down fails the search naming it, unless --partial", "[remote]") {
  Cluster c;
  const std::string down = c.address(1);
  c.stop_node(1);
  const Run run = c.on(c.cluster(), {"search", "china"});
  INFO(run);
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains("node " + down) && Contains("not answering"));
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);

  const Run partial = c.on(c.cluster(), {"search", "china", "--partial", "--json", "--facet", "person"});
  INFO(partial);
  REQUIRE(partial.status == 0);
  CHECK_THAT(partial.err, Contains(down) && Contains("partial"));
  const json j = json::parse(partial.out);
  CHECK(j["missing_nodes"] == json::array({down}));
  // What the reachable nodes and the local index have: a and c.
  const Run ac_index =
      c.folio({"--db", (c.root / "ac").string(), "index", (c.root / "a").string(), (c.root / "c").string()});
  REQUIRE(ac_index.status == 0);
  const json ac = json::parse(c.on(c.root / "ac", {"search", "china", "--json", "--facet", "person"}).out);
  CHECK(j["total"] == ac["total"]);
  CHECK(j["facets"] == ac["facets"]);

  const Run text = c.on(c.cluster(), {"search", "china", "--partial"});
  CHECK(text.status == 0);
  CHECK_THAT(text.err, Contains("searched without " + down));

  // Back up on the same port: the cluster answers whole again.
  c.start_node(1, "nb");
  CHECK(c.address(1) == down);
  const Run back = c.on(c.cluster(), {"search", "china", "--json"});
  INFO(back);
  CHECK(back.status == 0);
  CHECK_FALSE(json::parse(back.out).contains("missing_nodes"));
}

TEST_CASE("a node that hangs times out after join's --timeout, naming it, unless --partial", "[remote]") {
  Cluster c;
  const fs::path quick = c.root / "quick";
  c.must({"--db", quick.string(), "join", c.address(0), c.address(1), "--timeout", "0.5"});
  CHECK_THAT(slurp(quick / "folio-cluster.json"), Contains("\"timeout_ms\": 500"));
  // A node whose service is stopped: connections are accepted, never answered.
  const std::string hung = c.address(1);
  REQUIRE(::kill(c.pids[1], SIGSTOP) == 0);
  const auto start = std::chrono::steady_clock::now();
  const Run run = c.on(quick, {"search", "china"});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  const Run partial = c.on(quick, {"search", "china", "--partial", "--json"});
  ::kill(c.pids[1], SIGCONT);
  INFO(run);
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains("node " + hung) && Contains("not answering"));
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
  CHECK(took.count() < 8);  // not the default 10 s
  INFO(partial);
  REQUIRE(partial.status == 0);
  CHECK(json::parse(partial.out)["missing_nodes"] == json::array({hung}));
}

TEST_CASE("a node killed during searches, and a node re-indexing during searches", "[remote]") {
  Cluster c;
  // Re-indexing: node a's folder changes while searches run; each search
  // answers (retrying on the node's new revision) or, never, fails.
  std::ofstream(c.root / "a" / "zz_new.txt")
      << "New Article\n\nBy Jane Doe | June 1, 2023\n\nChina and the balloon.\n";
  const fs::path err = c.root / "reindex.err";
  const pid_t indexer = spawn({"--db", (c.root / "na").string(), "index", (c.root / "a").string()},
                              c.root / "reindex.out", err);
  for (int k = 0; k < 5; ++k) {
    const Run run = c.on(c.cluster(), {"search", "china", "--facet", "person", "--by-article"});
    INFO(run);
    CHECK(run.status == 0);
  }
  CHECK(wait_status(indexer) == 0);
  const Run after = c.on(c.cluster(), {"search", "balloon", "--json", "-n", "100"});
  INFO(after);
  INFO(slurp(err));
  REQUIRE(after.status == 0);
  bool found = false;
  const json after_json = json::parse(after.out);
  for (const json& hit : after_json["hits"]) {
    if (hit["path"].get<std::string>().ends_with("zz_new.txt")) found = true;
  }
  CHECK(found);

  // Killed while a search runs: the search answers or names the node; it
  // never hangs or crashes.
  const pid_t search = spawn({"--db", c.cluster().string(), "search", "china", "--facet", "person,place"},
                             c.root / "s.out", c.root / "s.err");
  ::kill(c.pids[0], SIGKILL);
  wait_status(c.pids[0]);
  c.pids[0] = -1;
  const int status = wait_status(search);
  INFO(slurp(c.root / "s.err"));
  CHECK((status == 0 || status == 2));
  if (status == 2) CHECK_THAT(slurp(c.root / "s.err"), Contains("node " + c.address(0)));
  // Its xapian-tcpsrv died with it: the port is free again.
  for (int k = 0; k < 100; ++k) {
    const Run run = c.on(c.cluster(), {"search", "china"});
    if (run.status == 2) {
      CHECK_THAT(run.err, Contains("not answering"));
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

namespace {

// A stand-in for ssh: drops the host and runs the rest of the command, as
// ssh runs it on the far side (with folio installed there).
fs::path write_ssh_stand_in(const fs::path& dir) {
  fs::path ssh = dir / "ssh";
  std::ofstream(ssh) << "#!/bin/sh\nshift\nPATH=\"" << fs::path(FOLIO_BINARY).parent_path().string()
                     << ":$PATH\" exec \"$@\"\n";
  fs::permissions(ssh, fs::perms::owner_all);
  return ssh;
}

// The shard folders an index's stub names, absolute.
std::vector<std::string> shard_paths(const fs::path& index) {
  std::vector<std::string> out;
  std::ifstream in(index / "XAPIANDB");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("auto ")) out.push_back((index / line.substr(5)).string());
  }
  return out;
}

// A cluster folder whose nodes are reached through `ssh` (the program
// form): `remote :SSH HOST xapian-progsrv SHARD...` lines and each node's
// folio service as `SSH HOST folio --db DIR serve --stdio`.
void write_ssh_cluster(const fs::path& cluster, const std::string& ssh, const std::vector<fs::path>& nodes,
                       const fs::path& local) {
  fs::create_directories(cluster);
  std::ofstream stub(cluster / "XAPIANDB");
  json file = {{"version", 1}, {"nodes", json::array()}};
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const std::string host = "node" + std::to_string(k);
    std::string remote = ":" + ssh + " " + host + " xapian-progsrv";
    for (const std::string& shard : shard_paths(nodes[k])) remote += " " + shard;
    stub << "remote " << remote << "\n";
    file["nodes"].push_back(
        {{"remote", remote},
         {"service_command", {ssh, host, "folio", "--db", nodes[k].string(), "serve", "--stdio"}}});
  }
  for (const std::string& shard : shard_paths(local)) stub << "auto " << shard << "\n";
  std::ofstream(cluster / "folio-cluster.json") << file.dump(2) << "\n";
}

}  // namespace

TEST_CASE(
    "nodes reached through ssh (the program form, xapian-progsrv) answer as one local index, and a missing "
    "program fails in one line",
    "[remote]") {
  Cluster c;
  const fs::path ssh = write_ssh_stand_in(c.root);
  const fs::path cluster = c.root / "over-ssh";
  c.must({"--db", cluster.string(), "join", "--ssh", "node0:" + (c.root / "na").string(), "--ssh",
          "node1:" + (c.root / "nb").string(), "--ssh-program", ssh.string(), "--local",
          (c.root / "nc").string()});
  const std::string stub = slurp(cluster / "XAPIANDB");
  INFO(stub);
  CHECK_THAT(stub, Contains("remote :" + ssh.string() + " node0 xapian-progsrv " + (c.root / "na").string()));
  CHECK_THAT(slurp(cluster / "folio-cluster.json"), Contains("--stdio"));
  const std::vector<std::vector<std::string>> searches = {
      {"search", "china", "-n", "100"},
      {"search", "balloon", "--facet", "person,place,date:year", "-n", "100"},
      {"search", "china", "--by-article", "--facet", "person", "--facet-by", "article", "-n", "100"},
      {"search", "china", "--sort", "-date", "-n", "5"},
      {"search", "negotiatons"},
  };
  for (const auto& args : searches) {
    std::vector<std::string> with_json = args;
    with_json.emplace_back("--json");
    const Run local = c.on(c.root / "ref", with_json);
    const Run remote = c.on(cluster, with_json);
    INFO(local);
    INFO(remote);
    REQUIRE(remote.status == local.status);
    CHECK(normalised(json::parse(remote.out)) == normalised(json::parse(local.out)));
    CHECK(remote.err.empty());  // the far side's service logs nothing on the user's terminal
  }
  const Run stats = c.on(cluster, {"stats", "--json"});
  INFO(stats);
  REQUIRE(stats.status == 0);
  CHECK(json::parse(stats.out)["sections"] ==
        json::parse(c.on(c.root / "ref", {"stats", "--json"}).out)["sections"]);

  // A program that is not there: one line naming it, exit 2.
  const fs::path missing = c.root / "no-ssh";
  write_ssh_cluster(missing, (c.root / "no-such-ssh").string(), {c.root / "na"}, c.root / "nc");
  const Run run = c.on(missing, {"search", "china"});
  INFO(run);
  CHECK(run.status == 2);
  CHECK_THAT(run.err, Contains("no-such-ssh") && Contains("No such file or directory"));
  CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
}
