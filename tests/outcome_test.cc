#include "responder/outcome.h"

#include <gtest/gtest.h>

#include "alarm/json.h"

namespace rr {
namespace {

TEST(OutcomeTest, ExitCodesFollowTheContract) {
  auto code = [](std::vector<OutcomeKind> kinds) {
    std::vector<Outcome> outcomes;
    for (OutcomeKind k : kinds) outcomes.push_back(Outcome{k, "", std::nullopt, {}});
    return ExitCodeFor(outcomes);
  };
  EXPECT_EQ(code({OutcomeKind::kDelivered}), 0);
  EXPECT_EQ(code({OutcomeKind::kPartial}), 0);
  EXPECT_EQ(code({OutcomeKind::kIgnored}), 0);
  EXPECT_EQ(code({OutcomeKind::kDryRun}), 0);
  EXPECT_EQ(code({OutcomeKind::kFailed}), 1);
  EXPECT_EQ(code({OutcomeKind::kRejected}), 2);
  EXPECT_EQ(code({OutcomeKind::kRejected, OutcomeKind::kFailed}), 1) << "failed is the worst";
  EXPECT_EQ(code({OutcomeKind::kDelivered, OutcomeKind::kRejected}), 2);
}

TEST(OutcomeTest, RequestsAreRedactedAndBodiesEmbeddedAsJson) {
  Outcome o;
  o.kind = OutcomeKind::kDryRun;
  o.alert = Alert{};
  Delivery d;
  d.channel = "sms";
  d.type = "nhn_sms";
  d.tier = 1;
  d.status = "rendered";
  HttpRequest r;
  r.url = "https://sms.example/sms/v3.0/appKeys/APPKEY123/sender/sms";
  r.headers = {{"X-Secret-Key", "SECRETKEY9"}};
  r.body = R"({"sendNo":"0212345678","recipientList":[{"recipientNo":"01012345678"}]})";
  r.secrets = {"APPKEY123", "SECRETKEY9"};
  r.phone_numbers = {"0212345678", "01012345678"};
  d.requests = {r, r};
  o.deliveries = {d};
  std::string json = OutcomeToJson(o);
  EXPECT_EQ(json.find("APPKEY123"), std::string::npos) << json;
  EXPECT_EQ(json.find("SECRETKEY9"), std::string::npos) << json;
  EXPECT_EQ(json.find("01012345678"), std::string::npos) << json;
  EXPECT_EQ(json.find("0212345678"), std::string::npos) << json;
  JsonDocument doc;
  ASSERT_FALSE(doc.Parse(json.c_str()).HasParseError());
  const JsonValue& delivery = doc["deliveries"][0];
  EXPECT_EQ(std::string(delivery["tier"].IsInt() ? "1" : ""), "1");
  EXPECT_TRUE(delivery["request"]["body"].IsObject());
  EXPECT_STREQ(delivery["request"]["body"]["recipientList"][0]["recipientNo"].GetString(),
               "*******5678");
  EXPECT_TRUE(delivery["http_status"].IsNull());
  EXPECT_EQ(delivery["more_requests"].Size(), 1u);
  EXPECT_TRUE(doc["alert"].IsObject());
}

TEST(OutcomeTest, RejectedOutcomeHasNoAlertButAReason) {
  Outcome o;
  o.kind = OutcomeKind::kRejected;
  o.reason = "payload is not valid JSON";
  JsonDocument doc;
  std::string json = OutcomeToJson(o);
  ASSERT_FALSE(doc.Parse(json.c_str()).HasParseError());
  EXPECT_STREQ(doc["outcome"].GetString(), "rejected");
  EXPECT_STREQ(doc["reason"].GetString(), "payload is not valid JSON");
  EXPECT_FALSE(doc.HasMember("alert"));
  EXPECT_EQ(doc["deliveries"].Size(), 0u);
}

}  // namespace
}  // namespace rr
