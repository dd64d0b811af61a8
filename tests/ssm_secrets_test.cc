// "ssm:NAME" secrets: SecureStrings read from moto_server through the real resolver, in a
// configuration file and in the environment-only mode; batching and retries against a fake.
#include "responder/ssm_secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "alarm/json.h"
#include "channels/redact.h"
#include "responder/aws_json_call.h"
#include "responder/setup.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/log_capture.h"
#include "tests/support/map_env.h"
#include "tests/support/moto_suite.h"

namespace rr {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kRegion[] = "ap-northeast-2";
constexpr char kBotToken[] = "7700112233:AAssmPlantedBotToken_0123456789abcd";
constexpr char kSmsSecret[] = "ssmPlantedSmsSecretKey-42";
constexpr char kSmsAppKey[] = "ssmPlantedAppKey0001";

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

AwsCredentials TestCredentials() {
  AwsCredentials c;
  c.access_key_id = "AKIASSMTEST000000001";
  c.secret_access_key = "ssmTestSecret/000000000000000000000001";
  return c;
}

// ---- against moto_server ---------------------------------------------------------------------

class SsmSecretsMotoTest : public testing::MotoSuiteTest {
 protected:
  void SetUp() override {
    MotoSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    env_ = moto_->Environment(kRegion);
    Result<AwsEndpoint> ssm = ResolveAwsEndpoint(kSsmService, kRegion, Env(env_));
    ASSERT_TRUE(ssm.ok()) << ssm.status().message();
    endpoint_ = *ssm;
    Put("/root-responder/telegram-bot-token", kBotToken);
    Put("/root-responder/sms-secret-key", kSmsSecret);
    Put("/root-responder/sms-app-key", kSmsAppKey);
  }

  // PutParameter through our own call, as a SecureString (moto encrypts with its default key).
  void Put(const std::string& name, const std::string& value) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    WriteString(w, "Name", name);
    WriteString(w, "Value", value);
    WriteString(w, "Type", "SecureString");
    w.Key("Overwrite");
    w.Bool(true);
    w.EndObject();
    HttpClient client;
    AwsJsonReply r = AwsJsonCall(client, TestCredentials(), endpoint_, "AmazonSSM.PutParameter",
                                 buffer.GetString());
    ASSERT_TRUE(r.ok()) << r.status.message();
  }

  std::map<std::string, std::string> env_;
  AwsEndpoint endpoint_;
};

TEST_F(SsmSecretsMotoTest, SecureStringsAreReadDecryptedAndMissingOnesNamed) {
  HttpClient client;
  StaticAwsCredentials credentials(TestCredentials());
  SecretLookup found = FetchSsmParameters(
      client, credentials, endpoint_,
      {"/root-responder/telegram-bot-token", "/root-responder/nope",
       "/root-responder/sms-secret-key", "/root-responder/telegram-bot-token:1"});
  EXPECT_EQ(found.failure, "");
  EXPECT_EQ(found.values["/root-responder/telegram-bot-token"], kBotToken);
  EXPECT_EQ(found.values["/root-responder/telegram-bot-token:1"], kBotToken);
  EXPECT_EQ(found.values["/root-responder/sms-secret-key"], kSmsSecret);
  EXPECT_EQ(found.missing["/root-responder/nope"], "does not exist");
  EXPECT_EQ(found.values.count("/root-responder/nope"), 0u);
}

TEST_F(SsmSecretsMotoTest, AConfigFileResolvesSsmReferencesAtStartUp) {
  testing::LogCapture logs;
  const std::string config = R"({"channels":[
    {"name":"tg","type":"telegram","bot_token":"ssm:/root-responder/telegram-bot-token",
     "chat_id":"-1001234567890"},
    {"name":"sms","type":"nhn_sms","app_key":"env:APP_KEY_REF",
     "secret_key":"ssm:/root-responder/sms-secret-key","send_no":"0212345678",
     "recipients":["01012345678"]}]})";
  auto env = env_;
  env["APP_KEY_REF"] = "ssm:/root-responder/sms-app-key";  // an env: value may point to SSM
  ConfigReport r = ParseConfig(config, "c.json", Env(env), MakeSsmSecretResolver(Env(env)));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  EXPECT_THAT(r.warnings, IsEmpty()) << "ssm: values are not literal secrets";
  EXPECT_EQ(r.config.channels[0].Setting("bot_token"), kBotToken);
  EXPECT_THAT(r.config.channels[0].secrets, Contains(std::string(kBotToken)));
  EXPECT_EQ(r.config.channels[1].Setting("secret_key"), kSmsSecret);
  EXPECT_EQ(r.config.channels[1].Setting("app_key"), kSmsAppKey);
  EXPECT_THAT(r.config.channels[1].secrets, Contains(std::string(kSmsAppKey)));
  const std::string logged = logs.text();
  EXPECT_THAT(logged, HasSubstr("ssm_parameters names=3 calls=1 missing=0"));
  for (const char* planted : {kBotToken, kSmsSecret, kSmsAppKey}) {
    EXPECT_THAT(logged, Not(HasSubstr(planted)));
  }
}

