// The walker: which files `folio index` lists under a folder, with
// .folioignore files (gitignore syntax) and --exclude patterns.
#include "walk.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include "folio/error.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using folio::test::TempDir;
using folio::test::write_file;
using folio::walk::IgnoreRule;

TEST_CASE("ignore rules are parsed as gitignore lines", "[walk]") {
  struct Case {
    const char* line;
    bool rule;  // a rule, not a blank line or comment
    const char* pattern;
    bool negate, dir_only, anchored;
  };
  const Case cases[] = {
      {"", false, "", false, false, false},
      {"   ", false, "", false, false, false},
      {"# a comment", false, "", false, false, false},
      {"/", false, "", false, false, false},
      {"!", false, "", false, false, false},
      {"*.log", true, "*.log", false, false, false},
      {"  *.log  ", true, "*.log", false, false, false},
      {"/drafts", true, "drafts", false, false, true},
      {"tmp/", true, "tmp", false, true, false},
      {"!keep.txt", true, "keep.txt", true, false, false},
      {"docs/*.md", true, "docs/*.md", false, false, true},
      {"a/**/b", true, "a/**/b", false, false, true},
      {"**/cache", true, "cache", false, false, false},
      {"**/a/b", true, "**/a/b", false, false, true},
      {"!/old/", true, "old", true, true, true},
  };
  for (const Case& c : cases) {
    INFO("line: '" << c.line << "'");
    IgnoreRule rule;
    REQUIRE(folio::walk::parse_ignore_rule(c.line, "/r", rule) == c.rule);
    if (!c.rule) continue;
    CHECK(rule.pattern == c.pattern);
    CHECK(rule.negate == c.negate);
    CHECK(rule.dir_only == c.dir_only);
    CHECK(rule.anchored == c.anchored);
    CHECK(rule.base == "/r");
  }
}

TEST_CASE("ignore rules match as in gitignore, the last match wins", "[walk]") {
  struct Case {
    std::vector<const char*> lines;  // relative to /r
    const char* path;
    bool is_dir;
    bool ignored;
  };
  const Case cases[] = {
      {{"*.log"}, "/r/a.log", false, true},
      {{"*.log"}, "/r/deep/er/a.log", false, true},  // unanchored: any depth
      {{"*.log"}, "/r/a.txt", false, false},
      {{"*.log", "!keep.log"}, "/r/keep.log", false, false},
      {{"*.log", "!keep.log"}, "/r/other.log", false, true},
      {{"!keep.log", "*.log"}, "/r/keep.log", false, true},  // the last match wins
      {{"/drafts"}, "/r/drafts", true, true},
      {{"/drafts"}, "/r/x/drafts", true, false},  // anchored to its folder
      {{"drafts"}, "/r/x/drafts", true, true},
      {{"tmp/"}, "/r/tmp", true, true},
      {{"tmp/"}, "/r/tmp", false, false},  // folders only
      {{"tmp/"}, "/r/x/tmp", true, true},
      {{"docs/*.md"}, "/r/docs/a.md", false, true},
      {{"docs/*.md"}, "/r/docs/x/a.md", false, false},  // '*' stays in one component
      {{"docs/*.md"}, "/r/y/docs/a.md", false, false},
      {{"a/**/b"}, "/r/a/b", true, true},  // "**" may be no folder at all
      {{"a/**/b"}, "/r/a/x/b", true, true},
      {{"a/**/b"}, "/r/a/x/y/b", true, true},
      {{"a/**/b"}, "/r/c/a/x/b", true, false},
      {{"a/**"}, "/r/a/x/y.txt", false, true},
      {{"**/cache"}, "/r/p/q/cache", true, true},
      {{"**/a/b"}, "/r/p/a/b", false, true},
      {{"**/a/b"}, "/r/a/b", false, true},
      {{"/old/", "!/old/"}, "/r/old", true, false},
      {{"draft-?.txt"}, "/r/draft-1.txt", false, true},
      {{"draft-[0-9].txt"}, "/r/draft-x.txt", false, false},
      {{"*.txt"}, "/elsewhere/a.txt", false, true},  // unanchored: by name
      {{"/a.txt"}, "/elsewhere/a.txt", false, false},
  };
  for (const Case& c : cases) {
    std::vector<IgnoreRule> rules;
    std::string joined;
    for (const char* line : c.lines) {
      IgnoreRule rule;
      REQUIRE(folio::walk::parse_ignore_rule(line, "/r", rule));
      rules.push_back(rule);
      joined += std::string(line) + "  ";
    }
    INFO("rules: " << joined << " path: " << c.path << (c.is_dir ? " (folder)" : ""));
    CHECK(folio::walk::is_ignored(c.path, c.is_dir, rules) == c.ignored);
  }
}

namespace {

// The files the walker lists under `root`, relative to it.
std::vector<std::string> listed(const fs::path& root, const std::vector<std::string>& excludes = {},
                                std::vector<folio::SkippedFile>* skipped = nullptr) {
  std::vector<folio::SkippedFile> ignored;
  std::vector<std::string> out;
  for (const std::string& f : folio::walk::list_article_files(
           {root}, excludes,
           [&](const folio::SkippedFile& s) { (skipped ? *skipped : ignored).push_back(s); })) {
    out.push_back(fs::path(f).lexically_relative(root).string());
  }
  return out;
}

}  // namespace

