#include "folio/text.hpp"

#include <catch2/catch.hpp>

using namespace std::string_literals;

TEST_CASE("repair_utf8 keeps valid text and replaces invalid bytes", "[text]") {
  CHECK(folio::repair_utf8("Blinken’s “core concerns” — Łódź") == "Blinken’s “core concerns” — Łódź");
  CHECK(folio::repair_utf8("\xEF\xBB\xBFtitle") == "title");                            // BOM dropped
  CHECK(folio::repair_utf8("caf\xE9") == "caf\xEF\xBF\xBD");                            // Latin-1 byte
  CHECK(folio::repair_utf8("a\xC3") == "a\xEF\xBF\xBD");                                // truncated
  CHECK(folio::repair_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  CHECK(folio::repair_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(folio::repair_utf8("a\0b\x01"
                           "c\td\r\n"s) == "abc\td\r\n");
  CHECK(folio::is_valid_utf8(folio::repair_utf8("\xff\xfe\xfd mixed \xe2\x80")));
}

TEST_CASE("is_valid_utf8 and utf8_length", "[text]") {
  CHECK(folio::is_valid_utf8("plain ASCII"));
  CHECK(folio::is_valid_utf8("Zoë’s"));
  CHECK_FALSE(folio::is_valid_utf8("\xff"));
  CHECK(folio::utf8_length("Łódź") == 4);
  CHECK(folio::utf8_length("") == 0);
}

TEST_CASE("split_lines handles LF, CRLF and CR endings", "[text]") {
  using V = std::vector<std::string_view>;
  CHECK(folio::split_lines("a\nb\n") == V{"a", "b"});
  CHECK(folio::split_lines("a\r\nb\r\n\r\nc") == V{"a", "b", "", "c"});
  CHECK(folio::split_lines("a\rb") == V{"a", "b"});
  CHECK(folio::split_lines("").empty());
}

TEST_CASE("trim and case helpers", "[text]") {
  CHECK(folio::trim("  \t x y \r\n") == "x y");
  CHECK(folio::trim("\xC2\xA0x\xC2\xA0") == "x");
  CHECK(folio::to_lower_ascii("Jürgen MÜLLER") == "jürgen mÜller");
  CHECK(folio::starts_with_icase("Published: x", "published"));
  CHECK_FALSE(folio::starts_with_icase("Pub", "published"));
  CHECK(folio::equals_icase("Leave a REPLY", "leave a reply"));
}

TEST_CASE("fnv1a64 is stable", "[text]") {
  // Reference values of 64-bit FNV-1a.
  CHECK(folio::fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(folio::fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(folio::to_hex(0xabcULL) == "0000000000000abc");
}

TEST_CASE("bounded() and slug() keep ids within Xapian's limits", "[text]") {
  CHECK(folio::bounded("short", 10) == "short");
  const std::string cut = folio::bounded(std::string(100, 'x'), 40);
  CHECK(cut.size() == 40);
  CHECK(cut.starts_with(std::string(23, 'x') + "-"));
  CHECK(folio::bounded(std::string(100, 'x'), 40) != folio::bounded(std::string(101, 'x'), 40));
  // Never half a character: "é" is two bytes.
  std::string accents;
  for (int i = 0; i < 50; ++i) accents += "\xc3\xa9";
  const std::string cut_accents = folio::bounded(accents, 40);
  CHECK(folio::is_valid_utf8(cut_accents));
  CHECK(cut_accents.size() <= 40);

  std::string name;
  for (int i = 0; i < 40; ++i) name += "Quenvikxxxxxxxxxx ";
  CHECK(folio::slug(name).size() == folio::kMaxSlugBytes);
  CHECK(folio::slug("Zo\xc3\xab Kowalczyk") == "zoe-kowalczyk");
}
