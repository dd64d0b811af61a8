#include "channels/nhn_sms.h"

#include <algorithm>
#include <chrono>
#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "alarm/json.h"
#include "channels/alert_text.h"
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

// --- Pages and notices ---

Alert RootApiCall() {
  Alert a;
  a.kind = AlertKind::kApiCall;
  a.subject = "root API 호출: DeleteTrail";
  a.severity = Severity::kCritical;
  a.account_id = "111122223333";
  a.event_name = "DeleteTrail";
  a.source_ip = "198.51.100.23";
  a.mfa_used = true;
  a.event_time = "2026-03-02T09:41:05Z";
  return a;
}

PageExtras Extras(PageReason reason) {
  PageExtras e;
  e.reason = reason;
  e.waited_seconds = 300;
  e.repeat = 2;
  e.max_repeats = 3;
  e.incident_id = 12;
  e.ack_url = "https://rr.example.com/ack/12?t=Tok3n";
  e.ack_callback_data = "ack:12";
  return e;
}

std::string BodyText(const HttpRequest& req, const char* key = "body") {
  JsonDocument doc;
  EXPECT_TRUE(ParseJson(req.body, JsonLimits{}, "body", &doc).ok());
  return doc.HasMember(key) ? std::string(AsView(doc[key])) : "";
}

TEST(NhnSmsPageTest, DefaultExtrasRenderExactlyLikeRender) {
  Alert drill = RootAlarm();
  drill.drill = true;
  Alert hangul = RootAlarm();
  hangul.subject = "운영계정 루트 사용자 콘솔 접근 탐지 경보 긴급 확인 필요";
  Alert huge;
  huge.subject = std::string(3000, 'x');
  for (const Alert& a : {RootAlarm(), RootConsoleLogin(), Alert{}, drill, hangul, huge}) {
    HttpRequest plain = RenderOne(a);
    std::vector<HttpRequest> page = NhnSmsChannel(Config()).RenderPage(a, Seoul(), PageExtras{});
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(plain.url, page[0].url);
    EXPECT_EQ(plain.headers, page[0].headers);
    EXPECT_EQ(plain.body, page[0].body);
    EXPECT_EQ(plain.secrets, page[0].secrets);
    EXPECT_EQ(plain.phone_numbers, page[0].phone_numbers);
  }
}

