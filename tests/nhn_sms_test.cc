#include "channels/nhn_sms.h"

#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "alarm/json.h"
#include "channels/euc_kr.h"
#include "tests/support/sample_alerts.h"

namespace rr {
namespace {

RenderContext Seoul() { return RenderContext{date::locate_zone("Asia/Seoul")}; }

NhnSmsConfig Config() {
  return NhnSmsConfig{"sms-oncall", "https://sms.api.nhncloudservice.com",
                      "AppKey123",  "SecretKey456",
                      "0215880000", {"01012345678", "01087654321"}};
}

Alert RootConsoleLogin() {
  Alert a = testing::SampleRootConsoleLogin();
  a.user_agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)";
  a.console_url.reset();
  return a;
}

Alert RootAlarm() {
  Alert a = testing::SampleRootAlarm();
  a.reason = "Threshold Crossed: 1 out of the last 1 datapoints";
  a.message_id.reset();
  a.console_url.reset();
  return a;
}

HttpRequest RenderOne(const Alert& alert, const NhnSmsConfig& config = Config()) {
  std::vector<HttpRequest> requests = NhnSmsChannel(config).Render(alert, Seoul());
  EXPECT_EQ(requests.size(), 1u);
  return requests.empty() ? HttpRequest{} : requests[0];
}

TEST(NhnSmsTest, RootConsoleLoginIsOneSms) {
  HttpRequest req = RenderOne(RootConsoleLogin());
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/sms");
  EXPECT_EQ(req.headers, (HttpHeaders{{"Content-Type", "application/json;charset=UTF-8"},
                                      {"X-Secret-Key", "SecretKey456"}}));
  EXPECT_EQ(
      req.body,
      R"json({"body":"[AWS경보] root 콘솔 로그인 Success 111122223333 198.51.100.23 MFA:N 03-02 18:40","sendNo":"0215880000","recipientList":[{"recipientNo":"01012345678"},{"recipientNo":"01087654321"}],"senderGroupingKey":"eb:8e5f0d4c-2a71-4b39-8c6d-0e1f2a3b4c5d","userId":"root-responder"})json");
  EXPECT_EQ(EucKrBytes(NhnSmsText(RootConsoleLogin(), Seoul())), 79u);
  EXPECT_EQ(req.secrets, (std::vector<std::string>{"AppKey123", "SecretKey456"}));
  EXPECT_EQ(req.phone_numbers,
            (std::vector<std::string>{"01012345678", "01087654321", "0215880000"}));
}

TEST(NhnSmsTest, RootAlarmIsOneSms) {
  HttpRequest req = RenderOne(RootAlarm());
  EXPECT_EQ(req.url, "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/sms");
  EXPECT_EQ(
      req.body,
      R"json({"body":"[AWS경보] root 계정 ALARM prod-main 03-02 18:45","sendNo":"0215880000","recipientList":[{"recipientNo":"01012345678"},{"recipientNo":"01087654321"}],"senderGroupingKey":"sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c","userId":"root-responder"})json");
  EXPECT_EQ(EucKrBytes(NhnSmsText(RootAlarm(), Seoul())), 47u);
}

TEST(NhnSmsTest, DrillSignInStillFitsOneSms) {
  Alert a = RootConsoleLogin();
  a.drill = true;
  NhnSmsMessage msg = ComposeNhnSms(a, Seoul());
  EXPECT_FALSE(msg.mms);
  EXPECT_EQ(
      msg.body,
      "[DRILL] [AWS경보] root 콘솔 로그인 Success 111122223333 198.51.100.23 MFA:N 03-02 18:40");
  EXPECT_EQ(EucKrBytes(msg.body), 87u);
}

TEST(NhnSmsTest, AlarmWithEveryFieldNull) {
  Alert a;
  HttpRequest req = RenderOne(a);
  EXPECT_EQ(req.url, "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/sms");
  EXPECT_EQ(
      req.body,
      R"json({"body":"[AWS경보] AWS 경보","sendNo":"0215880000","recipientList":[{"recipientNo":"01012345678"},{"recipientNo":"01087654321"}],"userId":"root-responder"})json");
}

TEST(NhnSmsTest, NinetyBytesIsSmsNinetyOneIsMms) {
  Alert a;
  a.subject = std::string(80, 'x');  // "[AWS경보] " is 10 bytes
  EXPECT_EQ(EucKrBytes(NhnSmsText(a, Seoul())), 90u);
  EXPECT_FALSE(ComposeNhnSms(a, Seoul()).mms);
  a.subject->push_back('x');
  NhnSmsMessage msg = ComposeNhnSms(a, Seoul());
  EXPECT_TRUE(msg.mms);
  EXPECT_EQ(msg.title, "[AWS경보] " + std::string(30, 'x'));  // 40 bytes
  EXPECT_EQ(msg.body, "[AWS경보] " + std::string(81, 'x'));
  EXPECT_EQ(RenderOne(a).url,
            "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/mms");
}

TEST(NhnSmsTest, HangulHeavySubjectGoesMms) {
  Alert a = RootAlarm();
  a.subject = "운영계정 루트 사용자 콘솔 접근 탐지 경보 긴급 확인 필요";  // 23 Hangul, 9 spaces
  a.drill = true;
  HttpRequest req = RenderOne(a);
  EXPECT_EQ(req.url, "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/mms");
  EXPECT_EQ(
      req.body,
      R"json({"title":"[DRILL] [AWS경보] 운영계정 루트 사용자","body":"[DRILL] [AWS경보] 운영계정 루트 사용자 콘솔 접근 탐지 경보 긴급 확인 필요 ALARM prod-main 03-02 18:45","sendNo":"0215880000","recipientList":[{"recipientNo":"01012345678"},{"recipientNo":"01087654321"}],"senderGroupingKey":"sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c","userId":"root-responder"})json");
  NhnSmsMessage msg = ComposeNhnSms(a, Seoul());
  EXPECT_TRUE(msg.mms);
  // 39 bytes fit ("... 사용자 "; the next syllable would make 41), less the trailing space.
  EXPECT_EQ(EucKrBytes(msg.title), 38u);
  EXPECT_EQ(EucKrBytes(msg.body), 101u);
}

TEST(NhnSmsTest, EmojiAndRareSyllablesAreReplaced) {
  Alert a = RootAlarm();
  a.subject = "🚨 root 똠 계정";
  NhnSmsMessage msg = ComposeNhnSms(a, Seoul());
  EXPECT_FALSE(msg.mms);
  EXPECT_EQ(msg.body, "[AWS경보] ? root ? 계정 ALARM prod-main 03-02 18:45");
  a.account_name = "prod-\u00E9\U0001F600";
  EXPECT_EQ(NhnSmsText(a, Seoul()), "[AWS경보] ? root ? 계정 ALARM prod-?? 03-02 18:45");
}

TEST(NhnSmsTest, MmsTitleIsReplacedToo) {
  Alert a = RootAlarm();
  a.subject = "🚨🚨 " + std::string(100, 'z');
  NhnSmsMessage msg = ComposeNhnSms(a, Seoul());
  ASSERT_TRUE(msg.mms);
  EXPECT_EQ(msg.title, "[AWS경보] ?? " + std::string(27, 'z'));
  EXPECT_EQ(EucKrBytes(msg.title), 40u);
}

TEST(NhnSmsTest, BodyIsCutAtTwoThousandBytes) {
  Alert a;
  std::string subject;
  for (int i = 0; i < 3000; ++i) subject += "가";
  a.subject = subject;
  NhnSmsMessage msg = ComposeNhnSms(a, Seoul());
  ASSERT_TRUE(msg.mms);
  EXPECT_EQ(EucKrBytes(msg.body), 2000u);  // 10 + 995 syllables
  EXPECT_EQ(EucKrBytes(msg.title), 40u);   // 10 + 15 syllables
  HttpRequest req = RenderOne(a);
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(req.body, JsonLimits{}, "body", &doc).ok());
  EXPECT_EQ(AsView(doc["body"]), msg.body);
}

