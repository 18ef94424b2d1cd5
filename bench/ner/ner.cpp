// folio_ner: trains the named-entity tagger's model and scores it on a part
// of the split that bench/ner/split.py writes.
//
//   folio_ner train --data build/ner --out data/ner/model.bin [--epochs N] [--seed S]
//   folio_ner eval  --model data/ner/model.bin build/ner/test.txt [--errors N]
//
// The training is a structured averaged perceptron (Collins 2002) with
// Viterbi decoding over IOB2 labels; the order of the documents in each
// epoch comes from a fixed-seed std::mt19937, so a run is reproducible.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "folio/tagger.hpp"
#include "folio/text.hpp"

namespace {

using folio::kTagStates;

struct Sentence {
  std::vector<std::string> texts;  // owned text of the tokens
  std::vector<std::string> keys;
  std::vector<std::uint8_t> gold;    // IOB2 labels
  std::vector<std::uint8_t> states;  // the same as BILOU states, which the model learns
  folio::TagSentence tag;            // views into texts and keys
  std::vector<bool> possessive, comma, quote, hyphen;
  folio::TagFeatures features;

  void bind(bool headline) {
    tag.tokens.clear();
    tag.headline = headline;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      folio::TagToken t;
      t.text = texts[i];
      t.key = keys[i];
      t.possessive = possessive[i];
      t.comma_before = comma[i];
      t.quote_before = quote[i];
      t.hyphen = hyphen[i];
      tag.tokens.push_back(t);
    }
  }
};

struct Document {
  std::string name;
  std::vector<Sentence> sentences;
  folio::TagDocument evidence;
};

bool has_alnum(const std::string& w) {
  for (char ch : w) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c >= 0x80) return true;
  }
  return false;
}

// Turns the split's tokens (Penn Treebank style: punctuation and "'s" apart)
// into the tagger's words, as folio's tokenizer makes them: punctuation only
// sets flags, "'s" marks the word before, hyphens split words.
void add_token(Sentence& s, const std::string& word, int label, bool& comma, bool& quote) {
  if ((word == "'s" || word == "\xE2\x80\x99s" || word == "'") && !s.texts.empty()) {
    s.possessive.back() = true;
    return;
  }
  if (!has_alnum(word)) {
    if (word.find(',') != std::string::npos || word == ";") comma = true;
    if (word == "\"" || word == "``" || word == "(" || word == "\xE2\x80\x9C" || word == "[") {
      quote = true;
    }
    if (word == "." || word == "?" || word == "!") comma = false;
    return;
  }
  std::size_t start = 0;
  bool first = true;
  while (start <= word.size()) {
    std::size_t dash = word.find('-', start);
    if (dash == std::string::npos) dash = word.size();
    const std::string piece = word.substr(start, dash - start);
    if (!piece.empty() && has_alnum(piece)) {
      s.texts.push_back(piece);
      s.keys.push_back(folio::fold(piece));
      int l = label;
      if (!first && l != 0 && folio::label_begins(l)) l += 1;  // B-X -> I-X
      s.gold.push_back(static_cast<std::uint8_t>(l));
      s.possessive.push_back(false);
      s.comma.push_back(comma);
      s.quote.push_back(quote);
      s.hyphen.push_back(!first);
      comma = quote = false;
      first = false;
    }
    start = dash + 1;
  }
}

