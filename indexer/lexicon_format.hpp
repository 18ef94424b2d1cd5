// The binary lexicon file, share/folio/lexicon.bin: written at build time by
// folio_lexicon_build (indexer/lexicon_build.cpp), memory-mapped by
// Lexicon::load (indexer/lexicon.cpp). Internal to the two.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "folio/text.hpp"

namespace folio::lexicon_file {

// Layout (all integers little-endian, as the machine's: the file is built on
// the machine that uses it, and the magic's byte order check refuses others):
//
//   Header                       kHeaderBytes, below
//   tables[kTableCount]          each at an 8-byte aligned offset, in this order:
//     places                     PlaceRecord[place count]
//     phrase records             Lexicon::Phrase[phrase count] (12 bytes each)
//     acronym records            Lexicon::Phrase[acronym count]
//     place ids                  uint32[]: the places of each phrase, best first
//     <table> slots              for each hash table (phrases, acronyms, then
//                                the name sets): Slot[2^k]
//     strings                    every key and place string, each once
//
// A hash table is open addressing with linear probing over 2^k slots (load at
// most 1/2): the slot of a key starts at fnv1a64(key) & (2^k - 1); a slot holds
// the high 32 bits of the hash, 1 + the key's index in sorted order (0: an
// empty slot) and where the key's bytes are, so that a lookup reads one slot
// and one string. A phrase's record is at the key's index. Lexicon::Phrase::places is
// self-relative: an offset in bytes from the record to its first place id.
//
// Bump kVersion on any change of layout or meaning: an older file is then
// refused on load with a message to rebuild.
inline constexpr char kMagic[8] = {'F', 'O', 'L', 'I', 'O', 'L', 'X', '\x01'};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::uint32_t kByteOrderMark = 0x01020304;

enum Table : std::uint32_t {
  kPlaces,
  kPhraseRecords,
  kAcronymRecords,
  kPlaceIds,
  kPhraseSlots,
  kAcronymSlots,
  kGivenNameSlots,
  kSurnameFirstSlots,
  kOrganisationSuffixSlots,
  kOrdinaryWordSlots,
  kAbbreviationSlots,
  kStrings,
  kTableCount
};

struct Extent {
  std::uint64_t offset;  // from the start of the file
  std::uint64_t bytes;
};

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t byte_order;   // kByteOrderMark
  std::uint64_t file_bytes;   // the whole file: a truncated copy is refused
  std::uint64_t header_hash;  // fnv1a64 of the header with this field 0
  std::uint32_t max_phrase_tokens;
  std::uint32_t table_count;  // kTableCount
  Extent tables[kTableCount];
};
inline constexpr std::size_t kHeaderBytes = sizeof(Header);

// A string in the strings table.
struct Key {
  std::uint32_t offset;
  std::uint32_t bytes;
};

struct Slot {
  std::uint32_t tag;    // hash >> 32
  std::uint32_t index;  // 1 + index of the key, 0 for an empty slot
  Key key;
};

struct PlaceRecord {
  Key id, name, country, country_name;
  std::uint32_t population;
  std::uint32_t kind;  // PlaceKind
};

// The bytes of a Lexicon::Phrase record: places (self-relative offset,
// count), then demonym, title, organisation, one byte each, and a pad byte.
inline constexpr std::size_t kPhraseRecordBytes = 12;

inline std::uint64_t key_hash(std::string_view key) { return fnv1a64(key); }

}  // namespace folio::lexicon_file
