#include "folio/ingest.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "folio/database.hpp"
#include "folio/error.hpp"
#include "folio/schema.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using folio::test::TempDir;
using folio::test::write_file;

namespace {

struct Indexer {
  // An index split into `shards` Xapian databases (when it is created).
  explicit Indexer(unsigned shard_count = 1) : shards(shard_count) {}

  unsigned shards;
  TempDir tmp;
  fs::path articles = tmp.path() / "articles";
  fs::path db_dir = tmp.path() / "db";
  std::vector<folio::SkippedFile> skipped;
  std::uintmax_t max_file_size = 20u << 20;

  folio::IndexReport run(std::vector<fs::path> roots = {}) {
    if (roots.empty()) roots = {articles};
    folio::WritableIndex index = folio::open_for_writing(db_dir, shards);
    folio::IndexOptions options;
    options.roots = roots;
    options.max_file_size = max_file_size;
    skipped.clear();
    return folio::index_paths(index, options, folio::test::plain_reader(),
                              [&](const folio::SkippedFile& s) { skipped.push_back(s); });
  }

  Xapian::doccount doccount() const { return folio::open_for_reading(db_dir).db().get_doccount(); }

  bool has_term(const std::string& term) const {
    return folio::open_for_reading(db_dir).db().term_exists(term);
  }

  // Each shard's file records match the sections it holds.
  void check_shards() const {
    const folio::Index index = folio::open_for_reading(db_dir);
    REQUIRE(index.shard_count() == shards);
    for (unsigned k = 0; k < shards; ++k) {
      const Xapian::Database shard((db_dir / folio::schema::shard_name(k)).string());
      const std::string prefix(folio::schema::kFileKeyPrefix);
      Xapian::doccount recorded = 0;
      for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) {
        const std::string id = (*it).substr(prefix.size());
        const folio::schema::FileRecord record =
            folio::schema::FileRecord::from_json(shard.get_metadata(*it));
        CHECK(folio::schema::shard_of(id, shards) == k);
        CHECK(shard.get_termfreq(folio::schema::article_term(id)) ==
              static_cast<Xapian::doccount>(record.sections));
        recorded += static_cast<Xapian::doccount>(record.sections);
      }
      CHECK(recorded == shard.get_doccount());
    }
  }
};

const std::string kThreeSections =
    "Alpha Title\n\nBy Jane Doe | June 1, 2023\n\nLead about walruses.\n\n"
    "First Heading\n\nBody one.\n\nSecond Heading\n\nBody two.\n";
const std::string kOneSection = "Beta Title\n\nJust one paragraph about penguins.\n";

void set_mtime(const fs::path& file, std::int64_t seconds) {
  const struct timespec times[2] = {{seconds, 0}, {seconds, 0}};
  REQUIRE(::utimensat(AT_FDCWD, file.c_str(), times, 0) == 0);
}

}  // namespace

TEST_CASE("indexing adds one document per section, and re-indexing is idempotent", "[ingest]") {
  Indexer ix(GENERATE(1u, 3u));
  write_file(ix.articles / "a.txt", kThreeSections);
  write_file(ix.articles / "sub" / "b.txt", kOneSection);

  const folio::IndexReport first = ix.run();
  CHECK(first.added == 2);
  CHECK(first.sections == 4);
  CHECK(ix.doccount() == 4);
  CHECK(ix.has_term("Ajane doe"));

  const folio::IndexReport second = ix.run();
  CHECK(second.added == 0);
  CHECK(second.updated == 0);
  CHECK(second.unchanged == 2);
  CHECK(second.sections == 0);
  CHECK(ix.doccount() == 4);
  ix.check_shards();
}

