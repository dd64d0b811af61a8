#include "channels/json_body.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

#include "alarm/swar.h"

namespace rr {
namespace {

// RapidJSON's escape table: 0 for a byte written as it is, else the letter after the backslash
// ('u' for \u00XX).
constexpr char kEscape[256] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f',  'r', 'u', 'u',  // 00
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',  'u', 'u', 'u',  // 10
    0,   0,   '"', 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,    0,   0,   0,    // 20
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,    0,   0,   0,    // 30
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,    0,   0,   0,    // 40
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   '\\', 0,   0,   0,    // 50
};  // 60..FF: all 0

// The bytes that need an escape: below 0x20, '"' and '\\'.
uint64_t Escaped(const char* p) {
  const uint64_t v = swar::Load(p);
  return swar::Below(v, 0x20) | swar::Equal(v, '"') | swar::Equal(v, '\\');
}

// Index of the first byte at or after `i` that needs an escape, or text.size().
size_t NextEscaped(std::string_view text, size_t i) {
  for (; i + 8 <= text.size(); i += 8) {
    if (const uint64_t found = Escaped(text.data() + i); found != 0) {
      return i + static_cast<size_t>(std::countr_zero(found)) / 8;
    }
  }
  while (i < text.size() && kEscape[static_cast<unsigned char>(text[i])] == 0) ++i;
  return i;
}

}  // namespace

char* WriteJsonString(std::string_view text, char* out) {
  *out++ = '"';
  size_t i = 0;
  for (;;) {
    const size_t next = NextEscaped(text, i);
    std::memcpy(out, text.data() + i, next - i);
    out += next - i;
    if (next == text.size()) break;
    const auto c = static_cast<unsigned char>(text[next]);
    *out++ = '\\';
    *out++ = kEscape[c];
    if (kEscape[c] == 'u') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      *out++ = '0';
      *out++ = '0';
      *out++ = kHex[c >> 4];
      *out++ = kHex[c & 0xF];
    }
    i = next + 1;
  }
  *out++ = '"';
  return out;
}

char* JsonBody::Room(size_t n) {
  if (text_.size() - size_ < n) text_.resize(std::max(2 * text_.size(), size_ + n));
  return text_.data() + size_;
}

void JsonBody::Key(std::string_view key) {
  Separate();
  char* end = WriteJsonString(key, Room(MaxJsonStringBytes(key) + 1));
  *end++ = ':';
  size_ = static_cast<size_t>(end - text_.data());
  need_comma_ = false;  // the value follows the colon
}

void JsonBody::String(std::string_view value) {
  Separate();
  size_ =
      static_cast<size_t>(WriteJsonString(value, Room(MaxJsonStringBytes(value))) - text_.data());
}

void JsonBody::Int64(int64_t value) {
  Separate();
  char* p = Room(20);  // "-9223372036854775808"
  size_ = static_cast<size_t>(std::to_chars(p, p + 20, value).ptr - text_.data());
}

void JsonBody::Literal(std::string_view text) {
  Separate();
  std::memcpy(Put(text.size()), text.data(), text.size());
}

std::string JsonBody::Take() {
  text_.resize(size_);
  size_ = 0;
  return std::move(text_);
}

}  // namespace rr
