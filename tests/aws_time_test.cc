// Timestamps as AWS sends them (aws-formats.md gotcha 4) normalised to the Alert contract's
// "YYYY-MM-DDTHH:MM:SSZ" in UTC with milliseconds dropped (alarm/README.md, event_time).
#include "alarm/aws_time.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(AwsTimeTest, AlarmStateChangeTimeWithPlus0000AndMillis) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.077+0000"), "2026-03-02T09:45:31Z");
}

TEST(AwsTimeTest, SnsTimestampWithZAndMillis) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.140Z"), "2026-03-02T09:45:31Z");
}

TEST(AwsTimeTest, CloudTrailEventTimeWithZAndNoMillis) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:40:12Z"), "2026-03-02T09:40:12Z");
}

TEST(AwsTimeTest, ColonOffset) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31+00:00"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.077+00:00"), "2026-03-02T09:45:31Z");
}

TEST(AwsTimeTest, PositiveOffsetIsSubtracted) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T18:45:31.077+0900"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T18:45:31+09:00"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T15:15:31+05:30"), "2026-03-02T09:45:31Z");
}

TEST(AwsTimeTest, NegativeOffsetIsAdded) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T04:45:31-0500"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T04:45:31.999-05:00"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T06:15:31-03:30"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31-0000"), "2026-03-02T09:45:31Z");
}

TEST(AwsTimeTest, NegativeOffsetCrossesIntoTheNextDayMonthAndYear) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-01T23:30:00-0100"), "2026-03-02T00:30:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-04-30T22:00:00-03:00"), "2026-05-01T01:00:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2025-12-31T20:00:00-0800"), "2026-01-01T04:00:00Z");
}

TEST(AwsTimeTest, PositiveOffsetCrossesIntoThePreviousDayAndYear) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-01-01T08:00:00+0900"), "2025-12-31T23:00:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-01T01:00:00+0900"), "2026-02-28T16:00:00Z");
}

TEST(AwsTimeTest, LeapDay) {
  EXPECT_EQ(NormalizeAwsTimestamp("2024-02-29T12:00:00.000+0000"), "2024-02-29T12:00:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2024-03-01T03:00:00+0900"), "2024-02-29T18:00:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2024-02-28T23:30:00-0100"), "2024-02-29T00:30:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2024-02-29T23:30:00-0100"), "2024-03-01T00:30:00Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2000-02-29T00:00:00Z"), "2000-02-29T00:00:00Z");
  EXPECT_EQ(ParseAwsTimestamp("2024-02-29T12:00:00Z"), 1709208000);
  EXPECT_EQ(ParseAwsTimestamp("2000-02-29T00:00:00Z"), 951782400);
}

TEST(AwsTimeTest, NonLeapYearFebruary29IsRejected) {
  EXPECT_EQ(NormalizeAwsTimestamp("2025-02-29T00:00:00Z"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2100-02-29T00:00:00Z"), std::nullopt);  // not a leap year
  EXPECT_EQ(NormalizeAwsTimestamp("2026-02-29T12:00:00.000+0000"), std::nullopt);
}

TEST(AwsTimeTest, DaysPastTheEndOfTheMonthAreRejected) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2026-04-31T00:00:00Z"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2026-06-31T00:00:00+0000"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2026-11-31T00:00:00Z"), std::nullopt);
}

TEST(AwsTimeTest, LastDayOfEveryMonthIsAccepted) {
  const char* days[] = {"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30",
                        "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31",
                        "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31"};
  for (const char* day : days) {
    std::string ts = std::string(day) + "T23:59:59Z";
    EXPECT_EQ(NormalizeAwsTimestamp(ts), ts);
  }
}

TEST(AwsTimeTest, MillisecondsAreDroppedNotRounded) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.999+0000"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-12-31T23:59:59.999Z"), "2026-12-31T23:59:59Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.123456Z"), "2026-03-02T09:45:31Z");
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.1Z"), "2026-03-02T09:45:31Z");
}

TEST(AwsTimeTest, EpochSeconds) {
  EXPECT_EQ(ParseAwsTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseAwsTimestamp("2026-03-02T09:45:31.077+0000"), 1772444731);
  EXPECT_EQ(ParseAwsTimestamp("2026-03-02T18:45:31+0900"), 1772444731);
  EXPECT_EQ(ParseAwsTimestamp("2038-01-19T03:14:08Z"), 2147483648LL);  // past 32-bit time_t
  EXPECT_EQ(ParseAwsTimestamp("9999-12-31T23:59:59Z"), 253402300799LL);
}

