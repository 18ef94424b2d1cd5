// End-to-end tests of folio's output for the shell: --format tsv, ids and
// files, `folio show -`, `folio open`, `folio similar`, --histogram, copies
// merged into one hit, `folio entities --sort/--limit`, and the fzf recipe
// of the README. Each runs /bin/sh with a fixed environment, so that a test
// can pipe one folio into another as a user does.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSourceDir{FOLIO_SOURCE_DIR};
const fs::path kFolio{FOLIO_BINARY};
constexpr const char* kSample = "000_01b42376bab70225.txt";

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

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  for (std::size_t end; (end = line.find(sep, at)) != std::string::npos; at = end + 1) {
    fields.push_back(line.substr(at, end - at));
  }
  fields.push_back(line.substr(at));
  return fields;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(
      text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

// Single quotes for the shell.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  std::string script;
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const Run& run) {
  return os << "$ " << run.script << "\nexit status: " << run.exit_code << "\n--- stdout ---\n"
            << run.out.substr(0, 3000) << "--- stderr ---\n"
            << run.err;
}

// A folder with a copy of corpus/ and one more copy of the sample article
// (corpus/copies/sample-again.txt), indexed once for every test here.
class Corpus {
 public:
  static const Corpus& get() {
    static const Corpus corpus;
    return corpus;
  }

  // Runs `script` with /bin/sh in the folder; `folio` in it (on PATH) is
  // the binary with --db set. The environment is fixed: PATH, HOME, TERM=dumb, the
  // sanitizers' settings, and `env`.
  Run sh(const std::string& script, const std::map<std::string, std::string>& env = {}) const {
    std::map<std::string, std::string> vars{{"HOME", (root_ / "home").string()}, {"TERM", "dumb"}};
    for (const char* name : {"PATH", "LD_LIBRARY_PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
      if (const char* value = std::getenv(name)) vars[name] = value;
    }
    vars["PATH"] = (root_ / "bin").string() + ":" + vars["PATH"];
    for (const auto& [k, v] : env) vars[k] = v;
    const std::string& full = script;
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : vars) env_strings.push_back(k + "=" + v);
    const fs::path out_file = root_ / "scratch" / "out";
    const fs::path err_file = root_ / "scratch" / "err";
    Run run;
    run.script = script;
    const pid_t pid = ::fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) {
      std::vector<char*> envp;
      for (std::string& s : env_strings) envp.push_back(s.data());
      envp.push_back(nullptr);
      const int in = ::open("/dev/null", O_RDONLY);
      const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (in < 0 || out < 0 || err < 0 || ::chdir(root_.c_str()) != 0 || ::dup2(in, 0) < 0 ||
          ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) {
        ::_exit(127);
      }
      ::execle("/bin/sh", "sh", "-c", full.c_str(), static_cast<char*>(nullptr), envp.data());
      ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    }
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = read_file(out_file);
    run.err = read_file(err_file);
    return run;
  }

  // `folio ARGS --json`, which must exit 0 or 1, parsed.
  json json_of(const std::string& args) const {
    const Run run = sh("folio " + args + " --json");
    INFO(run);
    REQUIRE((run.exit_code == 0 || run.exit_code == 1));
    return json::parse(run.out);
  }

  const fs::path& root() const { return root_; }
  fs::path db() const { return root_ / "db"; }
  fs::path sample() const { return root_ / "corpus" / kSample; }
  fs::path copy() const { return root_ / "corpus" / "copies" / "sample-again.txt"; }

  Corpus(const Corpus&) = delete;
  Corpus& operator=(const Corpus&) = delete;

 private:
  Corpus() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern =
        (fs::path(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") / "folio-shell-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    root_ = fs::canonical(pattern);
    fs::create_directories(root_ / "corpus" / "copies");
    fs::create_directories(root_ / "scratch");
    for (const fs::directory_entry& entry : fs::directory_iterator(kSourceDir / "corpus")) {
      if (entry.is_regular_file() && entry.path().extension() == ".txt") {
        fs::copy_file(entry.path(), root_ / "corpus" / entry.path().filename());
      }
    }
    fs::copy_file(sample(), copy());
    fs::create_directories(root_ / "bin");
    write_file(root_ / "bin" / "folio", fmt::format("#!/bin/sh\nexec {} --db {} \"$@\"\n",
                                                    quoted(kFolio.string()), quoted(db().string())));
    fs::permissions(root_ / "bin" / "folio", fs::perms::owner_all);
    const Run run = sh("folio index corpus --shards 1");
    if (run.exit_code != 0) throw std::runtime_error("cannot index the corpus: " + run.err);
  }
  ~Corpus() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  fs::path root_;
};

}  // namespace