TEST(NhnSmsTest, ApiCallText) {
  Alert a;
  a.kind = AlertKind::kApiCall;
  a.subject = "root API 호출: DeleteTrail";
  a.severity = Severity::kCritical;
  a.account_id = "111122223333";
  a.source_ip = "198.51.100.23";
  a.mfa_used = true;
  a.event_time = "2026-03-02T09:40:12Z";
  EXPECT_EQ(NhnSmsText(a, Seoul()),
            "[AWS경보] root API 호출: DeleteTrail 111122223333 198.51.100.23 MFA:Y 03-02 18:40");
  EXPECT_FALSE(ComposeNhnSms(a, Seoul()).mms);
}

TEST(NhnSmsTest, GroupingKeyIsCutToOneHundredCharacters) {
  Alert a = RootAlarm();
  a.dedup_key = "alarm:" + std::string(150, 'k');
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(RenderOne(a).body, JsonLimits{}, "body", &doc).ok());
  EXPECT_EQ(AsView(doc["senderGroupingKey"]), "alarm:" + std::string(94, 'k'));
  std::string hangul;
  for (int i = 0; i < 120; ++i) hangul += "경";
  a.dedup_key = hangul;
  ASSERT_TRUE(ParseJson(RenderOne(a).body, JsonLimits{}, "body", &doc).ok());
  EXPECT_EQ(AsView(doc["senderGroupingKey"]), hangul.substr(0, 300));  // 100 whole syllables
}

TEST(NhnSmsTest, NoRecipientsMeansTheSenderNumber) {
  NhnSmsConfig config = Config();
  config.recipients.clear();
  HttpRequest req = RenderOne(RootAlarm(), config);
  EXPECT_NE(req.body.find(R"("recipientList":[{"recipientNo":"0215880000"}])"), std::string::npos);
  EXPECT_EQ(req.phone_numbers, (std::vector<std::string>{"0215880000"}));
}

TEST(NhnSmsTest, CustomApiBase) {
  NhnSmsConfig config = Config();
  config.api_base = "http://127.0.0.1:8089/";
  EXPECT_EQ(RenderOne(RootAlarm(), config).url,
            "http://127.0.0.1:8089/sms/v3.0/appKeys/AppKey123/sender/sms");
  NhnSmsChannel ch(config);
  EXPECT_EQ(ch.type(), "nhn_sms");
  EXPECT_EQ(ch.name(), "sms-oncall");
}

TEST(NhnSmsTest, Deterministic) {
  EXPECT_EQ(RenderOne(RootConsoleLogin()).body, RenderOne(RootConsoleLogin()).body);
}

}  // namespace
}  // namespace rr
