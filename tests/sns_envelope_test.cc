// The SNS envelope in its Lambda (SigningCertUrl, Subject null) and HTTP/SQS (SigningCertURL,
// Subject absent) forms (aws-formats.md §2, §3.2, §4.1). Values stay exactly as received.
#include "alarm/sns_envelope.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace rr {
namespace {

JsonDocument ParseOrDie(std::string_view text) {
  JsonDocument doc;
  Status s = ParseJson(text, {}, "test", &doc);
  EXPECT_TRUE(s.ok()) << s.message();
  return doc;
}

// aws-formats.md §2, the "Sns" object of a Lambda event.
constexpr std::string_view kLambdaSns = R"js({
  "Type":"Notification",
  "MessageId":"7c3e5a1b-2d4f-5e6a-8b9c-0d1e2f3a4b5c",
  "TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
  "Subject":"ALARM: \"root-alert\" in Asia Pacific (Seoul)",
  "Message":"{\"AlarmName\":\"root-alert\",\"NewStateValue\":\"ALARM\"}",
  "Timestamp":"2026-03-02T09:45:31.140Z",
  "SignatureVersion":"1",
  "Signature":"RXhhbXBsZQ==",
  "SigningCertUrl":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem",
  "UnsubscribeUrl":"https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic:2f5c1d7e",
  "MessageAttributes":{}
})js";

// aws-formats.md §3.2, an HTTP Notification body.
constexpr std::string_view kHttpNotification = R"({"Type":"Notification",
 "MessageId":"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
 "TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
 "Message":"{\"AlarmName\":\"root-alert\"}","Timestamp":"2026-03-02T09:45:31.140Z",
 "SignatureVersion":"2","Signature":"c2lnbmF0dXJl",
 "SigningCertURL":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem",
 "UnsubscribeURL":"https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x"})";

// aws-formats.md §3.2, SubscriptionConfirmation.
constexpr std::string_view kSubscriptionConfirmation = R"({"Type":"SubscriptionConfirmation",
 "MessageId":"165545c9-2a5c-472c-8df2-7ff2be2b3b1b","Token":"2336412f37fb687f5d51e6e2425",
 "TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
 "Message":"You have chosen to subscribe to the topic arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
 "SubscribeURL":"https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic&Token=2336412f37fb687f5d51e6e2425",
 "Timestamp":"2026-03-02T09:00:00.000Z","SignatureVersion":"1","Signature":"c2ln",
 "SigningCertURL":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem"})";

TEST(SnsEnvelopeTest, ReadsTheLambdaCasing) {
  JsonDocument doc = ParseOrDie(kLambdaSns);
  Status error;
  FieldReader r(doc, "Records[0].Sns", &error);
  ASSERT_TRUE(LooksLikeSnsEnvelope(r));
  SnsEnvelope e = ReadSnsEnvelope(r);
  ASSERT_TRUE(error.ok()) << error.message();
  EXPECT_EQ(e.type, "Notification");
  EXPECT_EQ(e.message_id, "7c3e5a1b-2d4f-5e6a-8b9c-0d1e2f3a4b5c");
  EXPECT_EQ(e.topic_arn, "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic");
  EXPECT_EQ(e.subject, "ALARM: \"root-alert\" in Asia Pacific (Seoul)");
  EXPECT_EQ(e.message, R"({"AlarmName":"root-alert","NewStateValue":"ALARM"})");
  EXPECT_EQ(e.timestamp, "2026-03-02T09:45:31.140Z");
  EXPECT_EQ(e.signature_version, "1");
  EXPECT_EQ(e.signature, "RXhhbXBsZQ==");
  EXPECT_EQ(e.signing_cert_url,
            "https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem");
  EXPECT_EQ(e.unsubscribe_url,
            "https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
            "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic:2f5c1d7e");
  EXPECT_EQ(e.subscribe_url, std::nullopt);
  EXPECT_EQ(e.token, std::nullopt);
}

TEST(SnsEnvelopeTest, ReadsTheHttpCasing) {
  JsonDocument doc = ParseOrDie(kHttpNotification);
  Status error;
  FieldReader r(doc, "", &error);
  ASSERT_TRUE(LooksLikeSnsEnvelope(r));
  SnsEnvelope e = ReadSnsEnvelope(r);
  ASSERT_TRUE(error.ok()) << error.message();
  EXPECT_EQ(e.signing_cert_url,
            "https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0123abcd.pem");
  EXPECT_EQ(e.unsubscribe_url,
            "https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x");
  EXPECT_EQ(e.signature_version, "2");
}

TEST(SnsEnvelopeTest, SubjectAbsentOverHttpIsNullopt) {
  JsonDocument doc = ParseOrDie(kHttpNotification);
  Status error;
  FieldReader r(doc, "", &error);
  SnsEnvelope e = ReadSnsEnvelope(r);
  EXPECT_TRUE(error.ok());
  EXPECT_EQ(e.subject, std::nullopt);
}

TEST(SnsEnvelopeTest, SubjectNullInLambdaIsNullopt) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Subject":null,"Message":"{}"})");
  Status error;
  FieldReader r(doc, "Records[0].Sns", &error);
  SnsEnvelope e = ReadSnsEnvelope(r);
  EXPECT_TRUE(error.ok()) << error.message();
  EXPECT_EQ(e.subject, std::nullopt);
  EXPECT_EQ(e.message, "{}");
}