std::vector<Document> read_part(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw folio::Error("cannot read '" + path + "' (run bench/ner/split.py first)");
  std::vector<Document> docs;
  std::string line;
  Sentence s;
  bool comma = false;
  bool quote = false;
  auto finish = [&] {
    if (!s.texts.empty()) {
      // A label the hyphen and punctuation rules left as I- after O.
      for (std::size_t i = 0; i < s.gold.size(); ++i) {
        const int l = s.gold[i];
        if (l != 0 && !folio::label_begins(l) &&
            (i == 0 || folio::label_type(s.gold[i - 1]) != folio::label_type(l))) {
          s.gold[i] = static_cast<std::uint8_t>(l - 1);
        }
      }
      s.states = folio::states_of(s.gold);
      if (docs.empty()) docs.push_back({"doc", {}, {}});
      docs.back().sentences.push_back(std::move(s));
    }
    s = Sentence();
    comma = quote = false;
  };
  while (std::getline(in, line)) {
    if (line.starts_with("#doc ")) {
      finish();
      docs.push_back({line.substr(5), {}, {}});
      continue;
    }
    if (line.empty()) {
      finish();
      continue;
    }
    const std::size_t tab = line.rfind('\t');
    const int label = folio::label_from_name(line.substr(tab + 1));
    if (tab == std::string::npos || label < 0) throw folio::Error("bad line in " + path + ": " + line);
    add_token(s, line.substr(0, tab), label, comma, quote);
  }
  finish();
  return docs;
}