TEST_CASE("the walker lists article files, sorted, without hidden entries", "[walk]") {
  TempDir tmp;
  const fs::path root = tmp.path() / "r";
  for (const char* name :
       {"b.txt", "a.text", "c.md", "d.markdown", "e.html", "f.htm", "g.xhtml", "sub/h.txt", "sub/deeper/i.md",
        "notes.log", "image.png", "README", ".hidden.txt", ".git/x.txt", "sub/.cache/y.txt"}) {
    write_file(root / name, "Title\n\nText.\n");
  }
  CHECK(listed(root) == std::vector<std::string>{"a.text", "b.txt", "c.md", "d.markdown", "e.html", "f.htm",
                                                 "g.xhtml", "sub/deeper/i.md", "sub/h.txt"});
  // A file given as a root is listed whatever its name.
  CHECK(folio::walk::list_article_files({root / "notes.log"}, {}, [](const folio::SkippedFile&) {}) ==
        std::vector<std::string>{(root / "notes.log").string()});
  CHECK_THROWS_AS(folio::walk::list_article_files({root / "missing"}, {}, [](const folio::SkippedFile&) {}),
                  folio::Error);
}

TEST_CASE("the walker applies .folioignore files and --exclude patterns", "[walk]") {
  struct Case {
    const char* what;
    std::vector<std::pair<const char*, const char*>> ignore_files;  // folder, contents
    std::vector<std::string> excludes;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"nothing ignored", {}, {}, {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/drafts/c.txt", "x/y.md"}},
      {"a folder anywhere", {{"", "drafts/\n"}}, {}, {"a.txt", "x/y.md"}},
      {"an anchored folder", {{"", "/drafts\n"}}, {}, {"a.txt", "x/drafts/c.txt", "x/y.md"}},
      {"a pattern, then a negation", {{"", "*.txt\n!a.txt\n"}}, {}, {"a.txt", "x/y.md"}},
      {"a negation cannot re-include inside an ignored folder",
       {{"", "drafts/\n!drafts/keep.txt\n"}},
       {},
       {"a.txt", "x/y.md"}},
      {"a nested .folioignore applies to its folder only",
       {{"x", "*.txt\n"}},
       {},
       {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/y.md"}},
      {"an anchored rule in a nested file is relative to that folder",
       {{"x", "/drafts\n"}},
       {},
       {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/y.md"}},
      {"**", {{"", "**/drafts/c.txt\n"}}, {}, {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/y.md"}},
      {"comments and blank lines",
       {{"", "# drafts/\n\n   \n"}},
       {},
       {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/drafts/c.txt", "x/y.md"}},
      {"--exclude", {}, {"*.md", "/drafts"}, {"a.txt", "x/drafts/c.txt"}},
      {"--exclude with a negation in .folioignore",
       {{"", "!y.md\n"}},
       {"*.md"},
       {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/drafts/c.txt", "x/y.md"}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    TempDir tmp;
    const fs::path root = tmp.path() / "r";
    for (const char* name : {"a.txt", "drafts/b.txt", "drafts/keep.txt", "x/drafts/c.txt", "x/y.md"}) {
      write_file(root / name, "Title\n\nText.\n");
    }
    for (const auto& [folder, contents] : c.ignore_files)
      write_file(root / folder / ".folioignore", contents);
    CHECK(listed(root, c.excludes) == c.expected);
  }
}

TEST_CASE("the walker does not follow folder links, and reports what it cannot read", "[walk]") {
  TempDir tmp;
  const fs::path root = tmp.path() / "r";
  write_file(root / "a.txt", "Title\n\nText.\n");
  write_file(tmp.path() / "outside" / "b.txt", "Title\n\nText.\n");
  fs::create_directory_symlink(tmp.path() / "outside", root / "linked");
  fs::create_directory_symlink(root, root / "loop");
  fs::create_symlink(tmp.path() / "outside" / "b.txt", root / "file-link.txt");
  fs::create_symlink("dangling-target.txt", root / "dangling.txt");
  write_file(root / std::string("bad-\xff.txt"), "Title\n\nText.\n");
  std::vector<folio::SkippedFile> skipped;
  CHECK(listed(root, {}, &skipped) == std::vector<std::string>{"a.txt", "file-link.txt"});
  std::map<std::string, std::string> reasons;
  for (const auto& s : skipped) reasons[fs::path(s.path).filename().string()] = s.reason;
  CHECK(reasons.size() == 2);
  CHECK(reasons["bad-\xef\xbf\xbd.txt"] == "file name is not valid UTF-8");
  CHECK(reasons.count("dangling.txt") == 1);

  if (::geteuid() != 0) {
    fs::create_directory(root / "closed");
    fs::permissions(root / "closed", fs::perms::none);
    skipped.clear();
    listed(root, {}, &skipped);
    fs::permissions(root / "closed", fs::perms::owner_all);
    bool reported = false;
    for (const auto& s : skipped) reported = reported || fs::path(s.path).filename() == "closed";
    CHECK(reported);
  }
}
