// Internal to the HTML parser: finding the article a reader sees in a page
// (the way reader-mode extractors such as Mozilla Readability do), and the
// small DOM helpers that html.cpp and html_meta.cpp share.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace folio::html {

// Elements nested deeper than this are left out: every walk over the tree
// recurses, and a hostile page nests tags by the hundred thousand.
inline constexpr int kMaxDepth = 400;

// The value of an attribute of an element node, or nullptr.
const char* attribute(const GumboNode* node, const char* name);

// The element's children (empty for other nodes).
const GumboVector& children_of(const GumboNode* node);

// Class or id split into lower-case whole tokens on '-', '_', white space,
// other punctuation and case changes: "l-sidebar-fixed" -> {l, sidebar,
// fixed}; "gigyaShareBtns" -> {gigya, share, btns}; "no-sidebars" ->
// {no, sidebars}.
std::vector<std::string> hint_tokens(std::string_view value);

// Elements never holding article text: script, style, forms' controls,
// embedded media, ...
bool is_never_text(GumboTag tag);

// Elements that are phrasing content (inline): a run of them and of text is
// one paragraph.
bool is_inline_tag(GumboTag tag);

// The text of a node, white space collapsed to single spaces and trimmed,
// leaving out elements in `dropped` and those that never hold text.
std::string text_of(const GumboNode* node, const std::unordered_set<const GumboNode*>* dropped = nullptr);

// Appends the raw text of a node (white space as it is, a space at block
// boundaries) to `out`, leaving out `dropped` elements.
void append_raw_text(const GumboNode* node, const std::unordered_set<const GumboNode*>* dropped,
                     std::string& out);

// Raw text from append_raw_text with white space collapsed and trimmed.
std::string text_of_run(std::string_view raw);

// True when an element has a child element that is not inline.
bool has_block_child(const GumboNode* node);

// Decodes the HTML character references (&amp; &#8217; &#x2019; and the
// common named ones) left in JSON-LD and meta values.
std::string decode_entities(std::string_view text);

// The part of a page that holds its article, chosen by content: candidate
// blocks are scored by the paragraphs they hold (text length, commas), their
// link density and their class/id hints; the best one is taken with the
// siblings that score well, then cleaned of widgets, link lists, forms with
// controls, hidden elements and comment sections.
class ArticleContent {
 public:
  // `document` is gumbo's output->document; it must outlive this object.
  explicit ArticleContent(const GumboNode* document);

  // The chosen elements, in document order (empty when the page has no
  // <body> with text).
  const std::vector<const GumboNode*>& roots() const { return roots_; }
  // True for an element inside roots() that is not article text.
  bool is_dropped(const GumboNode* node) const { return dropped_.count(node) != 0; }
  const std::unordered_set<const GumboNode*>& dropped() const { return dropped_; }
  // Text of a byline element (class or id token "byline"/"author") found
  // inside or near the article, whitespace collapsed; empty when none.
  const std::string& byline_text() const { return byline_text_; }
  // The element whose text that is (left out of the article text).
  const GumboNode* byline_element() const { return byline_element_; }

  // What the analysis finds (built by html_content.cpp).
  struct Result {
    std::vector<const GumboNode*> roots;
    std::unordered_set<const GumboNode*> dropped;
    std::string byline_text;
    const GumboNode* byline_element = nullptr;
  };

 private:
  std::vector<const GumboNode*> roots_;
  std::unordered_set<const GumboNode*> dropped_;
  std::string byline_text_;
  const GumboNode* byline_element_ = nullptr;
};

}  // namespace folio::html