TEST_CASE("a touched file is not re-indexed, a changed file replaces all its sections", "[ingest]") {
  Indexer ix(GENERATE(1u, 3u));
  const fs::path a = ix.articles / "a.txt";
  write_file(a, kThreeSections);
  write_file(ix.articles / "b.txt", kOneSection);
  ix.run();

  set_mtime(a, 1'600'000'000);
  const folio::IndexReport touched = ix.run();
  CHECK(touched.unchanged == 2);
  CHECK(touched.updated == 0);

  write_file(a, kOneSection + "\nAn added line about narwhals.\n");
  const folio::IndexReport changed = ix.run();
  CHECK(changed.updated == 1);
  CHECK(changed.unchanged == 1);
  CHECK(ix.doccount() == 2);  // three old sections replaced by one
  CHECK(ix.has_term("Znarwhal"));
  CHECK_FALSE(ix.has_term("Zwalrus"));
  ix.check_shards();
}

TEST_CASE("files that are gone lose their documents, only under the roots indexed", "[ingest]") {
  Indexer ix(GENERATE(1u, 3u));
  const fs::path other = ix.tmp.path() / "other";
  write_file(ix.articles / "a.txt", kThreeSections);
  write_file(ix.articles / "b.txt", kOneSection);
  write_file(other / "c.txt", kOneSection);
  ix.run({ix.articles, other});
  REQUIRE(ix.doccount() == 5);

  fs::remove(ix.articles / "a.txt");
  // Indexing only `other` must not touch what is under `articles`.
  CHECK(ix.run({other}).removed == 0);
  CHECK(ix.doccount() == 5);

  const folio::IndexReport report = ix.run({ix.articles});
  CHECK(report.removed == 1);
  CHECK(ix.doccount() == 2);
  CHECK_FALSE(ix.has_term("Zwalrus"));
  ix.check_shards();
}

TEST_CASE("bad files are skipped with a reason, the run goes on", "[ingest]") {
  Indexer ix;
  write_file(ix.articles / "empty.txt", "");
  write_file(ix.articles / "blank.txt", "  \n\n \n");
  write_file(ix.articles / "binary.txt", std::string("Title\n\nab\0cd\n", 13));
  write_file(ix.articles / "latin1.txt", "Caf\xe9 Title\n\nA caf\xe9 in Paris.\n");
  write_file(ix.articles / "good.txt", kOneSection);
  write_file(ix.articles / ".hidden.txt", kOneSection);
  write_file(ix.articles / ".git" / "x.txt", kOneSection);
  write_file(ix.articles / "notes.log", kOneSection);

  const folio::IndexReport report = ix.run();
  CHECK(report.added == 2);  // good.txt and the repaired latin1.txt
  REQUIRE(report.skipped.size() == 3);
  std::map<std::string, std::string> reasons;
  for (const auto& s : ix.skipped) reasons[fs::path(s.path).filename()] = s.reason;
  CHECK(reasons["empty.txt"] == "empty file");
  CHECK(reasons["blank.txt"] == "empty file");
  CHECK(reasons["binary.txt"] == "binary file (contains NUL bytes)");
  CHECK(ix.doccount() == 2);
}

// The folio.bad: records of the index, by file name, over all shards.
std::map<std::string, folio::schema::BadFileRecord> bad_records(const fs::path& db_dir) {
  const folio::Index index = folio::open_for_reading(db_dir);
  std::map<std::string, folio::schema::BadFileRecord> out;
  const std::string prefix(folio::schema::kBadFileKeyPrefix);
  for (std::size_t k = 0; k < index.shard_count(); ++k) {
    const Xapian::Database shard((db_dir / folio::schema::shard_name(k)).string());
    for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) {
      const auto r = folio::schema::BadFileRecord::from_json(shard.get_metadata(*it));
      CHECK((*it).substr(prefix.size()) == folio::schema::article_id(r.path));
      out.emplace(fs::path(r.path).filename().string(), r);
    }
  }
  return out;
}

