// RM3 pseudo-relevance feedback (Abdul-Jaleel et al., "UMass at TREC 2004";
// as implemented in Anserini): the top sections of a first pass stand in
// for relevant ones; the terms that weigh most in them, by their share of
// each section's text weighted by the section's first-pass score, are added
// to the query. The parameters are the literature's defaults (Anserini's
// fbDocs 10, fbTerms 10, originalQueryWeight 0.5), not tuned here.
#include <algorithm>
#include <cctype>
#include <map>

#include "ranked.hpp"

namespace folio::query {
namespace {

constexpr Xapian::doccount kFeedbackSections = 10;
constexpr std::size_t kFeedbackTerms = 10;
constexpr double kOriginalWeight = 0.5;

// A free-text stem of the section as a whole ("Z" and a lower-case
// stem), not a title or heading copy (ZS, ZXH) nor a boolean term.
bool is_text_stem(const std::string& term) {
  const std::string_view prefix = schema::kStemPrefix;
  if (!term.starts_with(prefix) || term.size() <= prefix.size() + 1) return false;
  const auto first = static_cast<unsigned char>(term[prefix.size()]);
  return std::islower(first) != 0 || std::isdigit(first) != 0;
}

bool is_stopped(const std::string& term) {
  return english_stopper()(term.substr(schema::kStemPrefix.size()));
}

}  // namespace

Feedback expand_rm3(const Xapian::Database& db, const Xapian::Query& original, const Xapian::Query& filter) {
  Feedback feedback;
  feedback.original = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, original, kOriginalWeight);
  Xapian::Enquire first(db);
  first.set_weighting_scheme(ranked_weight());
  first.set_query(filter.empty() ? original : Xapian::Query(Xapian::Query::OP_FILTER, original, filter));
  first.set_time_limit(kSearchTimeLimit);
  const Xapian::MSet top = first.get_mset(0, kFeedbackSections);
  double score_sum = 0;
  for (auto it = top.begin(); it != top.end(); ++it) score_sum += it.get_weight();
  if (top.empty() || score_sum <= 0) return feedback;

  // p(w|R) = sum over the feedback sections of p(w|d) * score(d) / sum of scores.
  std::map<std::string, double> model;
  for (auto it = top.begin(); it != top.end(); ++it) {
    std::vector<std::pair<std::string, Xapian::termcount>> terms;
    double length = 0;
    for (auto t = db.termlist_begin(*it); t != db.termlist_end(*it); ++t) {
      const std::string term = *t;
      if (!is_text_stem(term)) continue;
      length += t.get_wdf();
      if (!is_stopped(term)) terms.emplace_back(term, t.get_wdf());
    }
    if (length == 0) continue;
    const double share = it.get_weight() / score_sum;
    for (const auto& [term, wdf] : terms) model[term] += static_cast<double>(wdf) / length * share;
  }
  std::vector<std::pair<std::string, double>> best(model.begin(), model.end());
  const std::size_t keep = std::min(kFeedbackTerms, best.size());
  std::partial_sort(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(keep), best.end(),
                    [](const auto& a, const auto& b) {
                      return a.second > b.second || (a.second == b.second && a.first < b.first);
                    });
  best.resize(keep);
  double mass = 0;
  for (const auto& [term, p] : best) mass += p;
  if (mass <= 0) return feedback;

  // The query model: (1 - w) * p(w|R), on the scale where each of the
  // original query's terms weighs w (so scaled by its number of terms).
  std::size_t unique_terms = 0;
  for (auto t = original.get_unique_terms_begin(); t != original.get_unique_terms_end(); ++t) ++unique_terms;
  const auto query_terms = static_cast<double>(std::max<std::size_t>(1, unique_terms));
  std::vector<Xapian::Query> expansion;
  for (const auto& [term, p] : best) {
    expansion.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term),
                           (1 - kOriginalWeight) * query_terms * p / mass);
  }
  feedback.expansion = Xapian::Query(Xapian::Query::OP_OR, expansion.begin(), expansion.end());
  return feedback;
}

}  // namespace folio::query