// ---------------------------------------------------------------------------
// --format tsv, ids, files

TEST_CASE("format tsv: the columns of every hit, as the JSON has them", "[shell][tsv]") {
  const Corpus& c = Corpus::get();
  for (const std::string by : {"", " --by-article"}) {
    const json results = c.json_of("search china" + by);
    const Run run = c.sh("folio search china --format tsv" + by);
    INFO(run);
    REQUIRE(run.exit_code == 0);
    const std::vector<std::string> rows = lines(run.out);
    REQUIRE(rows.size() == results.at("hits").size());
    REQUIRE(!rows.empty());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const json& hit = results["hits"][i];
      const std::vector<std::string> f = split(rows[i], '\t');
      REQUIRE(f.size() == 7);  // rank, score, date, path:line, id, title, heading
      CHECK(f[0] == std::to_string(hit.at("rank").get<int>()));
      CHECK(std::abs(std::stod(f[1]) - hit.at("score").get<double>()) < 0.001);
      CHECK(f[2] == (hit.at("date").is_null() ? std::string() : hit.at("date").get<std::string>()));
      const std::string path =
          fs::path(hit.at("path").get<std::string>()).lexically_relative(c.root()).string();
      CHECK(f[3] == fmt::format("{}:{}", path, hit.at("line").get<int>()));
      CHECK(f[4] == hit.at("id"));
      CHECK(f[5] == hit.at("title"));
      CHECK(f[6] == hit.at("heading"));
    }
    if (!by.empty()) {
      std::set<std::string> paths;
      for (const std::string& row : rows) paths.insert(split(split(row, '\t')[3], ':')[0]);
      CHECK(paths.size() == rows.size());  // one row per article
    }
  }
}

TEST_CASE("format ids piped into folio show - shows every hit in full", "[shell][ids][show]") {
  const Corpus& c = Corpus::get();
  const json results = c.json_of("search balloon");
  const Run ids = c.sh("folio search balloon --format ids");
  INFO(ids);
  REQUIRE(ids.exit_code == 0);
  std::vector<std::string> expected;
  for (const json& hit : results.at("hits")) expected.push_back(hit.at("id"));
  CHECK(lines(ids.out) == expected);

  const Run shown = c.sh("folio search balloon --format ids | folio show - --json");
  INFO(shown);
  REQUIRE(shown.exit_code == 0);
  std::vector<std::string> shown_ids;
  const json sections = json::parse(shown.out);
  for (const json& s : sections.at("sections")) shown_ids.push_back(s.at("id"));
  CHECK(shown_ids == expected);

  // Several ids as arguments; one unknown: the others printed, exit 1.
  REQUIRE(expected.size() >= 2);
  const Run two = c.sh(fmt::format("folio show {} 0000000000000000-3 {}", expected[0], expected[1]));
  INFO(two);
  CHECK(two.exit_code == 1);
  CHECK(two.out.find("id:       " + expected[0]) != std::string::npos);
  CHECK(two.out.find("id:       " + expected[1]) != std::string::npos);
  CHECK(lines(two.err).size() == 1);
  // Nothing on stdin: nothing to show is an error.
  CHECK(c.sh("folio show - < /dev/null").exit_code == 2);
}

TEST_CASE("format files: each article's path once", "[shell][files]") {
  const Corpus& c = Corpus::get();
  const json results = c.json_of("search china --no-dedupe -n 50");
  std::vector<std::string> expected;
  for (const json& hit : results.at("hits")) {
    const std::string path =
        fs::path(hit.at("path").get<std::string>()).lexically_relative(c.root()).string();
    if (std::find(expected.begin(), expected.end(), path) == expected.end()) expected.push_back(path);
  }
  REQUIRE(expected.size() >= 2);
  REQUIRE(expected.size() < results.at("hits").size());  // some article has several hits
  const Run run = c.sh("folio search china --no-dedupe -n 50 --format files");
  INFO(run);
  CHECK(lines(run.out) == expected);
  const Run by = c.sh("folio search china --no-dedupe -n 50 --format files --by-article");
  INFO(by);
  CHECK(lines(by.out).size() == expected.size());
}

