// The packaged zip needs nothing from the build machine: unpacked into an empty directory and
// run there under chroot, `bootstrap` takes a root-usage alarm from the Runtime API emulator
// and delivers it to the fake providers. ops/test.sh builds the zip (ops/lambda/package.sh).
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tests/fakes/fake_lambda_runtime.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/run_binary.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(LambdaPackageTest, TheZipDeliversAnAlarmFromAnEmptyRoot) {
  const std::string zip = std::string(RR_SOURCE_DIR) + "/dist/root-responder-lambda.zip";
  ASSERT_TRUE(std::filesystem::exists(zip)) << zip << " is missing: run ops/lambda/package.sh";
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / ("rr-lambda-root-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "var/task");
  testing::BinaryInvocation unzip;
  unzip.path = "/usr/bin/unzip";
  unzip.args = {"-q", zip, "-d", (root / "var/task").string()};
  unzip.env = {{"PATH", "/usr/bin:/bin"}};
  testing::BinaryRun unzipped = testing::RunBinary(unzip);
  ASSERT_EQ(unzipped.exit_code, 0) << unzipped.Describe();

  FakeLambdaRuntime runtime;
  FakeDooray dooray;
  FakeTelegram telegram;
  ASSERT_TRUE(runtime.Start().ok());
  ASSERT_TRUE(dooray.Start().ok());
  ASSERT_TRUE(telegram.Start().ok());
  std::string id = runtime.Enqueue(
      testing::ReadFile(testing::TestdataDir() + "/sns/lambda-root-alert-alarm.json"));

  // The environment Lambda gives a provided.al2023 function, and the legacy variables.
  testing::BinaryInvocation lambda;
  lambda.path = "/usr/sbin/chroot";
  lambda.args = {root.string(), "/var/task/bootstrap"};
  lambda.env = {
      {"AWS_LAMBDA_RUNTIME_API", runtime.host_port()}, {"LAMBDA_TASK_ROOT", "/var/task"},
      {"LD_LIBRARY_PATH", "/var/task/lib:/opt/lib"},   {"TZ", "UTC"},
      {"DOORAY_HOOK_URL", dooray.hook_url()},          {"TELEGRAM_BOT_TOKEN", telegram.token()},
      {"TELEGRAM_CHAT_ID", "-1001234567890"},          {"TELEGRAM_API_BASE", telegram.api_base()}};
  lambda.timeout = milliseconds(30000);
  testing::BinaryRun run;
  std::thread process([&] { run = testing::RunBinary(lambda); });

  LambdaInvocationResult result = runtime.WaitForResult(id, seconds(20));
  runtime.Stop();  // the runtime loop gives up once the API is gone, and the process exits
  process.join();
  std::filesystem::remove_all(root);

  ASSERT_EQ(result.kind, LambdaInvocationResult::Kind::kResponse) << result.body << "\n"
                                                                  << run.Describe();
  EXPECT_NE(result.body.find("\"outcome\":\"delivered\""), std::string::npos) << result.body;
  EXPECT_NE(result.body.find("\"subject\":\"root 계정\""), std::string::npos);
  ASSERT_EQ(dooray.request_count(), 1u);
  ASSERT_EQ(telegram.request_count(), 1u);
  // Without a tzdb in the empty root, Seoul time still reads as KST.
  EXPECT_NE(telegram.requests()[0].body.find("18:45:31 KST"), std::string::npos)
      << telegram.requests()[0].body;
  EXPECT_FALSE(run.timed_out) << run.Describe();
}

}  // namespace
}  // namespace rr
