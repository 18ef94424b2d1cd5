// The HTML parser on small pages written for these tests: which part of a
// page is the article, and its title, authors and date.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../../indexer/html_content.hpp"
#include "../../indexer/html_meta.hpp"
#include "folio/formats.hpp"
#include "test_support.hpp"

using folio::test::boilerplate;

namespace {

// Paragraphs of plain prose, long enough to score as article text.
std::string story(int paragraphs, const std::string& tag = "p", const std::string& attrs = "") {
  std::string out;
  for (int i = 1; i <= paragraphs; ++i) {
    out += "<" + tag + attrs + ">Paragraph " + std::to_string(i) +
           " of the story says what the council decided, why it matters, and who spoke "
           "against it, with the figures the reader needs to follow the argument.</" +
           tag + ">\n";
  }
  return out;
}

folio::Article parse(const std::string& html) {
  return folio::parse_html_article(html, "/x/page.html", boilerplate());
}

std::string all_text(const folio::Article& a) {
  std::string out;
  for (const auto& s : a.sections) out += s.heading + "\n" + s.text + "\n";
  return out;
}

bool has(const folio::Article& a, const std::string& words) {
  return all_text(a).find(words) != std::string::npos;
}

}  // namespace

TEST_CASE("hint_tokens: class and id values split into whole tokens", "[html]") {
  using V = std::vector<std::string>;
  CHECK(folio::html::hint_tokens("l-sidebar-fixed") == V{"l", "sidebar", "fixed"});
  CHECK(folio::html::hint_tokens("no-sidebars") == V{"no", "sidebars"});
  CHECK(folio::html::hint_tokens("gigyaShareBtnsParent") == V{"gigya", "share", "btns", "parent"});
  CHECK(folio::html::hint_tokens("story_body  URLBox") == V{"story", "body", "url", "box"});
  CHECK(folio::html::hint_tokens("").empty());
}

TEST_CASE("HTML content: widget words only as whole tokens", "[html]") {
  // "commented", "no-sidebars", "shared": not comment, sidebar, share.
  const auto a = parse(
      "<html><body class=\"no-sidebars paywall modal-enabled\">"
      "<article class=\"post commented shared\"><h1>T</h1>" +
      story(4) + "</article></body></html>");
  CHECK(has(a, "Paragraph 1 of the story"));
  CHECK(has(a, "Paragraph 4 of the story"));
  CHECK(a.warning.empty());
  // A real sidebar (a token) is dropped.
  const auto b = parse("<html><body><div class=\"main\">" + story(4) +
                       "</div><div class=\"l-sidebar-fixed\"><p>Sidebar words that are not the "
                       "story, with a few commas, to look like text.</p></div></body></html>");
  CHECK(has(b, "Paragraph 3"));
  CHECK_FALSE(has(b, "Sidebar words"));
}

TEST_CASE("HTML content: a wrapper with a widget token holding the story is kept", "[html]") {
  const auto a = parse("<html><body><div class=\"gigya-share-parent\"><div>" + story(5) +
                       "</div></div><ul><li><a href=\"/1\">Other story</a></li></ul></body></html>");
  CHECK(has(a, "Paragraph 5"));
}

TEST_CASE("HTML content: a page inside one form", "[html]") {
  // ASP.NET pages wrap everything in one <form> with hidden inputs.
  const auto a = parse(
      "<html><body><form id=\"aspnetForm\" action=\"/page\"><input type=\"hidden\" name=\"__VIEWSTATE\" "
      "value=\"x\"><div class=\"search\"><input type=\"text\" name=\"q\"><button>Go</button></div>"
      "<div id=\"content\"><h1>Title</h1>" +
      story(5) + "</div></form></body></html>");
  CHECK(has(a, "Paragraph 1"));
  CHECK(has(a, "Paragraph 5"));
  CHECK_FALSE(has(a, "Go"));
  // A form with controls inside the article (a comment box) is dropped.
  const auto b = parse("<html><body><article>" + story(4) +
                       "<form><label>Your comment</label><textarea></textarea><input type=\"text\">"
                       "<input type=\"submit\"></form></article></body></html>");
  CHECK(has(b, "Paragraph 4"));
  CHECK_FALSE(has(b, "Your comment"));
}

