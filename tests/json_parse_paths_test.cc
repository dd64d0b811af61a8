// ParseJson's fast paths (well-formed UTF-8 without a NUL: no UTF-8 check by RapidJSON, and in
// place in a copy) give what the checked parse of the original gives: the same values, the same
// errors at the same bytes. Each input goes through all three ways and the answers are compared.
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "alarm/json.h"

namespace rr {
namespace {

struct Answer {
  std::string status;  // "ok" or the error message
  std::string text;    // the document as compact JSON when ok
};

Answer Parse(std::string_view bytes, bool insitu) {
  JsonDocument doc;
  std::string copy;
  Status s = ParseJson(bytes, {}, "payload", &doc, insitu ? &copy : nullptr);
  if (!s.ok()) return {s.message(), ""};
  return {"ok", ToJsonText(doc)};
}

// What RapidJSON says with its own UTF-8 check, on the original bytes: the old way.
Answer Checked(std::string_view bytes) {
  JsonDocument doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(bytes.data(),
                                                                                    bytes.size());
  if (doc.HasParseError()) return {"error", ""};
  return {"ok", ToJsonText(doc)};
}

const std::vector<std::string>& Inputs() {
  static const std::vector<std::string> inputs = {
      R"({"a":"b","n":[1,2.5,-3e2,true,false,null],"o":{}})",
      "{\n  \"k\" : \"\xEB\xA3\xA8\xED\x8A\xB8 \xF0\x9F\x98\x80\" ,\n \"x\":[ ] }\n",
      R"({"esc":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00","long":"0123456789abcdefghijklmnop"})",
      std::string("{\"bad\":\"\xC3\x28\"}"),          // invalid UTF-8 in a value
      std::string("{\"\xED\xA0\x80\":1}"),            // a surrogate in a key
      std::string("{\"a\":\"x\xF4\x90\x80\x80y\"}"),  // above U+10FFFF
      std::string("{\"a\":\"x\xE0\x80\"}"),           // truncated before the quote
      std::string("{\"a\":\"\\\0\"}", 9),             // NUL right after a backslash
      std::string("{\"a\":\"\\\xC3\xA9\"}"),          // a non-ASCII byte escaped
      std::string("{\"a\":1,}"),                      // syntax error
      std::string("{\"a\":\"unterminated"),           // missing quote
      std::string("{\"a\":\"ctl\x01\"}"),             // raw control character
      std::string("\xEB\xA3\xA8"),                    // UTF-8 outside a string
      std::string("{} {}"),
      std::string(""),
      std::string("[\"12345678\",\"1234567\",\"123456789\",\"\\\"12345678\\\\\"]"),
  };
  return inputs;
}

TEST(JsonParsePathsTest, FastAndInPlaceParsesAgreeWithTheCheckedParse) {
  for (const std::string& input : Inputs()) {
    SCOPED_TRACE(input);
    const Answer plain = Parse(input, /*insitu=*/false);
    const Answer insitu = Parse(input, /*insitu=*/true);
    EXPECT_EQ(plain.status, insitu.status);
    EXPECT_EQ(plain.text, insitu.text);
    const Answer checked = Checked(input);
    EXPECT_EQ(plain.status == "ok", checked.status == "ok");
    EXPECT_EQ(plain.text, checked.text);
  }
}

TEST(JsonParsePathsTest, InvalidUtf8IsStillRejectedAsInvalidEncoding) {
  for (bool insitu : {false, true}) {
    const Answer a = Parse("{\"bad\":\"\xC3\x28\"}", insitu);
    EXPECT_EQ(a.status, "payload is not valid JSON: Invalid encoding in string. (at byte 8)");
  }
}

TEST(JsonParsePathsTest, InPlaceStringsPointIntoTheCopy) {
  JsonDocument doc;
  std::string copy;
  ASSERT_TRUE(ParseJson(R"({"k":"value"})", {}, "payload", &doc, &copy).ok());
  const char* s = doc["k"].GetString();
  EXPECT_GE(s, copy.data());
  EXPECT_LT(s, copy.data() + copy.size());
  EXPECT_EQ(AsView(doc["k"]), "value");
}

}  // namespace
}  // namespace rr
