// The Lambda loop over real sockets: the Runtime API emulator on one side, the fake Dooray,
// Telegram and NHN SMS on the other, the same Dispatcher `once` uses in between.
#include "responder/lambda_runtime.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "responder/channel_factory.h"
#include "responder/lambda_handler.h"
#include "responder/setup.h"
#include "tests/fakes/fake_lambda_runtime.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/run_binary.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class LambdaRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(runtime_.Start().ok());
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    env_ = {
        {"HOOK", dooray_.hook_url()}, {"TG", telegram_.token()}, {"TG_BASE", telegram_.api_base()}};
    std::string config = R"({"retry":{"base_seconds":0.01,"cap_seconds":0.05,"max_attempts":3,
        "deadline_seconds":10},
      "channels":[{"name":"dooray","type":"dooray","url":"env:HOOK"},
                  {"name":"telegram","type":"telegram","api_base":"env:TG_BASE",
                   "bot_token":"env:TG","chat_id":"-1001234567890"}]})";
    ConfigReport report = ParseConfig(config, "test", [&](const std::string& k) {
      auto it = env_.find(k);
      return it == env_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
    ASSERT_TRUE(report.ok()) << report.problems.front();
    RenderContext ctx;
    ctx.time_zone = *FindTimeZone("Asia/Seoul");
    dispatcher_ = std::make_unique<Dispatcher>(report.config, BuildChannels(report.config), ctx);
    api_ = MakeRuntimeApi(runtime_.host_port());
    // One handler for the life of the container, as in the binary: its memory of what was
    // sent is what keeps a retried invocation from paging twice.
    handler_ = std::make_unique<LambdaHandler>(*dispatcher_, client_, SystemClock(), SystemRandom(),
                                               milliseconds(200));
  }

  // Runs the loop for `n` invocations with the real clock.
  void RunLoop(int n) {
    int rc = RunRuntimeLoop(
        *api_, [&](const Invocation& inv) { return handler_->Handle(inv); }, SystemClock(), n);
    EXPECT_EQ(rc, 0);
  }

  std::string Payload(const std::string& file) {
    return testing::ReadFile(testing::TestdataDir() + "/" + file);
  }

  FakeLambdaRuntime runtime_;
  FakeDooray dooray_;
  FakeTelegram telegram_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<RuntimeApi> api_;
  HttpClient client_;
  std::unique_ptr<LambdaHandler> handler_;
};

TEST_F(LambdaRuntimeTest, ARootAlarmIsDeliveredAndTheOutcomeIsTheResponse) {
  std::string id = runtime_.Enqueue(Payload("sns/lambda-root-alert-alarm.json"));
  RunLoop(1);
  LambdaInvocationResult r = runtime_.WaitForResult(id, seconds(5));
  ASSERT_EQ(r.kind, LambdaInvocationResult::Kind::kResponse) << r.body;
  EXPECT_NE(r.body.find("\"outcome\":\"delivered\""), std::string::npos) << r.body;
  EXPECT_EQ(dooray_.request_count(), 1u);
  EXPECT_EQ(telegram_.request_count(), 1u);
  EXPECT_NE(std::getenv("_X_AMZN_TRACE_ID"), nullptr) << "the trace id is copied for the SDKs";
}