TEST_F(SsmSecretsMotoTest, TheEnvironmentOnlyModeResolvesSsmValues) {
  auto env = env_;
  env["TELEGRAM_BOT_TOKEN"] = "ssm:/root-responder/telegram-bot-token";
  env["TELEGRAM_CHAT_ID"] = "-1001234567890";
  env["SMS_APP_KEY"] = "ssm:/root-responder/sms-app-key";
  env["SMS_SECRET_KEY"] = "ssm:/root-responder/sms-secret-key";
  env["SMS_SEND_NO"] = "0212345678";
  ConfigReport r = ConfigFromEnvironment(Env(env), MakeSsmSecretResolver(Env(env)));
  ASSERT_TRUE(r.ok()) << r.problems.front();
  ASSERT_EQ(r.config.channels.size(), 2u);
  EXPECT_EQ(r.config.channels[0].Setting("bot_token"), kBotToken);
  EXPECT_EQ(r.config.channels[1].Setting("app_key"), kSmsAppKey);
  EXPECT_EQ(r.config.channels[1].Setting("secret_key"), kSmsSecret);
}

TEST_F(SsmSecretsMotoTest, LoadSetupWiresTheRealResolverAndRegistersTheSecrets) {
  const std::string path = ::testing::TempDir() + "/rr_ssm_setup.json";
  std::ofstream(path) << R"({"channels":[{"name":"tg","type":"telegram",
      "bot_token":"ssm:/root-responder/telegram-bot-token","chat_id":"-100123"}]})";
  rr::Setup setup = LoadSetup(path, Env(env_));
  std::filesystem::remove(path);
  ASSERT_TRUE(setup.report.ok()) << setup.report.problems.front();
  EXPECT_NE(setup.dispatcher, nullptr);
  EXPECT_EQ(RedactKnown(std::string("token=") + kBotToken), "token=<redacted>");
}

TEST_F(SsmSecretsMotoTest, AMissingParameterIsAConfigProblemNamingIt) {
  const std::string config = R"({"channels":[
    {"name":"tg","type":"telegram","bot_token":"ssm:/root-responder/telegram-bot-token",
     "chat_id":"-100123"},
    {"name":"sms","type":"nhn_sms","app_key":"ssm:/root-responder/sms-app-key",
     "secret_key":"ssm:/root-responder/typo-secret-key","send_no":"0212345678",
     "recipients":["01012345678"]}]})";
  ConfigReport r = ParseConfig(config, "c.json", Env(env_), MakeSsmSecretResolver(Env(env_)));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.problems, ElementsAre("channels[1].secret_key: SSM parameter "
                                      "/root-responder/typo-secret-key does not exist"));
  std::string all;
  for (const auto& p : r.problems) all += p;
  for (const char* planted : {kBotToken, kSmsSecret, kSmsAppKey}) {
    EXPECT_THAT(all, Not(HasSubstr(planted)));
  }
}

TEST_F(SsmSecretsMotoTest, NoCredentialsIsAProblemThatSaysWhere) {
  auto env = env_;
  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  env["HOME"] = "/nonexistent-home";
  ConfigReport r =
      ConfigFromEnvironment(Env({{"TELEGRAM_BOT_TOKEN", "ssm:/root-responder/telegram-bot-token"},
                                 {"TELEGRAM_CHAT_ID", "-100123"}}),
                            MakeSsmSecretResolver(Env(env)));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.problems,
              ElementsAre(HasSubstr("channels[0].bot_token: SSM parameter "
                                    "/root-responder/telegram-bot-token could not be read: no AWS "
                                    "credentials found: environment: AWS_ACCESS_KEY_ID and")));
}

// ---- batching and retries against a fake SSM ---------------------------------------------

