// Turning one section of an article into its Xapian document, following
// include/folio/schema.hpp.
#include <xapian.h>

#include <algorithm>
#include <array>

#include "folio/ingest.hpp"
#include "folio/schema.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

// The ids of one entity field's values in a section, in order of first
// mention: the one place that maps the model's lists of mentions to the
// schema's entity fields.
std::vector<std::string> mentioned_ids(const Section& section, schema::Field field) {
  std::vector<std::string> ids;
  switch (field) {
    case schema::Field::person:
      for (const Person& p : section.people) ids.push_back(p.id);
      break;
    case schema::Field::place:
      for (const Place& p : section.places) ids.push_back(p.id);
      break;
    case schema::Field::org:
      for (const Org& o : section.orgs) ids.push_back(o.id);
      break;
    case schema::Field::country:
      // Several places of a section may share their country.
      for (const Place& p : section.places) {
        if (!p.country.empty() && std::find(ids.begin(), ids.end(), p.country) == ids.end()) {
          ids.push_back(p.country);
        }
      }
      break;
    default:
      break;
  }
  return ids;
}

// The article's content key (schema.hpp, kArticleCopySlot): what makes two
// files copies of one article. Its path, date and authors are left out: a
// repost may carry its own.
std::string content_key(const Article& article) {
  std::string content = article.title;
  for (const Section& s : article.sections) {
    content += '\x1f';
    content += s.heading;
    content += '\x1f';
    content += s.text;
  }
  return schema::content_key(fnv1a64(content));
}

}  // namespace

Xapian::Document make_section_document(const Article& article, const Section& section,
                                       const std::string& article_id) {
  // Xapian::Stem and TermGenerator are not safe to share between threads.
  // Only stems are indexed, with positions: phrases and wildcards match
  // on them (schema.hpp).
  thread_local Xapian::TermGenerator stems = [] {
    Xapian::TermGenerator tg;
    tg.set_stemmer(schema::text_stemmer());
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
    tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    return tg;
  }();

  Xapian::Document doc;
  stems.set_document(doc);
  const std::string title_prefix(schema::kTitlePrefix);
  const std::string heading_prefix(schema::kHeadingPrefix);

  stems.index_text(article.title, schema::kTitleWeight);
  stems.index_text(article.title, 1, title_prefix);
  // The gap keeps a phrase from matching across title, heading and body.
  stems.increase_termpos();
  if (!section.heading.empty()) {
    stems.index_text(section.heading, schema::kHeadingWeight);
    stems.index_text(section.heading, 1, heading_prefix);
    stems.increase_termpos();
  }
  stems.index_text(section.text, schema::kBodyWeight);
  // A TermGenerator keeps a reference to its document, and Xapian's
  // reference counts are not atomic: let go of it before the document
  // goes to the writer thread.
  stems.set_document(Xapian::Document());

  const std::string id = schema::section_id(article_id, section.index);
  const std::string id_term = schema::section_id_term(id);
  doc.add_boolean_term(id_term);
  doc.add_boolean_term(schema::article_term(article_id));
  for (const std::string& author : article.authors) {
    doc.add_boolean_term(schema::author_term(author));
  }

  for (const std::string& term : schema::date_terms(article.date)) {
    doc.add_boolean_term(term);
  }

  // kFacetsSlot: the lists of every facet field, at their positions.
  std::array<std::string, schema::kFacetFieldCount> facets;
  for (const schema::FieldInfo& field : schema::kFields) {
    if (field.kind != schema::FieldKind::entity) continue;
    const std::vector<std::string> ids = mentioned_ids(section, field.field);
    for (const std::string& value : ids) doc.add_boolean_term(schema::entity_term(field.field, value));
    if ((field.flags & schema::kFacet) != 0) facets[field.facet_position] = schema::join_ids(ids);
  }
  facets[schema::info(schema::Field::author).facet_position] = schema::join_ids(article.authors);
  facets[schema::info(schema::Field::date).facet_position] = article.date.iso();
  doc.add_value(schema::kFacetsSlot, schema::facets_value(facets));

  if (article.date.known()) {
    doc.add_value(schema::kDateSlot, article.date.sort_key());
  }
  doc.add_value(schema::kArticleSlot, article_id);
  doc.add_value(schema::kSectionSlot, Xapian::sortable_serialise(section.index));
  // Once per article, not per section: an article of 100,000 sections
  // would hash its whole text 100,000 times. The sections of one article
  // are made one after the other on one thread, from the same Article;
  // within one run a file is read once, so its path tells articles apart
  // (with the object and its sections' storage, which a later article
  // could only reuse after this one is gone).
  struct LastArticle {
    const Article* article = nullptr;
    const Section* sections = nullptr;
    std::size_t count = 0;
    std::string path;
    std::string key;
  };
  thread_local LastArticle last;
  if (last.article != &article || last.sections != article.sections.data() ||
      last.count != article.sections.size() || last.path != article.path) {
    last = {&article, article.sections.data(), article.sections.size(), article.path, content_key(article)};
  }
  const std::string& copies = last.key;
  doc.add_value(schema::kCopySlot, schema::copy_key(copies, section.index));
  doc.add_value(schema::kArticleCopySlot, copies);
  doc.add_boolean_term(std::string(schema::kCopyPrefix) + copies);

  schema::SectionData data;
  data.path = article.path;
  data.title = article.title;
  data.authors = article.authors;
  data.date = article.date;
  data.index = section.index;
  data.heading = section.heading;
  data.line = section.line;
  data.text = section.text;
  data.people = section.people;
  data.places = section.places;
  data.orgs = section.orgs;
  for (Person& p : data.people) p.aliases.clear();
  for (Place& p : data.places) p.aliases.clear();
  for (Org& o : data.orgs) o.aliases.clear();
  doc.set_data(data.to_json());
  return doc;
}

}  // namespace folio
