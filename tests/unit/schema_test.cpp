#include "folio/schema.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

#include "folio/error.hpp"
#include "folio/ingest.hpp"
#include "folio/text.hpp"

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
  a.sections = {{0, "", "Lead text.", 5, {}, {}, {}}, {1, "Core Concerns", "Qin spoke.", 7, {}, {}, {}}};
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
  CHECK(schema::date_terms({2023, 6, 0, P::month}) == std::vector<std::string>{"Y2023", "M202306"});
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
  for (const std::string& t :
       {"Q" + id + "-1", "XA" + id, std::string("Ajane doe"), std::string("Y2023"), std::string("M202306"),
        std::string("D20230618"),
        // free text, stemmed, title and heading prefixed
        std::string("Zqin"), std::string("ZSbeij"), std::string("ZXHconcern"), std::string("Zblinken")}) {
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

TEST_CASE("copies of an article have the same copy keys, another text another", "[schema][writer][copies]") {
  const folio::Article a = sample_article();
  folio::Article copy = a;
  copy.path = "/elsewhere/copy.txt";
  copy.authors = {"Someone Else"};
  const std::string id = schema::article_id(a.path);
  const std::string copy_id = schema::article_id(copy.path);
  const Xapian::Document one = folio::make_section_document(a, a.sections[1], id);
  const Xapian::Document two = folio::make_section_document(copy, copy.sections[1], copy_id);
  const Xapian::Document lead = folio::make_section_document(a, a.sections[0], id);
  CHECK(one.get_value(schema::kCopySlot).size() == 18);  // 16 hex digits, '-', the index
  CHECK(one.get_value(schema::kCopySlot) == two.get_value(schema::kCopySlot));
  CHECK(one.get_value(schema::kCopySlot) != lead.get_value(schema::kCopySlot));
  CHECK(one.get_value(schema::kArticleCopySlot) == lead.get_value(schema::kArticleCopySlot));
  CHECK(terms_of(one).count("XK" + one.get_value(schema::kArticleCopySlot)) == 1);
  folio::Article edited = a;
  edited.sections.back().text += " One more sentence.";
  const Xapian::Document three = folio::make_section_document(edited, edited.sections[1], id);
  CHECK(three.get_value(schema::kCopySlot) != one.get_value(schema::kCopySlot));
}

TEST_CASE("copy keys are made and parsed by the schema", "[schema][copies]") {
  CHECK(schema::content_key(0x0123456789abcdefULL) == "0123456789abcdef");
  CHECK(schema::content_key(0) == "0000000000000000");
  CHECK(schema::copy_key("0123456789abcdef", 12) == "0123456789abcdef-12");
  const std::optional<schema::CopyKey> key = schema::parse_copy_key("0123456789abcdef-12");
  REQUIRE(key);
  CHECK(key->content_hash == 0x0123456789abcdefULL);
  CHECK(key->section == 12);
  CHECK(schema::parse_copy_key("ffffffffffffffff-999999999") ==
        schema::CopyKey{0xffffffffffffffffULL, 999999999});
  for (const char* bad :
       {"", "0123456789abcdef", "0123456789abcdef-", "0123456789abcde-1", "0123456789ABCDEF-1",
        "0123456789abcdef+1", "0123456789abcdef-1x", "0123456789abcdef-1234567890", "0123456789abcdefg-1"}) {
    INFO(bad);
    CHECK_FALSE(schema::parse_copy_key(bad));
  }
  // The writer's values, byte for byte as version 9 stores them: FNV-1a-64
  // of the title, then each section's heading and text after '\x1f'.
  const folio::Article a = sample_article();
  std::string content = a.title;
  for (const folio::Section& s : a.sections) content += "\x1f" + s.heading + "\x1f" + s.text;
  const Xapian::Document doc = folio::make_section_document(a, a.sections[1], schema::article_id(a.path));
  const std::string hex = fmt::format("{:016x}", folio::fnv1a64(content));
  CHECK(doc.get_value(schema::kArticleCopySlot) == hex);
  CHECK(doc.get_value(schema::kCopySlot) == hex + "-1");
  CHECK(schema::parse_copy_key(doc.get_value(schema::kCopySlot)) ==
        schema::CopyKey{folio::fnv1a64(content), 1});
}

TEST_CASE("heading words weigh more than body words", "[schema][writer]") {
  folio::Article a = sample_article();
  a.sections[1].text = "concerns";
  const Xapian::Document doc = folio::make_section_document(a, a.sections[1], schema::article_id(a.path));
  Xapian::termcount heading_wdf = 0;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    if (*t == "Zconcern") heading_wdf = t.get_wdf();
  }
  // Once in the heading (weight 3) and once in the body (weight 1).
  CHECK(heading_wdf == schema::kHeadingWeight + schema::kBodyWeight);
}

