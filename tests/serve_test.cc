// `root-responder serve` as operators run it: the real binary, signed SNS POSTs over loopback,
// the fake providers as channels, a real SQLite spool. Forged and foreign messages are
// refused; accepted ones are delivered once; SIGKILL at any moment loses nothing that was
// answered 200; a provider outage delays delivery but loses nothing.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "channels/http_client.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/daemon_process.h"
#include "tests/support/run_binary.h"
#include "tests/support/sns_signer.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using namespace std::chrono_literals;
using testing::DaemonProcess;

constexpr char kDoorayToken[] = "ServeTestDoorayHookToken77";
constexpr char kTelegramToken[] = "7733445566:AAServeTestTelegramBotToken_q";
constexpr char kChatId[] = "-1009876543210";
constexpr char kAlarmTopic[] = "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic";
constexpr char kActivityTopic[] = "arn:aws:sns:us-east-1:111122223333:root-activity";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    std::string pattern = (std::filesystem::temp_directory_path() / "rr-serve-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    env_["RR_SERVE_DOORAY_URL"] = dooray_.hook_url();
    env_["RR_SERVE_TELEGRAM_TOKEN"] = kTelegramToken;
    std::ofstream(dir_ + "/config.json") << R"({
  "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
  "channels": [
    {"name": "dooray-sec", "type": "dooray", "url": "env:RR_SERVE_DOORAY_URL"},
    {"name": "telegram-oncall", "type": "telegram", "api_base": ")" +
                                                telegram_.api_base() + R"(",
     "bot_token": "env:RR_SERVE_TELEGRAM_TOKEN", "chat_id": ")" +
                                                kChatId + R"("}
  ],
  "escalation": {"correlation_window_seconds": 0, "repeat_seconds": 0},
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2, "deadline_seconds": 5}
})";
  }

  void TearDown() override {
    daemon_.Kill();
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  std::vector<std::string> Args(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "serve",
        "--config=" + dir_ + "/config.json",
        "--listen=127.0.0.1:0",
        "--spool=" + dir_ + "/spool.db",
        "--sns-topics=" + std::string(kAlarmTopic) + "," + kActivityTopic,
        "--sns-certs=" + testing::TestSigningCertPath(),
        "--round-delay-ms=200"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  void StartDaemon(std::vector<std::string> extra = {}) {
    ASSERT_TRUE(daemon_.Start(RR_BINARY, Args(std::move(extra)), env_, dir_ + "/daemon.log"))
        << daemon_.error();
  }

  HttpResponse Post(const std::string& body, HttpHeaders headers = {}) {
    HttpRequest r;
    r.url = daemon_.base_url() + "/";
    r.headers = std::move(headers);
    r.headers.emplace_back("Content-Type", "text/plain; charset=UTF-8");
    r.body = body;
    return client_.Send(r);
  }

  HttpResponse Get(const std::string& path) {
    HttpRequest r;
    r.method = "GET";
    r.url = daemon_.base_url() + path;
    return client_.Send(r);
  }

  std::string Alarm(const std::string& message_id, const std::string& reason) {
    testing::SnsNotification n;
    n.message_id = message_id;
    n.subject = "ALARM: \"root-alert\" in Asia Pacific (Seoul)";
    n.message = testing::AlarmMessage("root-alert", "ALARM", reason);
    std::string body = testing::SignedNotificationBody(n);
    EXPECT_FALSE(body.empty()) << "could not sign with the test key";
    return body;
  }

  // The distinct markers "#<n>;" the fake received, in its requests from the `from`-th on (the
  // ones before may have been answered with a scripted failure).
  static std::set<int> MarkersSeen(const FakeHttpServer& fake, size_t from = 0) {
    std::set<int> seen;
    const std::vector<RecordedRequest> requests = fake.requests();
    for (size_t i = from; i < requests.size(); ++i) {
      const RecordedRequest& r = requests[i];
      for (size_t at = r.body.find("alert #"); at != std::string::npos;
           at = r.body.find("alert #", at + 1)) {
        seen.insert(std::atoi(r.body.c_str() + at + 7));
      }
    }
    return seen;
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
  FakeDooray dooray_{kDoorayToken};
  FakeTelegram telegram_{kTelegramToken};
  HttpClient client_;
  DaemonProcess daemon_;
};

TEST_F(ServeTest, SignedAlarmIsAcceptedThenDeliveredToEveryChannel) {
  StartDaemon();
  HttpResponse r = Post(Alarm("11111111-0000-4000-8000-000000000001", "Threshold Crossed"),
                        {{"x-amz-sns-message-type", "Notification"}});
  ASSERT_TRUE(r.transport_ok()) << r.error;
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "accepted\n");
  ASSERT_TRUE(dooray_.WaitForRequests(1, 10s)) << daemon_.Log();
  ASSERT_TRUE(telegram_.WaitForRequests(1, 10s)) << daemon_.Log();
  EXPECT_TRUE(Contains(dooray_.requests()[0].body, "root 계정"));

  // /metrics counts what happened; /healthz answers.
  std::string metrics;
  for (int i = 0; i < 100; ++i) {
    metrics = Get("/metrics").body;
    if (Contains(metrics, "rr_alerts_finished_total{outcome=\"delivered\"} 1")) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(Contains(metrics, "rr_alerts_accepted_total{source=\"sns-http\"} 1")) << metrics;
  EXPECT_TRUE(Contains(metrics, "rr_deliveries_sent_total{channel=\"dooray-sec\"} 1")) << metrics;
  EXPECT_TRUE(Contains(metrics, "rr_alerts_finished_total{outcome=\"delivered\"} 1")) << metrics;
  EXPECT_TRUE(Contains(metrics, "rr_delivery_latency_seconds_bucket")) << metrics;
  HttpResponse health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_TRUE(Contains(health.body, "ok")) << health.body;

  EXPECT_EQ(daemon_.Stop(), 0) << daemon_.Log();
  const std::string log = daemon_.Log();
  EXPECT_TRUE(Contains(log, "stopping signal=SIGTERM")) << log;
  EXPECT_FALSE(Contains(log, kDoorayToken)) << log;
  EXPECT_FALSE(Contains(log, kTelegramToken)) << log;
}

TEST_F(ServeTest, TheCommittedFixturesVerifyOrAreRefusedForTheRightReason) {
  StartDaemon();
  const std::map<std::string, int> expected = {
      {"notification-v1-subject.json", 200},
      {"notification-v1-no-subject.json", 200},
      {"notification-v2-subject.json", 200},
      {"notification-v2-no-subject.json", 200},
      {"tampered-message.json", 403},
      {"tampered-subject.json", 403},
      {"subject-added.json", 403},
      {"wrong-host.json", 403},
      {"http-cert-url.json", 403},
      {"unknown-topic.json", 403},
      {"signature-version-3.json", 403},
      {"truncated-signature.json", 403},
      {"bad-base64.json", 403},
      {"moto-subject.json", 403},
      {"unsubscribe-confirmation.json", 200},
  };
  for (const auto& [name, status] : expected) {
    const std::string body = testing::ReadFile(testing::TestdataDir() + "/sns-signed/" + name);
    HttpResponse r = Post(body);
    ASSERT_TRUE(r.transport_ok()) << name << ": " << r.error;
    EXPECT_EQ(r.status, status) << name << ": " << r.body;
  }
  // The four good notifications carry two alerts (one alarm, one sign-in event), twice each
  // as v1 and v2 with the same MessageId... whatever their ids, nothing forged got through.
  ASSERT_TRUE(dooray_.WaitForRequests(1, 10s)) << daemon_.Log();
  std::this_thread::sleep_for(300ms);
  for (const RecordedRequest& r : dooray_.requests()) {
    EXPECT_FALSE(Contains(r.body, "tampered")) << r.body;
  }
  const std::string log = daemon_.Log();
  EXPECT_TRUE(Contains(log, "reason=signature")) << log;
  EXPECT_TRUE(Contains(log, "reason=topic")) << log;
  EXPECT_TRUE(Contains(log, "unsubscribed topic=")) << log;
}

TEST_F(ServeTest, MalformedBodiesAreRefusedWith400AndNothingIsSent) {
  StartDaemon();
  for (const std::string& body : {std::string("not json"), std::string("{\"hello\":1}"),
                                  std::string("[]"), std::string(R"({"Type":"Notification"})")}) {
    HttpResponse r = Post(body);
    ASSERT_TRUE(r.transport_ok()) << r.error;
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
  }
  // A header that disagrees with the body.
  HttpResponse r = Post(Alarm("11111111-0000-4000-8000-000000000002", "x"),
                        {{"x-amz-sns-message-type", "SubscriptionConfirmation"}});
  EXPECT_EQ(r.status, 400) << r.body;
  // Over the body limit: the server refuses before anything is parsed.
  HttpResponse big = Post(std::string(400 * 1024, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(dooray_.request_count() + telegram_.request_count(), 0u);
}

TEST_F(ServeTest, ARedeliveredNotificationIsAnsweredButNotPagedAgain) {
  StartDaemon();
  const std::string body = Alarm("11111111-0000-4000-8000-000000000003", "alert #1;");
  EXPECT_EQ(Post(body).body, "accepted\n");
  ASSERT_TRUE(dooray_.WaitForRequests(1, 10s));
  EXPECT_EQ(Post(body).body, "duplicate\n");
  // Across a restart too: the spool remembers.
  EXPECT_EQ(daemon_.Stop(), 0);
  StartDaemon();
  EXPECT_EQ(Post(body).body, "duplicate\n");
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(dooray_.request_count(), 1u);
  EXPECT_EQ(telegram_.request_count(), 1u);
}

TEST_F(ServeTest, SubscriptionIsConfirmedOnlyAfterTheSignatureVerifies) {
  FakeHttpServer sns_api;
  ASSERT_TRUE(sns_api.Start().ok());
  sns_api.Script({ScriptedReply::Answer(200, "<ConfirmSubscriptionResponse/>")});
  const std::string authority = "127.0.0.1:" + std::to_string(sns_api.port());
  StartDaemon({"--sns-cert-hosts=" + authority});
  SnsEnvelope e;
  e.type = "SubscriptionConfirmation";
  e.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
  e.token = "2336412f37fb687f5d51e6e2425dacbbaa0b6a2d7e1c7b4a7f4d3c2b1a09f8e7d6c5b4a3928";
  e.topic_arn = kAlarmTopic;
  e.message = "You have chosen to subscribe to the topic " + std::string(kAlarmTopic);
  e.subscribe_url = "http://" + authority + "/?Action=ConfirmSubscription&TopicArn=" + kAlarmTopic +
                    "&Token=" + *e.token;
  e.timestamp = "2026-03-02T09:00:00.000Z";
  std::string body = testing::SignedEnvelopeBody(e);

  // Tampered: the SubscribeURL changed after signing. Never fetched.
  std::string forged = body;
  forged.replace(forged.find("Action=ConfirmSubscription"), 26, "Action=ConfirmSubscriptioN");
  EXPECT_EQ(Post(forged).status, 403);
  EXPECT_EQ(sns_api.request_count(), 0u);

  HttpResponse r = Post(body, {{"x-amz-sns-message-type", "SubscriptionConfirmation"}});
  EXPECT_EQ(r.status, 200) << r.body << daemon_.Log();
  ASSERT_EQ(sns_api.request_count(), 1u);
  EXPECT_EQ(sns_api.requests()[0].method, "GET");
  EXPECT_TRUE(Contains(sns_api.requests()[0].target, "Action=ConfirmSubscription"));
  // The token confirms a subscription: it is not logged.
  EXPECT_FALSE(Contains(daemon_.Log(), *e.token)) << daemon_.Log();
}

TEST_F(ServeTest, RefusesToStartWithoutTopicsOrUnsignedOffLoopback) {
  auto run = [this](std::vector<std::string> args) {
    testing::BinaryInvocation inv;
    inv.path = RR_BINARY;
    inv.args = std::move(args);
    inv.env = env_;
    inv.timeout = 10s;
    return testing::RunBinary(inv);
  };
  testing::BinaryRun no_topics = run({"serve", "--config=" + dir_ + "/config.json",
                                      "--listen=127.0.0.1:0", "--spool=" + dir_ + "/s.db"});
  EXPECT_EQ(no_topics.exit_code, 64) << no_topics.Describe();
  EXPECT_TRUE(Contains(no_topics.err, "--sns-topics is required")) << no_topics.Describe();

  testing::BinaryRun open = run({"serve", "--config=" + dir_ + "/config.json", "--listen=0.0.0.0:0",
                                 "--sns-verify=false", "--spool=" + dir_ + "/s.db"});
  EXPECT_EQ(open.exit_code, 64) << open.Describe();
  EXPECT_TRUE(Contains(open.err, "loopback")) << open.Describe();

  testing::BinaryRun no_dir =
      run({"serve", "--config=" + dir_ + "/config.json", "--listen=127.0.0.1:0",
           "--sns-topics=" + std::string(kAlarmTopic), "--spool=" + dir_ + "/missing/dir/s.db"});
  EXPECT_EQ(no_dir.exit_code, 64) << no_dir.Describe();
  EXPECT_TRUE(Contains(no_dir.err, "spool")) << no_dir.Describe();
}

TEST_F(ServeTest, ADrillCanBeAskedAboutByItsId) {
  StartDaemon();
  ASSERT_EQ(Post(Alarm("77777777-0000-4000-8000-000000000001",
                       "[DRILL] root-responder drill id=rrd-test-42: proving the chain"))
                .status,
            200);
  ASSERT_TRUE(dooray_.WaitForRequests(1, 10s));
  std::string body;
  for (int i = 0; i < 100; ++i) {
    body = Get("/drills/rrd-test-42").body;
    if (Contains(body, "\"outcome\":\"delivered\"")) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(Contains(body, "\"drill_id\":\"rrd-test-42\"")) << body;
  EXPECT_TRUE(Contains(body, "\"outcome\":\"delivered\"")) << body;
  EXPECT_TRUE(Contains(body, "{\"channel\":\"dooray-sec\",\"state\":\"sent\"")) << body;
  EXPECT_TRUE(Contains(body, "{\"channel\":\"telegram-oncall\",\"state\":\"sent\"")) << body;
  EXPECT_EQ(Get("/drills/unknown-id").body, "{\"drill_id\":\"unknown-id\",\"alerts\":[]}");
  EXPECT_EQ(Get("/drills/bad%20id").status, 404);
}

TEST_F(ServeTest, ServesHttpsWhenGivenACertificateAndKey) {
  Result<TlsFiles> tls = MakeSelfSignedCertificate(dir_ + "/tls");
  ASSERT_TRUE(tls.ok()) << tls.status().message();
  StartDaemon({"--tls-cert=" + tls->cert_path, "--tls-key=" + tls->key_path});
  HttpClientOptions options;
  options.ca_bundle = tls->cert_path;
  HttpClient https(options);
  HttpRequest post;
  post.url = "https://127.0.0.1:" + std::to_string(daemon_.port()) + "/sns";
  post.body = Alarm("88888888-0000-4000-8000-000000000001", "alert #1;");
  HttpResponse r = https.Send(post);
  ASSERT_TRUE(r.transport_ok()) << r.error << daemon_.Log();
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(dooray_.WaitForRequests(1, 10s)) << daemon_.Log();
  // Plain HTTP to the TLS port gets nowhere.
  HttpResponse plain = Post(Alarm("88888888-0000-4000-8000-000000000002", "alert #2;"));
  EXPECT_NE(plain.status, 200);
}

TEST_F(ServeTest, ASecondDaemonOnTheSameSpoolRefusesToStart) {
  StartDaemon();
  testing::BinaryInvocation inv;
  inv.path = RR_BINARY;
  inv.args = Args();
  inv.env = env_;
  inv.timeout = 10s;
  testing::BinaryRun second = testing::RunBinary(inv);
  EXPECT_EQ(second.exit_code, 64) << second.Describe();
  EXPECT_TRUE(Contains(second.err, "another root-responder serve is using")) << second.Describe();
  // The first one is unaffected.
  EXPECT_EQ(Get("/healthz").status, 200);
}

// kill -9 while deliveries are in flight: every alert answered 200 reaches every channel
// after the restart. (A channel may get an alert twice: at-least-once, never at-most-once.)
TEST_F(ServeTest, Sigkill9WithDeliveriesInFlightLosesNothingThatWasAnswered200) {
  constexpr int kAlerts = 12;
  // Dooray answers slowly, so deliveries are in flight when the daemon dies.
  std::vector<ScriptedReply> slow(kAlerts * 2, ScriptedReply::Slow(3s));
  dooray_.Script(slow);
  StartDaemon();
  std::set<int> answered;
  for (int i = 1; i <= kAlerts; ++i) {
    char id[64];
    std::snprintf(id, sizeof id, "22222222-0000-4000-8000-%012d", i);
    HttpResponse r = Post(Alarm(id, "alert #" + std::to_string(i) + ";"));
    if (r.status == 200) answered.insert(i);
  }
  ASSERT_EQ(answered.size(), static_cast<size_t>(kAlerts));
  std::this_thread::sleep_for(300ms);  // some deliveries have started
  daemon_.Kill();

  // Dooray never answered the first daemon: every alert must reach it again after the restart
  // (still slowly: the rest of its scripted slow answers). Telegram answered at once, so what
  // it received before the kill counts.
  const size_t dooray_before_restart = dooray_.request_count();
  StartDaemon();
  auto all_seen = [&](const FakeHttpServer& fake, size_t from) {
    for (int i = 0; i < 300; ++i) {
      if (MarkersSeen(fake, from) == answered) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  };
  EXPECT_TRUE(all_seen(dooray_, dooray_before_restart)) << daemon_.Log();
  EXPECT_TRUE(all_seen(telegram_, 0)) << daemon_.Log();
  EXPECT_TRUE(Contains(daemon_.Log(), "resume alert_id=")) << daemon_.Log();
}

TEST_F(ServeTest, AProviderOutageDelaysDeliveryButLosesNothing) {
  // Every Dooray request fails for the first rounds (2 attempts each), then it recovers.
  dooray_.Script(std::vector<ScriptedReply>(6, FakeDooray::ServerError(503)));
  StartDaemon();
  ASSERT_EQ(Post(Alarm("33333333-0000-4000-8000-000000000001", "alert #1;")).status, 200);
  ASSERT_EQ(Post(Alarm("33333333-0000-4000-8000-000000000002", "alert #2;")).status, 200);
  bool delivered = false;
  for (int i = 0; i < 200 && !delivered; ++i) {
    delivered = MarkersSeen(dooray_, /*after the six 503s*/ 6) == std::set<int>{1, 2};
    if (!delivered) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(delivered) << daemon_.Log();
  // Telegram took each alert once and was not paged again while Dooray was retried.
  EXPECT_EQ(telegram_.request_count(), 2u);
  EXPECT_TRUE(Contains(daemon_.Log(), "round_failed")) << daemon_.Log();
}

}  // namespace
}  // namespace rr
