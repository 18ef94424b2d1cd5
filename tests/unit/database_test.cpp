// The database layer: creating and opening an index folder, its stub file
// and shards, the schema version check, and the errors a user sees.
#include "folio/database.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "folio/error.hpp"
#include "folio/schema.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using folio::test::TempDir;
using folio::test::write_file;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a new index has a stub file listing its shards, each with the schema version", "[database]") {
  struct Case {
    unsigned asked;
    std::size_t made;
  };
  for (const Case c : {Case{0, 1}, Case{1, 1}, Case{3, 3}, Case{8, 8}, Case{99, folio::schema::kMaxShards}}) {
    INFO("asked for " << c.asked);
    TempDir tmp;
    const fs::path dir = tmp.path() / "db";
    folio::WritableIndex w = folio::open_for_writing(dir, c.asked);
    CHECK(w.shards.size() == c.made);
    CHECK(slurp(dir / "folio.pid") == std::to_string(::getpid()) + "\n");
    w.close();
    std::string stub;
    for (std::size_t k = 0; k < c.made; ++k) stub += "auto shard" + std::to_string(k) + "\n";
    CHECK(slurp(dir / "XAPIANDB") == stub);
    const folio::Index index(dir);
    CHECK(index.shard_count() == c.made);
    CHECK(index.db().get_doccount() == 0);
    for (std::size_t k = 0; k < c.made; ++k) {
      const Xapian::Database shard((dir / folio::schema::shard_name(k)).string());
      CHECK(shard.get_metadata(std::string(folio::schema::kVersionKey)) ==
            std::to_string(folio::schema::kVersion));
    }
    // Xapian's own tools read every shard through the stub.
    CHECK(Xapian::Database(dir.string()).get_doccount() == 0);
    // An existing index keeps its number of shards.
    CHECK(folio::open_for_writing(dir, c.made == 1 ? 4 : 1).shards.size() == c.made);
  }
}

TEST_CASE("Index::dir is absolute, whatever the path given", "[database]") {
  TempDir tmp;
  folio::open_for_writing(tmp.path() / "db").close();
  const fs::path cwd = fs::current_path();
  fs::current_path(tmp.path());
  const folio::Index index("db/");
  fs::current_path(cwd);
  CHECK(index.dir() == tmp.path() / "db");
}

TEST_CASE("opening what is not a usable index says what it is", "[database]") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "db";
  struct Case {
    const char* what;
    std::function<void()> make;  // what to put in `dir`
    const char* reading;         // the error for open_for_reading, "" if none
    const char* writing;         // the error for open_for_writing, "" if none
  };
  auto foreign_xapian = [&](const fs::path& at) {
    Xapian::WritableDatabase db(at.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document doc;
    doc.add_term("foo");
    db.add_document(doc);
    db.commit();
  };
  const Case cases[] = {
      {"nothing", [] {}, "no index at", ""},
      {"other files", [&] { write_file(dir / "notes.txt", "mine"); }, "no index at",
       "is not a folio index: it holds other files (notes.txt)"},
      {"another program's Xapian database", [&] { foreign_xapian(dir); },
       "is not a folio index: it holds a Xapian database that folio did not make",
       "is not a folio index: it holds a Xapian database that folio did not make"},
      {"a stub over another program's databases",
       [&] {
         foreign_xapian(dir / "shard0");
         write_file(dir / "XAPIANDB", "auto shard0\n");
       },
       "is not a folio index: it holds a Xapian database that folio did not make",
       "is not a folio index: it holds a Xapian database that folio did not make"},
      {"an unsharded index of folio 5",
       [&] {
         Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
         db.set_metadata(std::string(folio::schema::kVersionKey), "5");
         db.commit();
       },
       "has schema version 5, this folio uses version", "has schema version 5, this folio uses version"},
      {"a stub with a bad line", [&] { write_file(dir / "XAPIANDB", "auto ../elsewhere\n"); },
       "is damaged: bad line in XAPIANDB: auto ../elsewhere", "is damaged: bad line"},
      {"a stub with a remote line but no folio service for it",
       [&] { write_file(dir / "XAPIANDB", "remote :host:33333\n"); },
       "has no folio service for 'remote :host:33333'", "is a cluster index"},
      {"a stub with a bad remote line", [&] { write_file(dir / "XAPIANDB", "remote host\n"); },
       "is damaged: bad line in XAPIANDB: remote host", "is damaged: bad line"},
      {"an empty stub", [&] { write_file(dir / "XAPIANDB", "\n"); }, "is damaged: XAPIANDB lists no shard",
       "is damaged: XAPIANDB lists no shard"},
      {"what an interrupted creation leaves",
       [&] {
         fs::create_directories(dir / "shard0");
         write_file(dir / "folio.pid", "1\n");
       },
       "no index at", ""},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    fs::remove_all(dir);
    fs::create_directories(dir);
    c.make();
    if (*c.reading != '\0') {
      CHECK_THROWS_WITH(folio::Index(dir), Catch::Contains(c.reading));
    }
    if (*c.writing != '\0') {
      CHECK_THROWS_WITH(folio::open_for_writing(dir),
                        Catch::Contains(dir.string() + " ") && Catch::Contains(c.writing));
      CHECK(!fs::exists(dir / "folio.pid"));
    } else {
      CHECK_NOTHROW(folio::open_for_writing(dir).close());
      CHECK(folio::Index(dir).shard_count() >= 1);
    }
  }
}

TEST_CASE("a second writer is refused at once, naming the first", "[database]") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "db";
  folio::WritableIndex first = folio::open_for_writing(dir, 2);
  CHECK_THROWS_WITH(folio::open_for_writing(dir), "the index at " + dir.string() +
                                                      " is being updated by another folio process (pid " +
                                                      std::to_string(::getpid()) + ")");
  // Readers are not locked out.
  CHECK(folio::Index(dir).shard_count() == 2);
  first.close();
  CHECK_NOTHROW(folio::open_for_writing(dir).close());
}

TEST_CASE("entity records are merged over the shards", "[database]") {
  TempDir tmp;
  const fs::path dir = tmp.path() / "db";
  {
    folio::WritableIndex w = folio::open_for_writing(dir, 2);
    using Type = folio::schema::EntityRecord::Type;
    folio::schema::EntityRecord a{Type::person, "joe-biden", "Joe Biden", {"Biden"}, {}, ""};
    folio::schema::EntityRecord b{Type::person, "joe-biden", "Joe Biden", {"President Biden"}, {}, ""};
    w.shards[0].set_metadata(folio::schema::entity_key(Type::person, "joe-biden"), a.to_json());
    w.shards[1].set_metadata(folio::schema::entity_key(Type::person, "joe-biden"), b.to_json());
    w.shards[1].set_metadata(folio::schema::file_key("0123456789abcdef"), "{}");
    for (auto& s : w.shards) s.commit();
  }
  const folio::Index index(dir);
  const auto joe = index.entity(folio::schema::EntityRecord::Type::person, "joe-biden");
  REQUIRE(joe);
  CHECK(joe->aliases == std::vector<std::string>{"Biden", "President Biden"});
  CHECK(index.entities(folio::schema::EntityRecord::Type::person).size() == 1);
  CHECK(!index.entity(folio::schema::EntityRecord::Type::place, "joe-biden"));
  CHECK(index.count_metadata(folio::schema::kFileKeyPrefix) == 1);
}
