#include "alarm/drill_id.h"

#include <algorithm>
#include <cctype>

namespace rr {
namespace {

size_t FindNoCase(std::string_view text, std::string_view word, size_t from) {
  if (from > text.size()) return std::string_view::npos;
  auto it =
      std::search(text.begin() + from, text.end(), word.begin(), word.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it == text.end() ? std::string_view::npos : static_cast<size_t>(it - text.begin());
}

bool IsIdChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::optional<std::string> DrillIdIn(std::string_view reason) {
  size_t drill = FindNoCase(reason, "drill", 0);
  if (drill == std::string_view::npos) return std::nullopt;
  size_t id = FindNoCase(reason, "id=", drill + 5);
  if (id == std::string_view::npos) return std::nullopt;
  size_t begin = id + 3, end = begin;
  while (end < reason.size() && end - begin < 65 && IsIdChar(reason[end])) ++end;
  if (end == begin || end - begin > 64) return std::nullopt;
  return std::string(reason.substr(begin, end - begin));
}

}  // namespace rr
