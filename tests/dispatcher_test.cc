#include "responder/dispatcher.h"

#include <gtest/gtest.h>

#include "tests/support/testdata.h"

namespace rr {
namespace {

using testing::LoadTestdataSetup;
using testing::ReadFile;
using testing::TestdataDir;

TEST(DispatcherTest, DryRunRendersOneDeliveryPerChannelWithItsTier) {
  rr::Setup setup = LoadTestdataSetup();
  ASSERT_TRUE(setup.report.ok());
  auto outcomes =
      setup.dispatcher->DryRun(ReadFile(TestdataDir() + "/sns/lambda-root-alert-alarm.json"));
  ASSERT_EQ(outcomes.size(), 1u);
  const Outcome& o = outcomes[0];
  EXPECT_EQ(o.kind, OutcomeKind::kDryRun);
  ASSERT_EQ(o.deliveries.size(), 3u);
  EXPECT_EQ(o.deliveries[0].channel, "dooray-sec");
  EXPECT_EQ(o.deliveries[0].tier, 0);
  EXPECT_EQ(o.deliveries[1].type, "telegram");
  EXPECT_EQ(o.deliveries[1].tier, 0);
  EXPECT_EQ(o.deliveries[2].type, "nhn_sms");
  EXPECT_EQ(o.deliveries[2].tier, 1);
  for (const Delivery& d : o.deliveries) {
    EXPECT_EQ(d.status, "rendered");
    EXPECT_EQ(d.attempts, 0) << "a dry run sends nothing";
    ASSERT_FALSE(d.requests.empty());
    EXPECT_EQ(d.requests[0].method, "POST");
  }
  EXPECT_EQ(o.alert->subject, "root 계정");
  EXPECT_EQ(o.alert->account_name, "prod-main");
}

TEST(DispatcherTest, IgnoredAndRejectedRenderNothing) {
  rr::Setup setup = LoadTestdataSetup();
  auto ok_state = setup.dispatcher->DryRun(ReadFile(TestdataDir() + "/sns/lambda-ok-state.json"));
  ASSERT_EQ(ok_state.size(), 1u);
  EXPECT_EQ(ok_state[0].kind, OutcomeKind::kIgnored);
  EXPECT_TRUE(ok_state[0].deliveries.empty());
  EXPECT_TRUE(ok_state[0].alert.has_value()) << "an ignored alarm still says what it was";
  auto bad = setup.dispatcher->DryRun("{\"hello\":");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].kind, OutcomeKind::kRejected);
  EXPECT_TRUE(bad[0].deliveries.empty());
}

TEST(DispatcherTest, SeveralRecordsGiveSeveralOutcomesInOrder) {
  rr::Setup setup = LoadTestdataSetup();
  auto outcomes =
      setup.dispatcher->DryRun(ReadFile(TestdataDir() + "/lambda/two-sns-records.json"));
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].kind, OutcomeKind::kDryRun);
  EXPECT_EQ(outcomes[1].kind, OutcomeKind::kIgnored);
}

}  // namespace
}  // namespace rr
