#include "alarm/json.h"

#include <rapidjson/error/en.h>

namespace rr {
namespace {

// Deepest nesting of objects and arrays, counted without parsing so that a hostile
// "[[[[..." is refused before the parser allocates anything for it.
int NestingDepth(std::string_view bytes, int stop_after) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stop_after) return deepest;
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Status ParseJson(std::string_view bytes, const JsonLimits& limits, std::string_view what,
                 JsonDocument* doc) {
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidArgument(std::string(what) + " is " + std::to_string(bytes.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(limits.max_bytes));
  }
  if (NestingDepth(bytes, limits.max_depth) > limits.max_depth) {
    return Status::InvalidArgument(std::string(what) + " nests deeper than " +
                                   std::to_string(limits.max_depth) + " levels");
  }
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
