#include "channels/alert_text.h"

#include <chrono>

#include <gtest/gtest.h>

#include "channels/utf16_length.h"

namespace rr {
namespace {

const date::time_zone* Seoul() { return date::locate_zone("Asia/Seoul"); }

Alert RootAlarm() {
  Alert a;
  a.kind = AlertKind::kAlarm;
  a.state = "ALARM";
  a.previous_state = "OK";
  a.alarm_name = "root-alert";
  a.subject = "root 계정";
  a.severity = Severity::kCritical;
  a.reason = "Threshold Crossed";
  a.alarm_description = "CIS 1.7";
  a.account_id = "111122223333";
  a.account_name = "prod-main";
  a.region = "ap-northeast-2";
  a.event_time = "2026-03-02T09:45:31Z";
  return a;
}

TEST(AlertTextHeadlineTest, Alarm) {
  EXPECT_EQ(AlertHeadline(RootAlarm()), "🚨 [CRITICAL] root 계정 — ALARM");
}

TEST(AlertTextHeadlineTest, DrillIsMarkedAtTheVeryStart) {
  Alert a = RootAlarm();
  a.drill = true;
  EXPECT_EQ(AlertHeadline(a), "[DRILL] 🚨 [CRITICAL] root 계정 — ALARM");
}

TEST(AlertTextHeadlineTest, EmojiAndTagFollowStateAndSeverity) {
  Alert a = RootAlarm();
  a.state = "OK";
  a.severity = Severity::kInfo;
  EXPECT_EQ(AlertHeadline(a), "✅ [INFO] root 계정 — OK");
  a.state = "INSUFFICIENT_DATA";
  a.severity = Severity::kWarning;
  EXPECT_EQ(AlertHeadline(a), "\u26A0\uFE0F [WARNING] root 계정 — INSUFFICIENT_DATA");
  a.state = "ALARM";
  a.severity = Severity::kHigh;
  EXPECT_EQ(AlertHeadline(a), "🚨 [HIGH] root 계정 — ALARM");
}

TEST(AlertTextHeadlineTest, SignInShowsTheResult) {
  Alert a;
  a.kind = AlertKind::kConsoleLogin;
  a.subject = "root 콘솔 로그인";
  a.severity = Severity::kHigh;
  a.login_result = "Failure";
  a.event_name = "ConsoleLogin";
  EXPECT_EQ(AlertHeadline(a), "🚨 [HIGH] root 콘솔 로그인 — Failure");
}

TEST(AlertTextHeadlineTest, SubjectFallsBack) {
  Alert a;
  EXPECT_EQ(AlertHeadline(a), "🚨 [HIGH] AWS 경보");
  a.event_name = "DeleteTrail";
  EXPECT_EQ(AlertSubject(a), "DeleteTrail");
  a.alarm_name = "root-alert";
  EXPECT_EQ(AlertSubject(a), "root-alert");
  a.subject = "";
  EXPECT_EQ(AlertSubject(a), "root-alert");
  a.subject = "root 계정";
  EXPECT_EQ(AlertSubject(a), "root 계정");
  a.subject = "root\r\n계정\t사용";
  EXPECT_EQ(AlertHeadline(a), "🚨 [HIGH] root  계정 사용");
}

TEST(AlertTextDetailRowsTest, AlarmRowsInOrder) {
  std::vector<DetailRow> rows = AlertDetailRows(RootAlarm(), Seoul());
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].label, "상태");
  EXPECT_EQ(rows[0].value, "OK → ALARM");
  EXPECT_EQ(rows[1].value, "prod-main (111122223333)");
  EXPECT_EQ(rows[2].value, "ap-northeast-2");
  EXPECT_EQ(rows[3].value, "2026-03-02 18:45:31 KST");
  EXPECT_EQ(rows[4].label, "원인");
  EXPECT_FALSE(rows[4].is_short);
  EXPECT_EQ(rows[5].label, "설명");
  EXPECT_EQ(ConsoleLinkLabel(RootAlarm()), "CloudWatch 경보 열기");
}

TEST(AlertTextDetailRowsTest, EventRowsInOrder) {
  Alert a;
  a.kind = AlertKind::kApiCall;
  a.account_id = "111122223333";
  a.region = "us-east-1";
  a.event_time = "2026-03-02T09:40:12Z";
  a.event_source = "cloudtrail.amazonaws.com";
  a.event_name = "DeleteTrail";
  a.principal_type = "Root";
  a.principal_arn = "arn:aws:iam::111122223333:root";
  a.source_ip = "198.51.100.23";
  a.mfa_used = true;
  a.login_result = "Success";
  a.error_message = "denied";
  a.user_agent = "aws-cli/2.15.0";
  a.reason = "not shown for events";
  std::vector<std::string> labels;
  for (const DetailRow& row : AlertDetailRows(a, Seoul()))
    labels.push_back(row.label + "=" + row.value);
  EXPECT_EQ(labels, (std::vector<std::string>{
                        "계정=111122223333", "리전=us-east-1", "시각=2026-03-02 18:40:12 KST",
                        "이벤트=cloudtrail.amazonaws.com DeleteTrail",
                        "주체=Root arn:aws:iam::111122223333:root", "출발 IP=198.51.100.23",
                        "MFA=예", "결과=Success", "오류=denied", "User agent=aws-cli/2.15.0"}));
  EXPECT_EQ(ConsoleLinkLabel(a), "CloudTrail 이벤트 열기");
}

