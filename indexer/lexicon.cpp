// The lexicon at run time: lexicon.bin, built at build time by
// folio_lexicon_build (lexicon_build.cpp), mapped as it is. Lookups hash
// straight into the mapped tables; nothing is parsed on load.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "folio/entities.hpp"
#include "folio/error.hpp"
#include "folio/tagger.hpp"
#include "lexicon_format.hpp"

namespace folio {
namespace fs = std::filesystem;
namespace lf = lexicon_file;

static_assert(sizeof(Lexicon::Phrase) == lf::kPhraseRecordBytes);
static_assert(offsetof(Lexicon::Phrase, places) == 0);
static_assert(offsetof(Lexicon::Phrase, demonym) == 8);
static_assert(offsetof(Lexicon::Phrase, title) == 9);
static_assert(offsetof(Lexicon::Phrase, organisation) == 10);
static_assert(sizeof(Lexicon::PlaceIds) == 8);
static_assert(sizeof(lf::Key) == 8 && sizeof(lf::Slot) == 16 && sizeof(lf::PlaceRecord) == 40);

Lexicon::~Lexicon() {
  if (map_ != nullptr) ::munmap(const_cast<void*>(map_), map_size_);
}

std::uint32_t Lexicon::find(const Table& table, std::string_view key) const {
  const std::uint64_t h = lf::key_hash(key);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  std::uint32_t pos = static_cast<std::uint32_t>(h) & table.mask;
  // At most every slot once, even in a damaged file without an empty one.
  for (std::uint32_t probes = 0; probes <= table.mask; ++probes, pos = (pos + 1) & table.mask) {
    const std::uint32_t* slot = table.slots + 4 * std::size_t{pos};
    if (slot[1] == 0) return kNone;
    if (slot[0] == tag && slot[3] == key.size() && string_at(slot[2], slot[3]) == key) return slot[1] - 1;
  }
  return kNone;
}

const Lexicon::Phrase* Lexicon::record(const unsigned char* records, std::uint32_t count,
                                       std::uint32_t i) const {
  if (i >= count) return nullptr;
  const auto* p = reinterpret_cast<const Phrase*>(records + std::size_t{i} * lf::kPhraseRecordBytes);
  // Its places must lie in the place-ids table (a damaged file reads as no phrase).
  const auto* ids = reinterpret_cast<const unsigned char*>(p->places.begin());
  if (!p->places.empty() && (ids < place_ids_begin_ || ids > place_ids_end_ ||
                             p->places.size() > static_cast<std::size_t>(place_ids_end_ - ids) / 4)) {
    return nullptr;
  }
  return p;
}

std::string_view Lexicon::string_at(std::uint32_t offset, std::uint32_t bytes) const {
  // A corrupt key reads as no string rather than past the table.
  if (offset > strings_size_ || bytes > strings_size_ - offset) return {};
  return {strings_ + offset, bytes};
}

const Lexicon::Phrase* Lexicon::phrase(const std::string& key) const {
  return record(phrase_records_, phrase_count_, find(phrases_, key));
}

const Lexicon::Phrase* Lexicon::acronym(std::string_view surface) const {
  return record(acronym_records_, acronym_count_, find(acronyms_, surface));
}

const std::vector<Lexicon::PlaceEntry>& Lexicon::places() const {
  std::call_once(places_once_, [this] {
    places_.resize(place_count_);
    for (std::uint32_t i = 0; i < place_count_; ++i) {
      lf::PlaceRecord r;
      std::memcpy(&r, place_records_ + std::size_t{i} * sizeof r, sizeof r);
      const auto str = [this](const lf::Key& k) { return std::string(string_at(k.offset, k.bytes)); };
      PlaceEntry& e = places_[i];
      e.place.id = str(r.id);
      e.place.name = str(r.name);
      e.place.kind = static_cast<PlaceKind>(r.kind);
      e.place.country = str(r.country);
      e.place.country_name = str(r.country_name);
      e.population = r.population;
    }
  });
  return places_;
}

namespace {

// The whole file, mapped read-only. Throws folio::Error.
std::pair<const unsigned char*, std::size_t> map_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(
        fmt::format("cannot open the lexicon {}: {} (folio's data files are missing: rebuild folio "
                    "or set FOLIO_DATA_DIR)",
                    path.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw Error(fmt::format("cannot read the lexicon {}", path.string()));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = size == 0 ? MAP_FAILED : ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED)
    throw Error(fmt::format("the lexicon {} is empty or cannot be mapped", path.string()));
  return {static_cast<const unsigned char*>(map), size};
}

}  // namespace

std::shared_ptr<const Lexicon> Lexicon::load(const LexiconSources& sources) {
  const fs::path path = sources.data_dir / "lexicon.bin";
  std::shared_ptr<Lexicon> lx(new Lexicon);
  const auto mapped = map_file(path);
  // Plain names, not a structured binding: the lambdas below capture them.
  const unsigned char* const bytes = mapped.first;
  const std::size_t size = mapped.second;
  lx->map_ = bytes;
  lx->map_size_ = size;
  auto bad = [&path](std::string_view why) {
    return Error(fmt::format("the lexicon {} {} (rebuild folio: cmake --build)", path.string(), why));
  };
  lf::Header h{};
  if (size < lf::kHeaderBytes || std::memcmp(bytes, lf::kMagic, sizeof lf::kMagic) != 0) {
    throw bad("is not a folio lexicon file");
  }
  std::memcpy(&h, bytes, sizeof h);
  if (h.byte_order != lf::kByteOrderMark) throw bad("was built on a machine of another byte order");
  if (h.version != lf::kVersion) {
    throw bad(fmt::format("has format version {}, this folio reads version {}", h.version, lf::kVersion));
  }
  if (h.file_bytes != size) throw bad(fmt::format("is {} bytes, its header says {}", size, h.file_bytes));
  const std::uint64_t stored_hash = h.header_hash;
  h.header_hash = 0;
  if (h.table_count != lf::kTableCount ||
      fnv1a64(std::string_view(reinterpret_cast<const char*>(&h), sizeof h)) != stored_hash) {
    throw bad("has a corrupt header");
  }
  for (const lf::Extent& e : h.tables) {
    if (e.offset % 8 != 0 || e.offset > size || e.bytes > size - e.offset) throw bad("has a corrupt table");
  }
  const auto at = [&](lf::Table t) { return bytes + h.tables[t].offset; };
  const auto count = [&](lf::Table t, std::size_t record) { return h.tables[t].bytes / record; };
  lx->strings_ = reinterpret_cast<const char*>(at(lf::kStrings));
  lx->strings_size_ = h.tables[lf::kStrings].bytes;
  lx->place_records_ = at(lf::kPlaces);
  lx->place_count_ = static_cast<std::uint32_t>(count(lf::kPlaces, sizeof(lf::PlaceRecord)));
  lx->phrase_records_ = at(lf::kPhraseRecords);
  lx->acronym_records_ = at(lf::kAcronymRecords);
  lx->max_phrase_tokens_ = h.max_phrase_tokens;
  const std::size_t place_ids = count(lf::kPlaceIds, 4);
  const auto table = [&](lf::Table slots) {
    const std::size_t n_slots = count(slots, sizeof(lf::Slot));
    // A power of two: probing wraps with the mask. The writer leaves at least
    // half the slots empty, so a probe always ends.
    if (n_slots == 0 || (n_slots & (n_slots - 1)) != 0 || n_slots > UINT32_MAX) {
      throw bad("has a corrupt hash table");
    }
    return Table{reinterpret_cast<const std::uint32_t*>(at(slots)), static_cast<std::uint32_t>(n_slots - 1)};
  };
  lx->phrases_ = table(lf::kPhraseSlots);
  lx->acronyms_ = table(lf::kAcronymSlots);
  lx->given_names_ = table(lf::kGivenNameSlots);
  lx->surname_first_ = table(lf::kSurnameFirstSlots);
  lx->organisation_suffixes_ = table(lf::kOrganisationSuffixSlots);
  lx->ordinary_words_ = table(lf::kOrdinaryWordSlots);
  lx->abbreviations_ = table(lf::kAbbreviationSlots);
  // A phrase's record is at its key's index: every index must have one.
  lx->phrase_count_ = static_cast<std::uint32_t>(count(lf::kPhraseRecords, lf::kPhraseRecordBytes));
  lx->acronym_count_ = static_cast<std::uint32_t>(count(lf::kAcronymRecords, lf::kPhraseRecordBytes));
  if (place_ids > UINT32_MAX) throw bad("has a corrupt phrase table");
  lx->place_ids_begin_ = at(lf::kPlaceIds);
  lx->place_ids_end_ = at(lf::kPlaceIds) + place_ids * 4;
  if (const fs::path model = sources.data_dir / "ner" / "model.bin"; sources.tagger && fs::exists(model)) {
    lx->tagger_ = TaggerModel::load(model);
  }
  return lx;
}

}  // namespace folio
