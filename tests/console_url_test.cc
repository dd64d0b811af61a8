// Console links (alarm/README.md, console_url): the host by partition, the region code, and the
// name percent-encoded keeping only A-Z a-z 0-9 - _ . ~ (every other byte as upper-case %XX).
#include "alarm/console_url.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(ConsoleUrlTest, PercentEncodeKeepsUnreservedCharacters) {
  const std::string unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
  EXPECT_EQ(PercentEncode(unreserved), unreserved);
  EXPECT_EQ(PercentEncode(""), "");
  EXPECT_EQ(PercentEncode("root-alert"), "root-alert");
}

TEST(ConsoleUrlTest, PercentEncodeSpaceAndSlash) {
  EXPECT_EQ(PercentEncode(" "), "%20");
  EXPECT_EQ(PercentEncode("/"), "%2F");
  EXPECT_EQ(PercentEncode("prod/root alert"), "prod%2Froot%20alert");
}

TEST(ConsoleUrlTest, PercentEncodeKoreanAsUpperCaseUtf8Bytes) {
  EXPECT_EQ(PercentEncode("루트"), "%EB%A3%A8%ED%8A%B8");
  EXPECT_EQ(PercentEncode("루트 알림"), "%EB%A3%A8%ED%8A%B8%20%EC%95%8C%EB%A6%BC");
}

TEST(ConsoleUrlTest, PercentEncodeEveryReservedAsciiCharacter) {
  EXPECT_EQ(PercentEncode("%"), "%25");
  EXPECT_EQ(PercentEncode("+"), "%2B");
  EXPECT_EQ(PercentEncode("#"), "%23");
  EXPECT_EQ(PercentEncode("?"), "%3F");
  EXPECT_EQ(PercentEncode("&="), "%26%3D");
  EXPECT_EQ(PercentEncode(":"), "%3A");
  EXPECT_EQ(PercentEncode("\"'<>"), "%22%27%3C%3E");
  EXPECT_EQ(PercentEncode("(x)"), "%28x%29");
  EXPECT_EQ(PercentEncode("*!"), "%2A%21");
}

TEST(ConsoleUrlTest, PercentEncodeEveryByteOutsideTheUnreservedSet) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') ||
                            (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.' || b == '~';
    std::string encoded = PercentEncode(std::string(1, c));
    if (unreserved) {
      EXPECT_EQ(encoded, std::string(1, c));
    } else {
      char expected[4];
      std::snprintf(expected, sizeof expected, "%%%02X", b);
      EXPECT_EQ(encoded, expected) << "byte " << b;
    }
  }
}

TEST(ConsoleUrlTest, PercentEncodeControlAndNulBytes) {
  EXPECT_EQ(PercentEncode(std::string("a\0b", 3)), "a%00b");
  EXPECT_EQ(PercentEncode("\n\t"), "%0A%09");
}

TEST(ConsoleUrlTest, AlarmUrlInTheCommercialPartition) {
  EXPECT_EQ(AlarmConsoleUrl("ap-northeast-2", "root-alert"),
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/root-alert");
}

TEST(ConsoleUrlTest, AlarmUrlEncodesKoreanSpaceAndSlash) {
  EXPECT_EQ(AlarmConsoleUrl("ap-northeast-2", "루트 계정/사용"),
            "https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
            "#alarmsV2:alarm/%EB%A3%A8%ED%8A%B8%20%EA%B3%84%EC%A0%95%2F%EC%82%AC%EC%9A%A9");
}

TEST(ConsoleUrlTest, AlarmUrlInChina) {
  EXPECT_EQ(AlarmConsoleUrl("cn-north-1", "root-alert"),
            "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1"
            "#alarmsV2:alarm/root-alert");
}

TEST(ConsoleUrlTest, AlarmUrlInGovCloud) {
  EXPECT_EQ(AlarmConsoleUrl("us-gov-west-1", "CIS-1.7-RootAccountUsage"),
            "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1"
            "#alarmsV2:alarm/CIS-1.7-RootAccountUsage");
}

TEST(ConsoleUrlTest, CloudTrailEventUrl) {
  EXPECT_EQ(CloudTrailEventConsoleUrl("us-east-1", "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5"),
            "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1"
            "#/events/0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5");
  EXPECT_EQ(CloudTrailEventConsoleUrl("cn-northwest-1", "e-1"),
            "https://console.amazonaws.cn/cloudtrail/home?region=cn-northwest-1#/events/e-1");
  EXPECT_EQ(CloudTrailEventConsoleUrl("us-gov-east-1", "e-2"),
            "https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-east-1"
            "#/events/e-2");
}

TEST(ConsoleUrlTest, CloudTrailEventIdIsEncoded) {
  EXPECT_EQ(CloudTrailEventConsoleUrl("us-east-1", "a/b c#d"),
            "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1"
            "#/events/a%2Fb%20c%23d");
}

TEST(ConsoleUrlTest, HostileRegionCannotBreakOutOfTheQuery) {
  EXPECT_EQ(AlarmConsoleUrl("x&y#z", "n"),
            "https://console.aws.amazon.com/cloudwatch/home?region=x%26y%23z#alarmsV2:alarm/n");
}

}  // namespace
}  // namespace rr
