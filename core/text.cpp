#include "folio/text.hpp"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "folio/error.hpp"

namespace folio {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `s`, or 0.
std::size_t valid_sequence_length(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    const unsigned char min = i == 1 ? lo : 0x80;
    const unsigned char max = i == 1 ? hi : 0xBF;
    if (b < min || b > max) return 0;
  }
  return len;
}

bool is_dropped_control(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string repair_utf8(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  std::string out;
  out.reserve(bytes.size());
  while (!bytes.empty()) {
    const std::size_t len = valid_sequence_length(bytes);
    if (len == 0) {
      out += kReplacement;
      bytes.remove_prefix(1);
      continue;
    }
    if (len > 1 || !is_dropped_control(static_cast<unsigned char>(bytes[0]))) {
      out.append(bytes.substr(0, len));
    }
    bytes.remove_prefix(len);
  }
  return out;
}

bool is_valid_utf8(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t len = valid_sequence_length(bytes);
    if (len == 0) return false;
    bytes.remove_prefix(len);
  }
  return true;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kNbsp = "\xC2\xA0";
  for (;;) {
    if (!text.empty() && is_space(text.front())) {
      text.remove_prefix(1);
    } else if (text.starts_with(kNbsp)) {
      text.remove_prefix(kNbsp.size());
    } else {
      break;
    }
  }
  for (;;) {
    if (!text.empty() && is_space(text.back())) {
      text.remove_suffix(1);
    } else if (text.ends_with(kNbsp)) {
      text.remove_suffix(kNbsp.size());
    } else {
      break;
    }
  }
  return text;
}

std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_icase(text.substr(0, prefix.size()), prefix);
}

bool equals_icase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string to_hex(std::uint64_t value) { return fmt::format("{:016x}", value); }

std::string fold(std::string_view text) {
  std::string lowered;
  const bool ascii =
      std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  // Transliteration is slow and the same names come back (the lexicon
  // folds each city several times, articles repeat names): remember them.
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string key;
  if (!ascii) {
    key = std::string(text);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
  }
  if (ascii) {
    lowered = to_lower_ascii(text);
  } else {
    // ICU's transliterator is not thread-safe: one per thread.
    thread_local std::unique_ptr<icu::Transliterator> transliterator = [] {
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::Transliterator> t(
          icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
      if (U_FAILURE(status)) throw Error("cannot create ICU transliterator Latin-ASCII");
      return t;
    }();
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    transliterator->transliterate(u);
    u.toUTF8String(lowered);
  }
  // Apostrophes and full stops vanish ("d'ivoire", "u.s."); other
  // punctuation separates words.
  std::string out;
  out.reserve(lowered.size());
  bool space = false;
  for (char c : lowered) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (c == '\'' || c == '.') continue;
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (!ascii) {
    constexpr std::size_t kMaxCached = 100'000;
    if (cache.size() >= kMaxCached) cache.clear();
    cache.emplace(std::move(key), out);
  }
  return out;
}

std::string strip_accents(std::string_view text) {
  const bool ascii =
      std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw Error("cannot load ICU's normalization data");
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString decomposed = nfkd->normalize(u, status);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    const bool diacritic = (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
                           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
                           (c >= 0xFE20 && c <= 0xFE2F);
    if (!diacritic) kept.append(c);
  }
  const icu::UnicodeString composed = nfc->normalize(kept, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  composed.toUTF8String(out);
  return out;
}

std::string bounded(std::string text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  const std::string tail = "-" + to_hex(fnv1a64(text));
  std::size_t cut = max_bytes > tail.size() ? max_bytes - tail.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + tail;
}

std::string slug(std::string_view name) {
  std::string s = fold(name);
  std::replace(s.begin(), s.end(), ' ', '-');
  return bounded(std::move(s), kMaxSlugBytes);
}

}  // namespace folio
