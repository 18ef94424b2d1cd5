// Internal to the HTML parser: a page's title, authors and publication date,
// from its meta tags, JSON-LD, microdata, <time> elements, URL and byline.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>
#include <vector>

#include "folio/model.hpp"
#include "html_content.hpp"

namespace folio::html {

struct PageMetadata {
  std::string title;                 // empty when the page names none
  std::vector<std::string> authors;  // cleaned; empty when none found
  Date date;                         // unknown when none found
  std::string article_body;          // JSON-LD articleBody, for pages with no text
};

// Reads the metadata of a parsed page. `content` is the article chosen in
// it (its byline element and <time> elements are preferred).
PageMetadata read_page_metadata(const GumboNode* document, const ArticleContent& content);

// Cleans a byline as written on a page into the authors' names: "By",
// roles ("AP Auto Writer", "Staff Writer"), dates, e-mail addresses and
// links removed; names split on ",", ";", "&", "and"; duplicates dropped;
// ALL-CAPS names put in normal case.
std::vector<std::string> clean_byline(std::string_view text);

}  // namespace folio::html