TEST_CASE("the README's fzf recipe: the preview command on a tsv line shows that hit", "[shell][fzf]") {
  const Corpus& c = Corpus::get();
  // The README's recipe, as it is printed there.
  const std::string readme = read_file(kSourceDir / "README.md");
  const std::string recipe =
      "folio search balloon --format tsv | fzf --delimiter '\\t' --with-nth 6,7,4 --preview 'folio show {5}'";
  REQUIRE(readme.find(recipe) != std::string::npos);
  const Run tsv = c.sh("folio search balloon --format tsv");
  REQUIRE(tsv.exit_code == 0);
  for (const std::string& line : lines(tsv.out)) {
    // fzf's {5}: the fifth field (--delimiter '\t'), quoted for the shell.
    const std::vector<std::string> f = split(line, '\t');
    REQUIRE(f.size() == 7);
    const Run preview = c.sh("folio show " + quoted(f[4]));
    INFO(preview);
    CHECK(preview.exit_code == 0);
    CHECK(lines(preview.out).at(0) == "id:       " + f[4]);
    CHECK(lines(preview.out).at(1) == "title:    " + f[5]);
  }
  // The second recipe, with `head -n 1` for fzf picking the first line.
  const std::string open =
      "folio search balloon --format tsv | fzf --delimiter '\\t' --with-nth 6,7,4 --preview 'folio show {5}' "
      "| cut -f5 | xargs -r -o folio open";
  REQUIRE(readme.find(open) != std::string::npos);
  const fs::path args = c.root() / "scratch" / "fzf-editor-args";
  // (Without xargs -o, which reopens the terminal: a test has none.)
  const Run opened = c.sh("folio search balloon --format tsv | head -n 1 | cut -f5 | xargs -r folio open",
                          {{"EDITOR", "printf '%s\\n' > " + quoted(args.string())}});
  INFO(opened);
  CHECK(opened.exit_code == 0);
  const std::vector<std::string> first = split(lines(tsv.out).at(0), '\t');
  CHECK(read_file(args) == fmt::format("+{}\n{}\n", split(first[3], ':').back(),
                                       (c.root() / first[3].substr(0, first[3].rfind(':'))).string()));
}

// ---------------------------------------------------------------------------
// folio open

TEST_CASE("folio open runs $VISUAL, else $EDITOR, as EDITOR +LINE PATH", "[shell][open]") {
  const Corpus& c = Corpus::get();
  const fs::path editor = c.root() / "scratch" / "editor.sh";
  const fs::path args = c.root() / "scratch" / "editor-args";
  write_file(editor, fmt::format("#!/bin/sh\nprintf '%s\\n' \"$@\" > {}\nexit ${{EDITOR_EXIT:-0}}\n",
                                 quoted(args.string())));
  fs::permissions(editor, fs::perms::owner_all);
  const json results = c.json_of("search balloon");
  REQUIRE(results.at("hits").size() >= 2);
  const json& second = results["hits"][1];
  const std::string expected =
      fmt::format("+{}\n{}\n", second.at("line").get<int>(), second.at("path").get<std::string>());

  fs::remove(args);
  // An editor with arguments is run through the shell, as git does.
  Run run = c.sh("folio open " + second.at("id").get<std::string>(), {{"EDITOR", editor.string() + " -w"}});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK(read_file(args) == "-w\n" + expected);

  fs::remove(args);
  run = c.sh("folio open --rank 2 balloon", {{"VISUAL", editor.string()}, {"EDITOR", "false"}});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK(read_file(args) == expected);

  // The filters and ranking flags of search: the N-th hit is the one the
  // same search shows.
  const json filtered = c.json_of("search china --place taiwan --sort -date");
  REQUIRE(filtered.at("hits").size() >= 2);
  const json& filtered_second = filtered["hits"][1];
  REQUIRE(filtered_second.at("id") != c.json_of("search china").at("hits")[1].at("id"));
  fs::remove(args);
  run = c.sh("folio open --rank 2 china --place taiwan --sort -date", {{"EDITOR", editor.string()}});
  INFO(run);
  CHECK(run.exit_code == 0);
  CHECK(read_file(args) == fmt::format("+{}\n{}\n", filtered_second.at("line").get<int>(),
                                       filtered_second.at("path").get<std::string>()));
  // A filter without --rank has no hits to choose from.
  run = c.sh("folio open " + second.at("id").get<std::string>() + " --place taiwan",
             {{"EDITOR", editor.string()}});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("give --rank N") != std::string::npos);

  run = c.sh("folio open --rank 999 balloon", {{"EDITOR", editor.string()}});
  CHECK(run.exit_code == 1);
  CHECK(c.sh("folio open 0000000000000000-1", {{"EDITOR", editor.string()}}).exit_code == 1);
  run = c.sh("folio open " + second.at("id").get<std::string>(),
             {{"EDITOR", editor.string()}, {"EDITOR_EXIT", "3"}});
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("exited with status 3") != std::string::npos);
}

