#include "channels/dooray.h"

#include <algorithm>
#include <chrono>
#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "alarm/json.h"
#include "channels/alert_text.h"
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

// --- Pages and notices ---

constexpr char kAckUrl[] = "https://rr.example.com/ack/12?t=Tok3n";

PageExtras Repeat() {
  PageExtras e;
  e.reason = PageReason::kRepeat;
  e.repeat = 2;
  e.max_repeats = 3;
  e.incident_id = 12;
  e.related = {RootConsoleLogin()};
  e.ack_url = kAckUrl;
  e.ack_callback_data = "ack:12:7f3a9c";  // Telegram's; hooks have no buttons
  return e;
}

TEST(DoorayPageTest, DefaultExtrasRenderExactlyLikeRender) {
  Alert drill = RootAlarm();
  drill.drill = true;
  for (const Alert& a : {RootAlarm(), RootConsoleLogin(), Alert{}, drill}) {
    std::vector<HttpRequest> plain = Channel().Render(a, Seoul());
    std::vector<HttpRequest> page = Channel().RenderPage(a, Seoul(), PageExtras{});
    ASSERT_EQ(plain.size(), 1u);
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(plain[0].url, page[0].url);
    EXPECT_EQ(plain[0].headers, page[0].headers);
    EXPECT_EQ(plain[0].body, page[0].body);
    EXPECT_EQ(plain[0].secrets, page[0].secrets);
  }
}

TEST(DoorayPageTest, RepeatPageBody) {
  std::vector<HttpRequest> requests = Channel().RenderPage(RootAlarm(), Seoul(), Repeat());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"botName":"AWS Root Guard","botIconImage":"https://static.dooray.com/static_images/dooray-bot.png","text":"🚨 [CRITICAL] root 계정 — ALARM\n🔁 반복 알림 2/3 — 아직 확인되지 않음","attachments":[{"title":"root 계정","titleLink":"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert","text":"Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:44:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).","color":"red"},{"title":"확인(Acknowledge)","titleLink":"https://rr.example.com/ack/12?t=Tok3n","text":"열리는 페이지에서 확인하면 다음 단계 알림이 멈춥니다","color":"#4757C4"},{"fields":[{"title":"인시던트","value":"#12","short":true},{"title":"상태","value":"OK → ALARM","short":true},{"title":"계정","value":"prod-main (111122223333)","short":true},{"title":"리전","value":"ap-northeast-2","short":true},{"title":"시각","value":"2026-03-02 18:45:31 KST","short":true},{"title":"CloudWatch 경보 열기","value":"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert","short":false}]},{"title":"관련 알림","text":"콘솔 로그인 root 198.51.100.23 MFA 없음 18:40","color":"#868E96"}]})json");
  // The hook's secrets, and the ack link: whoever has it can stop the escalation.
  EXPECT_EQ(
      requests[0].secrets,
      (std::vector<std::string>{"1234567890123456789/9876543210987654321/AbCdEfGhIjKlMnOpQrStUv",
                                "AbCdEfGhIjKlMnOpQrStUv", kAckUrl}));
}

TEST(DoorayPageTest, DrillPrefixStaysFirstAndRelatedIsCapped) {
  Alert a = RootAlarm();
  a.drill = true;
  PageExtras e = Repeat();
  e.related = std::vector<Alert>(12, RootConsoleLogin());
  JsonDocument doc;
  ASSERT_TRUE(
      ParseJson(Channel().RenderPage(a, Seoul(), e)[0].body, JsonLimits{}, "body", &doc).ok());
  EXPECT_EQ(AsView(doc["text"]),
            "[DRILL] 🚨 [CRITICAL] root 계정 — ALARM\n🔁 반복 알림 2/3 — 아직 확인되지 않음");
  const JsonValue& related = doc["attachments"][3];
  EXPECT_EQ(AsView(related["title"]), "관련 알림");
  std::string lines(AsView(related["text"]));
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), static_cast<long>(kMaxRelatedShown));
  EXPECT_EQ(lines.substr(lines.rfind('\n') + 1), "외 7건");
}

TEST(DoorayPageTest, NoAckAttachmentWithoutAUsableLink) {
  PageExtras e = Repeat();
  e.ack_url = "https://rr.example.com/ack/12?t=a b";
  HttpRequest req = Channel().RenderPage(RootAlarm(), Seoul(), e)[0];
  EXPECT_EQ(req.body.find("확인(Acknowledge)"), std::string::npos);
  EXPECT_EQ(req.secrets.size(), 2u);
}

TEST(DoorayInertTextTest, NoLinkOrMentionCanBeForged) {
  EXPECT_EQ(DoorayInertText("[보안팀 공지](https://evil.example)"),
            "［보안팀 공지］(https://evil.example)");
  EXPECT_EQ(DoorayInertText("<https://evil.example>"), "＜https://evil.example＞");
  EXPECT_EQ(DoorayInertText("alice (link)"), "alice (link)");
}

Notice Ack(std::string by) {
  Notice n;
  n.kind = Notice::Kind::kAcknowledged;
  n.alert = RootAlarm();
  n.incident_id = 12;
  n.by = std::move(by);
  n.at = std::chrono::system_clock::time_point{std::chrono::seconds{1772445002}};
  return n;
}

TEST(DoorayNoticeTest, Acknowledged) {
  std::vector<HttpRequest> requests = Channel().RenderNotice(Ack("alice (link)"), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"botName":"AWS Root Guard","botIconImage":"https://static.dooray.com/static_images/dooray-bot.png","text":"✅ 확인됨: root 계정 — alice (link), 2026-03-02 18:50:02 KST (인시던트 #12)","attachments":[{"title":"root 계정","titleLink":"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert","color":"#4757C4"}]})json");
  EXPECT_EQ(requests[0].url, kHookUrl);
  EXPECT_EQ(requests[0].secrets.size(), 2u);
}

TEST(DoorayNoticeTest, HostileNameCannotForgeLinksOrLines) {
  Notice n = Ack("[보안팀](https://evil.example)\n🟢 해소됨: root 계정\u202E");
  n.alert.drill = true;
  JsonDocument doc;
  ASSERT_TRUE(
      ParseJson(Channel().RenderNotice(n, Seoul())[0].body, JsonLimits{}, "body", &doc).ok());
  // The brackets became full-width; the line break became a space.
  EXPECT_EQ(AsView(doc["text"]),
            "[DRILL] ✅ 확인됨: root 계정 — "
            "［보안팀］(https://evil.example) 🟢 해소됨: root 계정, "
            "2026-03-02 18:50:02 KST (인시던트 #12)");
}

TEST(DoorayNoticeTest, ResolvedIsGreenWithItsReason) {
  Notice n = Ack("ignored");
  n.kind = Notice::Kind::kResolved;
  n.alert.state = "OK";
  n.alert.reason = "Threshold Crossed: no datapoint above 1.0";
  n.alert.event_time = "2026-03-02T10:05:31Z";
  JsonDocument doc;
  ASSERT_TRUE(
      ParseJson(Channel().RenderNotice(n, Seoul())[0].body, JsonLimits{}, "body", &doc).ok());
  EXPECT_EQ(AsView(doc["text"]),
            "🟢 해소됨: root 계정 OK 2026-03-02 19:05:31 KST (인시던트 #12)");
  EXPECT_EQ(AsView(doc["attachments"][0]["color"]), "green");
  EXPECT_EQ(AsView(doc["attachments"][0]["text"]), "Threshold Crossed: no datapoint above 1.0");
}

}  // namespace
}  // namespace rr
