// The configuration of escalation and acknowledgement (issue 7): defaults, every key, and
// problems named by path, all at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "responder/config.h"
#include "tests/support/map_env.h"

namespace rr {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef-ack-secret";

ConfigReport Parse(const std::string& extra) {
  const std::string text = R"({"channels": [
      {"name": "dooray", "type": "dooray", "url": "env:HOOK"},
      {"name": "tg", "type": "telegram", "bot_token": "env:TG", "chat_id": "-100123"},
      {"name": "sms", "type": "nhn_sms", "app_key": "env:SMS", "secret_key": "env:SMS",
       "send_no": "0212345678", "recipients": ["01012345678"]}])" +
                           extra + "}";
  return ParseConfig(text, "t.json",
                     testing::MapEnv({{"HOOK", "https://hook.dooray.com/services/1/2/tok"},
                                      {"TG", "123:abc"},
                                      {"SMS", "sms-secret"},
                                      {"ACK_SECRET", kSecret}}));
}

TEST(EscalationConfigTest, DefaultsRepeatTenMinutesThreeTimesAndCorrelateFifteen) {
  ConfigReport r = Parse("");
  ASSERT_TRUE(r.ok()) << r.problems.front();
  const EscalationSettings& e = r.config.escalation;
  EXPECT_EQ(e.repeat_seconds, 600);
  EXPECT_EQ(e.max_repeats, 3);
  EXPECT_EQ(e.correlation_window_seconds, 900);
  EXPECT_THAT(e.root_alarms, ElementsAre("root-alert"));
  EXPECT_FALSE(e.resolved_to_sms);
  EXPECT_TRUE(e.lambda_sends_delayed_tiers);
  EXPECT_FALSE(r.config.ack.links());
  EXPECT_FALSE(r.config.ack.telegram_button());
  ASSERT_EQ(r.config.tiers.size(), 2u);
  EXPECT_EQ(r.config.tiers[1].after_seconds, 300);
}

TEST(EscalationConfigTest, EveryKeyIsRead) {
  ConfigReport r = Parse(R"(,
    "subjects": {"root-alert": {"subject": "root", "escalate_immediately": true}},
    "escalation": {"repeat_seconds": 120, "max_repeats": 5, "correlation_window_seconds": 60,
                   "root_alarms": ["cis-root", "root-alert"], "resolved_to_sms": true,
                   "lambda_delayed_tiers": "skip"},
    "ack": {"base_url": "https://rr.example.com/", "secret": "env:ACK_SECRET",
            "link_ttl_seconds": 3600, "telegram_user_ids": [12345, 67890]})");
  ASSERT_TRUE(r.ok()) << r.problems.front();
  const EscalationSettings& e = r.config.escalation;
  EXPECT_EQ(e.repeat_seconds, 120);
  EXPECT_EQ(e.max_repeats, 5);
  EXPECT_EQ(e.correlation_window_seconds, 60);
  EXPECT_THAT(e.root_alarms, ElementsAre("cis-root", "root-alert"));
  EXPECT_TRUE(e.resolved_to_sms);
  EXPECT_FALSE(e.lambda_sends_delayed_tiers);
  EXPECT_TRUE(r.config.subjects.at("root-alert").escalate_immediately);
  EXPECT_EQ(r.config.ack.base_url, "https://rr.example.com") << "the trailing slash is dropped";
  EXPECT_EQ(r.config.ack.secret, kSecret);
  EXPECT_EQ(r.config.ack.link_ttl_seconds, 3600);
  EXPECT_THAT(r.config.ack.telegram_user_ids, ElementsAre(12345, 67890));
  EXPECT_TRUE(r.config.ack.links());
  EXPECT_TRUE(r.config.ack.telegram_button());
  EXPECT_THAT(r.warnings, IsEmpty());
}

TEST(EscalationConfigTest, RepeatsCanBeTurnedOff) {
  ConfigReport r = Parse(R"(, "escalation": {"repeat_seconds": 0})");
  ASSERT_TRUE(r.ok()) << r.problems.front();
  EXPECT_EQ(r.config.escalation.repeat_seconds, 0);
}

TEST(EscalationConfigTest, BadValuesAreNamedByPathAllAtOnce) {
  ConfigReport r = Parse(R"(,
    "subjects": {"root-alert": {"escalate_immediately": "yes"}},
    "escalation": {"repeat_seconds": 5, "max_repeats": 99, "correlation_window_seconds": -1,
                   "root_alarms": "root-alert", "resolved_to_sms": 1,
                   "lambda_delayed_tiers": "later", "jitter": true},
    "ack": {"base_url": "http://rr.example.com", "secret": "short", "link_ttl_seconds": 10,
            "telegram_user_ids": ["@alice"], "colour": "red"})");
  EXPECT_FALSE(r.ok());
  const std::string all = [&] {
    std::string s;
    for (const std::string& p : r.problems) s += p + "\n";
    return s;
  }();
  for (const char* path :
       {"subjects.root-alert.escalate_immediately", "escalation.repeat_seconds",
        "escalation.max_repeats", "escalation.correlation_window_seconds", "escalation.root_alarms",
        "escalation.resolved_to_sms", "escalation.lambda_delayed_tiers",
        "escalation.jitter: unknown key", "ack.base_url: must use https", "ack.secret: too short",
        "ack.link_ttl_seconds", "ack.telegram_user_ids[0]", "ack.colour: unknown key"}) {
    EXPECT_THAT(all, HasSubstr(path));
  }
  EXPECT_THAT(all, Not(HasSubstr("short\"")));
}

TEST(EscalationConfigTest, AckNeedsItsSecretAndTheButtonNeedsATelegramChannel) {
  ConfigReport no_secret = Parse(R"(, "ack": {"base_url": "https://rr.example.com"})");
  EXPECT_FALSE(no_secret.ok());
  EXPECT_THAT(no_secret.problems.front(), HasSubstr("ack.secret: missing"));

  const std::string text = R"({"channels": [{"name": "d", "type": "dooray", "url": "env:HOOK"}],
    "ack": {"secret": "env:ACK_SECRET", "telegram_user_ids": [1]}})";
  ConfigReport no_telegram =
      ParseConfig(text, "t.json",
                  testing::MapEnv({{"HOOK", "https://hook.dooray.com/services/1/2/tok"},
                                   {"ACK_SECRET", kSecret}}));
  EXPECT_FALSE(no_telegram.ok());
  EXPECT_THAT(no_telegram.problems.front(), HasSubstr("no channel is of type telegram"));
}

TEST(EscalationConfigTest, ALiteralAckSecretWorksWithAWarning) {
  ConfigReport r = Parse(R"(, "ack": {"base_url": "https://rr.example.com", "secret": ")" +
                         std::string(kSecret) + R"("})");
  ASSERT_TRUE(r.ok()) << r.problems.front();
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], HasSubstr("ack.secret"));
  EXPECT_THAT(r.warnings[0], Not(HasSubstr(kSecret)));
}

}  // namespace
}  // namespace rr
