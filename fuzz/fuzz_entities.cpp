// Fuzz target: people and places extraction on a parsed article.
#include "folio/entities.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::shared_ptr<const folio::Lexicon> lexicon = [] {
    folio::LexiconSources sources;
    sources.data_dir = FOLIO_BUILD_DATA_DIR;
    return folio::Lexicon::load(sources);
  }();
  const std::string text = folio::repair_utf8(folio::fuzz::bytes(data, size));
  folio::Article a = folio::parse_plain_text_article(text, "/fuzz/a.txt", folio::fuzz::boilerplate());
  folio::EntityExtractor(lexicon).annotate(a);
  for (const folio::Section& s : a.sections) {
    for (const auto& p : s.people) {
      if (p.id.empty() || !folio::is_valid_utf8(p.name)) __builtin_trap();
    }
    for (const auto& p : s.places) {
      if (p.id.empty()) __builtin_trap();
    }
  }
  return 0;
}
