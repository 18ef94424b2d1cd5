// Bytes to UTF-8: byte-order marks, UTF-16, and legacy 8-bit encodings
// (uchardet to detect, iconv to convert).
#include <iconv.h>
#include <uchardet/uchardet.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "folio/error.hpp"
#include "folio/formats.hpp"
#include "folio/text.hpp"

namespace folio {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Converts with iconv; a sequence it cannot convert becomes U+FFFD.
std::string convert(std::string_view bytes, const std::string& from) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw Error("unknown encoding " + from);
  }
  std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    const std::size_t r = iconv(cd, &in, &in_left, &dst, &out_left);
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      const std::size_t used = static_cast<std::size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      out_left = out.size() - used;
    } else if (errno == EILSEQ || errno == EINVAL) {
      // Skip one unit (a byte, or two for UTF-16) and mark the gap.
      const std::size_t skip = std::min<std::size_t>(from.starts_with("UTF-16") ? 2 : 1, in_left);
      in += skip;
      in_left -= skip;
      if (out_left < kReplacement.size()) {
        const std::size_t used = static_cast<std::size_t>(dst - out.data());
        out.resize(out.size() * 2);
        dst = out.data() + used;
        out_left = out.size() - used;
      }
      dst = std::copy(kReplacement.begin(), kReplacement.end(), dst);
      out_left -= kReplacement.size();
    } else {
      throw Error("cannot convert from " + from);
    }
  }
  out.resize(static_cast<std::size_t>(dst - out.data()));
  return out;
}

std::string detect_charset(std::string_view bytes) {
  uchardet_t ud = uchardet_new();
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> guard(ud, uchardet_delete);
  if (uchardet_handle_data(ud, bytes.data(), bytes.size()) != 0) return {};
  uchardet_data_end(ud);
  const char* charset = uchardet_get_charset(ud);
  return charset == nullptr ? std::string() : std::string(charset);
}

// Text is mostly printable: a file with many U+FFFD or control characters
// after decoding is binary data, not an article.
bool looks_binary(std::string_view text) {
  std::size_t bad = 0;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++bad;
    if (text.compare(i, kReplacement.size(), kReplacement) == 0) ++bad;
  }
  return chars > 0 && bad * 10 > chars;
}

}  // namespace

DecodedText decode_text(std::string_view bytes) {
  DecodedText out;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    out.encoding = bytes.starts_with("\xFF\xFE") ? "UTF-16LE" : "UTF-16BE";
    out.text = convert(bytes.substr(2), out.encoding);
  } else {
    if (bytes.find('\0') != std::string_view::npos) {
      throw Error("binary file (contains NUL bytes)");
    }
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    if (is_valid_utf8(bytes)) {
      out.encoding = "UTF-8";
      out.text = std::string(bytes);
    } else {
      std::string charset = detect_charset(bytes);
      // uchardet is unsure on short texts; Windows-1252 is the usual
      // legacy encoding of saved Western articles and a superset of Latin-1.
      if (charset.empty() || charset == "ASCII" || charset == "UTF-8") charset = "WINDOWS-1252";
      out.encoding = charset;
      out.text = convert(bytes, charset);
    }
  }
  if (looks_binary(out.text)) throw Error("binary file (not text in any known encoding)");
  out.text = repair_utf8(out.text);
  return out;
}

}  // namespace folio
