// The root-responder binary as users run it, sending for real to the loopback fakes: `once`
// without --dry-run, the documented exit statuses, `test-channel`, and the environment-only
// mode of the existing Lambda handlers (DESIGN.md, "Command line").

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "alarm/json.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/run_binary.h"

namespace rr {
namespace {

using testing::BinaryInvocation;
using testing::BinaryRun;
using testing::RunBinary;

constexpr char kDoorayToken[] = "CliSendDoorayHookToken42";
constexpr char kTelegramToken[] = "7711223344:AACliSendTelegramBotToken_abc";
constexpr char kNhnAppKey[] = "CliSendAppKey77";
constexpr char kNhnSecretKey[] = "CliSendSecretKey88";
constexpr char kSendNo[] = "0299887766";
constexpr char kRecipient[] = "01098765432";
constexpr char kChatId[] = "-1001234567890";

constexpr char kAlarmPayload[] = "/testdata/sns/lambda-root-alert-alarm.json";
constexpr char kOkStatePayload[] = "/testdata/sns/lambda-ok-state.json";
constexpr char kRejectedPayload[] = "/testdata/bad/truncated.json";

std::string Testdata(const char* relative) { return std::string(RR_SOURCE_DIR) + relative; }

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string StringOr(const JsonValue& object, const char* key, std::string fallback = "<null>") {
  if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) return fallback;
  return std::string(AsView(object[key]));
}

// The one outcome line a run printed.
bool ParseOutcome(const BinaryRun& run, JsonDocument* doc) {
  std::string line = run.out;
  while (!line.empty() && line.back() == '\n') line.pop_back();
  if (line.empty() || Contains(line, "\n")) return false;
  return ParseJson(line, JsonLimits{}, "outcome", doc).ok() && doc->IsObject();
}

// A request body the fakes recorded, parsed.
bool ParseBody(const RecordedRequest& request, JsonDocument* doc) {
  return ParseJson(request.body, JsonLimits{}, "request", doc).ok() && doc->IsObject();
}

class CliSendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    ASSERT_TRUE(nhn_.Start().ok());
    std::string pattern = (std::filesystem::temp_directory_path() / "rr-cli-send-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    config_ = WriteConfig("config", dooray_.hook_url(), kTelegramToken, kNhnSecretKey);
  }

  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // A configuration with every channel on the fakes and quick retries; secrets come from env.
  std::string WriteConfig(const std::string& name, const std::string& hook_url,
                          const std::string& bot_token, const std::string& secret_key) {
    env_["RR_CLI_DOORAY_URL"] = hook_url;
    env_["RR_CLI_TELEGRAM_TOKEN"] = bot_token;
    env_["RR_CLI_SMS_APP_KEY"] = kNhnAppKey;
    env_["RR_CLI_SMS_SECRET_KEY"] = secret_key;
    const std::string text = R"({
  "accounts": {"111122223333": "prod-main"},
  "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
  "channels": [
    {"name": "dooray-sec", "type": "dooray", "url": "env:RR_CLI_DOORAY_URL",
     "bot_name": "AWS Root Guard"},
    {"name": "telegram-oncall", "type": "telegram", "api_base": ")" +
                             telegram_.api_base() + R"(",
     "bot_token": "env:RR_CLI_TELEGRAM_TOKEN", "chat_id": ")" +
                             kChatId + R"("},
    {"name": "sms-oncall", "type": "nhn_sms", "api_base": ")" +
                             nhn_.api_base() +
                             R"(",
     "app_key": "env:RR_CLI_SMS_APP_KEY", "secret_key": "env:RR_CLI_SMS_SECRET_KEY",
     "send_no": "02-9988-7766", "recipients": ["010-9876-5432"]}
  ],
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2, "deadline_seconds": 5}
}
)";
    const std::string path = dir_ + "/" + name + ".json";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    EXPECT_TRUE(out.good()) << path;
    return path;
  }

  BinaryRun Run(std::vector<std::string> args, std::map<std::string, std::string> env) {
    BinaryInvocation inv;
    inv.path = RR_BINARY;
    inv.args = std::move(args);
    inv.env = std::move(env);
    inv.timeout = std::chrono::seconds(20);
    BinaryRun run = RunBinary(inv);
    EXPECT_TRUE(run.spawn_error.empty()) << run.Describe();
    EXPECT_FALSE(run.timed_out) << run.Describe();
    return run;
  }

  BinaryRun Once(const char* payload, const std::string& config) {
    return Run({"once", "--event=" + Testdata(payload), "--config=" + config}, env_);
  }

  BinaryRun TestChannel(const std::string& channel, const std::string& config) {
    return Run({"test-channel", "--channel=" + channel, "--config=" + config}, env_);
  }

  size_t TotalRequests() const {
    return dooray_.request_count() + telegram_.request_count() + nhn_.request_count();
  }

  FakeDooray dooray_{kDoorayToken};
  FakeTelegram telegram_{kTelegramToken};
  FakeNhnSms nhn_{kNhnAppKey, kNhnSecretKey, {kSendNo}};
  std::string dir_;
  std::string config_;
  std::map<std::string, std::string> env_;
};

