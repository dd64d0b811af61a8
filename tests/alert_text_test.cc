#include "channels/alert_text.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rr