// An all-capitals copy of a document: headlines and whole articles in
// capitals exist, and the tagger must read them from the words alone.
Document upper_copy(const Document& d) {
  Document u;
  u.name = d.name + "-upper";
  u.sentences = d.sentences;
  for (Sentence& s : u.sentences) {
    for (std::string& t : s.texts) {
      for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return u;
}

void prepare(const folio::Lexicon& lx, Document& d, bool headline) {
  static folio::TagLexiconCache cache;  // one lexicon for the whole run
  for (Sentence& s : d.sentences) s.bind(headline);
  d.evidence = folio::TagDocument();
  for (const Sentence& s : d.sentences) d.evidence.add(lx, cache, s.tag);
  for (Sentence& s : d.sentences) folio::extract_features(lx, cache, d.evidence, s.tag, s.features);
}

class Perceptron {
 public:
  Perceptron() : trans_w_((kTagStates + 1) * kTagStates, 0), trans_u_(trans_w_.size(), 0) {}

  std::vector<float> scores(const folio::TagFeatures& tf) const {
    std::vector<float> sc(tf.candidate.size() * kTagStates, 0.0F);
    for (std::size_t i = 0; i < tf.candidate.size(); ++i) {
      for (std::uint32_t k = tf.begin[i]; k < tf.begin[i + 1]; ++k) {
        const auto it = index_.find(tf.features[k]);
        if (it == index_.end()) continue;
        const float* w = &w_[it->second * kTagStates];
        for (int l = 0; l < kTagStates; ++l) sc[i * kTagStates + static_cast<std::size_t>(l)] += w[l];
      }
    }
    return sc;
  }

  std::vector<std::uint8_t> decode(const folio::TagFeatures& tf) const {
    return folio::viterbi_states(scores(tf), tf.candidate, trans_w_.data());
  }

  // One training step on a sentence; returns true if it was wrong.
  bool learn(const Sentence& s) {
    ++clock_;
    const std::vector<std::uint8_t> pred = decode(s.features);
    if (pred == s.states) return false;
    const std::size_t n = pred.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t gp = i == 0 ? kTagStates : s.states[i - 1];
      const std::size_t pp = i == 0 ? kTagStates : pred[i - 1];
      if (s.states[i] != pred[i] || gp != pp) {
        bump_transition(gp * kTagStates + s.states[i], 1);
        bump_transition(pp * kTagStates + pred[i], -1);
      }
      if (s.states[i] == pred[i]) continue;
      for (std::uint32_t k = s.features.begin[i]; k < s.features.begin[i + 1]; ++k) {
        const std::size_t row = row_of(s.features.features[k]);
        bump(row * kTagStates + s.states[i], 1);
        bump(row * kTagStates + pred[i], -1);
      }
    }
    return true;
  }

  // The averaged weights, as a perceptron of their own.
  Perceptron averaged() const {
    Perceptron a;
    a.index_ = index_;
    a.w_.resize(w_.size());
    const double c = static_cast<double>(clock_);
    for (std::size_t k = 0; k < w_.size(); ++k) {
      a.w_[k] = static_cast<float>(static_cast<double>(w_[k]) - u_[k] / c);
    }
    for (std::size_t k = 0; k < trans_w_.size(); ++k) {
      a.trans_w_[k] = static_cast<float>(static_cast<double>(trans_w_[k]) - trans_u_[k] / c);
    }
    return a;
  }

  // The mean of several perceptrons' weights (a feature one lacks counts 0
  // there): averaged runs over different document orders, an ensemble in
  // one table.
  static Perceptron mean(const std::vector<Perceptron>& runs) {
    Perceptron m;
    const auto k = static_cast<float>(runs.size());
    for (const Perceptron& r : runs) {
      for (const auto& [f, row] : r.index_) {
        const std::size_t to = m.row_of(f);
        for (int l = 0; l < kTagStates; ++l) {
          m.w_[to * kTagStates + static_cast<std::size_t>(l)] +=
              r.w_[row * kTagStates + static_cast<std::size_t>(l)] / k;
        }
      }
      for (std::size_t t = 0; t < m.trans_w_.size(); ++t) m.trans_w_[t] += r.trans_w_[t] / k;
    }
    return m;
  }

  // Features whose weights all stay below `floor` are dropped.
  std::vector<std::pair<std::uint64_t, std::vector<float>>> table(float floor) const {
    std::vector<std::pair<std::uint64_t, std::vector<float>>> out;
    for (const auto& [f, row] : index_) {
      const float* w = &w_[row * kTagStates];
      float top = 0;
      for (int l = 0; l < kTagStates; ++l) top = std::max(top, std::fabs(w[l]));
      if (top >= floor) out.emplace_back(f, std::vector<float>(w, w + kTagStates));
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  const std::vector<float>& transitions() const { return trans_w_; }
  std::size_t rows() const { return index_.size(); }

 private:
  std::size_t row_of(std::uint64_t f) {
    const auto [it, fresh] = index_.try_emplace(f, index_.size());
    if (fresh) {
      w_.resize(w_.size() + kTagStates, 0);
      u_.resize(u_.size() + kTagStates, 0);
    }
    return it->second;
  }
  void bump(std::size_t k, int d) {
    w_[k] += static_cast<float>(d);
    u_[k] += static_cast<double>(clock_) * d;
  }
  void bump_transition(std::size_t k, int d) {
    trans_w_[k] += static_cast<float>(d);
    trans_u_[k] += static_cast<double>(clock_) * d;
  }

  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<float> w_;
  std::vector<double> u_;
  std::vector<float> trans_w_;
  std::vector<double> trans_u_;
  std::uint64_t clock_ = 0;
};

// Mention-level and document-level counts per type.
struct Counts {
  std::map<int, std::array<long, 3>> mention;   // type -> gold, found, correct
  std::map<int, std::array<long, 3>> document;  // distinct surfaces per document
  // Mention errors by class: "missed PERSON: found as LOCATION", ... (the
  // same tokens with another type, overlapping spans, or nothing there).
  std::map<std::string, long> errors;
};

// What stands at the tokens of a span in the other labelling: the same
// span with another type, an overlapping span, or nothing.
std::string error_class(const std::set<std::tuple<std::size_t, std::size_t, int>>& other, std::size_t b,
                        std::size_t e) {
  for (const auto& [ob, oe, ot] : other) {
    if (ob == b && oe == e)
      return std::string("as ") + std::string(folio::type_name(static_cast<folio::EntityType>(ot)));
  }
  for (const auto& [ob, oe, ot] : other) {
    if (ob < e && b < oe) {
      return std::string("boundary (overlaps ") +
             std::string(folio::type_name(static_cast<folio::EntityType>(ot))) + ")";
    }
  }
  return "nothing there";
}

std::string surface(const Sentence& s, const folio::TagSpan& sp) {
  std::string out;
  for (std::size_t k = sp.begin; k < sp.end; ++k) out += (out.empty() ? "" : " ") + s.keys[k];
  return out;
}

template <typename Decode>
Counts score(std::vector<Document>& docs, Decode decode, std::size_t show_errors) {
  Counts c;
  std::size_t shown = 0;
  for (Document& d : docs) {
    std::map<int, std::set<std::string>> gold_doc;
    std::map<int, std::set<std::string>> found_doc;
    for (Sentence& s : d.sentences) {
      const std::vector<std::uint8_t> pred = decode(d, s);
      std::set<std::tuple<std::size_t, std::size_t, int>> g;
      std::set<std::tuple<std::size_t, std::size_t, int>> p;
      for (const auto& sp : folio::spans_of(s.gold)) {
        g.insert({sp.begin, sp.end, static_cast<int>(sp.type)});
        gold_doc[static_cast<int>(sp.type)].insert(surface(s, sp));
      }
      for (const auto& sp : folio::spans_of(pred)) {
        p.insert({sp.begin, sp.end, static_cast<int>(sp.type)});
        found_doc[static_cast<int>(sp.type)].insert(surface(s, sp));
      }
      for (const auto& x : g) {
        c.mention[std::get<2>(x)][0]++;
        if (p.count(x) == 0) {
          c.errors[std::string("missed ") +
                   std::string(folio::type_name(static_cast<folio::EntityType>(std::get<2>(x)))) +
                   ": found " + error_class(p, std::get<0>(x), std::get<1>(x))]++;
        }
      }
      for (const auto& x : p) {
        c.mention[std::get<2>(x)][1]++;
        if (g.count(x) != 0) {
          c.mention[std::get<2>(x)][2]++;
        } else {
          c.errors[std::string("wrong ") +
                   std::string(folio::type_name(static_cast<folio::EntityType>(std::get<2>(x)))) + ": gold " +
                   error_class(g, std::get<0>(x), std::get<1>(x))]++;
        }
      }
      if (g != p && shown < show_errors) {
        ++shown;
        std::string line;
        for (std::size_t i = 0; i < s.texts.size(); ++i) {
          line += s.texts[i];
          if (s.gold[i] != 0 || pred[i] != 0) {
            line += "/" + folio::label_name(s.gold[i]) +
                    (s.gold[i] == pred[i] ? "" : "≠" + folio::label_name(pred[i]));
          }
          line += ' ';
        }
        fmt::print("- {}\n", line);
      }
    }
    for (int t = 1; t <= 4; ++t) {
      c.document[t][0] += static_cast<long>(gold_doc[t].size());
      c.document[t][1] += static_cast<long>(found_doc[t].size());
      for (const auto& x : found_doc[t]) c.document[t][2] += gold_doc[t].count(x) != 0 ? 1 : 0;
    }
  }
  return c;
}

double f1(const std::array<long, 3>& a) {
  return a[0] + a[1] == 0 ? 0.0 : 2.0 * static_cast<double>(a[2]) / static_cast<double>(a[0] + a[1]);
}

void print_errors(const Counts& c) {
  std::vector<std::pair<long, std::string>> rows;
  for (const auto& [what, n] : c.errors) rows.emplace_back(n, what);
  std::sort(rows.rbegin(), rows.rend());
  fmt::print("\nmention errors by class | count\n---|---\n");
  for (const auto& [n, what] : rows) fmt::print("{} | {}\n", what, n);
}

void print_counts(const Counts& c) {
  for (const auto* which : {"mention", "document"}) {
    const auto& m = std::string(which) == "mention" ? c.mention : c.document;
    fmt::print("\n{}-level | gold | found | correct | P | R | F1\n---|---|---|---|---|---|---\n", which);
    for (int t = 1; t <= 4; ++t) {
      const auto it = m.find(t);
      const std::array<long, 3> a = it == m.end() ? std::array<long, 3>{0, 0, 0} : it->second;
      const double p = a[1] == 0 ? 0.0 : static_cast<double>(a[2]) / static_cast<double>(a[1]);
      const double r = a[0] == 0 ? 0.0 : static_cast<double>(a[2]) / static_cast<double>(a[0]);
      fmt::print("{} | {} | {} | {} | {:.3f} | {:.3f} | {:.3f}\n",
                 folio::type_name(static_cast<folio::EntityType>(t)), a[0], a[1], a[2], p, r, f1(a));
    }
  }
}

std::shared_ptr<const folio::Lexicon> load_lexicon(const std::string& data_dir) {
  folio::LexiconSources sources;
  sources.data_dir = data_dir;
  sources.tagger = false;  // the features read the lexicon, never the model
  return folio::Lexicon::load(sources);
}

struct TrainOptions {
  std::string split = FOLIO_SOURCE_DIR "/build/ner";
  std::string out = FOLIO_SOURCE_DIR "/data/ner/model.bin";
  int epochs = 4;
  unsigned seed = 1;
  double upper_share = 0.1;
  float floor = 1.0F;
  int runs = 3;
  bool with_dev = false;
};

// `folio_ner train`: trains, reports on dev, writes the model.
int run_train(const folio::Lexicon& lexicon, const TrainOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Document> docs = read_part(o.split + "/train.txt");
  std::vector<Document> dev = read_part(o.split + "/dev.txt");
  std::mt19937 rng(o.seed);
  const std::size_t originals = docs.size();
  for (std::size_t k = 0; k < originals; ++k) {
    if (static_cast<double>(rng()) / 4294967296.0 < o.upper_share) docs.push_back(upper_copy(docs[k]));
  }
  for (std::size_t k = 0; k < docs.size(); ++k) prepare(lexicon, docs[k], k >= originals);
  for (Document& d : dev) prepare(lexicon, d, false);
  fmt::print("train: {} documents ({} in capitals), dev: {} documents\n", docs.size(),
             docs.size() - originals, dev.size());
  if (o.with_dev) {
    // The final model: dev joins the training part (the scores printed
    // below are then no longer held o.out).
    for (Document& d : dev) docs.push_back(d);
    fmt::print("dev added to the training part: {} documents\n", docs.size());
  }
  auto report = [&](const Perceptron& a) {
    const Counts c = score(
        dev, [&](Document&, Sentence& s) { return folio::labels_of(a.decode(s.features)); }, 0);
    return fmt::format("dev mention F1 person {:.3f} location {:.3f} organisation {:.3f} misc {:.3f}",
                       f1(c.mention.at(1)), f1(c.mention.at(2)), f1(c.mention.at(3)), f1(c.mention.at(4)));
  };
  std::vector<Perceptron> averaged;
  for (int r = 0; r < o.runs; ++r) {
    // Run 0 goes on with the o.seed's generator; run r uses o.seed + r.
    std::mt19937 other(o.seed + static_cast<unsigned>(r));
    std::mt19937& order_rng = r == 0 ? rng : other;
    Perceptron p;
    std::vector<std::size_t> order(docs.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    for (int e = 1; e <= o.epochs; ++e) {
      for (std::size_t k = order.size(); k > 1; --k)
        std::swap(order[k - 1], order[static_cast<std::size_t>(order_rng()) % k]);
      std::size_t wrong = 0;
      std::size_t total = 0;
      for (std::size_t k : order) {
        for (const Sentence& s : docs[k].sentences) {
          if (p.learn(s)) ++wrong;
          ++total;
        }
      }
      fmt::print("run {} epoch {}: {} of {} sentences wrong; {}; {} features\n", r + 1, e, wrong, total,
                 report(p.averaged()), p.rows());
      std::fflush(stdout);
    }
    averaged.push_back(p.averaged());
  }
  const Perceptron a = o.runs == 1 ? averaged.front() : Perceptron::mean(averaged);
  if (o.runs > 1) fmt::print("mean of {} runs: {}\n", o.runs, report(a));
  const auto table = a.table(o.floor);
  folio::TaggerModel::write(o.out, table, a.transitions());
  const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("wrote {} ({} of {} features) in {:.0f} s\n", o.out, table.size(), a.rows(), secs);
  return 0;
}

// `folio_ner tag`: the sentences of a text file, one a line, tagged.
int run_tag(const folio::Lexicon& lexicon, const folio::TaggerModel& tagger, const std::string& text_path) {
  // Words split off their punctuation as a treebank would, one document.
  std::ifstream in(text_path);
  if (!in) throw folio::Error("cannot read '" + text_path + "'");
  Document d;
  std::string line;
  while (std::getline(in, line)) {
    Sentence s;
    bool comma = false;
    bool quote = false;
    std::string word;
    auto flush = [&] {
      if (!word.empty()) add_token(s, word, 0, comma, quote);
      word.clear();
    };
    for (char c : line) {
      if (c == ' ') {
        flush();
      } else if (c == ',' || c == '"' || c == '(' || c == ')' || c == '!' || c == '?' || c == ';' ||
                 c == ':') {
        flush();
        word = std::string(1, c);
        flush();
      } else {
        word += c;
      }
    }
    if (word.size() > 1 && word.back() == '.') word.pop_back();
    flush();
    if (!s.texts.empty()) d.sentences.push_back(std::move(s));
  }
  prepare(lexicon, d, false);
  for (Sentence& s : d.sentences) {
    const auto labels = tagger.tag(lexicon, d.evidence, s.tag);
    for (std::size_t i = 0; i < labels.size(); ++i) {
      fmt::print("{}{}", s.texts[i], labels[i] == 0 ? "" : "/" + folio::label_name(labels[i]));
      fmt::print("{}", i + 1 < labels.size() ? " " : "\n");
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Train and score folio's named-entity tagger");
  app.require_subcommand(1);
  std::string data_dir = FOLIO_BUILD_DATA_DIR;
  app.add_option("--lexicon-data", data_dir, "folio's data folder (holds lexicon.bin)");

  CLI::App* train = app.add_subcommand("train", "train a model on train.txt, report on dev.txt");
  TrainOptions o;
  train->add_option("--data", o.split, "folder with train.txt and dev.txt (bench/ner/split.py)");
  train->add_option("--out", o.out, "the model file to write");
  train->add_option("--epochs", o.epochs, "passes over the training part");
  train->add_option("--seed", o.seed, "seed of the document order");
  train->add_option("--upper", o.upper_share, "share of documents also trained in capitals");
  train->add_option("--floor", o.floor, "drop features whose averaged weights stay below this");
  train->add_option("--runs", o.runs, "runs over different document orders (seed, seed + 1 ...), averaged");
  train->add_flag("--with-dev", o.with_dev, "train on dev.txt too (the final model, once choices are made)");

  CLI::App* eval = app.add_subcommand("eval", "score a model on a part of the split");
  std::string model_path = FOLIO_SOURCE_DIR "/data/ner/model.bin";
  std::string part;
  std::size_t errors = 0;
  bool upper = false;
  eval->add_option("--model", model_path, "the model file");
  eval->add_option("part", part, "a part of the split (test.txt)");
  eval->add_option("--errors", errors, "print this many sentences with errors");
  eval->add_flag("--upper", upper, "score the part written in capitals");
  bool error_classes = false;
  eval->add_flag("--error-classes", error_classes, "count the mention errors by class");

  CLI::App* tag = app.add_subcommand("tag", "tag the sentences of a text file, one a line");
  std::string text_path;
  tag->add_option("--model", model_path, "the model file");
  tag->add_option("file", text_path, "a text file: one sentence a line")->required();

  CLI11_PARSE(app, argc, argv);
  try {
    const auto lx = load_lexicon(data_dir);
    if (*train) return run_train(*lx, o);
    const auto model = folio::TaggerModel::load(model_path);
    if (*tag) return run_tag(*lx, *model, text_path);
    std::vector<Document> docs = read_part(part);
    for (Document& d : docs) {
      if (upper) d = upper_copy(d);
      prepare(*lx, d, upper);
    }
    const auto t0 = std::chrono::steady_clock::now();
    const Counts c = score(
        docs, [&](Document& d, Sentence& s) { return model->tag(*lx, d.evidence, s.tag); }, errors);
    const auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t sentences = 0;
    for (const Document& d : docs) sentences += d.sentences.size();
    fmt::print("\n{}{}: {} documents, {} sentences ({:.2f} s)\n", part, upper ? " in capitals" : "",
               docs.size(), sentences, secs);
    print_counts(c);
    if (error_classes) print_errors(c);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "folio_ner: " << e.what() << "\n";
    return 2;
  }
}
