// `serve --sqs-queue-url` against moto's SQS over loopback: messages whose alerts are spooled
// are delivered and deleted; a message with nothing to send is deleted; a poison message is
// left in the queue for its redrive policy; nothing is deleted before it is spooled.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"
#include "responder/aws_json_call.h"
#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/daemon_process.h"
#include "tests/support/map_env.h"
#include "tests/support/sns_signer.h"

namespace rr {
namespace {

using namespace std::chrono_literals;

constexpr char kRegion[] = "ap-northeast-2";
constexpr char kDoorayToken[] = "ServeSqsDoorayHookToken31";

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

// What SNS puts in an SQS queue for a CloudWatch alarm (raw delivery off).
std::string SnsToSqsBody(const std::string& message_id, const std::string& state,
                         const std::string& reason) {
  std::string message = testing::AlarmMessage("root-alert", state, reason);
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"J({"Type":"Notification","MessageId":")J" + message_id +
         R"J(","TopicArn":"arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",)J"
         R"J("Subject":"ALARM: \"root-alert\" in Asia Pacific (Seoul)","Message":")J" +
         escaped +
         R"J(","Timestamp":"2026-03-02T09:45:31.140Z","SignatureVersion":"1","Signature":"c2ln",)J"
         R"J("SigningCertURL":"https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-x.pem",)J"
         R"J("UnsubscribeURL":"https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe"})J";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class ServeSqsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(moto_.Start().ok());
    ASSERT_TRUE(dooray_.Start().ok());
    Result<AwsEndpoint> sqs =
        ResolveAwsEndpoint(kSqsService, kRegion, Env(moto_.Environment(kRegion)));
    ASSERT_TRUE(sqs.ok()) << sqs.status().message();
    sqs_ = *sqs;
    AwsJsonReply created = Call("CreateQueue", R"({"QueueName":"root-alerts"})");
    ASSERT_TRUE(created.ok()) << created.status.message();
    queue_url_ = std::string(AsView(created.answer["QueueUrl"]));

    std::string pattern = (std::filesystem::temp_directory_path() / "rr-serve-sqs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    std::ofstream(dir_ + "/config.json") << R"({
  "channels": [{"name": "dooray-sec", "type": "dooray", "url": "env:RR_SQS_DOORAY_URL"}],
  "escalation": {"correlation_window_seconds": 0, "repeat_seconds": 0},
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2, "deadline_seconds": 5}
})";
    env_ = moto_.Environment(kRegion);
    env_["RR_SQS_DOORAY_URL"] = dooray_.hook_url();
  }

  void TearDown() override {
    daemon_.Kill();
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  AwsJsonReply Call(const std::string& operation, const std::string& body) {
    AwsCredentials credentials;
    credentials.access_key_id = "AKIDSERVESQSTEST";
    credentials.secret_access_key = "serveSqsTestSecretKey";
    return AwsJsonCall(client_, credentials, sqs_, "AmazonSQS." + operation, body);
  }

  void Send(const std::string& body) {
    AwsJsonReply r = Call("SendMessage", R"({"QueueUrl":)" + JsonString(queue_url_) +
                                             R"(,"MessageBody":)" + JsonString(body) + "}");
    ASSERT_TRUE(r.ok()) << r.status.message();
  }

  // Visible + in flight.
  int MessagesLeft() {
    AwsJsonReply r = Call("GetQueueAttributes", R"({"QueueUrl":)" + JsonString(queue_url_) +
                                                    R"(,"AttributeNames":["All"]})");
    if (!r.ok()) return -1;
    const JsonValue& a = r.answer["Attributes"];
    return std::stoi(std::string(AsView(a["ApproximateNumberOfMessages"]))) +
           std::stoi(std::string(AsView(a["ApproximateNumberOfMessagesNotVisible"])));
  }

  void StartDaemon() {
    ASSERT_TRUE(
        daemon_.Start(RR_BINARY,
                      {"serve", "--config=" + dir_ + "/config.json", "--listen=127.0.0.1:0",
                       "--spool=" + dir_ + "/spool.db",
                       "--sns-topics=arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic",
                       "--sqs-queue-url=" + queue_url_, "--aws-endpoint-url=" + moto_.url(),
                       "--sqs-wait-seconds=1"},
                      env_, dir_ + "/daemon.log"))
        << daemon_.error();
  }

  MotoServer moto_;
  FakeDooray dooray_{kDoorayToken};
  HttpClient client_;
  AwsEndpoint sqs_;
  std::string queue_url_;
  std::string dir_;
  std::map<std::string, std::string> env_;
  testing::DaemonProcess daemon_;
};

TEST_F(ServeSqsTest, AlertsAreDeliveredAndTheirMessagesDeletedPoisonIsLeftForRedrive) {
  Send(SnsToSqsBody("44444444-0000-4000-8000-000000000001", "ALARM", "alert #1;"));
  Send(SnsToSqsBody("44444444-0000-4000-8000-000000000002", "ALARM", "alert #2;"));
  // INSUFFICIENT_DATA is not in notify_states (an OK would resolve the alarms: escalation_test).
  Send(SnsToSqsBody("44444444-0000-4000-8000-000000000003", "INSUFFICIENT_DATA", "no data"));
  Send("{\"this is\": \"not an alert\"");  // poison: truncated JSON
  StartDaemon();

  ASSERT_TRUE(dooray_.WaitForRequests(2, 20s)) << daemon_.Log();
  std::set<std::string> bodies;
  for (const RecordedRequest& r : dooray_.requests()) bodies.insert(r.body);
  int left = -1;
  for (int i = 0; i < 100; ++i) {
    left = MessagesLeft();
    if (left == 1) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(left, 1) << "only the poison message stays (in flight, for the redrive policy)\n"
                     << daemon_.Log();
  EXPECT_EQ(dooray_.request_count(), 2u);
  EXPECT_EQ(daemon_.Stop(), 0) << daemon_.Log();
  const std::string log = daemon_.Log();
  EXPECT_NE(log.find("poison_message source=sqs"), std::string::npos) << log;
  EXPECT_NE(log.find("ignored source=sqs"), std::string::npos) << log;
  EXPECT_EQ(log.find("serveSqsTestSecretKey"), std::string::npos);
  EXPECT_EQ(log.find(kDoorayToken), std::string::npos);
}

TEST_F(ServeSqsTest, ARedeliveredMessageIsNotPagedTwice) {
  const std::string body =
      SnsToSqsBody("55555555-0000-4000-8000-000000000001", "ALARM", "alert #1;");
  Send(body);
  Send(body);  // SQS delivers at least once: the same SNS MessageId twice
  StartDaemon();
  ASSERT_TRUE(dooray_.WaitForRequests(1, 20s)) << daemon_.Log();
  int left = -1;
  for (int i = 0; i < 100 && left != 0; ++i) {
    left = MessagesLeft();
    if (left != 0) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(left, 0) << daemon_.Log();
  EXPECT_EQ(dooray_.request_count(), 1u) << daemon_.Log();
}

}  // namespace
}  // namespace rr
