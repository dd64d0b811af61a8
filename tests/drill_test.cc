// `root-responder drill` as operators run it, against moto on loopback: the alarm chain created
// as ops/demo/aws_setup.py (and the CloudFormation) creates it, `serve` subscribed to the topic,
// a fake Dooray as the channel. The checklist must tell the truth about every hop: simulated
// where the drill did the work itself, unknown where moto cannot show a hop, failed where the
// chain is broken; and the alarm is back in OK at the end, also after SIGINT.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "alarm/json.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"
#include "responder/cloudwatch_api.h"
#include "tests/fakes/fake_cloudwatch.h"
#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/daemon_process.h"
#include "tests/support/map_env.h"
#include "tests/support/run_binary.h"
#include "tests/support/sns_signer.h"

namespace rr {
namespace {

using namespace std::chrono_literals;

constexpr char kRegion[] = "ap-northeast-2";

std::string Str(const JsonValue& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? std::string(AsView(it->value)) : "";
}

// The --json checklist: hop name -> {status, evidence}.
std::map<std::string, std::pair<std::string, std::string>> Hops(const std::string& out) {
  JsonDocument doc;
  std::map<std::string, std::pair<std::string, std::string>> hops;
  if (!ParseJson(out, JsonLimits{}, "checklist", &doc).ok() || !doc.IsObject()) return hops;
  for (const JsonValue& h : doc["hops"].GetArray()) {
    hops[Str(h, "hop")] = {Str(h, "status"), Str(h, "evidence")};
  }
  return hops;
}

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

class DrillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(moto_.Start().ok());
    ASSERT_TRUE(dooray_.Start().ok());
    std::string pattern = (std::filesystem::temp_directory_path() / "rr-drill-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ + "/config.json") << R"({
  "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
  "channels": [{"name": "dooray-sec", "type": "dooray", "url": "env:RR_DRILL_DOORAY_URL"}],
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2, "deadline_seconds": 5}
})";
    env_ = moto_.Environment(kRegion);
    env_["RR_DRILL_DOORAY_URL"] = dooray_.hook_url();
    env_["AWS_DEFAULT_REGION"] = kRegion;  // boto3 (aws_setup.py) reads this one
    ASSERT_TRUE(daemon_.Start(RR_BINARY,
                              {"serve", "--config=" + dir_ + "/config.json", "--listen=127.0.0.1:0",
                               "--spool=" + dir_ + "/spool.db", "--sns-verify=false"},
                              env_, dir_ + "/daemon.log"))
        << daemon_.error();
  }

