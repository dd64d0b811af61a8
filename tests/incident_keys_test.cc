// Which alerts belong together: root use by account, other alarms by identity, drills alone.
#include "responder/incident_keys.h"

#include <gtest/gtest.h>

#include "tests/support/sample_alerts.h"

namespace rr {
namespace {

TEST(IncidentKeysTest, TheRootAlarmAndTheRootSignInOfOneAccountShareAKey) {
  EscalationSettings settings;
  Alert alarm = testing::SampleRootAlarm();
  Alert login = testing::SampleRootConsoleLogin();
  login.account_id = alarm.account_id;
  IncidentPlan a = PlanIncident(alarm, settings, "sns:1");
  IncidentPlan l = PlanIncident(login, settings, "eb:2");
  EXPECT_EQ(a.correlation_key, l.correlation_key);
  EXPECT_EQ(a.correlation_key, "root:" + *alarm.account_id);
  EXPECT_TRUE(a.firing);
  EXPECT_FALSE(a.root_event);
  EXPECT_TRUE(l.root_event);
  EXPECT_EQ(a.window, std::chrono::seconds(900));
  ASSERT_TRUE(a.alarm_identity);
  EXPECT_EQ(*a.alarm_identity, *alarm.account_id + "/" + *alarm.region + "/root-alert");
}

TEST(IncidentKeysTest, AnAlarmOnTheCisMetricIsRootUseWhateverItsName) {
  EscalationSettings settings;
  Alert alarm = testing::SampleRootAlarm();
  alarm.alarm_name = "CIS-1.7-RootAccountUsage";
  alarm.metric_name = std::nullopt;
  EXPECT_FALSE(IsRootUse(alarm, settings));
  alarm.metric_name = kRootUsageMetric;
  EXPECT_TRUE(IsRootUse(alarm, settings));
  alarm.metric_name = std::nullopt;
  settings.root_alarms.push_back("CIS-1.7-RootAccountUsage");
  EXPECT_TRUE(IsRootUse(alarm, settings));
}

TEST(IncidentKeysTest, OtherAlarmsAreKeyedByTheirIdentityAndAnOkResolves) {
  EscalationSettings settings;
  Alert alarm = testing::SampleRootAlarm();
  alarm.alarm_name = "billing";
  IncidentPlan p = PlanIncident(alarm, settings, "sns:1");
  EXPECT_EQ(p.correlation_key, "alarm:" + *p.alarm_identity);
  alarm.state = "OK";
  p = PlanIncident(alarm, settings, "sns:2");
  EXPECT_TRUE(p.resolves);
  EXPECT_FALSE(p.firing);
}

TEST(IncidentKeysTest, ADrillIsAlwaysAnIncidentOfItsOwn) {
  EscalationSettings settings;
  Alert alarm = testing::SampleRootAlarm();
  alarm.drill = true;
  IncidentPlan p = PlanIncident(alarm, settings, "sns:drill-1");
  EXPECT_EQ(p.correlation_key, "drill:sns:drill-1");
  EXPECT_EQ(p.window.count(), 0);
}

}  // namespace
}  // namespace rr
