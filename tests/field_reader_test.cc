// FieldReader: typed field access whose first problem names the full path
// ("Records[0].Sns.Message: expected string, got number", alarm/README.md "rejected").
#include "alarm/field_reader.h"

#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rr {
namespace {

JsonDocument ParseOrDie(std::string_view text) {
  JsonDocument doc;
  Status s = ParseJson(text, {}, "test", &doc);
  EXPECT_TRUE(s.ok()) << s.message();
  return doc;
}

constexpr std::string_view kLambdaEvent = R"({"Records":[{"EventSource":"aws:sns",
  "Sns":{"Type":"Notification","MessageId":"m-1","TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:t",
         "Subject":null,"Message":42,"Timestamp":"2026-03-02T09:45:31.140Z"}}]})";

TEST(FieldReaderTest, PathOfTheSpecExample) {
  JsonDocument doc = ParseOrDie(kLambdaEvent);
  Status error;
  FieldReader record(doc["Records"][0], "Records[0]", &error);
  FieldReader sns = record.Object("Sns");
  EXPECT_EQ(sns.OptString("Message"), std::nullopt);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(error.message(), "Records[0].Sns.Message: expected string, got number");
}

TEST(FieldReaderTest, OptStringReturnsThePresentValue) {
  JsonDocument doc = ParseOrDie(R"({"AlarmName":"root-alert","Empty":""})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(r.OptString("AlarmName"), "root-alert");
  EXPECT_EQ(r.OptString("Empty"), "");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(error.ok());
}

TEST(FieldReaderTest, OptStringAbsentOrNullIsNulloptWithoutError) {
  JsonDocument doc = ParseOrDie(R"({"AlarmDescription":null})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(r.OptString("AlarmDescription"), std::nullopt);
  EXPECT_EQ(r.OptString("NoSuchKey"), std::nullopt);
  EXPECT_TRUE(r.ok());
}

TEST(FieldReaderTest, OptStringNamesEveryWrongType) {
  JsonDocument doc = ParseOrDie(R"({"n":1.5,"b":true,"o":{},"a":[]})");
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"n", "n: expected string, got number"},
      {"b", "b: expected string, got boolean"},
      {"o", "o: expected string, got object"},
      {"a", "a: expected string, got array"},
  };
  for (const auto& [key, message] : cases) {
    Status error;
    FieldReader r(doc, "", &error);
    EXPECT_EQ(r.OptString(key), std::nullopt);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(error.message(), message);
  }
}

TEST(FieldReaderTest, StringMissingOrNullRecordsMissing) {
  JsonDocument doc = ParseOrDie(R"({"NewStateValue":null})");
  {
    Status error;
    FieldReader r(doc, "Records[0].Sns.Message", &error);
    EXPECT_EQ(r.String("NewStateValue"), "");
    EXPECT_EQ(error.message(), "Records[0].Sns.Message.NewStateValue: missing");
  }
  {
    Status error;
    FieldReader r(doc, "", &error);
    EXPECT_EQ(r.String("AlarmName"), "");
    EXPECT_EQ(error.message(), "AlarmName: missing");
  }
}

TEST(FieldReaderTest, StringOfWrongTypeSaysWhatItGot) {
  JsonDocument doc = ParseOrDie(R"({"AlarmName":7})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(r.String("AlarmName"), "");
  EXPECT_EQ(error.message(), "AlarmName: expected string, got number");
}

TEST(FieldReaderTest, StringReturnsThePresentValue) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(r.String("Type"), "Notification");
  EXPECT_TRUE(error.ok());
}

TEST(FieldReaderTest, FirstProblemWins) {
  JsonDocument doc = ParseOrDie(R"({"a":1,"b":true})");
  Status error;
  FieldReader r(doc, "", &error);
  r.OptString("a");
  r.OptString("b");
  r.String("c");
  EXPECT_EQ(error.message(), "a: expected string, got number");
}

TEST(FieldReaderTest, ChildReadersShareTheError) {
  JsonDocument doc = ParseOrDie(R"({"detail":{"userIdentity":{"type":1}}})");
  Status error;
  FieldReader event(doc, "", &error);
  FieldReader identity = event.Object("detail").Object("userIdentity");
  EXPECT_EQ(identity.path(), "detail.userIdentity");
  identity.OptString("type");
  EXPECT_FALSE(event.ok());
  EXPECT_EQ(event.error().message(), "detail.userIdentity.type: expected string, got number");
}

TEST(FieldReaderTest, ObjectOfWrongTypeRecordsItsPath) {
  JsonDocument doc = ParseOrDie(R"({"Records":[{"Sns":"not an object"}]})");
  Status error;
  FieldReader record(doc["Records"][0], "Records[0]", &error);
  FieldReader sns = record.Object("Sns");
  EXPECT_EQ(error.message(), "Records[0].Sns: expected object, got string");
  // Reading from the broken child neither crashes nor replaces the first error.
  EXPECT_FALSE(sns.Has("Type"));
  EXPECT_EQ(sns.OptString("Type"), std::nullopt);
  EXPECT_EQ(sns.String("Type"), "");
  EXPECT_EQ(error.message(), "Records[0].Sns: expected object, got string");
}