void ExpectSent(const JsonValue& d, const std::string& channel, const std::string& type) {
  EXPECT_EQ(StringOr(d, "channel"), channel);
  EXPECT_EQ(StringOr(d, "type"), type);
  EXPECT_EQ(StringOr(d, "status"), "sent") << channel << ": " << StringOr(d, "error");
  ASSERT_TRUE(d["attempts"].IsInt());
  EXPECT_EQ(d["attempts"].GetInt(), 1) << channel;
  ASSERT_TRUE(d["http_status"].IsInt()) << channel;
  EXPECT_EQ(d["http_status"].GetInt(), 200) << channel;
  EXPECT_TRUE(d["error"].IsNull()) << channel;
  EXPECT_FALSE(d.HasMember("request")) << channel << ": only dry runs show the request";
}

TEST_F(CliSendTest, OnceDeliversToEveryChannel) {
  BinaryRun run = Once(kAlarmPayload, config_);
  ASSERT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "delivered") << run.out;
  EXPECT_EQ(StringOr(doc["alert"], "alarm_name"), "root-alert");
  ASSERT_TRUE(doc["deliveries"].IsArray());
  ASSERT_EQ(doc["deliveries"].Size(), 3u) << run.out;
  ExpectSent(doc["deliveries"][0], "dooray-sec", "dooray");
  ExpectSent(doc["deliveries"][1], "telegram-oncall", "telegram");
  ExpectSent(doc["deliveries"][2], "sms-oncall", "nhn_sms");

  // The services really got one message each.
  ASSERT_EQ(dooray_.request_count(), 1u);
  ASSERT_EQ(telegram_.request_count(), 1u);
  ASSERT_EQ(nhn_.request_count(), 1u);

  const RecordedRequest hook = dooray_.requests()[0];
  EXPECT_EQ(hook.method, "POST");
  EXPECT_TRUE(Contains(hook.path, kDoorayToken)) << hook.path;
  JsonDocument hook_body;
  ASSERT_TRUE(ParseBody(hook, &hook_body)) << hook.body;
  EXPECT_EQ(StringOr(hook_body, "botName"), "AWS Root Guard");
  EXPECT_TRUE(Contains(StringOr(hook_body, "text"), "root 계정")) << hook.body;

  const RecordedRequest tg = telegram_.requests()[0];
  EXPECT_EQ(tg.path, std::string("/bot") + kTelegramToken + "/sendMessage");
  JsonDocument tg_body;
  ASSERT_TRUE(ParseBody(tg, &tg_body)) << tg.body;
  EXPECT_EQ(StringOr(tg_body, "parse_mode"), "HTML") << tg.body;
  ASSERT_TRUE(tg_body["chat_id"].IsInt64()) << tg.body;
  EXPECT_EQ(tg_body["chat_id"].GetInt64(), -1001234567890);
  const std::string tg_text = StringOr(tg_body, "text");
  EXPECT_TRUE(Contains(tg_text, "<b>")) << "Telegram gets HTML text: " << tg_text;
  EXPECT_TRUE(Contains(tg_text, "root 계정")) << tg_text;

  const RecordedRequest sms = nhn_.requests()[0];
  EXPECT_EQ(sms.path, std::string("/sms/v3.0/appKeys/") + kNhnAppKey + "/sender/sms");
  ASSERT_NE(sms.header("x-secret-key"), nullptr) << "NHN needs X-Secret-Key";
  EXPECT_EQ(*sms.header("x-secret-key"), kNhnSecretKey);
  JsonDocument sms_body;
  ASSERT_TRUE(ParseBody(sms, &sms_body)) << sms.body;
  EXPECT_EQ(StringOr(sms_body, "sendNo"), kSendNo);
  ASSERT_TRUE(sms_body["recipientList"].IsArray()) << sms.body;
  ASSERT_EQ(sms_body["recipientList"].Size(), 1u) << sms.body;
  EXPECT_EQ(StringOr(sms_body["recipientList"][0], "recipientNo"), kRecipient);
}

