#include "folio/schema.hpp"

#include <catch2/catch.hpp>

#include <set>

#include "folio/error.hpp"
#include "folio/ingest.hpp"

namespace schema = folio::schema;

namespace {

std::set<std::string> terms_of(const Xapian::Document& doc) {
  std::set<std::string> terms;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) terms.insert(*t);
  return terms;
}

folio::Article sample_article() {
  folio::Article a;
  a.path = "/news/blinken.txt";
  a.title = "Blinken’s Visit to Beijing";
  a.authors = {"Jane  DOE"};
  a.date = {2023, 6, 18, folio::DatePrecision::day};
  a.sections = {{0, "", "Lead text.", 5, {}, {}}, {1, "Core Concerns", "Qin spoke.", 7, {}, {}}};
  return a;
}

}  // namespace

TEST_CASE("ids and boolean terms are spelled by the schema", "[schema]") {
  const std::string id = schema::article_id("/news/blinken.txt");
  CHECK(id.size() == 16);
  CHECK(id == schema::article_id("/news/blinken.txt"));
  CHECK(id != schema::article_id("/news/blinken2.txt"));
  CHECK(schema::section_id(id, 3) == id + "-3");
  CHECK(schema::section_id_term(id + "-3") == "Q" + id + "-3");
  CHECK(schema::article_term(id) == "XA" + id);
  CHECK(schema::author_term("  Jane \t DOE ") == "Ajane doe");
  CHECK(schema::file_key(id) == "folio.file:" + id);
  // Ids stay short whatever the path length: terms have a 245-byte limit.
  CHECK(schema::article_id(std::string(4000, 'x')).size() == 16);
  // So do authors' terms, and two long names stay apart.
  const std::string long_name(1000, 'a');
  CHECK(schema::author_term(long_name).size() == schema::kMaxTermBytes);
  CHECK(schema::author_term(long_name) != schema::author_term(long_name + "b"));
  CHECK(schema::author_term(long_name) == schema::author_term(long_name));
}

TEST_CASE("date terms follow the precision", "[schema]") {
  using P = folio::DatePrecision;
  CHECK(schema::date_terms({2023, 6, 18, P::day}) ==
        std::vector<std::string>{"Y2023", "M202306", "D20230618"});
  CHECK(schema::date_terms({2023, 6, 0, P::month}) ==
        std::vector<std::string>{"Y2023", "M202306"});
  CHECK(schema::date_terms({2021, 0, 0, P::year}) == std::vector<std::string>{"Y2021"});
  CHECK(schema::date_terms({}) == std::vector<std::string>{"XUNDATED"});
}

TEST_CASE("FileRecord and SectionData survive a JSON round trip", "[schema]") {
  schema::FileRecord r{"/a/b.txt", 123, 1687000000123456789, 0xfedcba9876543210ULL, 4};
  const schema::FileRecord back = schema::FileRecord::from_json(r.to_json());
  CHECK(back.path == r.path);
  CHECK(back.size == r.size);
  CHECK(back.mtime_ns == r.mtime_ns);
  CHECK(back.content_hash == r.content_hash);
  CHECK(back.sections == r.sections);

  schema::SectionData s;
  s.path = "/a/b.txt";
  s.title = "Zoë’s “title”";
  s.authors = {"A", "B"};
  s.date = {2023, 6, 0, folio::DatePrecision::month};
  s.index = 2;
  s.heading = "Heading";
  s.line = 9;
  s.text = "one\ntwo";
  const schema::SectionData t = schema::SectionData::from_json(s.to_json());
  CHECK(t.title == s.title);
  CHECK(t.authors == s.authors);
  CHECK(t.date == s.date);
  CHECK(t.index == 2);
  CHECK(t.line == 9);
  CHECK(t.text == s.text);
  CHECK_THROWS_AS(schema::SectionData::from_json("{not json"), folio::Error);
}

TEST_CASE("a section document carries the schema's terms and values", "[schema][writer]") {
  const folio::Article a = sample_article();
  const std::string id = schema::article_id(a.path);
  const Xapian::Document doc = folio::make_section_document(a, a.sections[1], id);
  const std::set<std::string> terms = terms_of(doc);
  for (const std::string& t : {"Q" + id + "-1", "XA" + id, std::string("Ajane doe"),
                               std::string("Y2023"), std::string("M202306"),
                               std::string("D20230618"),
                               // free text, stemmed, title and heading prefixed
                               std::string("Zqin"), std::string("ZSbeij"),
                               std::string("ZXHconcern"), std::string("Zblinken")}) {
    INFO(t);
    CHECK(terms.count(t) == 1);
  }
  // Words as written are not indexed, only their stems.
  for (const char* t : {"qin", "concerns", "Sbeijing", "XHcore"}) {
    INFO(t);
    CHECK(terms.count(t) == 0);
  }
  CHECK(doc.get_value(schema::kDateSlot) == "20230618");
  CHECK(doc.get_value(schema::kArticleSlot) == id);
  CHECK(Xapian::sortable_unserialise(doc.get_value(schema::kSectionSlot)) == 1.0);
  CHECK(schema::SectionData::from_json(doc.get_data()).heading == "Core Concerns");
}

TEST_CASE("heading words weigh more than body words", "[schema][writer]") {
  folio::Article a = sample_article();
  a.sections[1].text = "concerns";
  const Xapian::Document doc =
      folio::make_section_document(a, a.sections[1], schema::article_id(a.path));
  Xapian::termcount heading_wdf = 0;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (*t == "Zconcern") heading_wdf = t.get_wdf();
  }
  // Once in the heading (weight 3) and once in the body (weight 1).
  CHECK(heading_wdf == schema::kHeadingWeight + schema::kBodyWeight);
}
