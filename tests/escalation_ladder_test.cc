// The ladder as a pure function of time: which tier is due, why, and when to look again.
#include "responder/escalation_ladder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rr {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Time = std::chrono::system_clock::time_point;

const Time kOpened = Time(seconds(1'800'000'000));

std::vector<EscalationTier> Tiers() {
  return {{{"dooray", "telegram"}, 0}, {{"sms"}, 300}, {{"phone"}, 900}};
}

EscalationSettings Settings(int repeat_seconds = 600, int max_repeats = 2) {
  EscalationSettings s;
  s.repeat_seconds = repeat_seconds;
  s.max_repeats = max_repeats;
  return s;
}

LadderState Opened() {
  LadderState s;
  s.opened_at = kOpened;
  return s;
}

TEST(EscalationLadderTest, TierZeroAtOnceAndTheNextTierAtItsTime) {
  LadderState s = Opened();
  LadderStep step = NextLadderStep(Tiers(), Settings(), s, kOpened);
  EXPECT_THAT(step.page, ElementsAre("dooray", "telegram"));
  EXPECT_EQ(step.reason, PageReason::kFirst);
  EXPECT_EQ(step.next_due, kOpened + seconds(300));
  EXPECT_FALSE(step.finished);

  s.sent = {"dooray", "telegram"};
  s.last_page_at = kOpened;
  step = NextLadderStep(Tiers(), Settings(), s, kOpened + seconds(299));
  EXPECT_THAT(step.page, IsEmpty());
  EXPECT_EQ(step.next_due, kOpened + seconds(300));

  step = NextLadderStep(Tiers(), Settings(), s, kOpened + seconds(300));
  EXPECT_THAT(step.page, ElementsAre("sms"));
  EXPECT_EQ(step.reason, PageReason::kEscalated);
  EXPECT_EQ(step.waited_seconds, 300);
  EXPECT_EQ(step.tier, 1);
  EXPECT_EQ(step.next_due, kOpened + seconds(900));
}

TEST(EscalationLadderTest, EveryChannelOfTheTiersBeforeFailedSendsTheNextAtOnce) {
  LadderState s = Opened();
  s.failed = {"dooray", "telegram"};
  LadderStep step = NextLadderStep(Tiers(), Settings(), s, kOpened + seconds(1));
  EXPECT_THAT(step.page, ElementsAre("dooray", "telegram", "sms"));
  EXPECT_EQ(step.reason, PageReason::kTiersFailed);
  EXPECT_EQ(step.tier, 1) << "the phone tier waits: SMS has not failed yet";

  s.failed = {"dooray"};  // telegram not tried yet: no shortcut
  step = NextLadderStep(Tiers(), Settings(), s, kOpened + seconds(1));
  EXPECT_EQ(step.tier, 0);

  s.failed = {"dooray", "telegram"};
  s.sent = {"telegram"};  // one took it after all
  s.failed.erase("telegram");
  step = NextLadderStep(Tiers(), Settings(), s, kOpened + seconds(1));
  EXPECT_EQ(step.tier, 0);
}

TEST(EscalationLadderTest, EscalateImmediatelyPagesEveryTier) {
  LadderState s = Opened();
  s.escalate_immediately = true;
  LadderStep step = NextLadderStep(Tiers(), Settings(), s, kOpened);
  EXPECT_THAT(step.page, ElementsAre("dooray", "telegram", "sms", "phone"));
  EXPECT_EQ(step.reason, PageReason::kFirst);
  EXPECT_EQ(step.tier, 2);
}

TEST(EscalationLadderTest, AcknowledgedStopsEverything) {
  LadderState s = Opened();
  s.acknowledged = true;
  s.firing = true;
  LadderStep step = NextLadderStep(Tiers(), Settings(), s, kOpened + seconds(5000));
  EXPECT_THAT(step.page, IsEmpty());
  EXPECT_THAT(step.repeat, IsEmpty());
  EXPECT_TRUE(step.finished);
  EXPECT_FALSE(step.next_due.has_value());
}

TEST(EscalationLadderTest, RepeatsTheCurrentTierWhileFiringUpToTheBound) {
  const std::vector<EscalationTier> tiers = {{{"chat"}, 0}, {{"sms"}, 300}};
  LadderState s = Opened();
  s.firing = true;
  s.sent = {"chat", "sms"};
  s.last_page_at = kOpened + seconds(300);
  LadderStep step = NextLadderStep(tiers, Settings(), s, kOpened + seconds(899));
  EXPECT_THAT(step.repeat, IsEmpty());
  EXPECT_EQ(step.next_due, kOpened + seconds(900));
  EXPECT_FALSE(step.finished);

  step = NextLadderStep(tiers, Settings(), s, kOpened + seconds(900));
  EXPECT_THAT(step.repeat, ElementsAre("sms"));
  EXPECT_EQ(step.repeat_number, 1);
  EXPECT_FALSE(step.finished);

  s.repeats_sent = 1;
  s.last_page_at = kOpened + seconds(900);
  step = NextLadderStep(tiers, Settings(), s, kOpened + seconds(1500));
  EXPECT_EQ(step.repeat_number, 2);
  EXPECT_TRUE(step.finished) << "the last repeat: nothing after it";

  s.repeats_sent = 2;
  step = NextLadderStep(tiers, Settings(), s, kOpened + seconds(9999));
  EXPECT_THAT(step.repeat, IsEmpty());
  EXPECT_TRUE(step.finished);
}

TEST(EscalationLadderTest, NoRepeatsWhenNotFiringOrTurnedOffOrADrill) {
  const std::vector<EscalationTier> tiers = {{{"chat"}, 0}};
  LadderState s = Opened();
  s.sent = {"chat"};
  s.last_page_at = kOpened;
  EXPECT_TRUE(NextLadderStep(tiers, Settings(), s, kOpened + seconds(600)).finished)
      << "a sign-in does not fire: nothing to repeat";
  s.firing = true;
  EXPECT_TRUE(NextLadderStep(tiers, Settings(0), s, kOpened + seconds(600)).finished);
  s.repeats_allowed = false;
  EXPECT_TRUE(NextLadderStep(tiers, Settings(), s, kOpened + seconds(600)).finished);
}

TEST(EscalationLadderTest, AFailedChannelOfAReachedTierIsPagedAgainNotRepeated) {
  const std::vector<EscalationTier> tiers = {{{"chat", "tg"}, 0}};
  LadderState s = Opened();
  s.firing = true;
  s.sent = {"chat"};
  s.failed = {"tg"};
  s.last_page_at = kOpened;
  LadderStep step = NextLadderStep(tiers, Settings(), s, kOpened + seconds(700));
  EXPECT_THAT(step.page, ElementsAre("tg"));
  EXPECT_THAT(step.repeat, IsEmpty()) << "no repeat while a first page is still owed";
  EXPECT_FALSE(step.finished);
}

}  // namespace
}  // namespace rr