TEST(AlertTextDetailRowsTest, NothingPresentNoRows) {
  EXPECT_TRUE(AlertDetailRows(Alert{}, Seoul()).empty());
}

TEST(AlertTextPageTest, WaitedIsPhrasedNaturally) {
  EXPECT_EQ(WaitedText(0), "");
  EXPECT_EQ(WaitedText(-5), "");
  EXPECT_EQ(WaitedText(45), "45초");
  EXPECT_EQ(WaitedText(60), "1분");
  EXPECT_EQ(WaitedText(90), "1분 30초");
  EXPECT_EQ(WaitedText(300), "5분");
  EXPECT_EQ(WaitedText(3600), "1시간");
  EXPECT_EQ(WaitedText(3661), "1시간 1분");  // past an hour the seconds are noise
  EXPECT_EQ(WaitedText(7500), "2시간 5분");
}

TEST(AlertTextPageTest, HeadlineAndTagByReason) {
  PageExtras e;
  EXPECT_EQ(PageHeadline(e), "");
  EXPECT_EQ(PageTag(e), "");
  e.incident_id = 12;
  e.reason = PageReason::kEscalated;
  e.waited_seconds = 300;
  EXPECT_EQ(PageHeadline(e), "⏫ 에스컬레이션: 5분 동안 확인 없음");
  EXPECT_EQ(PageTag(e), "[미확인 5분]");
  e.waited_seconds = 0;
  EXPECT_EQ(PageHeadline(e), "⏫ 에스컬레이션: 확인 없음");
  EXPECT_EQ(PageTag(e), "[미확인]");
  e.reason = PageReason::kTiersFailed;
  EXPECT_EQ(PageHeadline(e), "⏫ 앞 단계 알림이 모두 실패해 바로 보냄");
  EXPECT_EQ(PageTag(e), "[앞단계 실패]");
  e.reason = PageReason::kRepeat;
  e.repeat = 2;
  e.max_repeats = 3;
  EXPECT_EQ(PageHeadline(e), "🔁 반복 알림 2/3 — 아직 확인되지 않음");
  EXPECT_EQ(PageTag(e), "[반복 2/3]");
  e.max_repeats = 0;
  EXPECT_EQ(PageTag(e), "[반복 2]");
  e.reason = PageReason::kRelatedEvent;
  EXPECT_EQ(PageHeadline(e), "➕ 같은 root 사용의 관련 이벤트 (인시던트 #12, 다시 호출하지 않음)");
  EXPECT_EQ(PageTag(e), "[관련 #12]");
  EXPECT_TRUE(PageHeadlineNamesIncident(e));
  e.incident_id = 0;
  EXPECT_EQ(PageHeadline(e), "➕ 같은 root 사용의 관련 이벤트 (다시 호출하지 않음)");
  EXPECT_FALSE(PageHeadlineNamesIncident(e));
}

Alert SignIn() {
  Alert a;
  a.kind = AlertKind::kConsoleLogin;
  a.principal_type = "Root";
  a.source_ip = "203.0.113.7";
  a.mfa_used = false;
  a.login_result = "Success";
  a.event_time = "2026-03-02T05:02:40Z";  // 14:02 KST
  return a;
}

TEST(AlertTextPageTest, RelatedLinesAreCompactAndKindSpecific) {
  Alert page = RootAlarm();
  page.event_time = "2026-03-02T05:03:10Z";
  Alert alarm = RootAlarm();
  alarm.event_time = "2026-03-02T05:03:00Z";
  EXPECT_EQ(RelatedAlertLine(alarm, page, Seoul()), "알람 root-alert → ALARM 14:03");
  EXPECT_EQ(RelatedAlertLine(SignIn(), page, Seoul()),
            "콘솔 로그인 root 203.0.113.7 MFA 없음 14:02");
  Alert failed = SignIn();
  failed.login_result = "Failure";
  failed.mfa_used = true;
  EXPECT_EQ(RelatedAlertLine(failed, page, Seoul()),
            "콘솔 로그인 실패 root 203.0.113.7 MFA 사용 14:02");
  Alert call;
  call.kind = AlertKind::kApiCall;
  call.event_name = "DeleteTrail";
  call.source_ip = "203.0.113.7";
  call.event_time = "2026-03-02T05:02:59Z";
  EXPECT_EQ(RelatedAlertLine(call, page, Seoul()), "API 호출 DeleteTrail 203.0.113.7 14:02");
  // Another local day: the date is shown too (00:30 KST on the 3rd is still the 2nd in UTC).
  call.event_time = "2026-03-02T15:30:00Z";
  EXPECT_EQ(RelatedAlertLine(call, page, Seoul()), "API 호출 DeleteTrail 203.0.113.7 03-03 00:30");
  call.event_time.reset();
  call.event_name = "Delete\nTrail";  // a line stays a line
  EXPECT_EQ(RelatedAlertLine(call, page, Seoul()), "API 호출 Delete Trail 203.0.113.7");
}