TEST_CASE("a file that could not be indexed is remembered, not read again until it changes", "[ingest]") {
  Indexer ix(GENERATE(1u, 3u));
  write_file(ix.articles / "empty.txt", "");
  write_file(ix.articles / "binary.txt", std::string("Title\n\nab\0cd\n", 13));
  write_file(ix.articles / "good.txt", kOneSection);
  REQUIRE(ix.run().skipped.size() == 2);
  auto bad = bad_records(ix.db_dir);
  REQUIRE(bad.size() == 2);
  CHECK(bad["empty.txt"].reason == "empty file");
  CHECK(bad["empty.txt"].size == 0);
  CHECK(bad["binary.txt"].size == 13);
  CHECK(folio::open_for_reading(ix.db_dir).count_metadata(folio::schema::kBadFileKeyPrefix) == 2);

  SECTION("unchanged: counted, not reported again") {
    const folio::IndexReport again = ix.run();
    CHECK(again.skipped.empty());
    CHECK(ix.skipped.empty());
    CHECK(again.skipped_unchanged == 2);
    CHECK(again.unchanged == 1);
    CHECK(bad_records(ix.db_dir).size() == 2);
  }
  SECTION("changed and still bad: reported again, with the new size") {
    write_file(ix.articles / "binary.txt", std::string("Title\n\nabc\0de\n", 14));
    const folio::IndexReport again = ix.run();
    REQUIRE(again.skipped.size() == 1);
    CHECK(fs::path(again.skipped[0].path).filename() == "binary.txt");
    CHECK(again.skipped_unchanged == 1);
    CHECK(bad_records(ix.db_dir)["binary.txt"].size == 14);
  }
  SECTION("changed and now good: indexed, forgotten as bad") {
    write_file(ix.articles / "empty.txt", kThreeSections);
    const folio::IndexReport again = ix.run();
    CHECK(again.added == 1);
    CHECK(again.skipped.empty());
    CHECK(bad_records(ix.db_dir).count("empty.txt") == 0);
    CHECK(ix.doccount() == 4);
    ix.check_shards();
  }
  SECTION("gone: forgotten, not counted as removed") {
    fs::remove(ix.articles / "empty.txt");
    const folio::IndexReport again = ix.run();
    CHECK(again.removed == 0);
    CHECK(again.skipped_unchanged == 1);
    CHECK(bad_records(ix.db_dir).count("empty.txt") == 0);
  }
  SECTION("an indexed file that turns bad loses its sections") {
    write_file(ix.articles / "good.txt", "");
    const folio::IndexReport again = ix.run();
    REQUIRE(again.skipped.size() == 1);
    CHECK(ix.doccount() == 0);
    CHECK(bad_records(ix.db_dir).count("good.txt") == 1);
    CHECK(folio::open_for_reading(ix.db_dir).count_metadata(folio::schema::kFileKeyPrefix) == 0);
    ix.check_shards();
  }
}

TEST_CASE("a file too large is retried when the limit allows it", "[ingest]") {
  Indexer ix;
  write_file(ix.articles / "big.txt", kThreeSections);
  ix.max_file_size = 10;
  REQUIRE(ix.run().skipped.size() == 1);
  CHECK(bad_records(ix.db_dir).at("big.txt").too_large);
  CHECK(ix.run().skipped_unchanged == 1);  // the same limit: not retried
  ix.max_file_size = 1000;
  CHECK(ix.run().added == 1);
  CHECK(bad_records(ix.db_dir).empty());
}

TEST_CASE("an unreadable file is retried after a chmod", "[ingest]") {
  if (::geteuid() == 0) {
    WARN("skipped: running as root, who reads any file whatever its mode");
    return;
  }
  Indexer ix;
  write_file(ix.articles / "secret.txt", kOneSection);
  fs::permissions(ix.articles / "secret.txt", fs::perms::none);
  REQUIRE(ix.run().skipped.size() == 1);
  CHECK(ix.run().skipped_unchanged == 1);
  fs::permissions(ix.articles / "secret.txt", fs::perms::owner_read);
  CHECK(ix.run().added == 1);
}

TEST_CASE("a file named on the command line is indexed whatever its extension", "[ingest]") {
  Indexer ix;
  write_file(ix.articles / "notes.log", kOneSection);
  CHECK(ix.run({ix.articles / "notes.log"}).added == 1);
}