TEST_CASE("HTML content: divs holding only text are paragraphs", "[html]") {
  const auto a = parse("<html><body><div class=\"body\">" + story(5, "div", " class=\"article-paragraph\"") +
                       "<div>Text straight in a div, then <b>bold</b> words.</div></div></body></html>");
  REQUIRE_FALSE(a.sections.empty());
  CHECK(has(a, "Paragraph 1 of the story"));
  CHECK(has(a, "Paragraph 5 of the story"));
  CHECK(has(a, "Text straight in a div, then bold words."));
  // Each div paragraph is its own line of the section text.
  CHECK(a.sections.at(0).text.find("argument.\nParagraph 2") != std::string::npos);
}

TEST_CASE("HTML content: of two articles, the one with the story", "[html]") {
  const auto a = parse(
      "<html><body><article class=\"promo\"><a href=\"/offer\">Subscribe today for one euro</a>"
      "</article><div class=\"wrap\"><article><h1>Title</h1>" +
      story(5) + "</article></div></body></html>");
  CHECK(has(a, "Paragraph 2"));
  CHECK_FALSE(has(a, "Subscribe today"));
  // An empty alert box first.
  const auto b = parse("<html><body><article class=\"alert\"></article><article>" + story(4) +
                       "</article></body></html>");
  CHECK(has(b, "Paragraph 4"));
}

TEST_CASE("HTML content: lists, tables and pre kept, link lists and widgets dropped", "[html]") {
  const auto a =
      parse("<html><body><article>" + story(3) +
            "<ul><li>First point of the list, in words.</li><li>Second point of it.</li></ul>"
            "<table><tr><th>Year</th><th>Votes</th></tr><tr><td>2021</td><td>4,310</td></tr></table>"
            "<pre>code line one</pre>" +
            story(2) +
            "<ul class=\"most-popular\"><li><a href=\"/a\">Popular one</a></li>"
            "<li><a href=\"/b\">Popular two</a></li><li><a href=\"/c\">Popular three</a></li></ul>"
            "<div class=\"share-bar\">Share this on social media</div>"
            "<div class=\"newsletter\"><p>Sign up to our newsletter for daily stories like this.</p></div>"
            "<div style=\"display: none\">Hidden words</div>"
            "<section id=\"comments\"><h2>Comments</h2><p>A reader writes something long enough to "
            "be a paragraph, with commas, and more words.</p></section>"
            "<div class=\"video-player-controls\"><ul><li>Captions off</li><li>English</li></ul></div>"
            "</article></body></html>");
  CHECK(has(a, "First point of the list, in words."));
  CHECK(has(a, "Year Votes"));
  CHECK(has(a, "2021 4,310"));
  CHECK(has(a, "code line one"));
  for (const char* junk : {"Popular one", "Share this", "Sign up", "Hidden words", "A reader writes",
                           "Captions off", "Comments"}) {
    INFO(junk);
    CHECK_FALSE(has(a, junk));
  }
}

TEST_CASE("HTML content: headings inside the article split sections, chrome headings do not", "[html]") {
  const auto a = parse("<html><body><nav><h2>Sections</h2><a href=\"/\">Home</a></nav><article>" + story(2) +
                       "<h2>What Comes Next</h2>" + story(2) + "<h4>Small Heading</h4>" + story(1) +
                       "</article><aside><h2>Related</h2></aside></body></html>");
  std::vector<std::string> headings;
  for (const auto& s : a.sections) headings.push_back(s.heading);
  CHECK(headings == std::vector<std::string>{"", "What Comes Next", "Small Heading"});
  // The headline (first <h1>, or a heading repeating the title) is not a
  // section; later <h1>s are.
  const auto b = parse(
      "<html><head><meta property=\"og:title\" content=\"Council Passes The Budget\">"
      "</head><body><article><h1>Council Passes the Budget</h1>" +
      story(2) + "<h2>Council passes the budget</h2>" + story(1) + "<h1>Why It Matters</h1>" + story(2) +
      "</article></body></html>");
  headings.clear();
  for (const auto& s : b.sections) headings.push_back(s.heading);
  CHECK(headings == std::vector<std::string>{"", "Why It Matters"});
}

TEST_CASE("HTML content: a page of link lists has no article text, and says so", "[html]") {
  const auto a = parse(
      "<html><head><title>Front page</title></head><body><h2>Top stories</h2><ul>"
      "<li><a href=\"/1\">Council votes on the budget</a></li><li><a href=\"/2\">Rain all week</a></li>"
      "</ul><div class=\"grid\"><div><a href=\"/3\">Match report from Sunday</a></div>"
      "<div><a href=\"/4\">Interview with the mayor</a></div></div></body></html>");
  CHECK(a.title == "Front page");
  CHECK(a.warning == "no article text found");
  REQUIRE(a.sections.size() == 1);
  CHECK(a.sections[0].text.empty());
  // JSON-LD articleBody stands in when the page's text is only there.
  const auto b = parse(
      "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
      "\"headline\":\"H\",\"articleBody\":\"The whole story is here &amp; only here.\"}</script>"
      "</head><body><div id=\"app\"></div></body></html>");
  CHECK(b.warning.empty());
  CHECK(b.sections.at(0).text == "The whole story is here & only here.");
}