// GetParameters as SSM answers it: known names in Parameters, others in InvalidParameters.
class FakeSsm : public FakeHttpServer {
 public:
  ~FakeSsm() override { Stop(); }
  std::map<std::string, std::string> parameters;

 protected:
  ScriptedReply Answer(const RecordedRequest& r) override {
    JsonDocument doc;
    if (!ParseJson(r.body, JsonLimits{}, "body", &doc).ok() || !doc.HasMember("Names")) {
      return ScriptedReply::Answer(400, R"({"__type":"ValidationException"})");
    }
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("Parameters");
    w.StartArray();
    std::vector<std::string> invalid;
    for (const JsonValue& name : doc["Names"].GetArray()) {
      auto it = parameters.find(std::string(AsView(name)));
      if (it == parameters.end()) {
        invalid.emplace_back(AsView(name));
        continue;
      }
      w.StartObject();
      WriteString(w, "Name", it->first);
      WriteString(w, "Type", "SecureString");
      WriteString(w, "Value", it->second);
      WriteString(w, "ARN", "arn:aws:ssm:ap-northeast-2:111122223333:parameter" + it->first);
      w.EndObject();
    }
    w.EndArray();
    w.Key("InvalidParameters");
    w.StartArray();
    for (const std::string& name : invalid) w.String(name.c_str());
    w.EndArray();
    w.EndObject();
    return ScriptedReply::Answer(200, buffer.GetString(),
                                 {{"Content-Type", "application/x-amz-json-1.1"}});
  }
};

class SsmSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ssm_.Start().ok());
    Result<AwsEndpoint> e =
        ResolveAwsEndpoint(kSsmService, kRegion, Env({{"AWS_ENDPOINT_URL_SSM", ssm_.base_url()}}));
    ASSERT_TRUE(e.ok());
    endpoint_ = *e;
  }
  SecretLookup Fetch(const std::vector<std::string>& names) {
    return FetchSsmParameters(client_, credentials_, endpoint_, names, clock_);
  }

  FakeSsm ssm_;
  AwsEndpoint endpoint_;
  HttpClient client_;
  StaticAwsCredentials credentials_{TestCredentials()};
  FakeClock clock_;
};

TEST_F(SsmSecretsTest, TenNamesPerCallSoAFewSecretsCostOneRoundTrip) {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) {
    names.push_back("/rr/p" + std::to_string(i));
    ssm_.parameters[names.back()] = "value" + std::to_string(i);
  }
  names.push_back("/rr/p3");  // a repeat is asked once
  SecretLookup found = Fetch(names);
  EXPECT_EQ(found.values.size(), 12u);
  EXPECT_EQ(found.values["/rr/p11"], "value11");
  std::vector<RecordedRequest> calls = ssm_.requests();
  ASSERT_EQ(calls.size(), 2u);
  for (const RecordedRequest& call : calls) {
    EXPECT_EQ(*call.header("x-amz-target"), "AmazonSSM.GetParameters");
    EXPECT_EQ(*call.header("content-type"), "application/x-amz-json-1.1");
    EXPECT_THAT(call.body, HasSubstr(R"("WithDecryption":true)"));
    EXPECT_THAT(*call.header("authorization"), HasSubstr("/ap-northeast-2/ssm/aws4_request"));
  }
  JsonDocument first;
  ASSERT_TRUE(ParseJson(calls[0].body, JsonLimits{}, "call", &first).ok());
  EXPECT_EQ(first["Names"].Size(), 10u);

  Fetch({"/rr/p0", "/rr/p1", "/rr/p2"});
  EXPECT_EQ(ssm_.request_count(), 3u);
}

TEST_F(SsmSecretsTest, ThrottlingIsTriedAgainAfterAPause) {
  ssm_.parameters["/rr/token"] = "v";
  ssm_.Script({ScriptedReply::Answer(400, R"({"__type":"ThrottlingException","message":"slow"})")});
  SecretLookup found = Fetch({"/rr/token"});
  EXPECT_EQ(found.values["/rr/token"], "v");
  EXPECT_EQ(ssm_.request_count(), 2u);
  EXPECT_THAT(clock_.sleeps(), ElementsAre(std::chrono::milliseconds(200)));
}