TEST_CASE("a root that does not exist is an error before anything changes", "[ingest]") {
  Indexer ix;
  write_file(ix.articles / "a.txt", kOneSection);
  ix.run();
  CHECK_THROWS_AS(ix.run({ix.articles, ix.tmp.path() / "missing"}), folio::Error);
  CHECK(ix.doccount() == 1);
}

TEST_CASE("a stop request commits the work done and removes nothing", "[ingest]") {
  Indexer ix;
  write_file(ix.articles / "a.txt", kThreeSections);
  ix.run();
  write_file(ix.articles / "b.txt", kOneSection);
  fs::remove(ix.articles / "a.txt");

  std::atomic<bool> stop{true};
  folio::WritableIndex index = folio::open_for_writing(ix.db_dir);
  folio::IndexOptions options;
  options.roots = {ix.articles};
  options.stop = &stop;
  const folio::IndexReport report =
      folio::index_paths(index, options, folio::test::plain_reader(), [](const folio::SkippedFile&) {});
  index.close();
  CHECK(report.interrupted);
  CHECK(report.removed == 0);
  CHECK(ix.doccount() == 3);
}

TEST_CASE("a database with another schema version is refused", "[ingest][schema]") {
  TempDir tmp;
  {
    Xapian::WritableDatabase db(tmp.path().string(), Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata(std::string(folio::schema::kVersionKey), "999");
    db.commit();
  }
  CHECK_THROWS_AS(folio::open_for_reading(tmp.path()), folio::Error);
  CHECK_THROWS_AS(folio::open_for_writing(tmp.path()), folio::Error);
  CHECK_THROWS_WITH(folio::open_for_reading(tmp.path() / "nothing"), Catch::Contains("no index at"));

  // A shard of a current index with another version.
  const fs::path sharded = tmp.path() / "sharded";
  folio::open_for_writing(sharded, 2).close();
  CHECK(folio::open_for_reading(sharded).shard_count() == 2);
  {
    Xapian::WritableDatabase shard((sharded / folio::schema::shard_name(1)).string());
    shard.set_metadata(std::string(folio::schema::kVersionKey), "999");
    shard.commit();
  }
  CHECK_THROWS_WITH(folio::open_for_reading(sharded), Catch::Contains("schema version 999"));
  CHECK_THROWS_WITH(folio::open_for_writing(sharded), Catch::Contains("schema version 999"));
}

TEST_CASE("an index keeps the number of shards it was created with", "[ingest]") {
  TempDir tmp;
  folio::open_for_writing(tmp.path(), 3).close();
  CHECK(folio::open_for_writing(tmp.path(), 1).shards.size() == 3);
  CHECK(folio::open_for_writing(tmp.path() / "big", 1000).shards.size() == folio::schema::kMaxShards);
}

TEST_CASE("the lexicon is loaded only when an article is parsed, and its failure stops the run", "[ingest]") {
  Indexer ix;
  write_file(ix.articles / "a.txt", kThreeSections);
  ix.run();

  int loads = 0;
  const folio::ArticleReader failing(folio::test::boilerplate(),
                                     [&]() -> std::shared_ptr<const folio::Lexicon> {
                                       ++loads;
                                       throw folio::Error("cannot read the place names");
                                     });
  folio::IndexOptions options;
  options.roots = {ix.articles};
  {
    folio::WritableIndex index = folio::open_for_writing(ix.db_dir);
    // Nothing changed: nothing is parsed, the lexicon is not needed.
    CHECK(folio::index_paths(index, options, failing, [](const folio::SkippedFile&) {}).unchanged == 1);
  }
  CHECK(loads == 0);

  write_file(ix.articles / "b.txt", kOneSection);
  write_file(ix.articles / "c.txt", kOneSection + "More.\n");
  folio::WritableIndex index = folio::open_for_writing(ix.db_dir);
  // Not a file's fault: not a skipped file but an error for the whole run.
  CHECK_THROWS_AS(folio::index_paths(index, options, failing, [](const folio::SkippedFile&) {}),
                  folio::LexiconLoadError);
  CHECK(loads == 1);
  index.close();
  CHECK(ix.doccount() == 3);
}
