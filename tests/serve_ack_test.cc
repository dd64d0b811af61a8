// Acknowledging a page in the running daemon, the two ways people do it: the signed link in a
// chat message (whose GET, as a link preview makes it, must never acknowledge) and Telegram's
// inline button. The SMS tier waits 3 s here, so "acknowledged in time" takes real seconds.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "channels/http_client.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/daemon_process.h"
#include "tests/support/sns_signer.h"

namespace rr {
namespace {

using namespace std::chrono_literals;

constexpr char kDoorayToken[] = "ServeAckDoorayHookToken55";
constexpr char kTelegramToken[] = "7711223344:AAServeAckTelegramBotToken_x";
constexpr char kAckSecret[] = "serve-ack-test-secret-0123456789abcdef0123";
constexpr char kChatId[] = "-1001112223334";
constexpr char kTopic[] = "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic";
constexpr int64_t kAllowedUser = 4242;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ServeAckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    ASSERT_TRUE(sms_.Start().ok());
    std::string pattern = (std::filesystem::temp_directory_path() / "rr-serve-ack-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    env_ = {{"RR_DOORAY", dooray_.hook_url()},
            {"RR_TELEGRAM", kTelegramToken},
            {"RR_SMS_APP", sms_.app_key()},
            {"RR_SMS_SECRET", sms_.secret_key()},
            {"RR_ACK_SECRET", kAckSecret}};
    // Links point at a placeholder: the test swaps in the daemon's own port.
    std::ofstream(dir_ + "/config.json") << R"({
  "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
  "channels": [
    {"name": "dooray-sec", "type": "dooray", "url": "env:RR_DOORAY"},
    {"name": "telegram-oncall", "type": "telegram", "api_base": ")" +
                                                telegram_.api_base() + R"(",
     "bot_token": "env:RR_TELEGRAM", "chat_id": ")" +
                                                kChatId +
                                                R"("},
    {"name": "sms-oncall", "type": "nhn_sms", "api_base": ")" +
                                                sms_.api_base() +
                                                R"(",
     "app_key": "env:RR_SMS_APP", "secret_key": "env:RR_SMS_SECRET",
     "send_no": "0212345678", "recipients": ["01012345678"]}
  ],
  "escalation": {"tiers": [{"channels": ["dooray-sec", "telegram-oncall"], "after_seconds": 0},
                           {"channels": ["sms-oncall"], "after_seconds": 3}]},
  "ack": {"base_url": "http://127.0.0.1:9", "secret": "env:RR_ACK_SECRET",
          "telegram_user_ids": [)" + std::to_string(kAllowedUser) +
                                                R"(]},
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2, "deadline_seconds": 5}
})";
    ASSERT_TRUE(
        daemon_.Start(RR_BINARY,
                      {"serve", "--config=" + dir_ + "/config.json", "--listen=127.0.0.1:0",
                       "--spool=" + dir_ + "/spool.db", "--sns-topics=" + std::string(kTopic),
                       "--sns-certs=" + testing::TestSigningCertPath()},
                      env_, dir_ + "/daemon.log"))
        << daemon_.error();
  }

  void TearDown() override {
    daemon_.Kill();
    telegram_.Stop();
    std::error_code ignored;
    if (!HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }

  void PostAlarm(const std::string& message_id) {
    testing::SnsNotification n;
    n.message_id = message_id;
    n.topic_arn = kTopic;
    n.message = testing::AlarmMessage("root-alert", "ALARM", "Threshold Crossed");
    HttpRequest r;
    r.url = daemon_.base_url() + "/";
    r.headers = {{"x-amz-sns-message-type", "Notification"},
                 {"Content-Type", "text/plain; charset=UTF-8"}};
    r.body = testing::SignedNotificationBody(n);
    HttpResponse answer = client_.Send(r);
    ASSERT_EQ(answer.status, 200) << answer.body << daemon_.Log();
  }

  // The path "/ack/<token>" of the link in the first Dooray page.
  std::string AckPath() {
    EXPECT_TRUE(dooray_.WaitForRequests(1, 10s)) << daemon_.Log();
    const std::string body = dooray_.requests().at(0).body;
    const size_t at = body.find("/ack/");
    EXPECT_NE(at, std::string::npos) << body;
    if (at == std::string::npos) return "";
    return body.substr(at, body.find('"', at) - at);
  }

  HttpResponse Call(const std::string& method, const std::string& path,
                    const std::string& form = "") {
    HttpRequest r;
    r.method = method;
    r.url = daemon_.base_url() + path;
    if (method == "POST") {
      r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
      r.body = form;
    }
    return client_.Send(r);
  }

  size_t SendMessages() const {
    size_t n = 0;
    for (const RecordedRequest& r : telegram_.requests()) n += r.path.ends_with("/sendMessage");
    return n;
  }

  std::string dir_;
  std::map<std::string, std::string> env_;
  FakeDooray dooray_{kDoorayToken};
  FakeTelegram telegram_{kTelegramToken};
  FakeNhnSms sms_;
  HttpClient client_;
  testing::DaemonProcess daemon_;
};