TEST(SnsEnvelopeTest, TestInvokeSubjectIsKeptAsIs) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Subject":"TestInvoke","Message":"{}"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(ReadSnsEnvelope(r).subject, "TestInvoke");
}

TEST(SnsEnvelopeTest, SubscriptionConfirmationCarriesSubscribeUrlAndToken) {
  JsonDocument doc = ParseOrDie(kSubscriptionConfirmation);
  Status error;
  FieldReader r(doc, "", &error);
  ASSERT_TRUE(LooksLikeSnsEnvelope(r));
  SnsEnvelope e = ReadSnsEnvelope(r);
  ASSERT_TRUE(error.ok()) << error.message();
  EXPECT_EQ(e.type, "SubscriptionConfirmation");
  EXPECT_EQ(e.token, "2336412f37fb687f5d51e6e2425");
  EXPECT_EQ(e.subscribe_url,
            "https://sns.ap-northeast-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn="
            "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic&Token="
            "2336412f37fb687f5d51e6e2425");
  // The un-escaped newline is kept: the signature is computed over the original characters.
  ASSERT_TRUE(e.message.has_value());
  EXPECT_NE(e.message->find(".\nTo confirm"), std::string::npos);
  EXPECT_EQ(e.subject, std::nullopt);
  EXPECT_EQ(e.unsubscribe_url, std::nullopt);
}

TEST(SnsEnvelopeTest, LambdaSubscribeUrlCasingIsAccepted) {
  JsonDocument doc = ParseOrDie(R"({"Type":"UnsubscribeConfirmation","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":"bye",
    "SubscribeUrl":"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription"})");
  Status error;
  FieldReader r(doc, "", &error);
  SnsEnvelope e = ReadSnsEnvelope(r);
  EXPECT_TRUE(error.ok());
  EXPECT_EQ(e.subscribe_url, "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription");
}

TEST(SnsEnvelopeTest, TimestampIsKeptExactlyAsReceived) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":"{}",
    "Timestamp":"2026-03-02T09:45:31.100Z"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(ReadSnsEnvelope(r).timestamp, "2026-03-02T09:45:31.100Z");
}

TEST(SnsEnvelopeTest, UnicodeEscapesAreDecoded) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Subject":"\ub8e8\ud2b8","Message":"{}"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_EQ(ReadSnsEnvelope(r).subject, "루트");
}

TEST(SnsEnvelopeTest, LooksLikeNeedsTypeMessageIdAndTopicArn) {
  const std::string_view not_envelopes[] = {
      R"({"MessageId":"m","TopicArn":"t","Message":"{}"})",
      R"({"Type":"Notification","TopicArn":"t","Message":"{}"})",
      R"({"Type":"Notification","MessageId":"m","Message":"{}"})",
      R"({"AlarmName":"root-alert","NewStateValue":"ALARM"})",
      R"({"version":"0","id":"x","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","detail":{}})",
      R"({"type":"Notification","messageId":"m","topicArn":"t"})",
  };
  for (std::string_view text : not_envelopes) {
    JsonDocument doc = ParseOrDie(text);
    Status error;
    FieldReader r(doc, "", &error);
    EXPECT_FALSE(LooksLikeSnsEnvelope(r)) << text;
  }
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m","TopicArn":"t"})");
  Status error;
  FieldReader r(doc, "", &error);
  EXPECT_TRUE(LooksLikeSnsEnvelope(r));
}

TEST(SnsEnvelopeTest, MessageOfWrongTypeNamesThePath) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":42})");
  Status error;
  FieldReader r(doc, "Records[0].Sns", &error);
  SnsEnvelope e = ReadSnsEnvelope(r);
  EXPECT_EQ(e.message, std::nullopt);
  EXPECT_EQ(error.message(), "Records[0].Sns.Message: expected string, got number");
}

TEST(SnsEnvelopeTest, MessageIdNullIsMissing) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":null,
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":"{}"})");
  Status error;
  FieldReader r(doc, "", &error);
  ReadSnsEnvelope(r);
  EXPECT_EQ(error.message(), "MessageId: missing");
}

TEST(SnsEnvelopeTest, SubjectOfWrongTypeNamesThePath) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Subject":["ALARM"],"Message":"{}"})");
  Status error;
  FieldReader r(doc, "Records[0].body", &error);
  ReadSnsEnvelope(r);
  EXPECT_EQ(error.message(), "Records[0].body.Subject: expected string, got array");
}

TEST(SnsEnvelopeTest, SigningCertUrlOfWrongTypeNamesTheKeyAsSent) {
  JsonDocument doc = ParseOrDie(R"({"Type":"Notification","MessageId":"m",
    "TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":"{}","SigningCertUrl":1})");
  Status error;
  FieldReader r(doc, "Records[0].Sns", &error);
  ReadSnsEnvelope(r);
  EXPECT_EQ(error.message(), "Records[0].Sns.SigningCertUrl: expected string, got number");
}

}  // namespace
}  // namespace rr
