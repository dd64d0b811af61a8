// JsonBody writes what RapidJSON's Writer writes, byte for byte: the goldens and the services
// saw RapidJSON's text. Every byte value, UTF-8 and broken UTF-8, and nesting are compared.
#include "channels/json_body.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "alarm/json.h"

namespace rr {
namespace {

std::string RapidJsonString(std::string_view text) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string BodyString(std::string_view text) {
  JsonBody body;
  body.String(text);
  return body.Take();
}

TEST(JsonBodyTest, EveryByteIsEscapedAsRapidJsonDoes) {
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(BodyString(one), RapidJsonString(one)) << "byte " << c;
    // In the middle of a long run too, where eight bytes are looked at at once.
    const std::string mid = "abcdefghijkl" + one + "mnopqrstuvwxyz0123";
    EXPECT_EQ(BodyString(mid), RapidJsonString(mid)) << "byte " << c;
  }
}

TEST(JsonBodyTest, TextLikeAlertsIsWrittenAsRapidJsonDoes) {
  const std::vector<std::string> texts = {
      "",
      "🚨 [CRITICAL] root 계정 — ALARM",
      "<b>계정</b>: prod-main (111122223333)\n<b>리전</b>: ap-northeast-2\n",
      "quote \" backslash \\ slash / tab \t cr \r del \x7F",
      std::string("nul \0 inside", 12),
      "broken \xC3\x28 utf-8 \xFF\xFE and a lone \x80",
      std::string(300, 'x') + "\n" + std::string(17, '"'),
  };
  for (const std::string& t : texts) EXPECT_EQ(BodyString(t), RapidJsonString(t)) << t;
}

TEST(JsonBodyTest, NestedDocumentMatchesRapidJson) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  JsonBody b;
  w.StartObject();
  b.StartObject();
  WriteString(w, "text", "첫 줄\n둘째 줄");
  b.Field("text", "첫 줄\n둘째 줄");
  w.Key("n");
  w.Int64(-9223372036854775807 - 1);
  b.Key("n");
  b.Int64(-9223372036854775807 - 1);
  w.Key("list");
  b.Key("list");
  w.StartArray();
  b.StartArray();
  w.StartArray();
  b.StartArray();
  w.EndArray();
  b.EndArray();
  w.StartObject();
  b.StartObject();
  w.Key("t");
  b.Key("t");
  w.Bool(true);
  b.Bool(true);
  w.Key("f");
  b.Key("f");
  w.Bool(false);
  b.Bool(false);
  w.Key("z");
  b.Key("z");
  w.Null();
  b.Null();
  w.EndObject();
  b.EndObject();
  w.Int64(7);
  b.Int64(7);
  w.EndArray();
  b.EndArray();
  w.Key("k\"ey");
  b.Key("k\"ey");
  w.String("");
  b.String("");
  w.EndObject();
  b.EndObject();
  EXPECT_EQ(b.Take(), std::string(buffer.GetString(), buffer.GetSize()));
}

TEST(JsonBodyTest, GrowsPastItsFirstRoom) {
  JsonBody b(/*reserve=*/4);
  b.StartArray();
  for (int i = 0; i < 100; ++i) b.String(std::string(i, '\n'));
  b.EndArray();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (int i = 0; i < 100; ++i) w.String(std::string(i, '\n'));
  w.EndArray();
  EXPECT_EQ(b.Take(), std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace
}  // namespace rr
