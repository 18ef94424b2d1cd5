#include "folio/formats.hpp"

#include <catch2/catch.hpp>

#include "folio/error.hpp"
#include "test_support.hpp"

using folio::test::boilerplate;

TEST_CASE("decode_text: UTF-8, BOMs, UTF-16 and legacy encodings", "[formats][decode]") {
  CHECK(folio::decode_text("Zoë’s café").text == "Zoë’s café");
  CHECK(folio::decode_text("\xEF\xBB\xBFTitle").text == "Title");
  const auto utf16 = folio::decode_text(std::string("\xFF\xFEZ\0o\0\xEB\0", 8));
  CHECK(utf16.text == "Zoë");
  CHECK(utf16.encoding == "UTF-16LE");
  CHECK(folio::decode_text(std::string("\xFE\xFF\0Z\0o", 6)).text == "Zo");
  // Windows-1252: é, en dash, curly quotes.
  const auto legacy = folio::decode_text("Caf\xE9 \x96 \x93quoted\x94 text of some length for detection");
  CHECK(legacy.text == "Café – “quoted” text of some length for detection");
  CHECK(folio::is_valid_utf8(folio::decode_text("\xFF\xFE\x00").text));
  CHECK_THROWS_WITH(folio::decode_text(std::string("Title\n\0\0\0", 9)), Catch::Contains("binary"));
  CHECK_THROWS_WITH(folio::decode_text("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"),
                    Catch::Contains("binary"));
}

TEST_CASE("detect_format: content first, then the extension", "[formats]") {
  using folio::Format;
  CHECK(folio::detect_format("a.txt", "<!DOCTYPE html><html>") == Format::html);
  CHECK(folio::detect_format("a.txt", "  <html lang=en><head>") == Format::html);
  CHECK(folio::detect_format("a.htm", "Plain words") == Format::html);
  CHECK(folio::detect_format("a.md", "# Title") == Format::markdown);
  CHECK(folio::detect_format("a.txt", "# Not markdown by name") == Format::plain);
  CHECK(folio::detect_format("a.txt", "Title\n\n<b>bold</b> words") == Format::plain);
  CHECK(folio::is_article_file_name("x.HTML"));
  CHECK(folio::is_article_file_name("x.markdown"));
  CHECK_FALSE(folio::is_article_file_name("x.pdf"));
}

TEST_CASE("Markdown: front matter, headings, stripped markup, line numbers", "[formats][markdown]") {
  const std::string text =
      "---\n"
      "title: \"Markets Rally\"\n"
      "date: 2023-06-18\n"
      "authors:\n"
      "  - Maria Fernández\n"
      "  - Jürgen Müller\n"
      "tags: [a, b]\n"
      "---\n"
      "\n"
      "Stocks in *New York* and [Tokyo](https://x.example) rose, said `analysts`.\n"
      "\n"
      "## Chipmakers **lead**\n"
      "\n"
      "- one\n"
      "- two\n"
      "\n"
      "# Europe\n"
      "\n"
      "> Quoted words.\n";
  const folio::Article a = folio::parse_markdown_article(text, "/x/m.md", boilerplate());
  CHECK(a.title == "Markets Rally");
  CHECK(a.date.iso() == "2023-06-18");
  CHECK(a.authors == std::vector<std::string>{"Maria Fernández", "Jürgen Müller"});
  REQUIRE(a.sections.size() == 3);
  CHECK(a.sections[0].text == "Stocks in New York and Tokyo rose, said analysts.");
  CHECK(a.sections[0].line == 10);
  CHECK(a.sections[1].heading == "Chipmakers lead");
  CHECK(a.sections[1].line == 12);
  CHECK(a.sections[1].text == "one\ntwo");
  CHECK(a.sections[2].heading == "Europe");
  CHECK(a.sections[2].text == "Quoted words.");
}

TEST_CASE("Markdown: an H1 title, a byline paragraph, no front matter", "[formats][markdown]") {
  const folio::Article a = folio::parse_markdown_article(
      "# The Title\n\nBy Jane Doe | June 1, 2023\n\nText.\n\nLeave a Reply\n\nJunk.\n", "/x/n.md",
      boilerplate());
  CHECK(a.title == "The Title");
  CHECK(a.authors == std::vector<std::string>{"Jane Doe"});
  CHECK(a.date.iso() == "2023-06-01");
  REQUIRE(a.sections.size() == 1);
  CHECK(a.sections[0].text == "Text.");
  // Front matter with old Mac line endings (found by the fuzzer).
  const folio::Article cr =
      folio::parse_markdown_article("---\rtitle: T\r---\rBody.\r", "/x/c.md", boilerplate());
  CHECK(cr.title == "T");
  CHECK(cr.sections.at(0).text == "Body.");
  CHECK(cr.sections.at(0).line == 4);
}

TEST_CASE("HTML: metadata, article body, sections, and what is left out", "[formats][html]") {
  const std::string html = R"(<!DOCTYPE html>
<html><head><title>Site | Page</title>
<meta property="og:title" content="Talks Resume in Beijing">
<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2023-06-18T09:00:00Z",
"author":[{"@type":"Person","name":"Jane Doe"},"John Roe"]}]}</script>
<style>p{}</style></head>
<body><nav>Home World</nav><div id="cookie-consent">We use cookies</div>
<article><header><h1>Ignored H1</h1></header>
<p>Lead &amp; first paragraph.</p>
<h2>Core Concerns</h2>
<p>Second <b>paragraph</b>.</p><ul><li>A list item.</li></ul>
<div class="share-tools">Share on X</div>
<h3>Next</h3><p>Third.</p>
<aside>Related story</aside><form><label>Comment</label><textarea></textarea></form>
</article><footer>Copyright</footer></body></html>)";
  const folio::Article a = folio::parse_html_article(html, "/x/p.html", boilerplate());
  CHECK(a.title == "Talks Resume in Beijing");
  CHECK(a.date.iso() == "2023-06-18");
  CHECK(a.authors == std::vector<std::string>{"Jane Doe", "John Roe"});
  REQUIRE(a.sections.size() == 3);
  CHECK(a.sections[0].text == "Lead & first paragraph.");
  CHECK(a.sections[0].line == 9);
  CHECK(a.sections[1].heading == "Core Concerns");
  CHECK(a.sections[1].line == 10);
  CHECK(a.sections[1].text == "Second paragraph.\nA list item.");
  CHECK(a.sections[2].heading == "Next");
  for (const auto& s : a.sections) {
    for (const char* junk : {"cookies", "Share", "Related", "Comment", "Copyright", "Home"}) {
      INFO(junk);
      CHECK(s.text.find(junk) == std::string::npos);
    }
  }
}

TEST_CASE("HTML: fallbacks for title, date and byline", "[formats][html]") {
  const folio::Article a = folio::parse_html_article(
      "<html><head><title>Only Title</title><meta name=\"author\" content=\"A. Writer\"></head>"
      "<body><main><p>By Someone | 18 June 2023</p><time datetime=\"2023-06-19\">x</time>"
      "<p>Body text.</p></main></body></html>",
      "/x/q.html", boilerplate());
  CHECK(a.title == "Only Title");
  CHECK(a.authors == std::vector<std::string>{"A. Writer"});
  CHECK(a.date.iso() == "2023-06-19");  // <time datetime> is metadata; it wins over text
  const folio::Article bare = folio::parse_html_article("<p>Just text.</p>", "/x/bare.html", boilerplate());
  CHECK(bare.title == "bare");
  CHECK(bare.sections.at(0).text == "Just text.");
}
