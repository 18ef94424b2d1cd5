#include "folio/node_service.hpp"

#include <fmt/format.h>

#include <set>

#include "cluster.hpp"
#include "facets.hpp"
#include "folio/error.hpp"
#include "folio/node.hpp"
#include "resolve.hpp"

namespace folio::node {
namespace {

std::vector<ShardState> states_of(const Index& index) {
  std::vector<ShardState> states;
  for (const Xapian::Database& shard : index.local_shards()) {
    states.push_back({shard.get_uuid(), shard.get_revision()});
  }
  return states;
}

// Every (key, value) with the prefix (the key itself when exact), shard by shard.
void write_metadata(Writer& w, const Index& index, const std::string& prefix, bool exact) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const Xapian::Database& shard : index.local_shards()) {
    if (exact) {
      std::string value = shard.get_metadata(prefix);
      if (!value.empty()) pairs.emplace_back(prefix, std::move(value));
      continue;
    }
    for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it) {
      pairs.emplace_back(*it, shard.get_metadata(*it));
    }
  }
  w.put_uint(pairs.size());
  for (const auto& [key, value] : pairs) w.put_string(key).put_string(value);
}

FacetSpec read_spec(Reader& r) {
  FacetSpec spec;
  const std::uint64_t field = r.get_uint();
  if (field >= schema::kFields.size() || !schema::has(static_cast<schema::Field>(field), schema::kFacet)) {
    throw Error("a facet of an unknown field");
  }
  spec.field = static_cast<schema::Field>(field);
  spec.granularity = static_cast<DateGranularity>(r.get_uint() % 3);
  return spec;
}

// Each pass: its query, with a FacetSpy of its specs over every match.
void write_facets(Writer& w, const Xapian::Database& db, Reader& r) {
  const bool by_article = r.get_uint() != 0;
  std::vector<query::FacetPass> passes(r.get_uint());
  for (query::FacetPass& pass : passes) {
    pass.query = Xapian::Query::unserialise(r.get_string());
    pass.specs.resize(r.get_uint());
    for (FacetSpec& spec : pass.specs) spec = read_spec(r);
  }
  // 0, or 1 + the pass whose matches' copy keys are counted too.
  const std::uint64_t copy_pass = r.get_uint();
  if (copy_pass > passes.size()) throw Error("a malformed message: copy keys of no pass");
  query::CopyKeys keys;
  const auto counts = query::facet_counts_of(db, passes, by_article, copy_pass > 0 ? copy_pass - 1 : 0,
                                             copy_pass > 0 ? &keys : nullptr);
  w.put_uint(counts.size());
  for (const auto& pass : counts) {
    for (const std::vector<FacetValue>& values : pass) {
      w.put_uint(values.size());
      for (const FacetValue& v : values) w.put_string(v.value).put_uint(v.count);
    }
  }
  if (copy_pass > 0) keys.write(w);
}

// Per hit: which of the terms it has, the terms it has that start with one
// of the patterns, (with a query) how many other sections of its article
// match the query, and its document's data and values. Then, per content
// key, the articles that have it and their sections that match the copy
// query (the hits' copies).
void write_hits(Writer& w, const Xapian::Database& db, Reader& r) {
  const std::string serialised = r.get_string();
  const Xapian::Query q = serialised.empty() ? Xapian::Query() : Xapian::Query::unserialise(serialised);
  const std::vector<std::string> terms = r.get_strings();
  const std::vector<std::string> patterns = r.get_strings();
  const std::uint64_t n = r.get_uint();
  w.put_uint(n);
  for (std::uint64_t k = 0; k < n; ++k) {
    const auto docid = static_cast<Xapian::docid>(r.get_uint());
    const query::DocTerms t = query::doc_terms_of(db, docid, terms, patterns, q);
    w.put_strings(t.terms).put_uint(t.other_sections);
    query::write_document(w, db.get_document(docid, Xapian::DOC_ASSUME_VALID));
  }
  const std::string copy_query = r.get_string();
  const std::vector<std::string> content_keys = r.get_strings();
  query::write_copy_articles(
      w, content_keys.empty()
             ? std::vector<std::vector<query::CopyArticle>>{}
             : query::copy_articles_of(db, Xapian::Query::unserialise(copy_query), content_keys));
}