  void TearDown() override {
    daemon_.Kill();
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  // The chain as ops/demo/aws_setup.py creates it: filter, topic, alarm, HTTP subscription.
  void CreateChain() {
    testing::BinaryInvocation setup;
    setup.path = "/usr/bin/env";
    setup.args = {"python3", std::string(RR_SOURCE_DIR) + "/ops/demo/aws_setup.py",
                  daemon_.base_url() + "/sns"};
    setup.env = env_;
    setup.env["PATH"] = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
    if (const char* home = std::getenv("HOME")) setup.env["HOME"] = home;
    testing::BinaryRun run = testing::RunBinary(setup);
    ASSERT_EQ(run.exit_code, 0) << run.Describe();
  }

  testing::BinaryRun Drill(std::vector<std::string> extra) {
    testing::BinaryInvocation inv;
    inv.path = RR_BINARY;
    inv.args = {"drill", "--alarm-name=root-alert", "--endpoint-url=" + moto_.url(), "--json"};
    inv.args.insert(inv.args.end(), extra.begin(), extra.end());
    inv.env = env_;
    inv.timeout = 60s;
    return testing::RunBinary(inv);
  }

  std::string AlarmState() {
    AwsEndpoint endpoint = *ResolveAwsEndpoint(kCloudWatchService, kRegion, Env(env_));
    AwsCredentials credentials;
    credentials.access_key_id = env_["AWS_ACCESS_KEY_ID"];
    credentials.secret_access_key = env_["AWS_SECRET_ACCESS_KEY"];
    StaticAwsCredentials provider(credentials);
    CloudWatchApi cw(client_, provider, endpoint);
    Result<std::optional<AlarmInfo>> alarm = cw.DescribeAlarm("root-alert");
    return alarm.ok() && *alarm ? (*alarm)->state_value : "?";
  }

  MotoServer moto_;
  FakeDooray dooray_;
  HttpClient client_;
  std::string dir_;
  std::map<std::string, std::string> env_;
  testing::DaemonProcess daemon_;
};

TEST_F(DrillTest, SimulatedActionTravelsTheWholeChainAndSaysItWasSimulated) {
  CreateChain();
  testing::BinaryRun run =
      Drill({"--simulate-action", "--responder-url=" + daemon_.base_url(), "--wait-seconds=20"});
  EXPECT_EQ(run.exit_code, 3) << run.Describe();  // every hop passed but one, simulated
  auto hops = Hops(run.out);
  EXPECT_EQ(hops["alarm found"].first, "pass") << run.out;
  EXPECT_EQ(hops["actions enabled"].first, "pass") << run.out;
  EXPECT_EQ(hops["state changed"].first, "pass") << run.out;
  EXPECT_EQ(hops["SNS publish (root-alert-topic)"].first, "simulated") << run.out;
  EXPECT_EQ(hops["responder received"].first, "pass") << run.out << daemon_.Log();
  EXPECT_EQ(hops["channel dooray-sec delivered"].first, "pass") << run.out;
  EXPECT_EQ(hops["alarm back to OK"].first, "pass") << run.out;
  ASSERT_EQ(dooray_.request_count(), 1u);
  EXPECT_NE(dooray_.requests()[0].body.find("[DRILL]"), std::string::npos);
  EXPECT_EQ(AlarmState(), "OK");
}

TEST_F(DrillTest, WithoutSimulationMotoCannotShowTheActionAndTheDrillDoesNotPretend) {
  CreateChain();
  testing::BinaryRun run = Drill({"--responder-url=" + daemon_.base_url(), "--wait-seconds=2"});
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  auto hops = Hops(run.out);
  EXPECT_EQ(hops["SNS publish (root-alert-topic)"].first, "unknown") << run.out;
  EXPECT_NE(hops["SNS publish (root-alert-topic)"].second.find("not supported"), std::string::npos)
      << run.out;
  // moto's alarm never ran its action: nothing reached the responder, and the drill says so.
  EXPECT_EQ(hops["responder received"].first, "fail") << run.out;
  EXPECT_EQ(dooray_.request_count(), 0u);
  EXPECT_EQ(AlarmState(), "OK");
}

TEST_F(DrillTest, AMissingAlarmFailsTheFirstHopAndTouchesNothing) {
  testing::BinaryRun run = Drill({"--wait-seconds=1"});
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  auto hops = Hops(run.out);
  EXPECT_EQ(hops.size(), 1u) << run.out;
  EXPECT_EQ(hops["alarm found"].first, "fail");
  EXPECT_NE(hops["alarm found"].second.find("no metric or composite alarm named root-alert"),
            std::string::npos);
}

TEST_F(DrillTest, SigintStillPutsTheAlarmBackToOk) {
  CreateChain();
  // A responder that never heard of the drill: the drill waits for it, and is interrupted.
  std::vector<std::string> args = {RR_BINARY,
                                   "drill",
                                   "--alarm-name=root-alert",
                                   "--endpoint-url=" + moto_.url(),
                                   "--responder-url=" + daemon_.base_url(),
                                   "--wait-seconds=60"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage;
  for (const auto& [k, v] : env_) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir_ + "/drill.out").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir_ + "/drill.err").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, RR_BINARY, &actions, nullptr, argv.data(), envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  // Wait until the alarm fires, then interrupt.
  for (int i = 0; i < 100 && AlarmState() != "ALARM"; ++i) std::this_thread::sleep_for(100ms);
  std::this_thread::sleep_for(500ms);
  ::kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  std::ifstream out(dir_ + "/drill.out");
  std::string text((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 130) << status << "\n" << text;
  EXPECT_NE(text.find("interrupted, the alarm was put back to OK"), std::string::npos) << text;
  EXPECT_EQ(AlarmState(), "OK");
}

// Against a fake CloudWatch that runs alarm actions as AWS does: a signed SNS notification to the
// daemon (which verifies it) and an Action history item. Every hop can pass, and a broken topic
// policy shows up where it does on AWS: only in the alarm history.
class DrillFakeCloudWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cloudwatch_.Start().ok());
    ASSERT_TRUE(dooray_.Start().ok());
    std::string pattern = (std::filesystem::temp_directory_path() / "rr-drill-cw-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ + "/config.json") << R"({
  "channels": [{"name": "dooray-sec", "type": "dooray", "url": "env:RR_DRILL_DOORAY_URL"}],
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2, "deadline_seconds": 5}
})";
    env_ = {{"RR_DRILL_DOORAY_URL", dooray_.hook_url()},
            {"AWS_ACCESS_KEY_ID", "AKIDDRILLFAKECW00001"},
            {"AWS_SECRET_ACCESS_KEY", "drillFakeCloudWatchSecret"},
            {"AWS_REGION", "ap-northeast-2"},
            {"AWS_EC2_METADATA_DISABLED", "true"}};
    topic_ = cloudwatch_.TopicArn("root-alert-topic");
    ASSERT_TRUE(daemon_.Start(RR_BINARY,
                              {"serve", "--config=" + dir_ + "/config.json", "--listen=127.0.0.1:0",
                               "--spool=" + dir_ + "/spool.db", "--sns-topics=" + topic_,
                               "--sns-certs=" + testing::TestSigningCertPath()},
                              env_, dir_ + "/daemon.log"))
        << daemon_.error();
    FakeAlarm alarm;
    alarm.name = "root-alert";
    alarm.alarm_actions = {topic_};
    cloudwatch_.SetAlarm(alarm);
    cloudwatch_.PublishTo(daemon_.base_url() + "/sns");
  }

  void TearDown() override {
    daemon_.Kill();
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  testing::BinaryRun Drill() {
    testing::BinaryInvocation inv;
    inv.path = RR_BINARY;
    inv.args = {"drill",
                "--alarm-name=root-alert",
                "--endpoint-url=" + cloudwatch_.base_url(),
                "--responder-url=" + daemon_.base_url(),
                "--wait-seconds=10",
                "--json"};
    inv.env = env_;
    inv.timeout = 60s;
    return testing::RunBinary(inv);
  }

  FakeCloudWatch cloudwatch_;
  FakeDooray dooray_;
  std::string dir_;
  std::string topic_;
  std::map<std::string, std::string> env_;
  testing::DaemonProcess daemon_;
};

