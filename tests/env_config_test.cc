#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "responder/config.h"
#include "tests/support/map_env.h"

namespace rr {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

TEST(EnvConfigTest, TheLegacyLambdaVariablesMakeThreeChannels) {
  ConfigReport r = ConfigFromEnvironment(Env({
      {"DOORAY_HOOK_URL", "https://hook.dooray.com/services/1/2/tok"},
      {"DEFAULT_BOT_NAME", "보안봇"},
      {"TELEGRAM_BOT_TOKEN", "123:abc"},
      {"TELEGRAM_CHAT_ID", "-100123"},
      {"TELEGRAM_API_BASE", "http://127.0.0.1:9000"},
      {"SMS_APP_KEY", "app"},
      {"SMS_SECRET_KEY", "secret"},
      {"SMS_SEND_NO", "0212345678"},
  }));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  ASSERT_EQ(r.config.channels.size(), 3u);
  EXPECT_EQ(r.config.channels[0].type, "dooray");
  EXPECT_EQ(r.config.channels[0].Setting("bot_name"), "보안봇");
  EXPECT_EQ(r.config.channels[1].Setting("api_base"), "http://127.0.0.1:9000");
  // Without SMS_RECIPIENTS the SMS goes to the sender number, as the old handlers did.
  EXPECT_THAT(r.config.channels[2].lists.at("recipients"), ElementsAre("0212345678"));
  EXPECT_EQ(r.config.subjects.at("root-alert").subject, "root 계정");
  EXPECT_EQ(r.config.subjects.at("root-alert").severity, Severity::kCritical);
  EXPECT_TRUE(r.warnings.empty()) << "env values are not literal secrets";
}

TEST(EnvConfigTest, RecipientsAreCommaSeparated) {
  ConfigReport r = ConfigFromEnvironment(Env({{"SMS_APP_KEY", "a"},
                                              {"SMS_SECRET_KEY", "s"},
                                              {"SMS_SEND_NO", "0212345678"},
                                              {"SMS_RECIPIENTS", "010-1111-2222, 01033334444,"}}));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  EXPECT_THAT(r.config.channels[0].lists.at("recipients"),
              ElementsAre("01011112222", "01033334444"));
}

TEST(EnvConfigTest, HalfConfiguredChannelsAreNamed) {
  ConfigReport r =
      ConfigFromEnvironment(Env({{"DOORAY_HOOK_URL", "https://hook.dooray.com/services/1/2/t"},
                                 {"TELEGRAM_BOT_TOKEN", "1:x"},
                                 {"SMS_APP_KEY", "a"}}));
  EXPECT_THAT(r.problems, Contains(HasSubstr("TELEGRAM_CHAT_ID is not")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("SMS_SECRET_KEY and SMS_SEND_NO")));
}

TEST(EnvConfigTest, NothingSetSaysHowToConfigure) {
  ConfigReport r = ConfigFromEnvironment(Env({}));
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_THAT(r.problems[0], HasSubstr("no channel configured: pass --config=FILE"));
}

TEST(EnvConfigTest, BadValuesAreValidatedLikeTheFile) {
  ConfigReport r = ConfigFromEnvironment(Env({{"DOORAY_HOOK_URL", "http://hook.dooray.com/x"}}));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[0].url: must use https")));
}

}  // namespace
}  // namespace rr
