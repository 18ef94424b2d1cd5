#include "folio/section_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "folio/byline_date.hpp"
#include "folio/error.hpp"
#include "folio/text.hpp"

namespace folio {

SiteBoilerplate SiteBoilerplate::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw Error(fmt::format("cannot read {}: folio's data files are missing", file.string()));
  }
  SiteBoilerplate b;
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    const std::string_view line = trim(raw);
    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with("end:")) {
      b.end_markers.emplace_back(trim(line.substr(4)));
    } else if (line.starts_with("drop:")) {
      b.dropped_prefixes.emplace_back(trim(line.substr(5)));
    } else {
      throw Error(fmt::format("{}:{}: expected 'end:' or 'drop:'", file.string(), number));
    }
  }
  return b;
}

bool SiteBoilerplate::ends_article(std::string_view line) const {
  return std::any_of(end_markers.begin(), end_markers.end(),
                     [&](const std::string& m) { return equals_icase(line, m); });
}

bool SiteBoilerplate::is_dropped(std::string_view line) const {
  return std::any_of(dropped_prefixes.begin(), dropped_prefixes.end(),
                     [&](const std::string& p) { return starts_with_icase(line, p); });
}

SectionBuilder::SectionBuilder(std::string path, const SiteBoilerplate& boilerplate)
    : boilerplate_(boilerplate) {
  article_.path = std::move(path);
}

void SectionBuilder::set_title(std::string title) { article_.title = std::move(title); }

void SectionBuilder::set_markup_metadata(std::vector<std::string> authors, const Date& date) {
  markup_authors_ = std::move(authors);
  markup_date_ = date;
}

void SectionBuilder::set_start_line(int line) { start_line_ = line; }

bool SectionBuilder::offer_byline(std::string_view line) {
  if (!byline_window_open_ || bylines_seen_ >= kMaxBylineLines) {
    byline_window_open_ = false;
    return false;
  }
  const std::optional<Byline> byline = parse_byline(line);
  if (!byline) {
    byline_window_open_ = false;
    return false;
  }
  ++bylines_seen_;
  if (byline_authors_.empty()) byline_authors_ = byline->authors;
  // The first date of each kind counts; which kind wins is decided in
  // finish(), so that "Updated" before "Published" does not matter.
  Date& slot = byline->is_update ? updated_ : published_;
  if (!slot.known()) slot = byline->date;
  return true;
}

SectionBuilder::LineKind SectionBuilder::classify(std::string_view line) const {
  if (boilerplate_.ends_article(line)) return LineKind::end_of_article;
  if (!line.empty() && boilerplate_.is_dropped(line)) return LineKind::dropped;
  return LineKind::text;
}

void SectionBuilder::flush_section() {
  if (!current_.text.empty() || !current_.heading.empty()) {
    article_.sections.push_back(std::move(current_));
  }
  current_ = Section{};
}

void SectionBuilder::add_heading(std::string_view text, int line) {
  if (ended_) return;
  byline_window_open_ = false;
  const std::string_view heading = trim(text);
  if (heading.empty()) return;
  switch (classify(heading)) {
    case LineKind::end_of_article:
      ended_ = true;
      return;
    case LineKind::dropped:
      return;
    case LineKind::text:
      break;
  }
  flush_section();
  current_.index = next_index_++;
  current_.heading = std::string(heading);
  current_.line = line;
}

void SectionBuilder::append_text(const std::string& paragraph, int line) {
  if (paragraph.empty()) return;
  if (current_.text.empty()) {
    if (current_.line == 0) current_.line = line;
  } else {
    current_.text += '\n';
  }
  current_.text += paragraph;
}

void SectionBuilder::add_paragraph(const std::vector<SourceLine>& lines) {
  std::string paragraph;
  int first_line = 0;
  for (const SourceLine& source : lines) {
    if (ended_) break;
    const std::string_view text = trim(source.text);
    if (text.empty()) continue;
    if (paragraph.empty() && !has_body() && offer_byline(text)) continue;
    byline_window_open_ = false;
    switch (classify(text)) {
      case LineKind::end_of_article:
        ended_ = true;
        continue;
      case LineKind::dropped:
        append_text(paragraph, first_line);
        paragraph.clear();
        continue;
      case LineKind::text:
        break;
    }
    if (paragraph.empty()) {
      first_line = source.number;
    } else {
      paragraph += ' ';
    }
    paragraph += text;
  }
  append_text(paragraph, first_line);
}

void SectionBuilder::add_paragraph(std::string_view text, int line) {
  add_paragraph(std::vector<SourceLine>{{text, line}});
}

Article SectionBuilder::finish() {
  flush_section();
  if (article_.sections.empty()) {
    Section only;
    only.line = start_line_;
    article_.sections.push_back(std::move(only));
  }
  if (article_.title.empty()) {
    article_.title = std::filesystem::path(article_.path).stem().string();
  }
  article_.authors = !markup_authors_.empty() ? std::move(markup_authors_) : std::move(byline_authors_);
  article_.date = markup_date_.known() ? markup_date_ : published_.known() ? published_ : updated_;
  return std::move(article_);
}

}  // namespace folio
