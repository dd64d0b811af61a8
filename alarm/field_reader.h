// Typed access to JSON object fields that remembers the first problem with its path, so a
// rejection says exactly what was wrong: "Records[0].Sns.Message: expected string, got number".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alarm/json.h"
#include "alarm/status.h"

namespace rr {

class FieldReader {
 public:
  // `error` collects the first problem and is shared with child readers.
  FieldReader(const JsonValue& value, std::string path, Status* error);

  // Absent or null gives nullopt; any other non-string type records an error.
  std::optional<std::string> OptString(std::string_view key);
  // Like OptString, but absent or null records "missing".
  std::string String(std::string_view key);
  // The raw member, or nullptr when absent.
  const JsonValue* Get(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key) != nullptr; }
  // A reader over a child object; absent or null gives a reader over an empty object.
  FieldReader Object(std::string_view key);
  // The array member, or nullptr when absent or null (wrong type records an error).
  const JsonValue* OptArray(std::string_view key);

  std::string PathOf(std::string_view key) const;
  const std::string& path() const { return path_; }
  bool ok() const { return error_->ok(); }
  const Status& error() const { return *error_; }
  void Fail(std::string_view key, std::string_view problem);

 private:
  const JsonValue* object_;  // null when the value is not an object (an error was recorded)
  std::string path_;
  Status* error_;
};

}  // namespace rr