TEST_F(CliSendTest, OnceWithEveryChannelFailingExitsOne) {
  // A deleted hook (404), a revoked bot token (401) and a wrong NHN secret key (-1000).
  const std::string config =
      WriteConfig("failing", dooray_.base_url() + "/services/1/2/DeletedHookToken99",
                  "7711223344:AARevokedTelegramBotToken_xyz", "WrongCliSecretKey00");
  BinaryRun run = Once(kAlarmPayload, config);
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "failed");
  EXPECT_EQ(StringOr(doc, "reason"), "no channel got through");
  ASSERT_EQ(doc["deliveries"].Size(), 3u) << run.out;
  const char* kErrors[] = {"client_error", "auth_error", "vendor:-1000"};
  const int kStatus[] = {404, 401, 200};
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    const JsonValue& d = doc["deliveries"][i];
    EXPECT_EQ(StringOr(d, "status"), "failed") << run.out;
    EXPECT_EQ(d["attempts"].GetInt(), 1) << "a refusal is not retried: " << run.out;
    EXPECT_EQ(d["http_status"].GetInt(), kStatus[i]) << run.out;
    EXPECT_TRUE(Contains(StringOr(d, "error"), kErrors[i])) << run.out;
  }
  EXPECT_EQ(TotalRequests(), 3u);
}

TEST_F(CliSendTest, OnceWithOneChannelFailingIsPartialAndExitsZero) {
  nhn_.Script({FakeNhnSms::SendNoNotRegistered()});
  BinaryRun run = Once(kAlarmPayload, config_);
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "partial");
  ASSERT_EQ(doc["deliveries"].Size(), 3u) << run.out;
  ExpectSent(doc["deliveries"][0], "dooray-sec", "dooray");
  ExpectSent(doc["deliveries"][1], "telegram-oncall", "telegram");
  const JsonValue& sms = doc["deliveries"][2];
  EXPECT_EQ(StringOr(sms, "status"), "failed");
  EXPECT_TRUE(Contains(StringOr(sms, "error"), "vendor:-2312")) << run.out;
  EXPECT_EQ(nhn_.scripted_left(), 0u);
}

TEST_F(CliSendTest, IgnoredPayloadSendsNothingAndExitsZero) {
  BinaryRun run = Once(kOkStatePayload, config_);
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "ignored");
  EXPECT_NE(StringOr(doc, "reason", ""), "") << "an ignored alert says why";
  ASSERT_TRUE(doc["deliveries"].IsArray());
  EXPECT_EQ(doc["deliveries"].Size(), 0u);
  EXPECT_EQ(TotalRequests(), 0u);
}

TEST_F(CliSendTest, RejectedPayloadExitsTwo) {
  BinaryRun run = Once(kRejectedPayload, config_);
  EXPECT_EQ(run.exit_code, 2) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "rejected");
  EXPECT_NE(StringOr(doc, "reason", ""), "") << "a rejection says why";
  EXPECT_FALSE(doc.HasMember("alert")) << run.out;
  EXPECT_EQ(TotalRequests(), 0u);
}

