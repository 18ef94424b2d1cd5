// Parsing a plain-text article (title line, byline, headings, paragraphs)
// into an Article with its sections.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "folio/model.hpp"

namespace folio {

// Lines that news sites append to articles ("Leave a Reply", "Your email
// address will not be published"), read from data/boilerplate.txt.
struct SiteBoilerplate {
  // A line equal to one of these (ignoring ASCII case) ends the article.
  std::vector<std::string> end_markers;
  // A line starting with one of these (ignoring ASCII case) is dropped.
  std::vector<std::string> dropped_prefixes;

  // Reads the file format of data/boilerplate.txt: "end: <line>" and
  // "drop: <prefix>" lines, '#' comments. Throws folio::Error if the file
  // cannot be read or has another kind of line.
  static SiteBoilerplate load(const std::filesystem::path& file);

  bool ends_article(std::string_view line) const;
  bool is_dropped(std::string_view line) const;
};

// Parses `text` (valid UTF-8; see repair_utf8) as a plain-text article:
//  - title: the first non-empty line, unless that line is a byline or looks
//    like a paragraph (long, or ends with a full stop); then the file name
//    without its extension;
//  - metadata: the byline and date lines right after the title (see
//    parse_byline); "Published" wins over "Updated";
//  - sections: the lead (index 0, before the first heading; left out when
//    empty) and one per heading. A heading is a line standing alone between
//    blank lines, short (at most 100 characters and 15 words), not ending in
//    punctuation, not starting with a lower-case letter or a bullet, and
//    followed by a paragraph;
//  - site boilerplate at the end is dropped.
// `path` becomes Article::path; the result always has at least one section.
Article parse_plain_text_article(std::string_view text, const std::string& path,
                                 const SiteBoilerplate& boilerplate);

}  // namespace folio
