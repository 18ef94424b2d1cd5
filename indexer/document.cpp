// Turning one section of an article into its Xapian document, following
// include/folio/schema.hpp.
#include <xapian.h>

#include <algorithm>

#include "folio/ingest.hpp"
#include "folio/schema.hpp"

namespace folio {

Xapian::Document make_section_document(const Article& article,
                                       const Section& section,
                                       const std::string& article_id) {
  // Xapian::Stem and TermGenerator are not safe to share between threads.
  // Only stems are indexed, with positions: phrases and wildcards match
  // on them (schema.hpp).
  thread_local Xapian::TermGenerator stems = [] {
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem(std::string(schema::kStemLanguage)));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
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

  std::vector<std::string> people, places, countries;
  for (const Person& p : section.people) {
    doc.add_boolean_term(schema::person_term(p.id));
    people.push_back(p.id);
  }
  for (const Place& p : section.places) {
    doc.add_boolean_term(schema::place_term(p.id));
    places.push_back(p.id);
    if (!p.country.empty() &&
        std::find(countries.begin(), countries.end(), p.country) == countries.end()) {
      doc.add_boolean_term(schema::country_term(p.country));
      countries.push_back(p.country);
    }
  }
  doc.add_value(schema::kFacetsSlot,
                schema::facets_value(people, places, countries, article.authors, article.date.iso()));

  if (article.date.known()) {
    doc.add_value(schema::kDateSlot, article.date.sort_key());
  }
  doc.add_value(schema::kArticleSlot, article_id);
  doc.add_value(schema::kSectionSlot,
                Xapian::sortable_serialise(section.index));

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
  for (Person& p : data.people) p.aliases.clear();
  for (Place& p : data.places) p.aliases.clear();
  doc.set_data(data.to_json());
  return doc;
}

}  // namespace folio
