#include "responder/sent_cache.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

using std::chrono::hours;

TEST(SentCacheTest, RemembersChannelsPerAlertForADay) {
  SentCache cache;
  const auto t0 = std::chrono::steady_clock::time_point() + hours(1000);
  EXPECT_TRUE(cache.SentChannels("sns:1", t0).empty());
  cache.RecordSent("sns:1", "dooray", t0);
  cache.RecordSent("sns:1", "telegram", t0 + hours(1));
  cache.RecordSent("eb:2", "sms", t0);
  EXPECT_EQ(cache.SentChannels("sns:1", t0 + hours(2)),
            (std::set<std::string>{"dooray", "telegram"}));
  EXPECT_EQ(cache.SentChannels("eb:2", t0 + hours(23)), std::set<std::string>{"sms"});
  // A day after the alert was first seen, it is forgotten (and its memory freed).
  EXPECT_TRUE(cache.SentChannels("sns:1", t0 + hours(24)).empty());
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace rr