TEST_F(CliSendTest, TestChannelSendsAClearlyMarkedTestMessage) {
  struct Case {
    std::string channel;
    const FakeHttpServer* fake;
  };
  const Case kCases[] = {
      {"dooray-sec", &dooray_}, {"telegram-oncall", &telegram_}, {"sms-oncall", &nhn_}};
  for (const Case& c : kCases) {
    const size_t before = TotalRequests();
    BinaryRun run = TestChannel(c.channel, config_);
    EXPECT_EQ(run.exit_code, 0) << c.channel << "\n" << run.Describe();
    JsonDocument doc;
    ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
    EXPECT_EQ(StringOr(doc, "outcome"), "delivered") << run.out;
    ASSERT_EQ(doc["deliveries"].Size(), 1u) << "only the named channel: " << run.out;
    EXPECT_EQ(StringOr(doc["deliveries"][0], "channel"), c.channel);
    EXPECT_EQ(StringOr(doc["deliveries"][0], "status"), "sent");
    ASSERT_TRUE(doc["alert"].IsObject()) << run.out;
    EXPECT_TRUE(doc["alert"]["drill"].IsTrue()) << "a test message is marked as a drill";

    ASSERT_EQ(TotalRequests(), before + 1) << c.channel << ": one message, to this channel";
    ASSERT_EQ(c.fake->request_count(), 1u) << c.channel;
    const RecordedRequest request = c.fake->requests().back();
    JsonDocument body;
    ASSERT_TRUE(ParseBody(request, &body)) << request.body;
    // Where each service shows the message: Dooray's text and attachment, Telegram's text,
    // the SMS body.
    std::string shown = StringOr(body, "text", "") + "\n" + StringOr(body, "body", "");
    if (body.HasMember("attachments") && body["attachments"].IsArray()) {
      for (const JsonValue& a : body["attachments"].GetArray()) {
        shown += "\n" + StringOr(a, "title", "") + "\n" + StringOr(a, "text", "");
      }
    }
    EXPECT_TRUE(Contains(shown, "[DRILL]")) << c.channel << ": " << shown;
    EXPECT_TRUE(Contains(shown, "test") || Contains(shown, "테스트"))
        << c.channel << ": the message must say it is a test: " << shown;
  }
}

TEST_F(CliSendTest, TestChannelWithAnUnknownNameExitsUsageNamingTheChannels) {
  BinaryRun run = TestChannel("no-such-channel", config_);
  EXPECT_EQ(run.exit_code, 64) << run.Describe();
  EXPECT_TRUE(Contains(run.err, "no-such-channel")) << run.err;
  for (const char* name : {"dooray-sec", "telegram-oncall", "sms-oncall"}) {
    EXPECT_TRUE(Contains(run.err, name)) << "configured channel not named: " << name << "\n"
                                         << run.err;
  }
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(TotalRequests(), 0u);
}

TEST_F(CliSendTest, TestChannelToAFailingChannelExitsOne) {
  telegram_.Script({FakeTelegram::BotBlocked()});
  BinaryRun run = TestChannel("telegram-oncall", config_);
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "failed");
  ASSERT_EQ(doc["deliveries"].Size(), 1u) << run.out;
  EXPECT_EQ(StringOr(doc["deliveries"][0], "status"), "failed");
  EXPECT_TRUE(Contains(StringOr(doc["deliveries"][0], "error"), "bot was blocked")) << run.out;
  EXPECT_EQ(telegram_.request_count(), 1u);
  EXPECT_EQ(dooray_.request_count() + nhn_.request_count(), 0u);
}

