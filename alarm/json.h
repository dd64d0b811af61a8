// JSON in and out (RapidJSON), with the limits that keep hostile input from exhausting memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "alarm/status.h"

namespace rr {

using JsonValue = rapidjson::Value;
using JsonDocument = rapidjson::Document;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

struct JsonLimits {
  size_t max_bytes = 256 * 1024;  // SNS messages are at most 256 KiB
  int max_depth = 32;             // real payloads nest 6 deep; CloudTrail details a little more
};

// Parses `bytes` into `doc`. Errors say what is wrong and where: too large, nested too deep,
// invalid UTF-8, or the RapidJSON parse error with its byte offset. `what` names the document
// in messages ("payload", "SNS Message"). With `insitu_copy`, the bytes may be copied there and
// parsed in place (faster): `doc`'s strings then point into it, so it must outlive `doc`.
Status ParseJson(std::string_view bytes, const JsonLimits& limits, std::string_view what,
                 JsonDocument* doc, std::string* insitu_copy = nullptr);

// "string", "number", "object", ... for error messages.
std::string_view JsonTypeName(const JsonValue& value);

inline std::string_view AsView(const JsonValue& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

void WriteString(JsonWriter& out, std::string_view key, std::string_view value);
void WriteOptString(JsonWriter& out, std::string_view key, const std::optional<std::string>& v);

// Serialises a value back to compact JSON text.
std::string ToJsonText(const JsonValue& value);

}  // namespace rr
