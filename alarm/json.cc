#include "alarm/json.h"

#include <rapidjson/error/en.h>

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

// What RapidJSON 1.1 lets through, checked in one pass before it parses anything: nesting
// deeper than the limit (refused before any allocation for "[[[[..."), a NUL byte (its memory
// stream stops there and would ignore what follows), and an escaped low surrogate without
// its high half (it would decode into invalid UTF-8).
Status PreScan(std::string_view bytes, int max_depth, std::string_view what) {
  int depth = 0;
  bool in_string = false;
  size_t high_surrogate_end = std::string_view::npos;  // just past "\uD8xx"
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\0') {
      return Status::InvalidArgument(std::string(what) + " is not valid JSON: a NUL byte at byte " +
                                     std::to_string(i));
    }
    if (in_string) {
      if (c == '\\') {
        if (i + 1 < bytes.size() && bytes[i + 1] == 'u') {
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

}  // namespace

Status ParseJson(std::string_view bytes, const JsonLimits& limits, std::string_view what,
                 JsonDocument* doc) {
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidArgument(std::string(what) + " is " + std::to_string(bytes.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(limits.max_bytes));
  }
  if (Status scan = PreScan(bytes, limits.max_depth, what); !scan.ok()) return scan;
  // Iterative parsing keeps the C++ stack flat whatever the input looks like.
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;
  doc->Parse<kFlags>(bytes.data(), bytes.size());
  if (doc->HasParseError()) {
    return Status::InvalidArgument(std::string(what) + " is not valid JSON: " +
                                   rapidjson::GetParseError_En(doc->GetParseError()) +
                                   " (at byte " + std::to_string(doc->GetErrorOffset()) + ")");
  }
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
