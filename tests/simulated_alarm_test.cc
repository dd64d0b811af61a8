// The message the drill publishes for --simulate-action must be one the responder reads as
// CloudWatch's own: parsed through the same entry point, it is an ALARM drill alert.
#include "responder/simulated_alarm.h"

#include <gtest/gtest.h>

#include "alarm/drill_id.h"
#include "alarm/payload.h"

namespace rr {
namespace {

TEST(SimulatedAlarm, ParsesAsTheAlarmItSimulates) {
  AlarmFacts alarm{"root-alert",
                   "arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert",
                   "ap-northeast-2",
                   "CloudTrailMetrics",
                   "RootAccountUsageCount",
                   {"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic"}};
  AlarmNotification n = SimulatedAlarmNotification(
      alarm, "[DRILL] root-responder drill id=rrd-7: proving the chain",
      std::chrono::system_clock::time_point(std::chrono::seconds(1772444731)));
  EXPECT_EQ(n.subject, "ALARM: \"root-alert\" in Asia Pacific (Seoul)");
  std::vector<Parsed> parsed = ParsePayload(n.message);
  ASSERT_EQ(parsed.size(), 1u);
  ASSERT_EQ(parsed[0].verdict, Verdict::kAlert) << parsed[0].reason;
  const Alert& a = *parsed[0].alert;
  EXPECT_EQ(a.alarm_name, "root-alert");
  EXPECT_EQ(a.state, "ALARM");
  EXPECT_EQ(a.region, "ap-northeast-2");
  EXPECT_EQ(a.account_id, "111122223333");
  EXPECT_TRUE(a.drill);
  EXPECT_EQ(DrillIdIn(*a.reason), "rrd-7");
  EXPECT_EQ(a.event_time, "2026-03-02T09:45:31Z");
}

}  // namespace
}  // namespace rr
