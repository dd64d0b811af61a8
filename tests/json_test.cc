// ParseJson limits and errors (alarm/README.md, "rejected": `not valid JSON` with the byte
// offset, `nests deeper than`, `more than the limit`), and the small JSON helpers.
#include "alarm/json.h"

#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rr {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Status Parse(std::string_view bytes, const JsonLimits& limits = {},
             std::string_view what = "payload") {
  JsonDocument doc;
  return ParseJson(bytes, limits, what, &doc);
}

// Strict UTF-8 check (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = 0;
    unsigned cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp > 0x10FFFF) return false;
    i += n + 1;
  }
  return true;
}

// A document of exactly `size` bytes: {"a":"xxxx...x"}.
std::string DocumentOfSize(size_t size) {
  const std::string head = R"({"a":")";
  const std::string tail = R"("})";
  return head + std::string(size - head.size() - tail.size(), 'x') + tail;
}

std::string NestedArrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string NestedObjects(int depth) {
  std::string s;
  for (int i = 0; i < depth - 1; ++i) s += R"({"a":)";
  s += "{}";
  for (int i = 0; i < depth - 1; ++i) s += "}";
  return s;
}

TEST(JsonTest, ParsesACompactObject) {
  JsonDocument doc;
  Status s =
      ParseJson(R"({"AlarmName":"root-alert","Threshold":1.0,"Unit":null})", {}, "payload", &doc);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(AsView(doc["AlarmName"]), "root-alert");
  EXPECT_TRUE(doc["Unit"].IsNull());
}

TEST(JsonTest, ParsesPrettyPrintedObject) {
  JsonDocument doc;
  Status s =
      ParseJson("{\n  \"Message\": \"x\",\n  \"Type\": \"Notification\"\n}\n", {}, "payload", &doc);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(AsView(doc["Type"]), "Notification");
}

TEST(JsonTest, EmptyInputIsNotValidJsonAtByteZero) {
  Status s = Parse("");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(s.message(), StartsWith("payload is not valid JSON"));
  EXPECT_THAT(s.message(), HasSubstr("(at byte 0)"));
}

TEST(JsonTest, WhitespaceOnlyIsNotValidJson) {
  Status s = Parse("  \n\t ");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(s.message(), HasSubstr("at byte"));
}

TEST(JsonTest, TrailingGarbageIsRejectedWithItsOffset) {
  Status s = Parse(R"({"a":1} x)");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(s.message(), HasSubstr("(at byte 8)"));
}

TEST(JsonTest, TwoDocumentsInARowAreRejected) {
  Status s = Parse("{}{}");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(s.message(), HasSubstr("(at byte 2)"));
}

TEST(JsonTest, TrailingWhitespaceIsAccepted) { EXPECT_TRUE(Parse("{}\n\r\n  ").ok()); }

// A NUL byte is not JSON whitespace, so "{}\0xyz" has trailing garbage like "{} xyz" has.
TEST(JsonTest, TrailingGarbageAfterANulByteIsRejected) {
  Status s = Parse(std::string_view("{}\0xyz", 6));
  EXPECT_FALSE(s.ok()) << "a document followed by a NUL byte and garbage was accepted";
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
}

TEST(JsonTest, NulByteInsideAStringIsRejected) {
  Status s = Parse(std::string_view("{\"a\":\"x\0y\"}", 11));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
}

TEST(JsonTest, TruncatedDocumentIsRejectedWithOffset) {
  Status s = Parse(R"({"Type":"Notification","Message":"{\"AlarmName)");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), StartsWith("payload is not valid JSON"));
  EXPECT_THAT(s.message(), HasSubstr("at byte"));
}

TEST(JsonTest, SyntaxErrorNamesTheDocumentAndTheOffset) {
  Status s = Parse(R"({"a":tru})", {}, "SNS Message");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), StartsWith("SNS Message is not valid JSON: "));
  EXPECT_THAT(s.message(), HasSubstr("(at byte "));
}