TEST(AlertTextPageTest, RelatedLinesAreCapped) {
  Alert page = RootAlarm();
  EXPECT_TRUE(RelatedAlertLines({}, page, Seoul()).empty());
  std::vector<Alert> burst(kMaxRelatedShown, SignIn());
  EXPECT_EQ(RelatedAlertLines(burst, page, Seoul()).size(), kMaxRelatedShown);
  burst.resize(40, SignIn());
  std::vector<std::string> lines = RelatedAlertLines(burst, page, Seoul());
  ASSERT_EQ(lines.size(), kMaxRelatedShown + 1);
  EXPECT_EQ(lines.back(), "외 35건");
}

TEST(AlertTextPageTest, LinkUrls) {
  EXPECT_TRUE(IsLinkUrl("https://rr.example.com/ack/12?t=x&u=\"y\""));  // escaping is the channel's
  EXPECT_TRUE(IsLinkUrl("http://127.0.0.1:8080/ack"));
  EXPECT_FALSE(IsLinkUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsLinkUrl("https://"));
  EXPECT_FALSE(IsLinkUrl("https://x.example/a b"));
  EXPECT_FALSE(IsLinkUrl("https://x.example/\nforged"));
  EXPECT_FALSE(IsLinkUrl(""));
}

TEST(AlertTextNoticeTest, ShownNameIsOneSafeLine) {
  EXPECT_EQ(ShownName("@alice (Telegram)"), "@alice (Telegram)");
  EXPECT_EQ(ShownName("alice\n✅ 해소됨: root 계정\r\n"), "alice ✅ 해소됨: root 계정");
  EXPECT_EQ(ShownName("  a\t\tb  "), "a b");
  EXPECT_EQ(ShownName("\u202Eecila\u200B"), "ecila");  // no right-to-left override
  EXPECT_EQ(ShownName("a\u2028b\xC2\x85"
                      "c"),
            "a b c");  // Unicode line breaks too
  EXPECT_EQ(ShownName("bad\xFF\xC0"
                      "byte"),
            "bad\uFFFD\uFFFDbyte");
  EXPECT_EQ(ShownName(""), "알 수 없음");
  EXPECT_EQ(ShownName("\n\u200E "), "알 수 없음");
  std::string shown = ShownName(std::string(500, 'x'));
  EXPECT_EQ(Utf16Length(shown), kMaxShownNameUnits);
  EXPECT_EQ(shown.substr(shown.size() - 3), "…");
}

Notice Acknowledged() {
  Notice n;
  n.kind = Notice::Kind::kAcknowledged;
  n.alert = RootAlarm();
  n.incident_id = 12;
  n.by = "@alice (Telegram)";
  n.at = std::chrono::system_clock::time_point{std::chrono::seconds{1772445002}};  // 09:50:02Z
  return n;
}

TEST(AlertTextNoticeTest, Headlines) {
  Notice n = Acknowledged();
  EXPECT_EQ(NoticeHeadline(n, Seoul(), ShownName(n.by)),
            "✅ 확인됨: root 계정 — @alice (Telegram), 2026-03-02 18:50:02 KST (인시던트 #12)");
  n.alert.drill = true;
  n.incident_id = 0;
  n.at = {};
  EXPECT_EQ(NoticeHeadline(n, Seoul(), "x"), "[DRILL] ✅ 확인됨: root 계정 — x");

  Notice r = Acknowledged();
  r.kind = Notice::Kind::kResolved;
  r.alert.state = "OK";
  r.alert.event_time = "2026-03-02T10:05:31Z";
  EXPECT_EQ(NoticeHeadline(r, Seoul(), ""),
            "🟢 해소됨: root 계정 OK 2026-03-02 19:05:31 KST (인시던트 #12)");
  r.alert.event_time.reset();  // then the time escalation saw it
  EXPECT_EQ(NoticeTime(r), "2026-03-02T09:50:02Z");
}

TEST(AlertTextNoticeTest, ReasonOnlyWhenShortAndResolved) {
  Notice r = Acknowledged();
  EXPECT_EQ(ShortNoticeReason(r), std::nullopt);  // acknowledged: no reason
  r.kind = Notice::Kind::kResolved;
  EXPECT_EQ(ShortNoticeReason(r), "Threshold Crossed");
  r.alert.reason = "line\nbreak";
  EXPECT_EQ(ShortNoticeReason(r), "line break");
  r.alert.reason = std::string(kMaxNoticeReasonUnits + 1, 'r');
  EXPECT_EQ(ShortNoticeReason(r), std::nullopt);
}

}  // namespace
}  // namespace rr
