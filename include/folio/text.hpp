// Small text utilities shared by the indexer and the query side: UTF-8
// repair, trimming, case folding of ASCII, stable hashing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace folio {

// Returns `bytes` as valid UTF-8: each invalid or truncated sequence becomes
// U+FFFD, a leading byte-order mark is dropped, and NUL and other C0 control
// characters except tab, newline and carriage return are removed.
std::string repair_utf8(std::string_view bytes);

// True if `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes);

// Number of Unicode code points in valid UTF-8 text.
std::size_t utf8_length(std::string_view text);

// Strips ASCII white space and the UTF-8 no-break space from both ends.
std::string_view trim(std::string_view text);

// ASCII lower-casing; other bytes are left as they are.
std::string to_lower_ascii(std::string_view text);

// Case-insensitive (ASCII) prefix and equality tests.
bool starts_with_icase(std::string_view text, std::string_view prefix);
bool equals_icase(std::string_view a, std::string_view b);

// Splits on '\n'; a trailing '\r' is removed from each line ("\r\n" files)
// and a lone '\r' also ends a line (old Mac files).
std::vector<std::string_view> split_lines(std::string_view text);

// 64-bit FNV-1a: stable across runs and builds, used for ids and change
// detection (not for security).
std::uint64_t fnv1a64(std::string_view bytes);

// 16 lower-case hex digits.
std::string to_hex(std::uint64_t value);

// Lower-cases and strips accents (ICU's Latin-ASCII), drops apostrophes and
// full stops, and turns other punctuation into single spaces: "Łódź" ->
// "lodz", "Côte d’Ivoire" -> "cote divoire", "U.S.-Japanese" -> "us
// japanese". The form in which names are compared.
std::string fold(std::string_view text);

// The accent-folded form words are indexed and searched in: Unicode NFKD,
// the combining diacritical marks (U+0300-036F and their supplements)
// removed, then NFC: "Zürich" -> "Zurich", "Muñoz" -> "Munoz", "ﬁ" -> "fi".
// Case is kept, and so are the marks that make other letters (Japanese
// voicing, Indic vowel signs) and every other script ("北京"). ASCII comes
// back unchanged without touching ICU.
std::string strip_accents(std::string_view text);

// `text` if it has at most `max_bytes`, else its start (cut at a UTF-8
// character boundary) and "-" with 16 hex digits of its FNV-1a-64 hash, in
// `max_bytes` in all: still distinct, and the same for the same text.
std::string bounded(std::string text, std::size_t max_bytes);

// The longest slug: ids must fit in Xapian terms and metadata keys (245
// bytes with their prefix).
inline constexpr std::size_t kMaxSlugBytes = 160;

// fold() with '-' for spaces: "Zoë Kowalczyk" -> "zoe-kowalczyk"; bounded()
// to kMaxSlugBytes.
std::string slug(std::string_view name);

}  // namespace folio