void write_stats(Writer& w, const Index& index) {
  const Xapian::Database& db = index.db();
  std::string earliest, latest;
  for (auto v = db.valuestream_begin(schema::kDateSlot); v != db.valuestream_end(schema::kDateSlot); ++v) {
    if (earliest.empty() || *v < earliest) earliest = *v;
    if (*v > latest) latest = *v;
  }
  std::uintmax_t size = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(index.dir(), ec)) {
    if (entry.is_regular_file(ec)) size += entry.file_size(ec);
  }
  w.put_uint(db.get_doccount())
      .put_uint(index.count_metadata(schema::kFileKeyPrefix))
      .put_uint(index.count_metadata(schema::kBadFileKeyPrefix))
      .put_string(earliest)
      .put_string(latest)
      .put_uint(db.get_termfreq(std::string(schema::kUndatedTerm)))
      .put_uint(index.shard_count())
      .put_uint(size);
}

// Per group of terms: the sections that have any, and their articles.
void write_entity_counts(Writer& w, const Xapian::Database& db, Reader& r) {
  const std::uint64_t groups = r.get_uint();
  w.put_uint(groups);
  for (std::uint64_t g = 0; g < groups; ++g) {
    const auto [sections, articles] = query::entity_counts_of(db, r.get_strings());
    w.put_uint(sections).put_uint(articles);
  }
}

}  // namespace

Service::Service(const std::filesystem::path& dir, std::uint16_t tcpsrv_port)
    : index_(dir), tcpsrv_port_(tcpsrv_port) {
  if (index_.is_cluster() || index_.local_shards().size() != index_.parts()) {
    throw Error(fmt::format("{} is a cluster index: a node serves an index of its own", dir.string()));
  }
}

std::string Service::answer(const std::string& request) {
  // Answers from the latest commit; the states say which one it is.
  for (int attempt = 0;; ++attempt) {
    try {
      index_.reopen();
      return ok_response(dispatch(request));
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt == 4) return error_response("the index kept changing during the request");
    } catch (const Xapian::Error& e) {
      return error_response(e.get_description());
    } catch (const std::exception& e) {
      return error_response(e.what());
    }
  }
}

std::string Service::dispatch(const std::string& request) {
  Reader r(request);
  const auto type = static_cast<Request>(r.get_uint());
  const Xapian::Database& db = index_.db();
  Writer w;
  if (type == Request::hello) {
    r.get_uint();  // the client's version: it checks ours
    w.put_uint(kProtocolVersion)
        .put_uint(tcpsrv_port_)
        .put_uint(static_cast<std::uint64_t>(schema::kVersion))
        .put_states(states_of(index_));
    // The shards' folders, for `folio join --ssh` to name them to xapian-progsrv.
    std::vector<std::string> paths;
    for (const std::filesystem::path& p : index_.local_shard_paths()) paths.push_back(p.string());
    w.put_strings(paths);
    return w.take();
  }
  w.put_states(states_of(index_));
  switch (type) {
    case Request::metadata: {
      const std::string prefix = r.get_string();
      write_metadata(w, index_, prefix, r.get_uint() != 0);
      break;
    }
    case Request::count_metadata:
      w.put_uint(index_.count_metadata(r.get_string()));
      break;
    case Request::facets:
      write_facets(w, db, r);
      break;
    case Request::hits:
      write_hits(w, db, r);
      break;
    case Request::termfreqs: {
      const std::vector<std::string> terms = r.get_strings();
      w.put_uint(terms.size());
      for (const std::string& term : terms) w.put_uint(db.get_termfreq(term));
      break;
    }
    case Request::stats:
      write_stats(w, index_);
      break;
    case Request::metadata_values: {
      const std::vector<std::string> keys = r.get_strings();
      w.put_uint(keys.size());
      for (const std::string& key : keys) {
        std::vector<std::string> values;
        for (const Xapian::Database& shard : index_.local_shards()) {
          std::string value = shard.get_metadata(key);
          if (!value.empty()) values.push_back(std::move(value));
        }
        w.put_strings(values);
      }
      break;
    }
    case Request::entity_counts:
      write_entity_counts(w, db, r);
      break;
    default:
      throw Error("an unknown request (another folio version?)");
  }
  return w.take();
}

}  // namespace folio::node
