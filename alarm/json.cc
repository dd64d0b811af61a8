#include "alarm/json.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include <rapidjson/error/en.h>

#include "alarm/swar.h"
#include "alarm/utf8.h"

namespace rr {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the \uXXXX escape starting at bytes[i] ('u'), or -1.
int EscapedUnit(std::string_view bytes, size_t i) {
  if (i + 4 >= bytes.size()) return -1;
  int unit = 0;
  for (size_t k = i + 1; k <= i + 4; ++k) {
    int h = HexValue(bytes[k]);
    if (h < 0) return -1;
    unit = unit * 16 + h;
  }
  return unit;
}

// The bytes the scan has to look at inside strings: '"', '\\', NUL and non-ASCII.
uint64_t StringStops(const char* p) {
  const uint64_t v = swar::Load(p);
  return swar::NonAscii(v) | swar::Zero(v) | swar::Equal(v, '"') | swar::Equal(v, '\\');
}

// ASCII bytes outside strings that the scan passes over: all but NUL, '"' and brackets.
constexpr std::array<bool, 256> kQuietOutsideStrings = [] {
  std::array<bool, 256> quiet{};
  for (int c = 1; c < 0x80; ++c) quiet[c] = true;
  for (char c : {'"', '{', '[', '}', ']'}) quiet[static_cast<unsigned char>(c)] = false;
  return quiet;
}();

// What RapidJSON 1.1 lets through, checked in one pass before it parses anything: nesting
// deeper than the limit (refused before any allocation for "[[[[..."), a NUL byte (its memory
// stream stops there and would ignore what follows), and an escaped low surrogate without
// its high half (it would decode into invalid UTF-8). `plain` tells whether the bytes are
// well-formed UTF-8 without any NUL, so the parse may skip RapidJSON's own (slow) UTF-8
// validation and read a NUL-terminated copy: for such bytes both give what the checked parse
// of the original gives.
Status PreScan(std::string_view bytes, int max_depth, std::string_view what, bool* plain) {
  *plain = true;
  int depth = 0;
  bool in_string = false;
  size_t high_surrogate_end = std::string_view::npos;  // just past "\uD8xx"
  const size_t n = bytes.size();
  for (size_t i = 0; i < n; ++i) {
    if (in_string) {
      // Most string bytes are plain ASCII: jump to the next one that is not, eight at a time.
      for (; i + 8 <= n; i += 8) {
        if (const uint64_t stops = StringStops(bytes.data() + i); stops != 0) {
          i += static_cast<size_t>(std::countr_zero(stops)) / 8;
          break;
        }
      }
      while (i < n && static_cast<unsigned char>(bytes[i]) < 0x80 && bytes[i] != '"' &&
             bytes[i] != '\\' && bytes[i] != '\0') {
        ++i;
      }
    } else {
      while (i < n && kQuietOutsideStrings[static_cast<unsigned char>(bytes[i])]) ++i;
    }
    if (i == n) break;
    const char c = bytes[i];
    if (c == '\0') {
      return Status::InvalidArgument(std::string(what) + " is not valid JSON: a NUL byte at byte " +
                                     std::to_string(i));
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      // A well-formed character is skipped whole; anything else is left to RapidJSON's check.
      const size_t length = Utf8SequenceLength(bytes.substr(i));
      if (length == 0) *plain = false;
      if (length > 1) i += length - 1;
      continue;
    }
    if (in_string) {
      if (c == '\\') {
        if (i + 1 < n && bytes[i + 1] == 'u') {
          const int unit = EscapedUnit(bytes, i + 1);
          if (unit >= 0xDC00 && unit <= 0xDFFF && high_surrogate_end != i) {
            return Status::InvalidArgument(std::string(what) +
                                           " is not valid JSON: a lone low surrogate escape at "
                                           "byte " +
                                           std::to_string(i));
          }
          if (unit >= 0xD800 && unit <= 0xDBFF) high_surrogate_end = i + 6;
        }
        ++i;
        // The escaped byte is not looked at above: a NUL there (or a non-ASCII byte, which
        // makes RapidJSON's error) takes the checked parse.
        if (i < n && (bytes[i] == '\0' || static_cast<unsigned char>(bytes[i]) >= 0x80)) {
          *plain = false;
        }
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return Status::InvalidArgument(std::string(what) + " nests deeper than " +
                                       std::to_string(max_depth) + " levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return Status::Ok();
}

Status ParseError(const JsonDocument& doc, std::string_view what) {
  return Status::InvalidArgument(std::string(what) + " is not valid JSON: " +
                                 rapidjson::GetParseError_En(doc.GetParseError()) + " (at byte " +
                                 std::to_string(doc.GetErrorOffset()) + ")");
}

}  // namespace

Status ParseJson(std::string_view bytes, const JsonLimits& limits, std::string_view what,
                 JsonDocument* doc, std::string* insitu_copy) {
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidArgument(std::string(what) + " is " + std::to_string(bytes.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(limits.max_bytes));
  }
  bool plain = false;
  if (Status scan = PreScan(bytes, limits.max_depth, what, &plain); !scan.ok()) return scan;
  // Iterative parsing keeps the C++ stack flat whatever the input looks like.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag;
  if (!plain) {
    doc->Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(bytes.data(), bytes.size());
  } else if (insitu_copy) {
    // In place: strings stay where they are in the copy instead of being copied once more.
    insitu_copy->assign(bytes);
    doc->ParseInsitu<kFlags | rapidjson::kParseInsituFlag>(insitu_copy->data());
  } else {
    doc->Parse<kFlags>(bytes.data(), bytes.size());
  }
  if (doc->HasParseError()) return ParseError(*doc, what);
  return Status::Ok();
}

std::string_view JsonTypeName(const JsonValue& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return "number";
  }
  return "unknown";
}

void WriteString(JsonWriter& out, std::string_view key, std::string_view value) {
  out.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteOptString(JsonWriter& out, std::string_view key, const std::optional<std::string>& v) {
  out.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (v) {
    out.String(v->data(), static_cast<rapidjson::SizeType>(v->size()));
  } else {
    out.Null();
  }
}

std::string ToJsonText(const JsonValue& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace rr