// ---------------------------------------------------------------------------
// --histogram

TEST_CASE("histogram: counts every matching section per period, not only the page", "[shell][histogram]") {
  const Corpus& c = Corpus::get();
  const json all = c.json_of("search '*' --no-dedupe -n 1 --histogram=year");
  const json& h = all.at("histogram");
  CHECK(h.at("granularity") == "year");
  unsigned counted = h.at("undated").get<unsigned>();
  for (const json& bar : h.at("counts")) counted += bar.at("count").get<unsigned>();
  CHECK(counted == all.at("total").get<unsigned>());
  CHECK(all.at("hits").size() == 1);
  CHECK(h.at("undated").get<unsigned>() > 0);
  // The periods in order, one per year from the first to the last.
  const json& bars = h.at("counts");
  REQUIRE(bars.size() >= 2);
  for (std::size_t i = 1; i < bars.size(); ++i) {
    CHECK(std::stoi(bars[i].at("period").get<std::string>()) ==
          std::stoi(bars[i - 1].at("period").get<std::string>()) + 1);
  }
  // Chosen from the span when not given; by month it has the same total.
  const json by_month = c.json_of("search '*' --no-dedupe --histogram=month").at("histogram");
  unsigned months = by_month.at("undated").get<unsigned>();
  for (const json& bar : by_month.at("counts")) months += bar.at("count").get<unsigned>();
  CHECK(months == counted);
  CHECK(c.json_of("search '*' --histogram").at("histogram").at("granularity") == "month");
  CHECK(c.json_of("search '*'").count("histogram") == 0);

  // Text: after the hits, one bar a period and the undated ones, within
  // the terminal's width.
  for (const int columns : {40, 100}) {
    const Run run = c.sh("folio search '*' --histogram=year", {{"COLUMNS", std::to_string(columns)}});
    INFO(run);
    REQUIRE(run.exit_code == 0);
    const std::size_t at = run.out.find("matching sections by year:\n");
    REQUIRE(at != std::string::npos);
    const std::vector<std::string> chart = lines(run.out.substr(at));
    REQUIRE(chart.size() == bars.size() + 2);
    CHECK(chart.back().starts_with("  undated"));
    std::size_t longest = 0;
    for (const std::string& line : chart) {
      CHECK(code_points(line) < static_cast<std::size_t>(columns));
      longest = std::max(longest, code_points(line));
    }
    CHECK(longest + 2 >=
          std::min<std::size_t>(static_cast<std::size_t>(columns), 70));  // the largest bar fills it
    CHECK(run.out.find("█") != std::string::npos);
  }
  // A wrong period lists the valid ones; --histogram does not take a query word.
  const Run bad = c.sh("folio search china --histogram=week");
  CHECK(bad.exit_code == 2);
  CHECK(c.sh("folio search --histogram china").exit_code == 0);
}

// ---------------------------------------------------------------------------
// copies