TEST(FieldReaderTest, ObjectAbsentOrNullIsAnEmptyReader) {
  JsonDocument doc = ParseOrDie(R"({"requestParameters":null})");
  Status error;
  FieldReader r(doc, "detail", &error);
  FieldReader absent = r.Object("responseElements");
  FieldReader null_child = r.Object("requestParameters");
  EXPECT_TRUE(error.ok());
  EXPECT_FALSE(absent.Has("ConsoleLogin"));
  EXPECT_EQ(absent.OptString("ConsoleLogin"), std::nullopt);
  EXPECT_EQ(null_child.OptString("x"), std::nullopt);
  EXPECT_EQ(absent.path(), "detail.responseElements");
  EXPECT_TRUE(error.ok());
  absent.String("ConsoleLogin");
  EXPECT_EQ(error.message(), "detail.responseElements.ConsoleLogin: missing");
}

TEST(FieldReaderTest, RootThatIsNotAnObjectIsCalledPayload) {
  JsonDocument doc = ParseOrDie("[1,2]");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(error.message(), "payload: expected object, got array");
  EXPECT_FALSE(r.Has("anything"));
}

TEST(FieldReaderTest, NonObjectWithAPathNamesThePath) {
  JsonDocument doc = ParseOrDie(R"({"Records":[3]})");
  Status error;
  FieldReader r(doc["Records"][0], "Records[0]", &error);
  EXPECT_EQ(error.message(), "Records[0]: expected object, got number");
}

TEST(FieldReaderTest, NonObjectDoesNotOverwriteAnEarlierError) {
  JsonDocument doc = ParseOrDie("null");
  Status error = Status::InvalidArgument("first");
  FieldReader r(doc, "x", &error);
  EXPECT_EQ(error.message(), "first");
}

TEST(FieldReaderTest, OptArray) {
  JsonDocument doc = ParseOrDie(R"({"Records":[1,2],"Null":null,"Obj":{}})");
  {
    Status error;
    FieldReader r(doc, "", &error);
    const JsonValue* records = r.OptArray("Records");
    ASSERT_NE(records, nullptr);
    EXPECT_EQ(records->Size(), 2u);
    EXPECT_EQ(r.OptArray("Null"), nullptr);
    EXPECT_EQ(r.OptArray("Absent"), nullptr);
    EXPECT_TRUE(error.ok());
  }
  {
    Status error;
    FieldReader r(doc, "", &error);
    EXPECT_EQ(r.OptArray("Obj"), nullptr);
    EXPECT_EQ(error.message(), "Obj: expected array, got object");
  }
}

TEST(FieldReaderTest, HasAndGetSeeNullMembers) {
  JsonDocument doc = ParseOrDie(R"({"Subject":null,"Type":"Notification"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_TRUE(r.Has("Subject"));
  ASSERT_NE(r.Get("Subject"), nullptr);
  EXPECT_TRUE(r.Get("Subject")->IsNull());
  EXPECT_TRUE(r.Has("Type"));
  EXPECT_FALSE(r.Has("Message"));
  EXPECT_EQ(r.Get("Message"), nullptr);
  EXPECT_FALSE(r.Has("type"));  // keys are case-sensitive
}

TEST(FieldReaderTest, KeysWithPunctuation) {
  JsonDocument doc = ParseOrDie(R"({"detail-type":"AWS API Call via CloudTrail"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(r.OptString("detail-type"), "AWS API Call via CloudTrail");
  EXPECT_EQ(r.PathOf("detail-type"), "detail-type");
}

TEST(FieldReaderTest, PathOf) {
  JsonDocument doc = ParseOrDie("{}");
  Status error;
  FieldReader root(doc, "", &error);
  FieldReader nested(doc, "Records[1].body", &error);
  EXPECT_EQ(root.PathOf("Records"), "Records");
  EXPECT_EQ(nested.PathOf("Message"), "Records[1].body.Message");
  EXPECT_EQ(root.path(), "");
  EXPECT_EQ(nested.path(), "Records[1].body");
}

TEST(FieldReaderTest, FailRecordsAProblemAtAKey) {
  JsonDocument doc = ParseOrDie("{}");
  Status error;
  FieldReader r(doc, "Records[0].Sns", &error);
  r.Fail("Type", "unknown SNS message type");
  EXPECT_EQ(error.message(), "Records[0].Sns.Type: unknown SNS message type");
  r.Fail("Other", "ignored, the first problem stays");
  EXPECT_EQ(error.message(), "Records[0].Sns.Type: unknown SNS message type");
}

TEST(FieldReaderTest, StringsKeepEmbeddedNulAndUtf8) {
  JsonDocument doc = ParseOrDie(R"({"s":"루트\u0000알림"})");
  Status error;
  FieldReader r(doc, "", &error);
  std::optional<std::string> s = r.OptString("s");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, std::string("루트\0알림", 13));
}

}  // namespace
}  // namespace rr
