// Turning the blocks a format parser finds (headings, paragraphs) into an
// Article: the rules every format shares, so that the same article reads
// the same from plain text, Markdown and HTML.
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

// One line of a paragraph as it stands in the source file.
struct SourceLine {
  std::string_view text;
  int number = 0;  // 1-based line in the file
};

// Builds one Article from what a format parser feeds it, in document order:
//  - metadata the parser read from its own markup (front matter, <meta>
//    tags): it wins over what the byline lines say;
//  - the byline window: the first lines before any heading or body text
//    that parse_byline recognises (at most kMaxBylineLines of them; the
//    first line that is not a byline closes the window). The first byline
//    with authors gives the authors; a "Published" (or unlabelled) date wins
//    over an "Updated" one, whichever comes first;
//  - headings and paragraphs: the lead is section 0 (text before the first
//    heading; left out when empty), then one section per heading, each
//    starting at its heading's line (the lead at its first paragraph's);
//    paragraph lines are joined with ' ', paragraphs with '\n';
//  - site boilerplate: a line (of a heading or a paragraph) equal to an end
//    marker ends the article; a line starting with a dropped prefix is left
//    out, and splits its paragraph in two.
// finish() gives the Article: its title falls back to the file name without
// its extension, and an article with no text at all still gets one empty
// section, so that it can be found by its title.
class SectionBuilder {
 public:
  // Byline and date lines accepted at the top of an article.
  static constexpr int kMaxBylineLines = 4;

  // `path` becomes Article::path; `boilerplate` must outlive the builder.
  SectionBuilder(std::string path, const SiteBoilerplate& boilerplate);

  // The title the format found; empty means none (the file name is used).
  void set_title(std::string title);
  // Authors and publication date from the format's markup. Empty authors or
  // an unknown date leave the byline's in force.
  void set_markup_metadata(std::vector<std::string> authors, const Date& date);
  // The line the article's content starts at: the line of the one empty
  // section an article without text gets. Default 1.
  void set_start_line(int line);

  // Offers a line to the byline window. Returns true if the window was open
  // and the line is a byline (it is then metadata, not text); false
  // otherwise, and then the window is closed. add_paragraph offers its
  // leading lines itself: call this only to read the byline lines before
  // telling paragraphs apart, as the plain-text parser does.
  bool offer_byline(std::string_view line);

  enum class LineKind { text, dropped, end_of_article };
  // What the site boilerplate makes of a line. add_heading and add_paragraph
  // apply it themselves; a parser whose block structure depends on it (plain
  // text: a dropped line separates paragraphs) may ask first.
  LineKind classify(std::string_view line) const;

  // A heading: starts a new section (and closes the byline window). Ignored
  // once the article has ended.
  void add_heading(std::string_view text, int line);
  // A paragraph of one or more lines (empty lines are skipped). Ignored once
  // the article has ended.
  void add_paragraph(const std::vector<SourceLine>& lines);
  void add_paragraph(std::string_view text, int line);

  // True once an end marker has been seen: later blocks are ignored.
  bool ended() const { return ended_; }
  // True once a heading or some body text has been added (bylines and
  // dropped lines do not count).
  bool has_body() const { return next_index_ > 1 || !current_.text.empty(); }

  // The article. Call once; the builder is spent afterwards.
  Article finish();

 private:
  void append_text(const std::string& paragraph, int line);
  void flush_section();

  const SiteBoilerplate& boilerplate_;
  Article article_;
  std::vector<std::string> markup_authors_;
  Date markup_date_;
  std::vector<std::string> byline_authors_;
  Date published_;
  Date updated_;
  int bylines_seen_ = 0;
  bool byline_window_open_ = true;
  bool ended_ = false;
  int start_line_ = 1;
  Section current_;  // the lead until the first heading
  int next_index_ = 1;
};

}  // namespace folio