TEST_F(LambdaRuntimeTest, AnOutageIsAnErrorSoLambdaRetriesAndNothingDeliveredIsResent) {
  dooray_.Script(
      {FakeDooray::ServerError(503), FakeDooray::ServerError(503), FakeDooray::ServerError(503)});
  telegram_.Script(
      {FakeTelegram::BadGateway(), FakeTelegram::BadGateway(), FakeTelegram::BadGateway()});
  const std::string payload = Payload("sns/lambda-root-alert-alarm.json");
  std::string first = runtime_.Enqueue(payload);
  RunLoop(1);
  LambdaInvocationResult r = runtime_.WaitForResult(first, seconds(5));
  ASSERT_EQ(r.kind, LambdaInvocationResult::Kind::kError);
  EXPECT_EQ(r.error_type, "Delivery.Failed");
  EXPECT_EQ(r.content_type, "application/vnd.aws.lambda.error+json");
  EXPECT_NE(r.body.find("no channel got through"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(telegram_.token()), std::string::npos) << "no secret in the error";

  // Lambda's retry: the services are back; both channels deliver.
  std::string retry = runtime_.Enqueue(payload);
  RunLoop(1);
  r = runtime_.WaitForResult(retry, seconds(5));
  ASSERT_EQ(r.kind, LambdaInvocationResult::Kind::kResponse) << r.body;
  EXPECT_NE(r.body.find("\"outcome\":\"delivered\""), std::string::npos);

  // SNS delivers the same message again: nothing is sent twice from this warm container.
  const size_t dooray_before = dooray_.request_count();
  const size_t telegram_before = telegram_.request_count();
  std::string duplicate = runtime_.Enqueue(payload);
  RunLoop(1);
  r = runtime_.WaitForResult(duplicate, seconds(5));
  ASSERT_EQ(r.kind, LambdaInvocationResult::Kind::kResponse);
  EXPECT_NE(r.body.find("\"status\":\"skipped\""), std::string::npos) << r.body;
  EXPECT_EQ(dooray_.request_count(), dooray_before);
  EXPECT_EQ(telegram_.request_count(), telegram_before);
}

TEST_F(LambdaRuntimeTest, OnlyTheChannelThatFailedIsTriedAgainOnRetry) {
  telegram_.Script(
      {FakeTelegram::BadGateway(), FakeTelegram::BadGateway(), FakeTelegram::BadGateway()});
  dooray_.Script(
      {FakeDooray::ServerError(503), FakeDooray::ServerError(503), FakeDooray::ServerError(503)});
  const std::string payload = Payload("eventbridge/root-console-login-success.json");
  runtime_.Enqueue(payload);
  RunLoop(1);
  // Partly back: Dooray answers, Telegram still fails -> partial, a success for Lambda.
  telegram_.Script(
      {FakeTelegram::BadGateway(), FakeTelegram::BadGateway(), FakeTelegram::BadGateway()});
  std::string second = runtime_.Enqueue(payload);
  RunLoop(1);
  LambdaInvocationResult r = runtime_.WaitForResult(second, seconds(5));
  ASSERT_EQ(r.kind, LambdaInvocationResult::Kind::kResponse) << r.body;
  EXPECT_NE(r.body.find("\"outcome\":\"partial\""), std::string::npos) << r.body;
  const size_t dooray_before = dooray_.request_count();
  std::string third = runtime_.Enqueue(payload);
  RunLoop(1);
  r = runtime_.WaitForResult(third, seconds(5));
  EXPECT_NE(r.body.find("\"outcome\":\"delivered\""), std::string::npos) << r.body;
  EXPECT_EQ(dooray_.request_count(), dooray_before) << "Dooray already had it";
}

TEST_F(LambdaRuntimeTest, IgnoredAndRejectedPayloadsSucceedBecauseARetryCannotFixThem) {
  std::string ok_state = runtime_.Enqueue(Payload("sns/lambda-ok-state.json"));
  std::string garbage = runtime_.Enqueue("{\"hello\":");
  RunLoop(2);
  LambdaInvocationResult a = runtime_.WaitForResult(ok_state, seconds(5));
  LambdaInvocationResult b = runtime_.WaitForResult(garbage, seconds(5));
  ASSERT_EQ(a.kind, LambdaInvocationResult::Kind::kResponse);
  EXPECT_NE(a.body.find("\"outcome\":\"ignored\""), std::string::npos);
  ASSERT_EQ(b.kind, LambdaInvocationResult::Kind::kResponse);
  EXPECT_NE(b.body.find("\"outcome\":\"rejected\""), std::string::npos);
  EXPECT_EQ(dooray_.request_count() + telegram_.request_count(), 0u);
}

TEST_F(LambdaRuntimeTest, AWaitLongerThanTheInvocationHasLeftIsNotAttempted) {
  // Both services ask for a second; the invocation has far less than that.
  dooray_.Script({FakeDooray::RateLimited(1)});
  telegram_.Script({FakeTelegram::Flood(1)});
  // 300 ms of invocation, 200 ms kept back: 100 ms for everything.
  std::string id = runtime_.Enqueue(Payload("sns/lambda-root-alert-alarm.json"), milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  RunLoop(1);
  LambdaInvocationResult r = runtime_.WaitForResult(id, seconds(5));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
  ASSERT_EQ(r.kind, LambdaInvocationResult::Kind::kError) << r.body;
  EXPECT_NE(r.body.find("deadline"), std::string::npos) << r.body;
  EXPECT_EQ(dooray_.request_count(), 1u) << "no retry was started";
}

TEST_F(LambdaRuntimeTest, AThrowingHandlerBecomesAnErrorPostNotADeadRuntime) {
  std::string first = runtime_.Enqueue("{}");
  std::string second = runtime_.Enqueue(Payload("sns/lambda-root-alert-alarm.json"));
  LambdaHandler handler(*dispatcher_, client_, SystemClock(), SystemRandom());
  int calls = 0;
  RunRuntimeLoop(
      *api_,
      [&](const Invocation& inv) -> HandlerResult {
        if (++calls == 1) throw std::runtime_error("boom: 한글 메시지");
        return handler.Handle(inv);
      },
      SystemClock(), 2);
  LambdaInvocationResult a = runtime_.WaitForResult(first, seconds(5));
  ASSERT_EQ(a.kind, LambdaInvocationResult::Kind::kError);
  EXPECT_EQ(a.error_type, "Runtime.UnhandledException");
  EXPECT_NE(a.body.find("boom: 한글 메시지"), std::string::npos) << "UTF-8 survives: " << a.body;
  EXPECT_EQ(runtime_.WaitForResult(second, seconds(5)).kind,
            LambdaInvocationResult::Kind::kResponse);
}

TEST_F(LambdaRuntimeTest, AFailedPostToTheRuntimeApiIsRetried) {
  runtime_.InjectFailures(FakeLambdaRuntime::Endpoint::kResponse, 2,
                          FakeLambdaRuntime::Failure::kServerError);
  std::string id = runtime_.Enqueue(Payload("sns/lambda-ok-state.json"));
  RunLoop(1);
  EXPECT_EQ(runtime_.WaitForResult(id, seconds(5)).kind, LambdaInvocationResult::Kind::kResponse);
}

TEST_F(LambdaRuntimeTest, APostTheApiTookBeforeDroppingTheConnectionIsNotRepeated) {
  runtime_.InjectFailures(FakeLambdaRuntime::Endpoint::kResponse, 1,
                          FakeLambdaRuntime::Failure::kDropAfterAccept);
  std::string id = runtime_.Enqueue(Payload("sns/lambda-ok-state.json"));
  RunLoop(1);
  EXPECT_EQ(runtime_.WaitForResult(id, seconds(5)).kind, LambdaInvocationResult::Kind::kResponse);
}

TEST(LambdaBinaryTest, BadConfigurationGoesToInitError) {
  FakeLambdaRuntime runtime;
  ASSERT_TRUE(runtime.Start().ok());
  std::string id = runtime.Enqueue("{}");
  testing::BinaryInvocation call;
  call.path = RR_BINARY;
  call.args = {"lambda"};
  call.env = {{"AWS_LAMBDA_RUNTIME_API", runtime.host_port()},
              {"TELEGRAM_BOT_TOKEN", "123:planted-token-value"}};
  call.timeout = milliseconds(10000);
  testing::BinaryRun r = testing::RunBinary(call);
  EXPECT_EQ(r.exit_code, 64) << r.Describe();
  std::vector<LambdaInitError> errors = runtime.init_errors();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].error_type, "Runtime.ConfigInvalid");
  EXPECT_NE(errors[0].body.find("TELEGRAM_CHAT_ID"), std::string::npos) << errors[0].body;
  EXPECT_EQ(errors[0].body.find("planted-token-value"), std::string::npos);
}

}  // namespace
}  // namespace rr
