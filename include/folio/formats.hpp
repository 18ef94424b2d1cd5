// Reading article files of every format folio knows: decoding bytes of any
// common encoding to UTF-8, telling plain text, Markdown and HTML apart,
// and parsing Markdown and HTML articles. (Plain text: plain_text.hpp.)
#pragma once

#include <string>
#include <string_view>

#include "folio/model.hpp"
#include "folio/plain_text.hpp"

namespace folio {

struct DecodedText {
  std::string text;      // valid UTF-8, without a byte-order mark
  std::string encoding;  // what it was: "UTF-8", "UTF-16LE", "WINDOWS-1252", ...
};

// Decodes a file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM,
// or a legacy 8-bit encoding detected with uchardet and converted with
// iconv (Windows-1252 when detection is unsure). Bytes that cannot be
// converted become U+FFFD. Throws folio::Error("binary file ...") for bytes
// that are not text (NUL bytes outside UTF-16, or mostly unconvertible).
DecodedText decode_text(std::string_view bytes);

enum class Format { plain, markdown, html };

const char* to_string(Format format);

// The format of a file, from its content first (an HTML document is HTML
// whatever its name) and then its extension (.md and .markdown are Markdown).
Format detect_format(std::string_view path, std::string_view text);

// True for the file names `folio index` picks up in a folder.
bool is_article_file_name(std::string_view file_name);

// A Markdown article: optional YAML front matter (title, date, author or
// authors), the first level-1 heading as title when the front matter has
// none, '#' headings starting sections, markup stripped from the text;
// bylines, sections and site boilerplate as SectionBuilder reads them.
Article parse_markdown_article(std::string_view text, const std::string& path,
                               const SiteBoilerplate& boilerplate);

// An HTML article saved from a news site: title from og:title, <h1> or
// <title>; date and authors from article:published_time, JSON-LD
// NewsArticle, <time datetime>, <meta name="author"> or a byline in the
// text; sections from <h2>/<h3> inside <article> (else <main>, else <body>);
// navigation, scripts, styles, asides, footers, forms, cookie banners,
// share widgets and comment sections left out.
Article parse_html_article(std::string_view text, const std::string& path,
                           const SiteBoilerplate& boilerplate);

}  // namespace folio
