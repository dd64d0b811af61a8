// A request body's compact JSON, written straight into the string the request sends. The text
// is RapidJSON's Writer output byte for byte (same escapes, same number forms): the goldens and
// the services saw that. Written by hand because RapidJSON writes strings a byte at a time into
// a buffer that is then copied, the largest cost of rendering (bench/parse_render_bench.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rr {

// Most bytes `text` can take as a JSON string literal: quotes and six bytes per escaped byte.
inline size_t MaxJsonStringBytes(std::string_view text) { return 2 + 6 * text.size(); }

// Writes `text` as a JSON string literal at `out` (MaxJsonStringBytes of room), quotes
// included, and returns the end: `"` and `\` escaped, control characters as \b \f \n \r \t or
// \u00XX, every other byte (UTF-8 or not) as it is.
char* WriteJsonString(std::string_view text, char* out);

class JsonBody {
 public:
  explicit JsonBody(size_t reserve = 1024) : text_(reserve, '\0') {}

  void StartObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void StartArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);
  void String(std::string_view value);
  void Bool(bool value) { Literal(value ? "true" : "false"); }
  void Int64(int64_t value);
  void Null() { Literal("null"); }
  // Key and string value, the common case.
  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }

  // The text so far; the body is left empty.
  std::string Take();

 private:
  // Room for `n` more bytes, which the caller then writes; the text grows by doubling.
  char* Room(size_t n);
  // Room(n), counted as written.
  char* Put(size_t n) {
    char* p = Room(n);
    size_ += n;
    return p;
  }
  // A comma goes before every key or value that is not the first in its object or array.
  void Separate() {
    if (need_comma_) Put(1)[0] = ',';
    need_comma_ = true;
  }
  void Open(char c) {
    Separate();
    Put(1)[0] = c;
    need_comma_ = false;
  }
  void Close(char c) {
    Put(1)[0] = c;
    need_comma_ = true;
  }
  void Literal(std::string_view text);

  std::string text_;  // size_ bytes written, the rest room
  size_t size_ = 0;
  bool need_comma_ = false;
};

}  // namespace rr
