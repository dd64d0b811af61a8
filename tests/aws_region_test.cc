// ARNs, region display names and console hosts (alarm/README.md: region "the code from AlarmArn
// (arn:<partition>:cloudwatch:<region>:...), else the display name mapped to a code"; console host
// by partition).
#include "alarm/aws_region.h"

#include <string>

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(AwsRegionTest, ParsesAnAlarmArn) {
  auto arn = ParseArn("arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "cloudwatch");
  EXPECT_EQ(arn->region, "ap-northeast-2");
  EXPECT_EQ(arn->account, "111122223333");
  EXPECT_EQ(arn->resource, "alarm:root-alert");
}

TEST(AwsRegionTest, ParsesChinaPartition) {
  auto arn = ParseArn("arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:root-alert");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws-cn");
  EXPECT_EQ(arn->region, "cn-north-1");
  EXPECT_EQ(arn->resource, "alarm:root-alert");
}

TEST(AwsRegionTest, ParsesGovCloudPartition) {
  auto arn = ParseArn("arn:aws-us-gov:cloudwatch:us-gov-west-1:111122223333:alarm:root-alert");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws-us-gov");
  EXPECT_EQ(arn->region, "us-gov-west-1");
  EXPECT_EQ(arn->account, "111122223333");
}

TEST(AwsRegionTest, ResourceKeepsItsColons) {
  auto sub = ParseArn(
      "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic:"
      "2f5c1d7e-0b1a-4c55-9d2e-6a7b8c9d0e1f");
  ASSERT_TRUE(sub.has_value());
  EXPECT_EQ(sub->service, "sns");
  EXPECT_EQ(sub->resource, "root-alert-topic:2f5c1d7e-0b1a-4c55-9d2e-6a7b8c9d0e1f");

  auto logs = ParseArn("arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail:*");
  ASSERT_TRUE(logs.has_value());
  EXPECT_EQ(logs->region, "us-east-1");
  EXPECT_EQ(logs->resource, "log-group:/aws/cloudtrail:*");

  auto odd = ParseArn("arn:aws:cloudwatch:eu-south-1:111122223333:alarm:a:b:c");
  ASSERT_TRUE(odd.has_value());
  EXPECT_EQ(odd->resource, "alarm:a:b:c");
}

TEST(AwsRegionTest, ResourceWithKoreanAndSpaces) {
  auto arn = ParseArn("arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:루트 계정/사용");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->resource, "alarm:루트 계정/사용");
}

TEST(AwsRegionTest, GlobalServiceArnHasNoRegion) {
  auto arn = ParseArn("arn:aws:iam::111122223333:root");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->service, "iam");
  EXPECT_EQ(arn->region, "");
  EXPECT_EQ(arn->account, "111122223333");
  EXPECT_EQ(arn->resource, "root");
}

TEST(AwsRegionTest, MalformedArnsAreRejected) {
  const char* malformed[] = {
      "",
      "arn",
      "arn:",
      "arn:aws",
      "arn:aws:cloudwatch",
      "arn:aws:cloudwatch:ap-northeast-2",
      "arn:aws:cloudwatch:ap-northeast-2:111122223333",  // no resource part at all
      "urn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:x",
      "ARN:aws:cloudwatch:ap-northeast-2:111122223333:alarm:x",
      " arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:x",
      "arn::cloudwatch:ap-northeast-2:111122223333:alarm:x",  // empty partition
      "arn:aws::ap-northeast-2:111122223333:alarm:x",         // empty service
      "root-alert",
      "Asia Pacific (Seoul)",
  };
  for (const char* text : malformed) {
    EXPECT_FALSE(ParseArn(text).has_value()) << '"' << text << '"';
  }
}