TEST_CASE("HTML title: sources by agreement, site name stripped", "[html]") {
  struct Case {
    std::string head, body, title;
  };
  const std::vector<Case> cases = {
      {"<title>Rates Rise Again – Daily Planet</title><meta property=\"og:site_name\" content=\"Daily "
       "Planet\">",
       "<h1>Daily Planet</h1>", "Rates Rise Again"},
      {"<title>Daily Planet | Rates Rise Again</title><meta name=\"application-name\" content=\"Daily "
       "Planet\">",
       "", "Rates Rise Again"},
      {"<title>Daily Planet: Rates Rise Again</title><meta property=\"og:site_name\" content=\"Daily "
       "Planet\">",
       "", "Rates Rise Again"},
      // og:title and twitter:title agree; the JSON-LD headline adds the site.
      {"<meta property=\"og:title\" content=\"Rates Rise Again\"><meta name=\"twitter:title\" "
       "content=\"Rates Rise Again\"><script type=\"application/ld+json\">{\"@type\":\"Article\","
       "\"headline\":\"Rates Rise Again - by A Writer - Planet\"}</script>",
       "", "Rates Rise Again"},
      // The <h1> names the section and agrees with nothing.
      {"<title>Rates Rise Again For The Third Time</title>", "<h1>Business</h1>",
       "Rates Rise Again For The Third Time"},
      {"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Rock &amp; Roll "
       "&#8217;Returns&#8217;\"}</script>",
       "", "Rock & Roll \xE2\x80\x99Returns\xE2\x80\x99"},
      {"<meta name=\"parsely-title\" content=\"The Parsely Title\">", "<h1>Other heading</h1>",
       "The Parsely Title"},
      {"", "<h1>Only Heading</h1>", "Only Heading"},
  };
  for (const Case& c : cases) {
    INFO(c.head);
    const auto a = parse("<html><head>" + c.head + "</head><body>" + c.body + "<article>" + story(3) +
                         "</article></body></html>");
    CHECK(a.title == c.title);
  }
}