TEST_CASE("copies of an article are one hit, (+N copies), unless --no-dedupe", "[shell][copies]") {
  const Corpus& c = Corpus::get();
  const json merged = c.json_of("search '\"core concerns\"'");
  const json all = c.json_of("search '\"core concerns\"' --no-dedupe");
  CHECK(all.at("total").get<unsigned>() == merged.at("total").get<unsigned>() + 1);
  REQUIRE(!merged.at("hits").empty());
  const json& hit = merged["hits"][0];
  std::set<std::string> paths{hit.at("path").get<std::string>()};
  for (const json& p : hit.at("copies")) paths.insert(p.get<std::string>());
  CHECK(paths == std::set<std::string>{c.sample().string(), c.copy().string()});
  for (const json& h : all.at("hits")) CHECK(h.at("copies").empty());

  const Run text = c.sh("folio search '\"core concerns\"'");
  INFO(text);
  CHECK(lines(text.out).at(0).ends_with("(+1 copy)"));
  // By article: one article, its other matching sections not counting the copy's.
  const json by = c.json_of("search balloon --by-article");
  const json by_all = c.json_of("search balloon --by-article --no-dedupe");
  CHECK(by_all.at("total").get<unsigned>() == by.at("total").get<unsigned>() + 1);
  REQUIRE(!by.at("hits").empty());
  CHECK(by["hits"][0].at("copies").size() == 1);
  CHECK(by["hits"][0].at("other_sections") == by_all["hits"][0].at("other_sections"));
}

// ---------------------------------------------------------------------------
// folio similar

TEST_CASE("folio similar: other articles' sections, best first, with search's output options",
          "[shell][similar]") {
  const Corpus& c = Corpus::get();
  const json source = c.json_of("search '\"core concerns\"'");
  const std::string id = source.at("hits")[0].at("id");
  const std::string article = id.substr(0, id.rfind('-'));
  const json like = c.json_of("similar " + id + " --limit 4");
  REQUIRE(like.at("hits").size() == 4);
  double score = 1e9;
  for (const json& hit : like.at("hits")) {
    CHECK(hit.at("id").get<std::string>().rfind(article, 0) != 0);  // not its own article
    CHECK(hit.at("path") != c.copy().string());                     // nor its copy
    CHECK(hit.at("score").get<double>() <= score);
    score = hit.at("score").get<double>();
  }
  // An article about the same talks ranks first: it shares Blinken, Beijing and Qin Gang.
  const std::string first = like["hits"][0].at("path");
  CHECK(first != c.sample().string());
  const Run ids = c.sh("folio similar " + id + " -n 2 --format ids");
  INFO(ids);
  CHECK(ids.exit_code == 0);
  CHECK(lines(ids.out).size() == 2);
  // An article id: its lead. A filter narrows the sections.
  CHECK(c.sh("folio similar " + article + " -n 1").exit_code == 0);
  const json filtered = c.json_of("similar " + id + " --place ukraine");
  for (const json& hit : filtered.at("hits")) {
    bool ukraine = false;
    for (const json& p : hit.at("places"))
      ukraine = ukraine || p.at("country") == "ukraine" || p.at("id") == "ukraine";
    CHECK(ukraine);
  }
  // The filter flags are search's own: --place-exact and --undated too.
  const json exact = c.json_of("similar " + id + " --place china --place-exact -n 100");
  for (const json& hit : exact.at("hits")) {
    bool china = false;
    for (const json& p : hit.at("places")) china = china || p.at("id") == "china";
    CHECK(china);
  }
  const json undated = c.json_of("similar " + id + " --undated -n 100");
  for (const json& hit : undated.at("hits")) CHECK(hit.at("date").is_null());
  const Run unknown = c.sh("folio similar 0000000000000000-1");
  CHECK(unknown.exit_code == 1);
  CHECK(lines(unknown.err).size() == 1);
}

// ---------------------------------------------------------------------------
// folio entities

TEST_CASE("folio entities --limit and --sort name", "[shell][entities]") {
  const Corpus& c = Corpus::get();
  const json all = c.json_of("entities");
  REQUIRE(all.at("entities").size() > 5);
  const json three = c.json_of("entities --limit 3");
  REQUIRE(three.at("entities").size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(three["entities"][i].at("id") == all["entities"][i].at("id"));
  const Run text = c.sh("folio entities -n 3");
  CHECK(lines(text.out).size() == 4);  // a header and three rows
  const json by_name = c.json_of("entities --sort name --type person");
  std::vector<std::string> names;
  for (const json& e : by_name.at("entities")) {
    std::string n = e.at("name");
    std::transform(n.begin(), n.end(), n.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    names.push_back(n);
  }
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(c.sh("folio entities --sort size").exit_code == 2);
}
