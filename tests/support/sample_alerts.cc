#include "tests/support/sample_alerts.h"

namespace rr::testing {

Alert SampleRootConsoleLogin() {
  Alert a;
  a.kind = AlertKind::kConsoleLogin;
  a.subject = "root 콘솔 로그인";
  a.severity = Severity::kCritical;
  a.account_id = "111122223333";
  a.region = "us-east-1";
  a.event_name = "ConsoleLogin";
  a.event_source = "signin.amazonaws.com";
  a.principal_type = "Root";
  a.principal_arn = "arn:aws:iam::111122223333:root";
  a.source_ip = "198.51.100.23";
  a.user_agent =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/122.0.0.0 Safari/537.36";
  a.mfa_used = false;
  a.login_result = "Success";
  a.event_time = "2026-03-02T09:40:12Z";
  a.event_id = "3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b";
  a.dedup_key = "eb:8e5f0d4c-2a71-4b39-8c6d-0e1f2a3b4c5d";
  a.console_url =
      "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/"
      "3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b";
  return a;
}

Alert SampleRootAlarm() {
  Alert a;
  a.kind = AlertKind::kAlarm;
  a.state = "ALARM";
  a.previous_state = "OK";
  a.alarm_name = "root-alert";
  a.subject = "root 계정";
  a.severity = Severity::kCritical;
  a.reason =
      "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:44:00)] was greater "
      "than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).";
  a.account_id = "111122223333";
  a.account_name = "prod-main";
  a.region = "ap-northeast-2";
  a.event_time = "2026-03-02T09:45:31Z";
  a.message_id = "5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c";
  a.dedup_key = "sns:5c1a7e2b-9d3f-5a4e-8b6c-1d2e3f4a5b6c";
  a.console_url =
      "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/"
      "root-alert";
  return a;
}

}  // namespace rr::testing