TEST(NhnSmsPageTest, EscalatedAlarmStaysOneSms) {
  HttpRequest req =
      NhnSmsChannel(Config()).RenderPage(RootAlarm(), Seoul(), Extras(PageReason::kEscalated))[0];
  EXPECT_EQ(req.url, "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/sms");
  EXPECT_EQ(
      req.body,
      R"json({"body":"[AWS경보] [미확인 5분] root 계정 ALARM prod-main 03-02 18:45 #12","sendNo":"0215880000","recipientList":[{"recipientNo":"01012345678"},{"recipientNo":"01087654321"}],"senderGroupingKey":"sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c","userId":"root-responder"})json");
  EXPECT_EQ(req.body.find("http"), std::string::npos);  // no ack link: an SMS cannot answer
  EXPECT_EQ(req.secrets, (std::vector<std::string>{"AppKey123", "SecretKey456"}));
  EXPECT_EQ(req.headers[1], (std::pair<std::string, std::string>{"X-Secret-Key", "SecretKey456"}));
}

TEST(NhnSmsPageTest, HeadlineTagsByReason) {
  auto body = [](PageReason r) { return ComposeNhnSmsPage(RootAlarm(), Seoul(), Extras(r)).body; };
  EXPECT_EQ(body(PageReason::kFirst), "[AWS경보] root 계정 ALARM prod-main 03-02 18:45 #12");
  EXPECT_EQ(body(PageReason::kTiersFailed),
            "[AWS경보] [앞단계 실패] root 계정 ALARM prod-main 03-02 18:45 #12");
  EXPECT_EQ(body(PageReason::kRepeat),
            "[AWS경보] [반복 2/3] root 계정 ALARM prod-main 03-02 18:45 #12");
  EXPECT_EQ(body(PageReason::kRelatedEvent),  // the tag names the incident already
            "[AWS경보] [관련 #12] root 계정 ALARM prod-main 03-02 18:45");
}

TEST(NhnSmsPageTest, IncidentNumberNeverTurnsAnSmsIntoAnLms) {
  Alert a;
  a.subject = std::string(67, 'x');  // 10 + 13 + 67 = 90 bytes with "[미확인 5분] "
  NhnSmsMessage msg = ComposeNhnSmsPage(a, Seoul(), Extras(PageReason::kEscalated));
  EXPECT_FALSE(msg.mms);
  EXPECT_EQ(msg.body, "[AWS경보] [미확인 5분] " + std::string(67, 'x'));
  a.subject->push_back('x');  // an LMS anyway: then the number is shown
  msg = ComposeNhnSmsPage(a, Seoul(), Extras(PageReason::kEscalated));
  EXPECT_TRUE(msg.mms);
  EXPECT_EQ(msg.body, "[AWS경보] [미확인 5분] " + std::string(68, 'x') + " #12");
  EXPECT_EQ(msg.title, "[AWS경보] [미확인 5분] " + std::string(17, 'x'));
  EXPECT_EQ(EucKrBytes(msg.title), 40u);
}

TEST(NhnSmsPageTest, EscalatedSignInIsAnLmsTitledWithTheHeadline) {
  NhnSmsMessage msg =
      ComposeNhnSmsPage(RootConsoleLogin(), Seoul(), Extras(PageReason::kEscalated));
  ASSERT_TRUE(msg.mms);
  EXPECT_EQ(msg.title, "[AWS경보] [미확인 5분] root 콘솔 로그인");
  EXPECT_EQ(msg.body,
            "[AWS경보] [미확인 5분] root 콘솔 로그인 Success 111122223333 198.51.100.23 MFA:N "
            "03-02 18:40 #12");
}

TEST(NhnSmsPageTest, RelatedAlertsGoAsLmsLines) {
  PageExtras e = Extras(PageReason::kRepeat);
  e.related = {RootConsoleLogin(), RootApiCall()};
  HttpRequest req = NhnSmsChannel(Config()).RenderPage(RootAlarm(), Seoul(), e)[0];
  EXPECT_EQ(req.url, "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/mms");
  EXPECT_EQ(BodyText(req, "title"), "[AWS경보] [반복 2/3] root 계정");
  EXPECT_EQ(BodyText(req),
            "[AWS경보] [반복 2/3] root 계정 ALARM prod-main 03-02 18:45 #12\n"
            "- 콘솔 로그인 root 198.51.100.23 MFA 없음 18:40\n"
            "- API 호출 DeleteTrail 198.51.100.23 18:41");
  // A repeat is told apart from the first page by its grouping key.
  EXPECT_EQ(BodyText(req, "senderGroupingKey"),
            "sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c#repeat-2");
}

TEST(NhnSmsPageTest, RelatedBurstIsCappedThenCutToTheLmsBudget) {
  PageExtras e = Extras(PageReason::kEscalated);
  e.related = std::vector<Alert>(300, RootApiCall());
  NhnSmsMessage msg = ComposeNhnSmsPage(RootAlarm(), Seoul(), e);
  ASSERT_TRUE(msg.mms);
  EXPECT_EQ(std::count(msg.body.begin(), msg.body.end(), '\n'),
            static_cast<long>(kMaxRelatedShown + 1));
  EXPECT_EQ(msg.body.substr(msg.body.rfind('\n') + 1), "- 외 295건");

  // Lines that cannot all fit: as many as do, then the count of the rest.
  Alert wide = RootApiCall();
  std::string name;
  for (int i = 0; i < 150; ++i) name += "가";  // each line ~ 2 * 150 bytes after the cut
  wide.event_name = name;
  e.related = std::vector<Alert>(300, wide);
  Alert a = RootAlarm();
  a.subject = std::string(800, 's');
  msg = ComposeNhnSmsPage(a, Seoul(), e);
  EXPECT_LE(EucKrBytes(msg.body), kNhnMmsMaxBytes);
  const size_t lines = std::count(msg.body.begin(), msg.body.end(), '\n');
  EXPECT_LT(lines, kMaxRelatedShown + 1);
  EXPECT_GE(lines, 2u);
  EXPECT_EQ(msg.body.substr(msg.body.rfind('\n') + 1),
            "- 외 " + std::to_string(300 - (lines - 1)) + "건");
}

TEST(NhnSmsPageTest, EveryPageStaysWithinTheByteBudgets) {
  Alert hangul = RootAlarm();
  hangul.subject = "운영계정 루트 사용자 콘솔 접근 탐지 경보 긴급 확인 필요 🚨";
  Alert long_subject;
  long_subject.subject = std::string(5000, 'z');
  for (PageReason reason : {PageReason::kFirst, PageReason::kEscalated, PageReason::kTiersFailed,
                            PageReason::kRepeat, PageReason::kRelatedEvent}) {
    for (Alert a : {RootAlarm(), RootConsoleLogin(), RootApiCall(), hangul, long_subject}) {
      for (bool drill : {false, true}) {
        for (size_t related : {0u, 1u, 50u}) {
          a.drill = drill;
          PageExtras e = Extras(reason);
          e.waited_seconds = 3599;  // the longest phrase: "59분 59초"
          e.repeat = 10;
          e.max_repeats = 10;
          e.incident_id = 1234567890123;
          e.related = std::vector<Alert>(related, RootConsoleLogin());
          NhnSmsMessage msg = ComposeNhnSmsPage(a, Seoul(), e);
          SCOPED_TRACE(msg.body.substr(0, 120));
          EXPECT_EQ(ReplaceNonEucKr(msg.body), msg.body);
          const std::string start =
              std::string(drill ? "[DRILL] " : "") + "[AWS경보] " + ReplaceNonEucKr(PageTag(e));
          EXPECT_EQ(msg.body.rfind(start, 0), 0u);
          if (msg.mms) {
            EXPECT_LE(EucKrBytes(msg.body), kNhnMmsMaxBytes);
            EXPECT_LE(EucKrBytes(msg.title), kNhnMmsTitleMaxBytes);
            EXPECT_EQ(msg.title.rfind(drill ? "[DRILL] [AWS경보] " : "[AWS경보] ", 0), 0u);
          } else {
            EXPECT_LE(EucKrBytes(msg.body), kNhnSmsMaxBytes);
            EXPECT_TRUE(msg.title.empty());
          }
        }
      }
    }
  }
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

TEST(NhnSmsNoticeTest, AcknowledgedIsOneShortSms) {
  std::vector<HttpRequest> requests =
      NhnSmsChannel(Config()).RenderNotice(Ack("@alice (Telegram)"), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"body":"[AWS경보] 확인됨 root 계정 @alice (Telegram) 03-02 18:50 #12","sendNo":"0215880000","recipientList":[{"recipientNo":"01012345678"},{"recipientNo":"01087654321"}],"senderGroupingKey":"sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c#ack","userId":"root-responder"})json");
  EXPECT_EQ(requests[0].secrets, (std::vector<std::string>{"AppKey123", "SecretKey456"}));
  EXPECT_EQ(requests[0].url,
            "https://sms.api.nhncloudservice.com/sms/v3.0/appKeys/AppKey123/sender/sms");
}

TEST(NhnSmsNoticeTest, HostileNameIsCutAndReplaced) {
  Notice n = Ack("김철수 🚨\n[DRILL] 해소됨 root 계정 OK " + std::string(200, 'x'));
  n.alert.drill = true;
  NhnSmsMessage msg = ComposeNhnSmsNotice(n, Seoul());
  EXPECT_FALSE(msg.mms);
  EXPECT_EQ(msg.body, "[DRILL] [AWS경보] 확인됨 root 계정 김철수 ? [DRILL] 해소됨 03-02 18:50 #12");
  EXPECT_LE(EucKrBytes(msg.body), kNhnSmsMaxBytes);
}

TEST(NhnSmsNoticeTest, Resolved) {
  Notice n = Ack("ignored");
  n.kind = Notice::Kind::kResolved;
  n.alert.state = "OK";
  n.alert.event_time = "2026-03-02T10:05:31Z";
  HttpRequest req = NhnSmsChannel(Config()).RenderNotice(n, Seoul())[0];
  EXPECT_EQ(BodyText(req), "[AWS경보] 해소됨 root 계정 OK prod-main 03-02 19:05 #12");
  EXPECT_EQ(BodyText(req, "senderGroupingKey"),
            "sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c#resolved");
  n.alert.dedup_key = std::string(150, 'k');  // the suffix survives NHN's 100 characters
  EXPECT_EQ(BodyText(NhnSmsChannel(Config()).RenderNotice(n, Seoul())[0], "senderGroupingKey"),
            std::string(91, 'k') + "#resolved");
}

}  // namespace
}  // namespace rr
