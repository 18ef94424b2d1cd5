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

// An HTML article saved from a news site. The article is chosen by content
// the way reader views choose it (indexer/html_content.cpp): paragraphs
// score their containers, link density and whole-token class/id hints
// adjust the score, the best block and its well-scoring siblings are kept
// and cleaned of widgets, link lists, forms with controls and comments;
// sections start at <h2>-<h4>. Title, authors and date come from JSON-LD,
// meta tags, microdata, <time>, the URL and the byline
// (indexer/html_meta.cpp). When no article text is found the article has
// its metadata, one empty section, and warning "no article text found".
Article parse_html_article(std::string_view text, const std::string& path,
                           const SiteBoilerplate& boilerplate);

}  // namespace folio
