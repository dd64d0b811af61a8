#include "channels/dooray.h"

#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "alarm/json.h"
#include "tests/support/sample_alerts.h"

namespace rr {
namespace {

constexpr char kHookUrl[] =
    "https://hook.dooray.com/services/1234567890123456789/9876543210987654321/"
    "AbCdEfGhIjKlMnOpQrStUv";

RenderContext Seoul() { return RenderContext{date::locate_zone("Asia/Seoul")}; }

DoorayChannel Channel() { return DoorayChannel(DoorayConfig{"dooray-sec", kHookUrl}); }

Alert RootConsoleLogin() { return testing::SampleRootConsoleLogin(); }

Alert RootAlarm() { return testing::SampleRootAlarm(); }

std::string RenderOne(const Alert& alert) {
  std::vector<HttpRequest> requests = Channel().Render(alert, Seoul());
  EXPECT_EQ(requests.size(), 1u);
  return requests.empty() ? "" : requests[0].body;
}

TEST(DoorayTest, RequestShape) {
  std::vector<HttpRequest> requests = Channel().Render(RootAlarm(), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& req = requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, kHookUrl);
  EXPECT_EQ(req.headers, (HttpHeaders{{"Content-Type", "application/json"}}));
  EXPECT_EQ(req.secrets, (std::vector<std::string>{
                             "1234567890123456789/9876543210987654321/AbCdEfGhIjKlMnOpQrStUv",
                             "AbCdEfGhIjKlMnOpQrStUv"}));
  EXPECT_TRUE(req.phone_numbers.empty());
  EXPECT_EQ(Channel().type(), "dooray");
  EXPECT_EQ(Channel().name(), "dooray-sec");
}

TEST(DoorayTest, RootAlarmBody) {
  EXPECT_EQ(
      RenderOne(RootAlarm()),
      R"json({"botName":"AWS Root Guard","botIconImage":"https://static.dooray.com/static_images/dooray-bot.png","text":"🚨 [CRITICAL] root 계정 — ALARM","attachments":[{"title":"root 계정","titleLink":"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert","text":"Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:44:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).","color":"red"},{"fields":[{"title":"상태","value":"OK → ALARM","short":true},{"title":"계정","value":"prod-main (111122223333)","short":true},{"title":"리전","value":"ap-northeast-2","short":true},{"title":"시각","value":"2026-03-02 18:45:31 KST","short":true},{"title":"CloudWatch 경보 열기","value":"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert","short":false}]}]})json");
}

TEST(DoorayTest, RootConsoleLoginBody) {
  EXPECT_EQ(
      RenderOne(RootConsoleLogin()),
      R"json({"botName":"AWS Root Guard","botIconImage":"https://static.dooray.com/static_images/dooray-bot.png","text":"🚨 [CRITICAL] root 콘솔 로그인 — Success","attachments":[{"title":"root 콘솔 로그인","titleLink":"https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b","text":"ConsoleLogin Success · 198.51.100.23 · MFA 아니오 · 2026-03-02 18:40:12 KST","color":"red"},{"fields":[{"title":"계정","value":"111122223333","short":true},{"title":"리전","value":"us-east-1","short":true},{"title":"시각","value":"2026-03-02 18:40:12 KST","short":true},{"title":"이벤트","value":"signin.amazonaws.com ConsoleLogin","short":false},{"title":"주체","value":"Root arn:aws:iam::111122223333:root","short":false},{"title":"출발 IP","value":"198.51.100.23","short":true},{"title":"MFA","value":"아니오","short":true},{"title":"결과","value":"Success","short":true},{"title":"User agent","value":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36","short":false},{"title":"CloudTrail 이벤트 열기","value":"https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b","short":false}]}]})json");
}

TEST(DoorayTest, AlarmWithEveryFieldNull) {
  EXPECT_EQ(
      RenderOne(Alert{}),
      R"json({"botName":"AWS Root Guard","botIconImage":"https://static.dooray.com/static_images/dooray-bot.png","text":"🚨 [HIGH] AWS 경보","attachments":[{"title":"AWS 경보","color":"#E8590C"}]})json");
}

TEST(DoorayTest, DrillIsMarkedFirst) {
  Alert a = RootAlarm();
  a.drill = true;
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(RenderOne(a), JsonLimits{}, "body", &doc).ok());
  EXPECT_EQ(AsView(doc["text"]), "[DRILL] 🚨 [CRITICAL] root 계정 — ALARM");
}

std::string ColorOf(const Alert& alert) {
  JsonDocument doc;
  EXPECT_TRUE(ParseJson(RenderOne(alert), JsonLimits{}, "body", &doc).ok());
  return std::string(AsView(doc["attachments"][0]["color"]));
}

TEST(DoorayTest, ColorByStateAndSeverity) {
  Alert a = RootAlarm();
  EXPECT_EQ(ColorOf(a), "red");
  a.severity = Severity::kHigh;
  EXPECT_EQ(ColorOf(a), "#E8590C");
  a.severity = Severity::kWarning;
  EXPECT_EQ(ColorOf(a), "#F59F00");
  a.severity = Severity::kInfo;
  EXPECT_EQ(ColorOf(a), "#4757C4");
  a.state = "OK";
  a.severity = Severity::kCritical;  // OK is green whatever the severity says
  EXPECT_EQ(ColorOf(a), "green");
}

TEST(DoorayTest, HostileValuesStayValidJson) {
  Alert a = RootConsoleLogin();
  std::string ua;
  for (int i = 0; i < 1250; ++i) ua += "<&\"😀";  // 5000 characters
  a.user_agent = ua;
  a.subject = "quote \" back\\slash \n newline \x01";
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(RenderOne(a), JsonLimits{}, "body", &doc).ok());
  // JSON escapes quotes, backslashes and control bytes; the line break became a space.
  EXPECT_EQ(AsView(doc["attachments"][0]["title"]), "quote \" back\\slash   newline \x01");
  EXPECT_NE(RenderOne(a).find(R"(back\\slash   newline \u0001")"), std::string::npos);
  bool found = false;
  for (const JsonValue& f : doc["attachments"][1]["fields"].GetArray()) {
    if (AsView(f["title"]) == "User agent") {
      found = true;
      EXPECT_EQ(AsView(f["value"]), ua);  // Dooray takes text as is; JSON escaping is enough
    }
  }
  EXPECT_TRUE(found);
}

TEST(DoorayTest, Deterministic) {
  EXPECT_EQ(RenderOne(RootConsoleLogin()), RenderOne(RootConsoleLogin()));
}

TEST(DoorayTest, CustomBotNameAndIcon) {
  DoorayChannel ch(DoorayConfig{"d", kHookUrl, "보안봇", "https://example.com/i.png"});
  std::string body = ch.Render(Alert{}, Seoul())[0].body;
  EXPECT_EQ(body.rfind(R"({"botName":"보안봇","botIconImage":"https://example.com/i.png",)", 0),
            0u);
}

TEST(DoorayHookSecretTest, PathAfterServicesAndTheTokenAlone) {
  using V = std::vector<std::string>;
  EXPECT_EQ(DoorayHookSecrets(kHookUrl),
            (V{"1234567890123456789/9876543210987654321/AbCdEfGhIjKlMnOpQrStUv",
               "AbCdEfGhIjKlMnOpQrStUv"}));
  EXPECT_EQ(DoorayHookSecrets("https://nhnent.dooray.com/services/1/2/tok"), (V{"1/2/tok", "tok"}));
  EXPECT_EQ(DoorayHookSecrets("http://127.0.0.1:8080/hook/abc"), (V{"hook/abc", "abc"}));
  EXPECT_EQ(DoorayHookSecrets("http://127.0.0.1:8080/"), V{});
  EXPECT_EQ(DoorayHookSecrets(""), V{});
  DoorayChannel ch(DoorayConfig{"d", "http://127.0.0.1:8080/"});
  EXPECT_TRUE(ch.Render(Alert{}, Seoul())[0].secrets.empty());  // never an empty secret
  // Dooray's errors may quote the token without the rest of the URL.
  DoorayChannel real(DoorayConfig{"d", kHookUrl});
  HttpRequest sent = real.Render(Alert{}, Seoul())[0];
  HttpResponse answer;
  answer.status = 200;
  answer.body =
      R"({"header":{"isSuccessful":false,"resultCode":-401,"resultMessage":"bad token AbCdEfGhIjKlMnOpQrStUv"}})";
  Classification c = real.Classify(sent, answer, std::chrono::system_clock::now());
  EXPECT_EQ(c.detail.find("AbCdEfGhIjKlMnOpQrStUv"), std::string::npos) << c.detail;
}

}  // namespace
}  // namespace rr