TEST_F(SsmSecretsTest, ARefusedCallNamesTheAwsErrorForEachName) {
  ssm_.Script({ScriptedReply::Answer(
      400,
      R"({"__type":"AccessDeniedException","message":"not authorized to perform: ssm:GetParameters"})")});
  SecretLookup found = Fetch({"/rr/a", "/rr/b"});
  EXPECT_TRUE(found.values.empty());
  ASSERT_EQ(found.missing.size(), 2u);
  EXPECT_THAT(found.missing["/rr/a"], HasSubstr("could not be read: AmazonSSM.GetParameters at "));
  EXPECT_THAT(found.missing["/rr/b"], HasSubstr("HTTP 400 AccessDeniedException: not authorized"));
  EXPECT_EQ(ssm_.request_count(), 1u) << "a refusal is not retried";
}

TEST_F(SsmSecretsTest, AVerboseClientIsRefusedBecauseAnswersCarrySecrets) {
  HttpClientOptions verbose;
  verbose.verbose = true;
  verbose.verbose_sink = [](std::string_view) {};
  HttpClient client(verbose);
  SecretLookup found = FetchSsmParameters(client, credentials_, endpoint_, {"/rr/x"}, clock_);
  EXPECT_THAT(found.failure, HasSubstr("traces verbosely"));
  EXPECT_EQ(ssm_.request_count(), 0u);
}

TEST_F(SsmSecretsTest, NoRegionMeansNoLookup) {
  SecretResolver resolver = MakeSsmSecretResolver(Env({{"HOME", "/nonexistent-home"}}));
  SecretLookup found = resolver({"/rr/x"}, HttpConfig{});
  EXPECT_THAT(found.failure, HasSubstr("no AWS region"));
}

// ---- config parsing with a resolver stand-in ---------------------------------------------

TEST(SsmConfigTest, OneLookupForEveryReferenceAndTheHttpSettings) {
  std::vector<std::vector<std::string>> calls;
  HttpConfig seen;
  SecretResolver resolver = [&](const std::vector<std::string>& names, const HttpConfig& http) {
    calls.push_back(names);
    seen = http;
    SecretLookup lookup;
    for (const auto& name : names) lookup.values[name] = "resolved:" + name;
    return lookup;
  };
  ConfigReport r = ParseConfig(R"({"http":{"timeout_seconds":7},"channels":[
      {"name":"a","type":"telegram","bot_token":"ssm:/t/a","chat_id":"-1"},
      {"name":"b","type":"telegram","bot_token":"env:B","chat_id":"-2"},
      {"name":"c","type":"telegram","bot_token":"ssm:/t/a","chat_id":"-3"}]})",
                               "c.json", Env({{"B", "ssm:/t/b"}}), resolver);
  ASSERT_TRUE(r.ok()) << r.problems.front();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_THAT(calls[0], ElementsAre("/t/a", "/t/b"));
  EXPECT_EQ(seen.timeout_seconds, 7);
  EXPECT_EQ(r.config.channels[1].Setting("bot_token"), "resolved:/t/b");
}

TEST(SsmConfigTest, WithoutAResolverOrWithABadNameItIsAProblem) {
  ConfigReport none = ParseConfig(R"({"channels":[
      {"name":"a","type":"telegram","bot_token":"ssm:/t/a","chat_id":"-1"}]})",
                                  "c.json", Env({}));
  EXPECT_THAT(none.problems, ElementsAre("channels[0].bot_token: ssm:/t/a cannot be resolved "
                                         "here (no SSM access)"));
  bool called = false;
  SecretResolver resolver = [&](const std::vector<std::string>&, const HttpConfig&) {
    called = true;
    return SecretLookup{};
  };
  ConfigReport bad = ParseConfig(R"({"channels":[
      {"name":"a","type":"telegram","bot_token":"ssm:","chat_id":"-1"},
      {"name":"b","type":"telegram","bot_token":"ssm:/has space","chat_id":"-1"}]})",
                                 "c.json", Env({}), resolver);
  EXPECT_FALSE(called) << "nothing valid to look up";
  EXPECT_THAT(bad.problems, Contains(HasSubstr("channels[0].bot_token: \"ssm:\" does not name an "
                                               "SSM parameter")));
  EXPECT_THAT(bad.problems, Contains(HasSubstr("channels[1].bot_token: \"ssm:/has space\"")));
}

TEST(SsmConfigTest, NoLookupWithoutReferences) {
  bool called = false;
  SecretResolver resolver = [&](const std::vector<std::string>&, const HttpConfig&) {
    called = true;
    return SecretLookup{};
  };
  ConfigReport r = ParseConfig(R"({"channels":[
      {"name":"a","type":"telegram","bot_token":"env:T","chat_id":"-1"}]})",
                               "c.json", Env({{"T", "1:abc"}}), resolver);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace rr
