#include "responder/setup.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace rr {
namespace {

TEST(SetupTest, TimeZonesComeFromTheTzdbWithAFixedOffsetFallback) {
  std::optional<DisplayZone> seoul = FindTimeZone("Asia/Seoul");
  ASSERT_TRUE(seoul.has_value());
  EXPECT_NE(seoul->tz, nullptr) << "this machine has a tzdb, so the real rules are used";
  EXPECT_FALSE(FindTimeZone("Mars/Olympus").has_value());
  EXPECT_FALSE(FindTimeZone("").has_value());
}

TEST(SetupTest, AnUnknownZoneIsAConfigurationProblem) {
  auto env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  std::string path = ::testing::TempDir() + "/rr_zone_config.json";
  std::ofstream(path) << R"({"timezone":"Mars/Olympus","channels":[{"name":"d","type":"dooray",
      "url":"https://hook.dooray.com/services/1/2/token1234"}]})";
  rr::Setup bad = LoadSetup(path, env);
  std::remove(path.c_str());
  EXPECT_EQ(bad.dispatcher, nullptr);
  ASSERT_EQ(bad.report.problems.size(), 1u);
  EXPECT_NE(bad.report.problems[0].find("\"Mars/Olympus\" is not an IANA time zone"),
            std::string::npos)
      << bad.report.problems[0];
}

}  // namespace
}  // namespace rr
