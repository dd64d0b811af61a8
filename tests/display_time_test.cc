#include "channels/display_time.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

const date::time_zone* Seoul() { return date::locate_zone("Asia/Seoul"); }

TEST(DisplayTimeTest, LongFormInSeoul) {
  EXPECT_EQ(FormatLongTime("2026-03-02T09:45:31Z", Seoul()), "2026-03-02 18:45:31 KST");
  EXPECT_EQ(FormatLongTime("2026-12-31T15:00:00Z", Seoul()), "2027-01-01 00:00:00 KST");
  EXPECT_EQ(FormatLongTime("2028-02-28T23:59:59Z", Seoul()), "2028-02-29 08:59:59 KST");
}

TEST(DisplayTimeTest, ShortFormInSeoul) {
  EXPECT_EQ(FormatShortTime("2026-03-02T09:45:31Z", Seoul()), "03-02 18:45");
  EXPECT_EQ(FormatShortTime("2026-12-31T15:00:59Z", Seoul()), "01-01 00:00");
}

TEST(DisplayTimeTest, FollowsDaylightSavingTime) {
  const date::time_zone* ny = date::locate_zone("America/New_York");
  EXPECT_EQ(FormatLongTime("2026-03-02T09:45:31Z", ny), "2026-03-02 04:45:31 EST");
  EXPECT_EQ(FormatLongTime("2026-07-01T12:00:00Z", ny), "2026-07-01 08:00:00 EDT");
}

TEST(DisplayTimeTest, NullZoneMeansUtc) {
  EXPECT_EQ(FormatLongTime("2026-03-02T09:45:31Z", nullptr), "2026-03-02 09:45:31 UTC");
  EXPECT_EQ(FormatShortTime("2026-03-02T09:45:31Z", nullptr), "03-02 09:45");
}

TEST(DisplayTimeTest, NullOrUnparsableNeverThrows) {
  EXPECT_EQ(FormatLongTime(std::nullopt, Seoul()), "-");
  EXPECT_EQ(FormatShortTime(std::nullopt, Seoul()), "-");
  for (const char* bad :
       {"", "yesterday", "2026-02-30T00:00:00Z", "2026-03-02T24:00:00Z", "2026-03-02T09:45:31.123Z",
        "2026-03-02 09:45:31Z", "2026-03-02T09:45:31+09:00", "2026-13-02T09:45:31Z",
        "２026-03-02T09:45:31Z"}) {
    EXPECT_EQ(FormatLongTime(std::string(bad), Seoul()), bad);
    EXPECT_EQ(FormatShortTime(std::string(bad), Seoul()), bad);
  }
}

TEST(DisplayTimeTest, ParseUtcTime) {
  auto tp = ParseUtcTime("1970-01-01T00:00:01Z");
  ASSERT_TRUE(tp.has_value());
  EXPECT_EQ(tp->time_since_epoch().count(), 1);
  EXPECT_EQ(ParseUtcTime("2026-03-02T09:45:31Z")->time_since_epoch().count(), 1772444731);
  EXPECT_FALSE(ParseUtcTime("2026-03-02T09:45:60Z").has_value());
  EXPECT_FALSE(ParseUtcTime("2026-03-02T09:45:31z").has_value());
}

}  // namespace
}  // namespace rr

namespace rr {
namespace {

// Where the system has no tzdb (Lambda on Amazon Linux 2023), a zone without DST is a fixed
// offset, and must read exactly as the tzdb zone does.
TEST(DisplayTimeTest, FixedOffsetZoneReadsLikeTheTzdbZone) {
  DisplayZone seoul_fixed(std::chrono::hours(9), "KST");
  EXPECT_EQ(FormatLongTime("2026-03-02T09:45:31Z", seoul_fixed),
            FormatLongTime("2026-03-02T09:45:31Z", Seoul()));
  EXPECT_EQ(FormatShortTime("2026-12-31T15:00:00Z", seoul_fixed), "01-01 00:00");
  EXPECT_EQ(FormatLongTime("2026-03-02T09:45:31Z", DisplayZone()), "2026-03-02 09:45:31 UTC");
}

}  // namespace
}  // namespace rr
