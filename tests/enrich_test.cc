#include "responder/enrich.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

Config ConfigWithRootAlert() {
  Config c;
  c.subjects["root-alert"] = {"root 계정", Severity::kCritical};
  c.subjects["CreateAccessKey"] = {"root 액세스 키 생성", std::nullopt};
  c.accounts["111122223333"] = "prod-main";
  return c;
}

Alert Alarm(std::string name, std::string state) {
  Alert a;
  a.kind = AlertKind::kAlarm;
  a.alarm_name = std::move(name);
  a.state = std::move(state);
  a.account_id = "111122223333";
  return a;
}

TEST(EnrichTest, ConfiguredAlarmGetsItsSubjectSeverityAndAccountName) {
  Alert a = Alarm("root-alert", "ALARM");
  Enrich(ConfigWithRootAlert(), a);
  EXPECT_EQ(a.subject, "root 계정");
  EXPECT_EQ(a.severity, Severity::kCritical);
  EXPECT_EQ(a.account_name, "prod-main");
}

TEST(EnrichTest, UnconfiguredAlarmIsNamedAfterItselfAndHigh) {
  Alert a = Alarm("disk-full", "ALARM");
  a.account_id = "444455556666";
  Enrich(ConfigWithRootAlert(), a);
  EXPECT_EQ(a.subject, "disk-full");
  EXPECT_EQ(a.severity, Severity::kHigh);
  EXPECT_FALSE(a.account_name.has_value());
}

TEST(EnrichTest, RecoveredAndUnknownStatesAreNotEmergencies) {
  Alert ok = Alarm("root-alert", "OK");
  Enrich(ConfigWithRootAlert(), ok);
  EXPECT_EQ(ok.severity, Severity::kInfo);
  Alert unknown = Alarm("root-alert", "INSUFFICIENT_DATA");
  Enrich(ConfigWithRootAlert(), unknown);
  EXPECT_EQ(unknown.severity, Severity::kWarning);
}

TEST(EnrichTest, SignInsAndApiCallsHaveKoreanDefaultsAndConfigWins) {
  Alert login;
  login.kind = AlertKind::kConsoleLogin;
  login.event_name = "ConsoleLogin";
  login.login_result = "Failure";
  login.account_id = "444455556666";
  login.account_name = "acme-sandbox";  // the alias from the event
  Enrich(ConfigWithRootAlert(), login);
  EXPECT_EQ(login.subject, "root 콘솔 로그인");
  EXPECT_EQ(login.severity, Severity::kHigh);
  EXPECT_EQ(login.account_name, "acme-sandbox") << "the alias stays when config has no name";

  login.login_result = "Success";
  login.account_id = "111122223333";
  Enrich(ConfigWithRootAlert(), login);
  EXPECT_EQ(login.severity, Severity::kCritical);
  EXPECT_EQ(login.account_name, "prod-main") << "config wins over the alias";

  Alert call;
  call.kind = AlertKind::kApiCall;
  call.event_name = "DeleteTrail";
  Enrich(ConfigWithRootAlert(), call);
  EXPECT_EQ(call.subject, "root API 호출: DeleteTrail");
  EXPECT_EQ(call.severity, Severity::kCritical);
  call.event_name = "CreateAccessKey";
  Enrich(ConfigWithRootAlert(), call);
  EXPECT_EQ(call.subject, "root 액세스 키 생성");
}

}  // namespace
}  // namespace rr
