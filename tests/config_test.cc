#include "responder/config.h"
#include "tests/support/map_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

namespace rr {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

constexpr char kMinimal[] = R"({"channels":[{"name":"d","type":"dooray",
  "url":"env:HOOK"}]})";

TEST(ConfigTest, DefaultsApplyToAMinimalFile) {
  ConfigReport r =
      ParseConfig(kMinimal, "t.json", Env({{"HOOK", "https://hook.dooray.com/services/1/2/tok"}}));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  EXPECT_EQ(r.config.timezone, "Asia/Seoul");
  EXPECT_THAT(r.config.notify_states, ElementsAre("ALARM"));
  EXPECT_EQ(r.config.retry.max_attempts, 5);
  EXPECT_EQ(r.config.retry.base_seconds, 1);
  EXPECT_EQ(r.config.retry.cap_seconds, 20);
  EXPECT_EQ(r.config.retry.deadline_seconds, 60);
  ASSERT_EQ(r.config.channels.size(), 1u);
  EXPECT_EQ(r.config.channels[0].Setting("url"), "https://hook.dooray.com/services/1/2/tok");
  EXPECT_THAT(r.config.channels[0].secrets,
              ElementsAre("https://hook.dooray.com/services/1/2/tok"));
  EXPECT_THAT(r.warnings, IsEmpty());
}

TEST(ConfigTest, ReportsEveryProblemAtOnce) {
  ConfigReport r = ParseConfig(R"({
    "timezone": 9, "colour": "blue",
    "accounts": {"12345": "short"},
    "subjects": {"root-alert": {"subject": "root", "severity": "urgent", "emoji": "x"}},
    "notify_states": ["ALARM", "PANIC"],
    "retry": {"max_attempts": 0, "jitter": true},
    "channels": [
      {"name": "t", "type": "telegram", "bot_token": "env:NOPE", "chat_id": "abc"},
      {"name": "t", "type": "nhn_sms", "app_key": "k", "secret_key": "s", "send_no": "x1",
       "recipients": []},
      {"type": "slack"}
    ]})",
                               "bad.json", Env({}));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.problems, Contains(HasSubstr("timezone: expected string, got number")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("colour: unknown key")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("accounts.12345: an account id has 12 digits")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("subjects.root-alert.severity: must be critical")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("subjects.root-alert.emoji: unknown key")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("notify_states[1]: must be ALARM, OK or")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("retry.max_attempts: must be an integer")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("retry.jitter: unknown key")));
  EXPECT_THAT(r.problems,
              Contains(HasSubstr("channels[0].bot_token: environment variable NOPE is not set")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[0].chat_id: must be a numeric chat id")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[1].name: \"t\" is used by another")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[1].send_no: must be a phone number")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[1].recipients: empty")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[2].name: missing")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channels[2].type: unknown type \"slack\"")));
  EXPECT_GE(r.problems.size(), 15u);
}

TEST(ConfigTest, LiteralSecretsWorkWithAWarningThatNamesThePathNotTheValue) {
  ConfigReport r = ParseConfig(R"({"channels":[{"name":"t","type":"telegram",
    "bot_token":"123:literalTokenValue","chat_id":-1001234567890}]})",
                               "t.json", Env({}));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("channels[0].bot_token: a literal secret"));
  EXPECT_THAT(r.warnings[0], Not(HasSubstr("literalTokenValue")));
  EXPECT_EQ(r.config.channels[0].Setting("chat_id"), "-1001234567890");
}

TEST(ConfigTest, FileSecretsAreReadAndTrimmed) {
  std::string path = ::testing::TempDir() + "/rr_token";
  std::ofstream(path) << "123:fromFile\n";
  ConfigReport r = ParseConfig(R"({"channels":[{"name":"t","type":"telegram",
    "bot_token":"file:)" + path + R"(","chat_id":"@ops"}]})",
                               "t.json", Env({}));
  std::remove(path.c_str());
  ASSERT_TRUE(r.ok()) << r.problems.front();
  EXPECT_EQ(r.config.channels[0].Setting("bot_token"), "123:fromFile");
  ConfigReport missing = ParseConfig(R"({"channels":[{"name":"t","type":"telegram",
    "bot_token":"file:/nonexistent/token","chat_id":"@ops"}]})",
                                     "t.json", Env({}));
  EXPECT_THAT(missing.problems, Contains(HasSubstr("cannot read /nonexistent/token")));
}

