#include "alarm/utf8.h"

namespace rr {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

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

}  // namespace rr
