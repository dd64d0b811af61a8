#include "channels/utf16_length.h"

namespace rr {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one UTF-16 unit

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Units for the character starting at `text` and its byte length; ill-formed bytes are 1 and 1.
size_t NextChar(std::string_view text, size_t* units) {
  size_t len = Utf8SequenceLength(text);
  if (len == 0) {
    *units = 1;
    return 1;
  }
  *units = len == 4 ? 2 : 1;
  return len;
}

}  // namespace

size_t Utf8SequenceLength(std::string_view text) {
  if (text.empty()) return 0;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  // Second-byte ranges from Unicode Table 3-7 rule out overlongs, surrogates and > U+10FFFF.
  if (c >= 0xC2 && c <= 0xDF) return n >= 2 && IsContinuation(s[1]) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (n < 3 || !IsContinuation(s[2])) return 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return s[1] >= lo && s[1] <= hi ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (n < 4 || !IsContinuation(s[2]) || !IsContinuation(s[3])) return 0;
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return s[1] >= lo && s[1] <= hi ? 4 : 0;
  }
  return 0;
}

uint32_t DecodeUtf8(std::string_view text, size_t length) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  if (length == 1) return b[0];
  if (length == 2) return (b[0] & 0x1Fu) << 6 | (b[1] & 0x3Fu);
  if (length == 3) return (b[0] & 0x0Fu) << 12 | (b[1] & 0x3Fu) << 6 | (b[2] & 0x3Fu);
  return (b[0] & 0x07u) << 18 | (b[1] & 0x3Fu) << 12 | (b[2] & 0x3Fu) << 6 | (b[3] & 0x3Fu);
}

size_t Utf16Length(std::string_view utf8) {
  size_t total = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t units = 0;
    i += NextChar(utf8.substr(i), &units);
    total += units;
  }
  return total;
}

std::string TruncateUtf16(std::string_view utf8, size_t max_units) {
  // Walk once, remembering where the text would have to be cut to leave room for "…".
  const size_t budget_with_ellipsis = max_units == 0 ? 0 : max_units - 1;
  size_t used = 0;
  size_t cut_at = 0;  // byte offset of the prefix that fits with the ellipsis
  size_t i = 0;
  while (i < utf8.size()) {
    size_t units = 0;
    size_t len = NextChar(utf8.substr(i), &units);
    if (used + units > max_units) {
      if (max_units == 0) return std::string();
      std::string out(utf8.substr(0, cut_at));
      out += kEllipsis;
      return out;
    }
    used += units;
    i += len;
    if (used <= budget_with_ellipsis) cut_at = i;
  }
  return std::string(utf8);
}

}  // namespace rr