TEST(ConfigTest, UrlsMustBeHttpsExceptToLoopback) {
  auto problems_for = [](const std::string& base) {
    return ParseConfig(R"({"channels":[{"name":"t","type":"telegram","bot_token":"env:T",
      "chat_id":"1","api_base":")" +
                           base + R"("}]})",
                       "t.json", Env({{"T", "1:x"}}))
        .problems;
  };
  EXPECT_THAT(problems_for("https://api.telegram.org"), IsEmpty());
  EXPECT_THAT(problems_for("http://127.0.0.1:8080"), IsEmpty());
  EXPECT_THAT(problems_for("http://localhost:8080"), IsEmpty());
  EXPECT_THAT(problems_for("http://[::1]:8080"), IsEmpty());
  EXPECT_THAT(problems_for("http://api.telegram.org"), Contains(HasSubstr("must use https")));
  EXPECT_THAT(problems_for("http://127.0.0.1.evil.example"), Contains(HasSubstr("must use https")));
  EXPECT_THAT(problems_for("ftp://x"), Contains(HasSubstr("must be an https:// URL")));
}

TEST(ConfigTest, PhoneNumbersLoseDashesAndAreKeptForRedaction) {
  ConfigReport r = ParseConfig(R"({"channels":[{"name":"s","type":"nhn_sms","app_key":"env:K",
    "secret_key":"env:S","send_no":"02-1234-5678","recipients":["010-1111-2222","01033334444"]}]})",
                               "t.json", Env({{"K", "key"}, {"S", "secret"}}));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  const ChannelEntry& c = r.config.channels[0];
  EXPECT_EQ(c.Setting("send_no"), "0212345678");
  EXPECT_THAT(c.lists.at("recipients"), ElementsAre("01011112222", "01033334444"));
  EXPECT_THAT(c.phone_numbers, ElementsAre("0212345678", "01011112222", "01033334444"));
  EXPECT_THAT(c.secrets, ElementsAre("key", "secret"));
}

TEST(ConfigTest, DefaultTiersPutChatFirstAndSmsAfterFiveMinutes) {
  ConfigReport r = ParseConfig(R"({"channels":[
    {"name":"sms","type":"nhn_sms","app_key":"env:K","secret_key":"env:K","send_no":"0212345678",
     "recipients":["01012345678"]},
    {"name":"tg","type":"telegram","bot_token":"env:K","chat_id":"1"},
    {"name":"dr","type":"dooray","url":"https://hook.dooray.com/services/1/2/3"}]})",
                               "t.json", Env({{"K", "k:ey"}}));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  ASSERT_EQ(r.config.tiers.size(), 2u);
  EXPECT_THAT(r.config.tiers[0].channels, ElementsAre("tg", "dr"));
  EXPECT_EQ(r.config.tiers[0].after_seconds, 0);
  EXPECT_THAT(r.config.tiers[1].channels, ElementsAre("sms"));
  EXPECT_EQ(r.config.tiers[1].after_seconds, 300);
  EXPECT_EQ(r.config.TierOf("sms"), 1);
  EXPECT_EQ(r.config.TierOf("dr"), 0);
}

TEST(ConfigTest, ExplicitTiersAreCheckedAgainstTheChannels) {
  ConfigReport r = ParseConfig(R"({"channels":[
    {"name":"tg","type":"telegram","bot_token":"env:K","chat_id":"1"},
    {"name":"dr","type":"dooray","url":"https://hook.dooray.com/services/1/2/3"}],
    "escalation":{"tiers":[{"channels":["tg","ghost"],"after_seconds":0},
                           {"channels":["tg"],"after_seconds":-5}]}})",
                               "t.json", Env({{"K", "k:ey"}}));
  EXPECT_THAT(r.problems,
              Contains(HasSubstr("tiers[0].channels[1]: no channel is named \"ghost\"")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("\"tg\" is in two tiers")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("tiers[1].after_seconds: must be a whole number")));
  EXPECT_THAT(r.problems, Contains(HasSubstr("channel \"dr\" is in no tier")));
}

TEST(ConfigTest, SubjectShorthandAndBadJson) {
  ConfigReport r = ParseConfig(R"({"subjects":{"root-alert":"root 계정"},"channels":[
    {"name":"dr","type":"dooray","url":"https://hook.dooray.com/services/1/2/3"}]})",
                               "t.json", Env({}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.subjects.at("root-alert").subject, "root 계정");
  EXPECT_FALSE(r.config.subjects.at("root-alert").severity.has_value());
  ConfigReport bad = ParseConfig("{\"channels\": [", "broken.json", Env({}));
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_THAT(bad.problems[0], AllOf(HasSubstr("broken.json"), HasSubstr("not valid JSON")));
  ConfigReport missing = LoadConfigFile("/nonexistent/config.json", Env({}));
  EXPECT_THAT(missing.problems, ElementsAre(HasSubstr("cannot open")));
}

}  // namespace
}  // namespace rr