TEST(JsonTest, InvalidUtf8IsRejected) {
  const std::string cases[] = {
      "{\"a\":\"\x80\"}",              // lone continuation byte
      "{\"a\":\"\xC0\xAF\"}",          // overlong "/"
      "{\"a\":\"\xE2\x82\"}",          // truncated three-byte sequence
      "{\"a\":\"\xED\xA0\x80\"}",      // UTF-16 surrogate encoded as UTF-8
      "{\"a\":\"\xF4\x90\x80\x80\"}",  // above U+10FFFF
      "{\"a\":\"\xFF\"}",              // never valid
      "{\"a\":\"ok\"}\xFE",            // after the document
      "{\"\xC3\":\"key is broken\"}",  // in a key
  };
  for (const std::string& bytes : cases) {
    Status s = Parse(bytes);
    EXPECT_FALSE(s.ok()) << "accepted invalid UTF-8: " << ::testing::PrintToString(bytes);
    EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
    EXPECT_THAT(s.message(), HasSubstr("at byte"));
  }
}

TEST(JsonTest, ValidMultiByteUtf8IsAccepted) {
  JsonDocument doc;
  Status s = ParseJson(R"({"AlarmDescription":"루트 계정 사용 감지 😀"})", {}, "payload", &doc);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(AsView(doc["AlarmDescription"]), "루트 계정 사용 감지 😀");
}

TEST(JsonTest, EscapedKoreanDecodesToUtf8) {
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(R"({"d":"\ub8e8\ud2b8"})", {}, "payload", &doc).ok());
  EXPECT_EQ(AsView(doc["d"]), "루트");
}

TEST(JsonTest, EscapedSurrogatePairDecodesToUtf8) {
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(R"({"d":"\ud83d\ude00"})", {}, "payload", &doc).ok());
  EXPECT_EQ(AsView(doc["d"]), "😀");
}

TEST(JsonTest, LoneEscapedHighSurrogateIsRejected) {
  Status s = Parse(R"({"a":"\ud800"})");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
}

// "\udc00" alone names no character. Whatever ParseJson does with it, the strings it hands on
// must be valid UTF-8: channels put them into JSON and SMS bodies.
TEST(JsonTest, LoneEscapedLowSurrogateDoesNotYieldInvalidUtf8) {
  JsonDocument doc;
  Status s = ParseJson(R"({"a":"x\udc00y"})", {}, "payload", &doc);
  if (s.ok()) {
    ASSERT_TRUE(doc["a"].IsString());
    EXPECT_TRUE(IsValidUtf8(AsView(doc["a"])))
        << "a lone low surrogate was decoded into invalid UTF-8: "
        << ::testing::PrintToString(std::string(AsView(doc["a"])));
  } else {
    EXPECT_THAT(s.message(), HasSubstr("not valid JSON"));
  }
}

TEST(JsonTest, SizeExactlyAtTheDefaultLimitIsAccepted) {
  const JsonLimits limits;
  ASSERT_EQ(limits.max_bytes, 256u * 1024u);
  std::string doc = DocumentOfSize(limits.max_bytes);
  ASSERT_EQ(doc.size(), limits.max_bytes);
  Status s = Parse(doc, limits);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(JsonTest, OneByteOverTheDefaultLimitIsRejected) {
  const JsonLimits limits;
  Status s = Parse(DocumentOfSize(limits.max_bytes + 1), limits);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "payload is 262145 bytes, more than the limit of 262144");
}

TEST(JsonTest, SizeLimitIsConfigurable) {
  JsonLimits limits;
  limits.max_bytes = 64;
  EXPECT_TRUE(Parse(DocumentOfSize(64), limits).ok());
  Status s = Parse(DocumentOfSize(65), limits, "SQS message body");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "SQS message body is 65 bytes, more than the limit of 64");
}

TEST(JsonTest, SizeIsCheckedBeforeSyntax) {
  JsonLimits limits;
  limits.max_bytes = 8;
  Status s = Parse("this is not json at all", limits);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("more than the limit"));
}