TEST_F(DrillFakeCloudWatchTest, EveryHopPassesWhenTheChainWorks) {
  testing::BinaryRun run = Drill();
  EXPECT_EQ(run.exit_code, 0) << run.Describe() << daemon_.Log();
  auto hops = Hops(run.out);
  EXPECT_EQ(hops["SNS publish (root-alert-topic)"].first, "pass") << run.out;
  EXPECT_NE(hops["SNS publish (root-alert-topic)"].second.find("Successfully executed action"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(hops["responder received"].first, "pass") << run.out;
  EXPECT_EQ(hops["channel dooray-sec delivered"].first, "pass") << run.out;
  EXPECT_EQ(cloudwatch_.alarm("root-alert")->state_value, "OK");
  // The drill set OK, then ALARM with its id, then OK again.
  auto calls = cloudwatch_.set_alarm_state_calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[1].state, "ALARM");
  EXPECT_NE(calls[1].reason.find("drill id=rrd-"), std::string::npos);
  EXPECT_EQ(run.err.find("drillFakeCloudWatchSecret"), std::string::npos);
}

TEST_F(DrillFakeCloudWatchTest, ATopicPolicyThatRefusesCloudWatchFailsThePublishHop) {
  cloudwatch_.FailActions(FakeCloudWatch::NotAuthorizedError(topic_));
  testing::BinaryRun run = Drill();
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  auto hops = Hops(run.out);
  EXPECT_EQ(hops["SNS publish (root-alert-topic)"].first, "fail") << run.out;
  EXPECT_NE(hops["SNS publish (root-alert-topic)"].second.find("not authorized"), std::string::npos)
      << run.out;
  EXPECT_EQ(hops["responder received"].first, "fail") << run.out;
  EXPECT_EQ(dooray_.request_count(), 0u);
  EXPECT_EQ(cloudwatch_.alarm("root-alert")->state_value, "OK");
}

}  // namespace
}  // namespace rr