TEST_F(CliSendTest, EnvironmentOnlyModeDelivers) {
  // The variables of the existing Lambda handlers, and nothing else: no --config.
  const std::map<std::string, std::string> env = {
      {"DOORAY_HOOK_URL", dooray_.hook_url()},
      {"TELEGRAM_BOT_TOKEN", kTelegramToken},
      {"TELEGRAM_CHAT_ID", kChatId},
      {"TELEGRAM_API_BASE", telegram_.api_base()},
      {"SMS_APP_KEY", kNhnAppKey},
      {"SMS_SECRET_KEY", kNhnSecretKey},
      {"SMS_SEND_NO", kSendNo},
      {"SMS_API_BASE", nhn_.api_base()},
  };
  BinaryRun run = Run({"once", "--event=" + Testdata(kAlarmPayload)}, env);
  ASSERT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "delivered") << run.out;
  EXPECT_EQ(StringOr(doc["alert"], "subject"), "root 계정") << "the built-in subject map";
  ASSERT_EQ(doc["deliveries"].Size(), 3u) << run.out;
  ExpectSent(doc["deliveries"][0], "dooray", "dooray");
  ExpectSent(doc["deliveries"][1], "telegram", "telegram");
  ExpectSent(doc["deliveries"][2], "nhn_sms", "nhn_sms");
  ASSERT_EQ(dooray_.request_count(), 1u);
  ASSERT_EQ(telegram_.request_count(), 1u);
  ASSERT_EQ(nhn_.request_count(), 1u);
  // Without SMS_RECIPIENTS the SMS goes to SMS_SEND_NO, as the old handlers did.
  const RecordedRequest sms_request = nhn_.requests()[0];
  JsonDocument sms;
  ASSERT_TRUE(ParseBody(sms_request, &sms)) << sms_request.body;
  ASSERT_TRUE(sms["recipientList"].IsArray());
  ASSERT_EQ(sms["recipientList"].Size(), 1u);
  EXPECT_EQ(StringOr(sms["recipientList"][0], "recipientNo"), kSendNo);
}

TEST_F(CliSendTest, UsageErrorsExitSixtyFour) {
  BinaryRun no_event = Run({"once", "--config=" + config_}, env_);
  EXPECT_EQ(no_event.exit_code, 64) << no_event.Describe();
  EXPECT_TRUE(Contains(no_event.err, "--event")) << no_event.err;
  BinaryRun no_channel = Run({"test-channel", "--config=" + config_}, env_);
  EXPECT_EQ(no_channel.exit_code, 64) << no_channel.Describe();
  EXPECT_TRUE(Contains(no_channel.err, "--channel")) << no_channel.err;
  BinaryRun no_config = Run({"once", "--event=" + Testdata(kAlarmPayload)}, {});
  EXPECT_EQ(no_config.exit_code, 64) << "no --config and no variables: " << no_config.Describe();
  EXPECT_TRUE(Contains(no_config.err, "no channel configured")) << no_config.err;
  EXPECT_EQ(TotalRequests(), 0u);
}

TEST_F(CliSendTest, ConfigWithAnHttpSectionDelivers) {
  // The "http" section (CA bundle, proxy, timeouts) is parsed by the configuration and named as
  // a known key in its own error message; a file that uses it must work.
  std::ifstream in(config_, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(text.front(), '{');
  text.insert(1, R"(
  "http": {"connect_timeout_seconds": 2, "timeout_seconds": 5},)");
  const std::string config = dir_ + "/with-http.json";
  std::ofstream(config, std::ios::binary | std::ios::trunc) << text;

  BinaryRun check = Run({"check-config", "--config=" + config}, env_);
  EXPECT_EQ(check.exit_code, 0) << check.Describe();
  BinaryRun run = Once(kAlarmPayload, config);
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "delivered") << run.out;
  EXPECT_EQ(TotalRequests(), 3u);
}

TEST_F(CliSendTest, OnceReadsThePayloadFromStandardInput) {
  BinaryInvocation inv;
  inv.path = RR_BINARY;
  inv.args = {"once", "--event=-", "--config=" + config_};
  inv.env = env_;
  std::ifstream in(Testdata(kAlarmPayload), std::ios::binary);
  inv.stdin_data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  ASSERT_FALSE(inv.stdin_data.empty());
  BinaryRun run = RunBinary(inv);
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "delivered") << run.out;
  EXPECT_EQ(TotalRequests(), 3u);
}

TEST(CliSendRunnerTest, AHungChildIsKilledAtTheTimeout) {
  BinaryInvocation inv;
  inv.path = "/bin/sleep";
  inv.args = {"30"};
  inv.timeout = std::chrono::milliseconds(200);
  BinaryRun run = RunBinary(inv);
  EXPECT_TRUE(run.spawn_error.empty()) << run.Describe();
  EXPECT_TRUE(run.timed_out) << run.Describe();
  EXPECT_EQ(run.term_signal, SIGKILL);
  EXPECT_LT(run.elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace rr