TEST_CASE("the field table: names, prefixes and facet positions are unique", "[schema][fields]") {
  std::set<std::string_view> names, prefixes, registry_keys;
  std::set<std::size_t> positions;
  for (const schema::FieldInfo& f : schema::kFields) {
    INFO(f.name);
    CHECK(names.insert(f.name).second);
    CHECK(prefixes.insert(f.prefix).second);
    CHECK(!f.plural.empty());
    // Every field is found by its name.
    CHECK(schema::field_named(f.name) == f.field);
    CHECK(&schema::info(f.field) == &f);
    if ((f.flags & schema::kFacet) != 0) {
      CHECK(positions.insert(f.facet_position).second);
      CHECK(f.facet_position < schema::kFacetFieldCount);
    }
    if ((f.flags & schema::kRegistry) != 0) {
      CHECK(f.kind == schema::FieldKind::entity);
      CHECK(f.registry_key.starts_with("folio."));
      CHECK(f.registry_key.ends_with(":"));
      CHECK(registry_keys.insert(f.registry_key).second);
      CHECK(f.named_by == f.field);
    }
    // An entity's values are named by a registry; filters have help text.
    if (f.kind == schema::FieldKind::entity) {
      REQUIRE(f.named_by.has_value());
      CHECK(schema::has(*f.named_by, schema::kRegistry));
    }
    if ((f.flags & schema::kFilter) != 0) CHECK(!f.filter_help.empty());
    if (f.roll_up) CHECK(schema::info(*f.roll_up).kind == schema::FieldKind::entity);
    // Entity terms: the prefix, then the id.
    CHECK(schema::entity_term(f.field, "x-y") == std::string(f.prefix) + "x-y");
  }
  // No entity prefix is the beginning of another: a term names one field.
  for (const schema::FieldInfo& a : schema::kFields) {
    for (const schema::FieldInfo& b : schema::kFields) {
      if (&a == &b || a.kind != schema::FieldKind::entity || b.kind != schema::FieldKind::entity) continue;
      INFO(a.name << " / " << b.name);
      CHECK_FALSE(b.prefix.starts_with(a.prefix));
    }
  }
  CHECK(positions.size() == schema::kFacetFieldCount);
  CHECK_FALSE(schema::field_named("colour").has_value());
}

TEST_CASE("the index format the table spells has not changed", "[schema][fields]") {
  // Spelled out once more on purpose: a changed row changes the index
  // format, and must come with a new kVersion.
  CHECK(schema::kVersion == 9);  // 7: accent-folded stems, CJK n-grams; 8: organisations; 9: copy keys
  CHECK(schema::kCopySlot == 4);
  CHECK(schema::kArticleCopySlot == 5);
  CHECK(schema::entity_term(schema::Field::org, "united-nations") == "XOunited-nations");
  CHECK(schema::entity_key(schema::Field::org, "united-nations") == "folio.org:united-nations");
  CHECK(schema::entity_term(schema::Field::person, "joe-biden") == "XPjoe-biden");
  CHECK(schema::entity_term(schema::Field::place, "beijing") == "XLbeijing");
  CHECK(schema::entity_term(schema::Field::country, "china") == "XCchina");
  CHECK(schema::entity_key(schema::Field::person, "joe-biden") == "folio.person:joe-biden");
  CHECK(schema::entity_key(schema::Field::place, "beijing") == "folio.place:beijing");

  folio::Article a = sample_article();
  a.sections[1].people = {{"qin-gang", "Qin Gang", {}}, {"antony-blinken", "Antony Blinken", {}}};
  a.sections[1].places = {{"beijing", "Beijing", folio::PlaceKind::city, "china", "China", {}},
                          {"shanghai", "Shanghai", folio::PlaceKind::city, "china", "China", {}},
                          {"taiwan", "Taiwan", folio::PlaceKind::country, "taiwan", "Taiwan", {}}};
  a.sections[1].orgs = {{"united-nations", "United Nations", {}}};
  const Xapian::Document doc = folio::make_section_document(a, a.sections[1], schema::article_id(a.path));
  CHECK(doc.get_value(schema::kFacetsSlot) ==
        "qin-gang\nantony-blinken\n\x1e"
        "beijing\nshanghai\ntaiwan\n\x1e"
        "china\ntaiwan\n\x1e"
        "Jane  DOE\n\x1e"
        "2023-06-18\x1e"
        "united-nations\n");
  const std::set<std::string> terms = terms_of(doc);
  for (const char* t : {"XPqin-gang", "XPantony-blinken", "XLbeijing", "XLshanghai", "XLtaiwan", "XCchina",
                        "XCtaiwan", "XOunited-nations"}) {
    INFO(t);
    CHECK(terms.count(t) == 1);
  }
  const std::string facets = doc.get_value(schema::kFacetsSlot);
  const auto fields = schema::split_facets_value(facets);
  CHECK(fields[schema::info(schema::Field::country).facet_position] == "china\ntaiwan\n");
  CHECK(fields[schema::info(schema::Field::date).facet_position] == "2023-06-18");
  // Stored section data keeps its keys.
  const auto data = nlohmann::json::parse(doc.get_data());
  CHECK(data.at("people").size() == 2);
  CHECK(data.at("places").size() == 3);
}

TEST_CASE("section ids parse back into article id and index", "[schema]") {
  const std::string id = schema::article_id("/news/blinken.txt");
  const auto ref = schema::parse_section_id(schema::section_id(id, 12));
  REQUIRE(ref.has_value());
  CHECK(ref->article_id == id);
  CHECK(ref->index == 12);
  CHECK(schema::parse_section_id(id + "-0")->index == 0);
  for (const std::string& bad : {id, id + "-", std::string("-3"), id + "-x", id + "-1a", id + "-+1",
                                 std::string(), id + "-99999999999"}) {
    INFO(bad);
    CHECK_FALSE(schema::parse_section_id(bad).has_value());
  }
}
