// Parsing a plain-text article (title line, byline, headings, paragraphs)
// into an Article with its sections.
#pragma once

#include <string>
#include <string_view>

#include "folio/model.hpp"
#include "folio/section_builder.hpp"

namespace folio {

// Parses `text` (valid UTF-8; see repair_utf8) as a plain-text article:
//  - title: the first non-empty line, unless that line is a byline or looks
//    like a paragraph (long, or ends with a full stop); then the file name
//    without its extension;
//  - metadata: the byline and date lines right after the title (see
//    SectionBuilder: its byline window; "Published" wins over "Updated");
//  - paragraphs: lines separated by blank lines (a body with no blank line
//    at all is one paragraph per line);
//  - headings: a line standing alone between blank lines, short (at most
//    100 characters and 15 words), not ending in punctuation, not starting
//    with a lower-case letter or a bullet, and followed by a paragraph;
//  - sections, site boilerplate and the fallbacks: SectionBuilder's.
// `path` becomes Article::path; the result always has at least one section.
Article parse_plain_text_article(std::string_view text, const std::string& path,
                                 const SiteBoilerplate& boilerplate);

}  // namespace folio