TEST_CASE("HTML byline: every source", "[html]") {
  using V = std::vector<std::string>;
  struct Case {
    std::string head, body;
    V authors;
  };
  const std::vector<Case> cases = {
      {"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":[{\"@type\":"
       "\"Person\",\"name\":\"Ada Stone\"},{\"@type\":\"Person\",\"name\":\"Ben Ruiz\"}]}</script>",
       "", V{"Ada Stone", "Ben Ruiz"}},
      {"<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":"
       "\"WebSite\",\"name\":\"Site\"},{\"@type\":\"BlogPosting\",\"author\":{\"@type\":\"Person\","
       "\"name\":\"Cleo Park\"}}]}</script>",
       "", V{"Cleo Park"}},
      {"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":{\"@type\":"
       "\"Organization\",\"name\":\"Planet News, Inc.\"}}</script>",
       "", V{"Planet News, Inc."}},
      {"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"author\":\"Dan Moss\"}</script>",
       "", V{"Dan Moss"}},
      {"<meta name=\"author\" content=\"Eve Lind\">", "", V{"Eve Lind"}},
      {"<meta property=\"article:author\" content=\"https://facebook.com/someone\">"
       "<meta property=\"article:author\" content=\"Finn Cole\">",
       "", V{"Finn Cole"}},
      {"<meta name=\"byl\" content=\"By GIA NOOR and HAL OKAFOR\">", "", V{"Gia Noor", "Hal Okafor"}},
      {"<meta name=\"parsely-author\" content=\"Ivy Chen\">", "", V{"Ivy Chen"}},
      {"<meta name=\"sailthru.author\" content=\"Jon Bay\">", "", V{"Jon Bay"}},
      {"", "<a rel=\"author\" href=\"/staff/kim\">Kim Lowe</a>", V{"Kim Lowe"}},
      {"", "<span itemprop=\"author\" itemscope><span itemprop=\"name\">Lea Voss</span></span>",
       V{"Lea Voss"}},
      {"", "<div class=\"article-byline\">By Max Rowe, AP Auto Writer</div>", V{"Max Rowe"}},
      {"", "<p class=\"byline\">By Nia Hart and Omar Said | June 18, 2023</p>", V{"Nia Hart", "Omar Said"}},
      {"<meta name=\"author\" content=\"Pia Ross (pia@example.com), Staff Writer\">", "", V{"Pia Ross"}},
  };
  for (const Case& c : cases) {
    INFO(c.head << c.body);
    const auto a = parse("<html><head>" + c.head + "</head><body><article><h1>T</h1>" + c.body + story(3) +
                         "</article></body></html>");
    CHECK(a.authors == c.authors);
  }
  // A "By ..." line at the start of the article text.
  const auto b = parse("<html><body><article><p>By Quinn Abel</p>" + story(3) + "</article></body></html>");
  CHECK(b.authors == V{"Quinn Abel"});
  CHECK_FALSE(has(b, "By Quinn"));
}

TEST_CASE("HTML date: every source, placeholders ignored, published before modified", "[html]") {
  struct Case {
    std::string head, body, date;
  };
  const std::vector<Case> cases = {
      {"<script type=\"application/ld+json\">{\"@type\":\"ReportageNewsArticle\",\"datePublished\":"
       "\"2023-06-18T09:00:00+02:00\",\"dateModified\":\"2023-06-20\"}</script>",
       "", "2023-06-18"},
      {"<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"WebPage\",\"datePublished\":"
       "\"2022-01-05\"}]}</script>",
       "", "2022-01-05"},
      {"<script type=\"application/ld+json\">//<![CDATA[\n{\"@type\":\"BlogPosting\",\"datePublished\":"
       "\"2021-03-04\"}\n//]]></script>",
       "", "2021-03-04"},
      {"<script type=\"application/ld+json\"><!-- {\"@type\":\"SocialMediaPosting\",\"datePublished\":"
       "\"2020-02-03\"} --></script>",
       "", "2020-02-03"},
      {"<meta property=\"article:published_time\" content=\"2019-07-08T23:30:00-07:00\">", "", "2019-07-08"},
      {"<meta property=\"article:modified_time\" content=\"2019-09-09\">"
       "<meta property=\"article:published\" content=\"2019-07-01\">",
       "", "2019-07-01"},
      {"<meta property=\"og:published_time\" content=\"2018-05-06\">", "", "2018-05-06"},
      {"<meta name=\"date\" content=\"2018-05-07\">", "", "2018-05-07"},
      {"<meta name=\"dc.date\" content=\"2018-05-08\">", "", "2018-05-08"},
      {"<meta name=\"DC.date.issued\" content=\"2018-05-09\">", "", "2018-05-09"},
      {"<meta name=\"parsely-pub-date\" content=\"2018-05-10T04:20:00.000Z\">", "", "2018-05-10"},
      {"<meta name=\"sailthru.date\" content=\"2018-05-11 10:00:00\">", "", "2018-05-11"},
      {"", "<span itemprop=\"datePublished\" content=\"2017-04-03\">April</span>", "2017-04-03"},
      {"", "<time itemprop=\"datePublished\" datetime=\"2017-04-04\">April 4</time>", "2017-04-04"},
      {"", "<time datetime=\"2017-04-05T10:00\">April 5</time>", "2017-04-05"},
      {"", "<time pubdate datetime=\"2017-04-06\">April 6</time><time datetime=\"2017-04-09\">x</time>",
       "2017-04-06"},
      {"<link rel=\"canonical\" href=\"https://example.com/news/2016/11/12/council-vote\">", "",
       "2016-11-12"},
      {"<meta property=\"og:url\" content=\"https://example.com/2016-11-13/story.html\">", "", "2016-11-13"},
      {"", "<div class=\"byline\">By Ann Lee | March 2, 2015</div>", "2015-03-02"},
      // Placeholders and impossible dates are no date; the next source wins.
      {"<meta property=\"article:published_time\" content=\"0001-01-01T00:00:00Z\">"
       "<meta name=\"date\" content=\"1850-01-01\">",
       "<time datetime=\"2014-08-09\">x</time>", "2014-08-09"},
      {"<meta property=\"article:published_time\" content=\"2999-01-01\">", "", ""},
  };
  for (const Case& c : cases) {
    INFO(c.head << c.body);
    const auto a = parse("<html><head>" + c.head + "</head><body><article><h1>T</h1>" + c.body + story(3) +
                         "</article></body></html>");
    CHECK(a.date.iso() == c.date);
  }
}