TEST(JsonTest, ArraysNestedExactlyAtTheDepthLimitAreAccepted) {
  const JsonLimits limits;
  ASSERT_EQ(limits.max_depth, 32);
  Status s = Parse(NestedArrays(32), limits);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(JsonTest, ArraysNestedOnePastTheDepthLimitAreRejected) {
  Status s = Parse(NestedArrays(33));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "payload nests deeper than 32 levels");
}

TEST(JsonTest, ObjectsNestedAtAndPastTheDepthLimit) {
  EXPECT_TRUE(Parse(NestedObjects(32)).ok()) << Parse(NestedObjects(32)).message();
  Status s = Parse(NestedObjects(33));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("nests deeper than 32"));
}

TEST(JsonTest, MixedNestingCountsBothBrackets) {
  JsonLimits limits;
  limits.max_depth = 3;
  EXPECT_TRUE(Parse(R"({"a":[{"b":1}]})", limits).ok());
  Status s = Parse(R"({"a":[{"b":[1]}]})", limits);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "payload nests deeper than 3 levels");
}

TEST(JsonTest, HostileDeepNestingIsRefusedByDepthNotByTheParser) {
  JsonLimits limits;
  limits.max_bytes = 4 * 1024 * 1024;
  Status s = Parse(std::string(1000000, '['), limits);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("nests deeper than"));
}

TEST(JsonTest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string doc = R"({"a":")" + std::string(100, '[') + std::string(100, '{') + R"("})";
  EXPECT_TRUE(Parse(doc).ok()) << Parse(doc).message();
}

TEST(JsonTest, EscapedQuotesDoNotEndAStringForDepthCounting) {
  std::string doc = R"({"a":"\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"})";
  EXPECT_TRUE(Parse(doc).ok()) << Parse(doc).message();
}

TEST(JsonTest, DoubleEncodedMessageDepthIsNotCountedInTheEnvelope) {
  // The inner document is a string in the outer one; only the outer nesting counts.
  std::string inner_as_string =
      R"("{\"a\":)" + std::string(40, '[') + std::string(40, ']') + R"(}")";
  std::string doc = R"({"Message":)" + inner_as_string + "}";
  EXPECT_TRUE(Parse(doc).ok()) << Parse(doc).message();
}

TEST(JsonTest, TypeNames) {
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(R"({"n":null,"t":true,"f":false,"o":{},"a":[],"s":"x","i":1,"d":1.5})", {},
                        "p", &doc)
                  .ok());
  EXPECT_EQ(JsonTypeName(doc["n"]), "null");
  EXPECT_EQ(JsonTypeName(doc["t"]), "boolean");
  EXPECT_EQ(JsonTypeName(doc["f"]), "boolean");
  EXPECT_EQ(JsonTypeName(doc["o"]), "object");
  EXPECT_EQ(JsonTypeName(doc["a"]), "array");
  EXPECT_EQ(JsonTypeName(doc["s"]), "string");
  EXPECT_EQ(JsonTypeName(doc["i"]), "number");
  EXPECT_EQ(JsonTypeName(doc["d"]), "number");
}

TEST(JsonTest, AsViewKeepsEmbeddedNul) {
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(R"({"s":"a\u0000b"})", {}, "p", &doc).ok());
  EXPECT_EQ(AsView(doc["s"]), std::string_view("a\0b", 3));
}

TEST(JsonTest, ToJsonTextIsCompact) {
  JsonDocument doc;
  ASSERT_TRUE(ParseJson("{ \"a\" : [ 1 , \"x\" ] ,\n \"b\" : null }", {}, "p", &doc).ok());
  EXPECT_EQ(ToJsonText(doc), R"({"a":[1,"x"],"b":null})");
}

TEST(JsonTest, WriteStringAndWriteOptString) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  WriteString(writer, "name", "루트 \"alert\"");
  WriteOptString(writer, "present", std::optional<std::string>("x"));
  WriteOptString(writer, "absent", std::nullopt);
  writer.EndObject();
  EXPECT_EQ(std::string(buffer.GetString(), buffer.GetSize()),
            R"({"name":"루트 \"alert\"","present":"x","absent":null})");
}

}  // namespace
}  // namespace rr