TEST(AwsTimeTest, FormatUtc) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtc(1772444731), "2026-03-02T09:45:31Z");
  EXPECT_EQ(FormatUtc(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(FormatUtc(2147483648LL), "2038-01-19T03:14:08Z");
  EXPECT_EQ(FormatUtc(-1), "1969-12-31T23:59:59Z");
}

TEST(AwsTimeTest, FormatAndParseRoundTripEveryFewHoursFor130Years) {
  for (int64_t t = 0; t < 4102444800LL; t += 86400 * 7 + 3600 * 5 + 61) {  // to 2100-01-01
    std::string text = FormatUtc(t);
    ASSERT_EQ(ParseAwsTimestamp(text), t) << text;
  }
}

TEST(AwsTimeTest, GarbageIsRejected) {
  const char* garbage[] = {
      "",
      "garbage",
      "now",
      "1772444731",         // epoch seconds are not this form
      "02/03/26 09:40:00",  // the datapoint date inside NewStateReason
      "Wednesday 10 November, 2021 02:45:55 UTC",
      "2026/03/02T09:45:31Z",
      "2026-03-02t09:45:31Z",
      " 2026-03-02T09:45:31Z",
      "2026-03-02T09:45:31Z ",
      "2026-03-02T09:45:31ZZ",
      "2026-03-02T09:45:31UTC",
      "2026-03-02T09:45:31+0000Z",
      "2026-03-02T09:45:31.077.001Z",
      "2026-03-02T09:45:31,077Z",
      "2026-3-02T09:45:31Z",
      "2026-03-02T9:45:31Z",
      "20260302T094531Z",
      "2026-13-02T09:45:31Z",
      "2026-00-02T09:45:31Z",
      "2026-03-00T09:45:31Z",
      "2026-03-32T09:45:31Z",
      "2026-03-02T24:00:00Z",
      "2026-03-02T09:60:31Z",
      "2026-03-02T09:45:61Z",
      "2026-03-02T09:45:31+0a00",
      "2026-03-02T09:45:31+00:0a",
      "2026-03-02T09:45:31+00-00",
      "2026-03-02T09:45:31 +0000",
      "2026-03-02T09:45:31+000000",
      "-026-03-02T09:45:31Z",
      "+2026-03-02T09:45:31Z",
      "２０２６-03-02T09:45:31Z",
  };
  for (const char* text : garbage) {
    EXPECT_EQ(ParseAwsTimestamp(text), std::nullopt) << '"' << text << '"';
    EXPECT_EQ(NormalizeAwsTimestamp(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(AwsTimeTest, FractionWithoutDigitsIsRejected) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.Z"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31.+0000"), std::nullopt);
}

TEST(AwsTimeTest, OffsetOutOfRangeIsRejected) {
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31+9999"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31+2400"), std::nullopt);
  EXPECT_EQ(NormalizeAwsTimestamp("2026-03-02T09:45:31-00:60"), std::nullopt);
}

TEST(AwsTimeTest, EveryTruncationIsRejected) {
  const std::string forms[] = {
      "2026-03-02T09:45:31.077+0000",
      "2026-03-02T09:45:31.140Z",
      "2026-03-02T09:45:31+00:00",
      "2026-03-02T04:45:31-0500",
  };
  for (const std::string& full : forms) {
    ASSERT_TRUE(ParseAwsTimestamp(full).has_value()) << full;
    for (size_t n = 0; n < full.size(); ++n) {
      std::string_view prefix(full.data(), n);
      EXPECT_EQ(ParseAwsTimestamp(prefix), std::nullopt) << '"' << prefix << '"';
    }
  }
}

TEST(AwsTimeTest, ReadsOnlyTheViewItIsGiven) {
  // The view stops before "Z"; the byte after it must not be read as part of the timestamp.
  const std::string buffer = "2026-03-02T09:45:31Z";
  EXPECT_EQ(ParseAwsTimestamp(std::string_view(buffer.data(), buffer.size() - 1)), std::nullopt);
}

TEST(AwsTimeTest, EmbeddedNulIsRejected) {
  EXPECT_EQ(ParseAwsTimestamp(std::string_view("2026-03-02T09:45:31\0Z", 21)), std::nullopt);
  EXPECT_EQ(ParseAwsTimestamp(std::string_view("2026-03-02T09:45:31Z\0", 21)), std::nullopt);
}

}  // namespace
}  // namespace rr
