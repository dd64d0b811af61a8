// Golden renders of what escalation sends: one page per PageReason and both notices, for every
// channel, pinned in testdata/golden/pages/ and testdata/golden/notices/ as a dry run would show
// them (the ack URL is a secret, so it reads <redacted>). Regenerate and review like the other
// golden files: `UPDATE_GOLDEN=1 build/unit_tests --gtest_filter='*GoldenRender*'`, then read
// `git diff testdata/golden`.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "alarm/aws_time.h"
#include "channels/dooray.h"
#include "channels/nhn_sms.h"
#include "channels/telegram.h"
#include "tests/support/golden.h"
#include "tests/support/sample_alerts.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using testing::GoldenFile;
using testing::kGoldenMissingHint;
using testing::PrettyRequests;
using testing::TestdataDir;

// The channels of testdata/config.json, with its planted secrets.
std::vector<std::unique_ptr<Channel>> TestdataChannels() {
  std::vector<std::unique_ptr<Channel>> out;
  out.push_back(std::make_unique<DoorayChannel>(
      DoorayConfig{"dooray-sec", testing::kDoorayHookUrl, "AWS Root Guard"}));
  TelegramConfig tg;
  tg.name = "telegram-oncall";
  tg.bot_token = testing::kTelegramToken;
  tg.chat_id = "-1001234567890";
  out.push_back(std::make_unique<TelegramChannel>(tg));
  NhnSmsConfig sms;
  sms.name = "sms-oncall";
  sms.app_key = testing::kSmsAppKey;
  sms.secret_key = testing::kSmsSecretKey;
  sms.send_no = "0212345678";
  sms.recipients = {testing::kRecipientPhone};
  out.push_back(std::make_unique<NhnSmsChannel>(sms));
  return out;
}

RenderContext Seoul() { return RenderContext{date::locate_zone("Asia/Seoul")}; }

Alert RootApiCall() {
  Alert a;
  a.kind = AlertKind::kApiCall;
  a.subject = "root API 호출: DeleteTrail";
  a.severity = Severity::kCritical;
  a.account_id = "111122223333";
  a.region = "ap-northeast-2";
  a.event_name = "DeleteTrail";
  a.event_source = "cloudtrail.amazonaws.com";
  a.principal_type = "Root";
  a.source_ip = "198.51.100.23";
  a.event_time = "2026-03-02T09:41:05Z";
  return a;
}

constexpr char kAckToken[] = "QmFkZ2VyQmFkZ2Vy";

PageExtras WithAck(PageExtras e) {
  e.incident_id = 12;
  e.ack_url = std::string("https://rr.example.com/ack/12?t=") + kAckToken;
  e.ack_callback_data = "ack:12:7f3a9c";
  return e;
}

struct PageCase {
  std::string name;
  Alert alert;
  PageExtras extras;
};

std::vector<PageCase> PageCases() {
  std::vector<PageCase> cases;
  PageExtras first;
  cases.push_back({"first", testing::SampleRootAlarm(), WithAck(first)});

  PageExtras escalated;
  escalated.reason = PageReason::kEscalated;
  escalated.waited_seconds = 300;
  escalated.related = {testing::SampleRootConsoleLogin()};
  cases.push_back({"escalated", testing::SampleRootAlarm(), WithAck(escalated)});

  PageExtras tiers_failed;
  tiers_failed.reason = PageReason::kTiersFailed;
  cases.push_back({"tiers_failed", testing::SampleRootAlarm(), WithAck(tiers_failed)});

  PageExtras repeat;
  repeat.reason = PageReason::kRepeat;
  repeat.repeat = 2;
  repeat.max_repeats = 3;
  repeat.related = {testing::SampleRootConsoleLogin(), RootApiCall()};
  cases.push_back({"repeat", testing::SampleRootAlarm(), WithAck(repeat)});

  PageExtras related;
  related.reason = PageReason::kRelatedEvent;
  related.related = {testing::SampleRootAlarm()};
  cases.push_back({"related_event", testing::SampleRootConsoleLogin(), WithAck(related)});
  return cases;
}

std::chrono::system_clock::time_point At(const char* utc) {
  return std::chrono::system_clock::time_point{std::chrono::seconds{*ParseAwsTimestamp(utc)}};
}

struct NoticeCase {
  std::string name;
  Notice notice;
};

std::vector<NoticeCase> NoticeCases() {
  Notice ack;
  ack.kind = Notice::Kind::kAcknowledged;
  ack.alert = testing::SampleRootAlarm();
  ack.incident_id = 12;
  ack.by = "@alice (Telegram)";
  ack.at = At("2026-03-02T09:50:02Z");

  Notice resolved;
  resolved.kind = Notice::Kind::kResolved;
  resolved.alert = testing::SampleRootAlarm();
  resolved.alert.state = "OK";
  resolved.alert.previous_state = "ALARM";
  resolved.alert.reason =
      "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (02/03/26 10:04:00)] was not "
      "greater than or equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK "
      "transition).";
  resolved.alert.event_time = "2026-03-02T10:05:31Z";
  resolved.alert.dedup_key = "sns:9d1e4b7a-2c3f-5e6d-8a9b-0c1d2e3f4a5b";
  resolved.incident_id = 12;
  resolved.at = At("2026-03-02T10:05:40Z");
  return {{"acknowledged", ack}, {"resolved", resolved}};
}

void ExpectMatchesGolden(const std::string& path, const std::vector<HttpRequest>& requests) {
  ASSERT_FALSE(requests.empty()) << path;
  std::string rendered = PrettyRequests(requests);
  // What a dry run or a log shows: no planted secret, no ack token, no full phone number.
  for (const char* secret : {testing::kDoorayToken, testing::kTelegramToken, testing::kSmsAppKey,
                             testing::kSmsSecretKey, testing::kRecipientPhone, kAckToken}) {
    EXPECT_EQ(rendered.find(secret), std::string::npos) << path << " shows " << secret;
  }
  std::optional<std::string> golden = GoldenFile(path, rendered);
  ASSERT_TRUE(golden) << path << kGoldenMissingHint;
  EXPECT_EQ(*golden, rendered) << "render changed: " << path;
}

TEST(GoldenRenderPageTest, OnePagePerReasonPerChannel) {
  for (const PageCase& c : PageCases()) {
    for (const auto& channel : TestdataChannels()) {
      SCOPED_TRACE(c.name + " " + std::string(channel->type()));
      ExpectMatchesGolden(
          TestdataDir() + "/golden/pages/" + c.name + "." + std::string(channel->type()) + ".json",
          channel->RenderPage(c.alert, Seoul(), c.extras));
    }
  }
}

TEST(GoldenRenderNoticeTest, BothNoticesPerChannel) {
  for (const NoticeCase& c : NoticeCases()) {
    for (const auto& channel : TestdataChannels()) {
      SCOPED_TRACE(c.name + " " + std::string(channel->type()));
      ExpectMatchesGolden(TestdataDir() + "/golden/notices/" + c.name + "." +
                              std::string(channel->type()) + ".json",
                          channel->RenderNotice(c.notice, Seoul()));
    }
  }
}

}  // namespace
}  // namespace rr