TEST(AwsRegionTest, CurrentDisplayNames) {
  EXPECT_EQ(RegionFromDisplayName("Asia Pacific (Seoul)"), "ap-northeast-2");
  EXPECT_EQ(RegionFromDisplayName("Asia Pacific (Tokyo)"), "ap-northeast-1");
  EXPECT_EQ(RegionFromDisplayName("Asia Pacific (Singapore)"), "ap-southeast-1");
  EXPECT_EQ(RegionFromDisplayName("US East (N. Virginia)"), "us-east-1");
  EXPECT_EQ(RegionFromDisplayName("US East (Ohio)"), "us-east-2");
  EXPECT_EQ(RegionFromDisplayName("US West (Oregon)"), "us-west-2");
  EXPECT_EQ(RegionFromDisplayName("Europe (Ireland)"), "eu-west-1");
  EXPECT_EQ(RegionFromDisplayName("Europe (Milan)"), "eu-south-1");
  EXPECT_EQ(RegionFromDisplayName("South America (São Paulo)"), "sa-east-1");
  EXPECT_EQ(RegionFromDisplayName("AWS GovCloud (US-West)"), "us-gov-west-1");
  EXPECT_EQ(RegionFromDisplayName("AWS GovCloud (US-East)"), "us-gov-east-1");
  EXPECT_EQ(RegionFromDisplayName("China (Beijing)"), "cn-north-1");
  EXPECT_EQ(RegionFromDisplayName("China (Ningxia)"), "cn-northwest-1");
}

// aws-formats.md §1.1: 'Old messages used names like "US - N. Virginia"'; §1.5: a 2024 Milan
// capture says "EU (Milan)".
TEST(AwsRegionTest, OldDisplayNamesNamedInTheReference) {
  EXPECT_EQ(RegionFromDisplayName("US - N. Virginia"), "us-east-1");
  EXPECT_EQ(RegionFromDisplayName("EU (Milan)"), "eu-south-1");
  EXPECT_EQ(RegionFromDisplayName("EU (Ireland)"), "eu-west-1");
  EXPECT_EQ(RegionFromDisplayName("EU (Frankfurt)"), "eu-central-1");
}

// The same old "<area> - <city>" style as "US - N. Virginia" was used outside the US: public
// captures of 2016-2017 alarm messages carry "Region":"EU - Ireland" and
// "Region":"Asia Pacific - Tokyo". Without an AlarmArn the display name is all there is.
TEST(AwsRegionTest, OldDashStyleDisplayNamesOutsideTheUs) {
  EXPECT_EQ(RegionFromDisplayName("EU - Ireland"), "eu-west-1");
  EXPECT_EQ(RegionFromDisplayName("Asia Pacific - Tokyo"), "ap-northeast-1");
}

TEST(AwsRegionTest, UnknownDisplayNamesGiveNothing) {
  EXPECT_EQ(RegionFromDisplayName(""), std::nullopt);
  EXPECT_EQ(RegionFromDisplayName("Mars (Olympus Mons)"), std::nullopt);
  EXPECT_EQ(RegionFromDisplayName("Asia Pacific (Seoul"), std::nullopt);
  EXPECT_EQ(RegionFromDisplayName("Asia Pacific (Seoul) "), std::nullopt);
}

TEST(AwsRegionTest, ConsoleHostByPartition) {
  EXPECT_EQ(ConsoleHostForRegion("ap-northeast-2"), "console.aws.amazon.com");
  EXPECT_EQ(ConsoleHostForRegion("us-east-1"), "console.aws.amazon.com");
  EXPECT_EQ(ConsoleHostForRegion("eu-south-1"), "console.aws.amazon.com");
  EXPECT_EQ(ConsoleHostForRegion("cn-north-1"), "console.amazonaws.cn");
  EXPECT_EQ(ConsoleHostForRegion("cn-northwest-1"), "console.amazonaws.cn");
  EXPECT_EQ(ConsoleHostForRegion("us-gov-west-1"), "console.amazonaws-us-gov.com");
  EXPECT_EQ(ConsoleHostForRegion("us-gov-east-1"), "console.amazonaws-us-gov.com");
  EXPECT_EQ(ConsoleHostForRegion("us-west-2"), "console.aws.amazon.com");  // "us-" is not gov
}

}  // namespace
}  // namespace rr

namespace rr {
namespace {

TEST(DisplayNameOfRegion, TodaysNameForEachCodeAndBack) {
  EXPECT_EQ(DisplayNameOfRegion("ap-northeast-2"), "Asia Pacific (Seoul)");
  EXPECT_EQ(DisplayNameOfRegion("us-east-1"), "US East (N. Virginia)");
  EXPECT_EQ(DisplayNameOfRegion("eu-west-1"), "Europe (Ireland)");
  EXPECT_EQ(DisplayNameOfRegion("xx-nowhere-9"), std::nullopt);
  for (const char* code : {"ap-northeast-2", "us-gov-west-1", "cn-north-1", "sa-east-1"}) {
    EXPECT_EQ(RegionFromDisplayName(*DisplayNameOfRegion(code)), code) << code;
  }
}

}  // namespace
}  // namespace rr
