#include "responder/policy.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(PolicyTest, AlarmsOutsideNotifyStatesAreIgnoredWithTheListInTheReason) {
  Config c;
  Alert a;
  a.kind = AlertKind::kAlarm;
  a.state = "OK";
  auto why = IgnoreReason(c, a);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "alarm state OK is not in notify_states [ALARM]");
  a.state = "ALARM";
  EXPECT_FALSE(IgnoreReason(c, a).has_value());
  c.notify_states = {"ALARM", "OK"};
  a.state = "OK";
  EXPECT_FALSE(IgnoreReason(c, a).has_value());
}

TEST(PolicyTest, EventsAreNotFilteredByState) {
  Config c;
  Alert a;
  a.kind = AlertKind::kConsoleLogin;
  EXPECT_FALSE(IgnoreReason(c, a).has_value());
}

}  // namespace
}  // namespace rr
