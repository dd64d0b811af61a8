#include "channels/utf16_length.h"

namespace rr {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026, one UTF-16 unit

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