TEST_F(ServeAckTest, ALinkPreviewNeverAcknowledgesSoTheSmsTierStillGoes) {
  PostAlarm("55555555-0000-4000-8000-000000000001");
  const std::string path = AckPath();
  ASSERT_FALSE(path.empty());
  // What Dooray's and Telegram's link previews do: GET the URL (HEAD: ack_http_test).
  HttpResponse page = Call("GET", path);
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "<form")) << page.body;
  EXPECT_TRUE(Contains(page.body, "root 계정")) << page.body;
  EXPECT_TRUE(sms_.WaitForRequests(1, 10s)) << "nobody acknowledged: SMS after 3 s\n"
                                            << daemon_.Log();
}

TEST_F(ServeAckTest, APostThroughTheLinkStopsTheSmsAndTellsTheChat) {
  PostAlarm("55555555-0000-4000-8000-000000000002");
  const std::string path = AckPath();
  ASSERT_FALSE(path.empty());
  HttpResponse forged = Call("POST", path.substr(0, path.size() - 2) + "xx", "name=mallory");
  EXPECT_EQ(forged.status, 403) << forged.body;

  HttpResponse done = Call("POST", path, "name=%EA%B9%80%EB%B3%B4%EC%95%88");  // 김보안
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(dooray_.WaitForRequests(2, 10s)) << daemon_.Log();
  EXPECT_TRUE(Contains(dooray_.requests().at(1).body, "김보안 (link)"))
      << dooray_.requests().at(1).body;
  std::this_thread::sleep_for(4s);  // past the SMS tier's 3 s
  EXPECT_EQ(sms_.request_count(), 0u) << daemon_.Log();

  HttpResponse again = Call("GET", path);
  EXPECT_TRUE(Contains(again.body, "김보안 (link)")) << again.body;
  EXPECT_EQ(daemon_.Stop(), 0);
  const std::string log = daemon_.Log();
  EXPECT_FALSE(Contains(log, kAckSecret));
  EXPECT_FALSE(Contains(log, path.substr(5))) << "the token is a capability: never logged";
}

TEST_F(ServeAckTest, TheTelegramButtonAcknowledgesForAnAllowedUserOnly) {
  PostAlarm("55555555-0000-4000-8000-000000000003");
  for (int i = 0; i < 200 && SendMessages() == 0; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(SendMessages(), 1u) << daemon_.Log();
  std::string data;
  int64_t message_id = 0;
  for (const RecordedRequest& r : telegram_.requests()) {
    if (!r.path.ends_with("/sendMessage")) continue;
    const size_t at = r.body.find("\"callback_data\":\"");
    ASSERT_NE(at, std::string::npos) << r.body;
    data = r.body.substr(at + 17, r.body.find('"', at + 17) - at - 17);
    message_id = 101;  // the fake numbers messages from 101
  }
  ASSERT_FALSE(data.empty());

  telegram_.PressButton(999, "stranger", data, std::stoll(kChatId), message_id);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(1, 10s)) << daemon_.Log();
  EXPECT_TRUE(Contains(telegram_.callback_answers().at(0).text.value_or(""), "allow-list"));

  telegram_.PressButton(kAllowedUser, "alice", data, std::stoll(kChatId), message_id);
  ASSERT_TRUE(telegram_.WaitForCallbackAnswers(2, 10s)) << daemon_.Log();
  ASSERT_TRUE(telegram_.WaitForEdits(1, 10s)) << daemon_.Log();
  EXPECT_TRUE(Contains(telegram_.edits().at(0).reply_markup.value_or(""), "@alice (Telegram)"))
      << telegram_.edits().at(0).reply_markup.value_or("");
  EXPECT_TRUE(dooray_.WaitForRequests(2, 10s)) << "the acknowledged notice\n" << daemon_.Log();
  EXPECT_TRUE(Contains(dooray_.requests().at(1).body, "@alice (Telegram)"));
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(sms_.request_count(), 0u) << daemon_.Log();
  EXPECT_EQ(SendMessages(), 2u) << "the page and the acknowledged notice";
}

}  // namespace
}  // namespace rr
