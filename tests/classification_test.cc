// Every channel's verdict on every kind of answer, without a network (after Alertmanager's
// shared notify test helpers: each status code's retry verdict, and no secret in any error).
#include "channels/classification.h"

#include <curl/curl.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alarm/json.h"
#include "channels/dooray.h"
#include "channels/html_escape.h"
#include "channels/nhn_sms.h"
#include "channels/telegram.h"
#include "tests/support/sample_alerts.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using Kind = Classification::Kind;

// Planted secrets: none of them may show up in a Classification's detail or config_hint.
constexpr char kBotToken[] = "6543210987:AAClassifyPlantedBotToken_Zq9";
constexpr char kHookToken[] = "ClsPlantedHookTokenR7u";
constexpr char kHookUrl[] =
    "https://hook.dooray.com/services/3570000000000000001/3570000000000000002/"
    "ClsPlantedHookTokenR7u";
constexpr char kAppKey[] = "ClsPlantedAppKeyM2k";
constexpr char kSecretKey[] = "ClsPlantedSecretKeyP5w";
constexpr char kChatId[] = "-1001234567890";
constexpr int64_t kNewChatId = -1001557912345;

// 2026-09-01T03:14:07Z, a Tuesday: the instant Retry-After dates are measured from.
const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1788232447)};

const char kNginxBadGateway[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
    "Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";

HttpResponse Answer(long status, std::string body, HttpHeaders headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.request_sent = true;
  return r;
}

HttpResponse TransportFailure(int curl_code, bool request_sent, std::string error) {
  HttpResponse r;
  r.curl_code = curl_code;
  r.request_sent = request_sent;
  r.error = std::move(error);
  return r;
}

Alert RootAlarm() {
  Alert a = testing::SampleRootAlarm();
  a.reason = "Threshold Crossed: 1 datapoint [1.0] was >= the threshold (1.0).";
  a.message_id.reset();
  return a;
}

RenderContext Seoul() { return RenderContext{date::locate_zone("Asia/Seoul")}; }

DoorayChannel Dooray() { return DoorayChannel(DoorayConfig{"dooray-sec", kHookUrl}); }

TelegramChannel Telegram() {
  return TelegramChannel(
      TelegramConfig{"tg-oncall", "https://api.telegram.org", kBotToken, kChatId, std::nullopt});
}

NhnSmsChannel Nhn() {
  return NhnSmsChannel(NhnSmsConfig{"sms-oncall",
                                    "https://sms.api.nhncloudservice.com",
                                    kAppKey,
                                    kSecretKey,
                                    "0212345678",
                                    {"01012345678", "01087654321"}});
}

// A channel with the request it rendered for a root alarm, as Deliver would pass it.
struct Subject {
  std::unique_ptr<Channel> channel;
  HttpRequest sent;

  Classification Classify(const HttpResponse& response) const {
    return channel->Classify(sent, response, kNow);
  }
};

Subject Make(std::unique_ptr<Channel> channel) {
  Subject s;
  s.channel = std::move(channel);
  std::vector<HttpRequest> requests = s.channel->Render(RootAlarm(), Seoul());
  EXPECT_EQ(requests.size(), 1u);
  s.sent = requests.front();
  return s;
}

std::vector<Subject> AllChannels() {
  std::vector<Subject> all;
  all.push_back(Make(std::make_unique<DoorayChannel>(Dooray())));
  all.push_back(Make(std::make_unique<TelegramChannel>(Telegram())));
  all.push_back(Make(std::make_unique<NhnSmsChannel>(Nhn())));
  return all;
}

void ExpectNoSecret(const Classification& c) {
  for (const char* secret : {kBotToken, kHookToken, kAppKey, kSecretKey}) {
    EXPECT_EQ(c.detail.find(secret), std::string::npos) << "detail leaks a secret: " << c.detail;
    EXPECT_EQ(c.config_hint.find(secret), std::string::npos)
        << "config_hint leaks a secret: " << c.config_hint;
  }
  // The bot token's secret half alone is enough to take over the bot.
  EXPECT_EQ(c.detail.find("AAClassifyPlantedBotToken"), std::string::npos) << c.detail;
}

void ExpectVerdict(const Classification& c, Kind kind, const std::string& reason) {
  EXPECT_EQ(c.kind, kind) << "reason=" << c.reason << " detail=" << c.detail;
  EXPECT_EQ(c.reason, reason) << "detail=" << c.detail;
  EXPECT_EQ(c.success(), kind == Kind::kSuccess);
  EXPECT_EQ(c.retryable(), kind == Kind::kRetryable);
  if (kind == Kind::kSuccess) {
    EXPECT_TRUE(c.reason.empty());
    EXPECT_FALSE(c.resend.has_value());
  }
  ExpectNoSecret(c);
}

// What the issue asks of any non-2xx status, whatever the channel.
struct StatusVerdict {
  Kind kind;
  std::string reason;
};

StatusVerdict ExpectedForStatus(int status) {
  if (status == 429) return {Kind::kRetryable, "rate_limited"};
  if (status == 408 || status == 425 || (status >= 500 && status <= 599)) {
    return {Kind::kRetryable, "server_error"};
  }
  if (status == 401 || status == 403) return {Kind::kPermanent, "auth_error"};
  return {Kind::kPermanent, "client_error"};
}

std::string TelegramError(int code, const std::string& description,
                          const std::string& parameters = "") {
  std::string body = R"({"ok":false,"error_code":)" + std::to_string(code) + R"(,"description":")" +
                     description + "\"";
  if (!parameters.empty()) body += R"(,"parameters":)" + parameters;
  return body + "}";
}

std::string NhnHeaderFailure(int code, const std::string& message) {
  return R"({"header":{"isSuccessful":false,"resultCode":)" + std::to_string(code) +
         R"(,"resultMessage":")" + message + R"("},"body":null})";
}

std::string NhnAccepted(const std::string& status_code, const std::string& results) {
  return R"({"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},)"
         R"("body":{"data":{"requestId":"20260901031407ReZQ6KZzAH0","statusCode":")" +
         status_code + R"(","senderGroupingKey":"alert-7f3a9c","sendResultList":[)" + results +
         "]}}}";
}

std::string Recipient(const std::string& number, int code, const std::string& message, int seq) {
  return R"({"recipientNo":")" + number + R"(","resultCode":)" + std::to_string(code) +
         R"(,"resultMessage":")" + message + R"(","recipientSeq":)" + std::to_string(seq) + "}";
}

std::string DoorayEnvelope(bool ok, int code, const std::string& message) {
  return R"({"header":{"resultCode":)" + std::to_string(code) + R"(,"resultMessage":")" + message +
         R"(","isSuccessful":)" + (ok ? "true" : "false") + "}}";
}

JsonDocument ParseBody(const std::string& body) {
  JsonDocument doc;
  doc.Parse(body.data(), body.size());
  EXPECT_FALSE(doc.HasParseError()) << body;
  EXPECT_TRUE(doc.IsObject()) << body;
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Shared by every channel

TEST(ClassificationTest, EveryNon2xxStatusGetsTheIssuesVerdictOnEveryChannel) {
  const std::vector<Subject> channels = AllChannels();
  const std::vector<std::string> bodies = {"", kNginxBadGateway, "{}", "not json at all"};
  for (const Subject& s : channels) {
    for (int status = 100; status <= 599; ++status) {
      if (status >= 200 && status <= 299) continue;
      const StatusVerdict want = ExpectedForStatus(status);
      for (const std::string& body : bodies) {
        SCOPED_TRACE(std::string(s.channel->type()) + " HTTP " + std::to_string(status) +
                     " body=" + body.substr(0, 20));
        Classification c = s.Classify(Answer(status, body));
        ExpectVerdict(c, want.kind, want.reason);
        EXPECT_FALSE(c.resend.has_value());
        EXPECT_TRUE(c.config_hint.empty());
        EXPECT_FALSE(c.retry_after.has_value()) << "no hint was given";
      }
    }
  }
}

TEST(ClassificationTest, NamedStatusesOnEveryChannel) {
  struct Case {
    int status;
    Kind kind;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {301, Kind::kPermanent, "client_error"}, {400, Kind::kPermanent, "client_error"},
      {401, Kind::kPermanent, "auth_error"},   {403, Kind::kPermanent, "auth_error"},
      {404, Kind::kPermanent, "client_error"}, {408, Kind::kRetryable, "server_error"},
      {409, Kind::kPermanent, "client_error"}, {413, Kind::kPermanent, "client_error"},
      {425, Kind::kRetryable, "server_error"}, {429, Kind::kRetryable, "rate_limited"},
      {500, Kind::kRetryable, "server_error"}, {502, Kind::kRetryable, "server_error"},
      {503, Kind::kRetryable, "server_error"}, {504, Kind::kRetryable, "server_error"},
  };
  const std::vector<Subject> channels = AllChannels();
  for (const Subject& s : channels) {
    for (const Case& k : cases) {
      SCOPED_TRACE(std::string(s.channel->type()) + " HTTP " + std::to_string(k.status));
      // Each service's own error shape for the status.
      std::string body = s.channel->type() == "telegram"
                             ? TelegramError(k.status, "Error " + std::to_string(k.status))
                         : s.channel->type() == "dooray" ? DoorayEnvelope(false, -k.status, "Error")
                                                         : NhnHeaderFailure(-9999, "System error.");
      ExpectVerdict(s.Classify(Answer(k.status, body)), k.kind, k.reason);
    }
  }
}

TEST(ClassificationTest, TransportFailuresAreRetryableNetworkOnEveryChannel) {
  struct Case {
    int curl_code;
    bool sent;
    const char* error;
  };
  const std::vector<Case> cases = {
      {CURLE_COULDNT_RESOLVE_HOST, false, "Could not resolve host: api.example"},
      {CURLE_COULDNT_CONNECT, false, "Failed to connect to 127.0.0.1 port 9: Connection refused"},
      {CURLE_SSL_CONNECT_ERROR, false, "TLS connect error"},
      {CURLE_OPERATION_TIMEDOUT, false, "Connection timed out after 5001 milliseconds"},
      {CURLE_OPERATION_TIMEDOUT, true, "Operation timed out after 15000 milliseconds"},
      {CURLE_GOT_NOTHING, true, "Empty reply from server"},
      {CURLE_SEND_ERROR, true, "Send failure: Broken pipe"},
      {CURLE_RECV_ERROR, true, "Recv failure: Connection reset by peer"},
  };
  const std::vector<Subject> channels = AllChannels();
  for (const Subject& s : channels) {
    for (const Case& k : cases) {
      SCOPED_TRACE(std::string(s.channel->type()) + " curl " + std::to_string(k.curl_code));
      Classification c = s.Classify(TransportFailure(k.curl_code, k.sent, k.error));
      ExpectVerdict(c, Kind::kRetryable, "network");
      EXPECT_EQ(c.detail, k.error);
      EXPECT_FALSE(c.resend.has_value());
    }
  }
}

TEST(ClassificationTest, ATruncated2xxIsANetworkFailureNotASuccess) {
  // The status line arrived, then the transfer failed (e.g. the body limit, curl code 23).
  const std::vector<Subject> channels = AllChannels();
  for (const Subject& s : channels) {
    SCOPED_TRACE(s.channel->type());
    HttpResponse r = TransportFailure(CURLE_WRITE_ERROR, true, "Failure writing output");
    r.status = 200;
    r.body = R"({"ok":true,"header":{"isSuccessful":true,"resultCode":0})";
    ExpectVerdict(s.Classify(r), Kind::kRetryable, "network");
  }
}

TEST(ClassificationTest, RetryAfterHeaderIsReadOnEveryChannel) {
  const std::vector<Subject> channels = AllChannels();
  for (const Subject& s : channels) {
    SCOPED_TRACE(s.channel->type());
    Classification seconds = s.Classify(Answer(429, "", {{"retry-after", "7"}}));
    ExpectVerdict(seconds, Kind::kRetryable, "rate_limited");
    EXPECT_EQ(seconds.retry_after, milliseconds(7000));

    Classification on_503 = s.Classify(Answer(503, "", {{"retry-after", "3"}}));
    ExpectVerdict(on_503, Kind::kRetryable, "server_error");
    EXPECT_EQ(on_503.retry_after, milliseconds(3000));

    // An HTTP date 42 s after kNow.
    Classification date =
        s.Classify(Answer(503, "", {{"retry-after", "Tue, 01 Sep 2026 03:14:49 GMT"}}));
    EXPECT_EQ(date.retry_after, milliseconds(42000));

    Classification junk = s.Classify(Answer(429, "", {{"retry-after", "soon"}}));
    ExpectVerdict(junk, Kind::kRetryable, "rate_limited");
    EXPECT_FALSE(junk.retry_after.has_value());
  }
}

TEST(ClassificationTest, NoPlantedSecretInAnyVerdict) {
  // Every answer this file feeds the channels, once more, with the secret check alone.
  std::vector<HttpResponse> answers;
  for (int status :
       {200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 413, 425, 429, 500, 502, 503, 504}) {
    answers.push_back(Answer(status, ""));
    answers.push_back(Answer(status, kNginxBadGateway));
    answers.push_back(Answer(status, TelegramError(status, "Bad Request: chat not found")));
    answers.push_back(Answer(status, DoorayEnvelope(false, -status, "Bad Request")));
    answers.push_back(Answer(status, NhnHeaderFailure(-1000, "Invalid appKey.")));
  }
  answers.push_back(Answer(400, TelegramError(400, "Bad Request: group chat was upgraded",
                                              R"({"migrate_to_chat_id":-1001557912345})")));
  answers.push_back(
      Answer(400, TelegramError(400, "Bad Request: can't parse entities: Unsupported start tag")));
  answers.push_back(Answer(200, NhnAccepted("2", Recipient("01012345678", -2019, "Invalid", 1))));
  answers.push_back(Answer(200, NhnAccepted("3", "")));
  answers.push_back(TransportFailure(CURLE_COULDNT_CONNECT, false, "Connection refused"));
  const std::vector<Subject> channels = AllChannels();
  for (const Subject& s : channels) {
    for (const HttpResponse& r : answers) {
      SCOPED_TRACE(std::string(s.channel->type()) + " " + std::to_string(r.status) + " " +
                   r.body.substr(0, 40));
      ExpectNoSecret(s.Classify(r));
    }
  }
}

// A service (or a proxy in front of it) that quotes the request back must not carry a secret
// into the verdict: the detail ends up in error strings, so it is redacted with the request's
// own secrets like everything else.
TEST(ClassificationTest, VendorTextEchoingASecretIsRedacted) {
  Subject telegram = Make(std::make_unique<TelegramChannel>(Telegram()));
  ExpectNoSecret(telegram.Classify(Answer(
      404, TelegramError(404, std::string("Not Found: /bot") + kBotToken + "/sendMessage"))));
  ExpectNoSecret(telegram.Classify(
      Answer(400, TelegramError(400, std::string("Bad Request: token ") + kBotToken))));

  Subject dooray = Make(std::make_unique<DoorayChannel>(Dooray()));
  ExpectNoSecret(dooray.Classify(
      Answer(200, DoorayEnvelope(false, -404, std::string("no such hook: ") + kHookUrl))));

  Subject nhn = Make(std::make_unique<NhnSmsChannel>(Nhn()));
  ExpectNoSecret(
      nhn.Classify(Answer(200, NhnHeaderFailure(-1000, std::string("Invalid appKey ") + kAppKey))));
  ExpectNoSecret(nhn.Classify(
      Answer(200, NhnHeaderFailure(-1000, std::string("Invalid secretKey ") + kSecretKey))));
}

// ---------------------------------------------------------------------------------------------
// Telegram

class ClassificationTelegramTest : public ::testing::Test {
 protected:
  Classification Classify(const HttpResponse& r) const { return s_.Classify(r); }
  Subject s_ = Make(std::make_unique<TelegramChannel>(Telegram()));
};

TEST_F(ClassificationTelegramTest, OkTrueIsTheOnlySuccess) {
  const std::string ok = R"({"ok":true,"result":{"message_id":101,"chat":{"id":-1001234567890}}})";
  ExpectVerdict(Classify(Answer(200, ok)), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(201, ok)), Kind::kSuccess, "");

  // 2xx without ok:true is not a success, and retrying the same request will not change that.
  for (const std::string& body :
       {std::string(R"({"ok":false,"error_code":200,"description":"odd"})"),
        std::string(R"({"ok":"true"})"), std::string(R"({"ok":1})"), std::string(R"({})"),
        std::string(R"({"result":{"message_id":1}})"), std::string("OK"), std::string(""),
        std::string("<html><body>Captive portal</body></html>"), std::string("[true]")}) {
    SCOPED_TRACE(body);
    Classification c = Classify(Answer(200, body));
    ExpectVerdict(c, Kind::kPermanent, "client_error");
    EXPECT_FALSE(c.resend.has_value());
  }
  ExpectVerdict(Classify(Answer(204, "")), Kind::kPermanent, "client_error");
}

TEST_F(ClassificationTelegramTest, OkFalseUsesTheStatusAndKeepsTheDescription) {
  Classification not_found =
      Classify(Answer(400, TelegramError(400, "Bad Request: chat not found")));
  ExpectVerdict(not_found, Kind::kPermanent, "client_error");
  EXPECT_EQ(not_found.detail, "Bad Request: chat not found");
  EXPECT_FALSE(not_found.resend.has_value());

  Classification blocked =
      Classify(Answer(403, TelegramError(403, "Forbidden: bot was blocked by the user")));
  ExpectVerdict(blocked, Kind::kPermanent, "auth_error");
  EXPECT_EQ(blocked.detail, "Forbidden: bot was blocked by the user");

  ExpectVerdict(Classify(Answer(401, TelegramError(401, "Unauthorized"))), Kind::kPermanent,
                "auth_error");
  ExpectVerdict(Classify(Answer(404, TelegramError(404, "Not Found"))), Kind::kPermanent,
                "client_error");
  ExpectVerdict(
      Classify(Answer(409, TelegramError(409, "Conflict: terminated by other getUpdates"))),
      Kind::kPermanent, "client_error");
  Classification too_long =
      Classify(Answer(400, TelegramError(400, "Bad Request: message is too long")));
  ExpectVerdict(too_long, Kind::kPermanent, "client_error");
  EXPECT_FALSE(too_long.resend.has_value());
  ExpectVerdict(Classify(Answer(500, TelegramError(500, "Internal Server Error"))),
                Kind::kRetryable, "server_error");
  // ok:true on an error status is still an error status.
  ExpectVerdict(Classify(Answer(503, R"({"ok":true})")), Kind::kRetryable, "server_error");
}

TEST_F(ClassificationTelegramTest, GatewayHtmlAndNonJsonBodiesGoByStatus) {
  for (int status : {502, 503, 504}) {
    Classification c = Classify(Answer(status, kNginxBadGateway, {{"content-type", "text/html"}}));
    ExpectVerdict(c, Kind::kRetryable, "server_error");
    EXPECT_EQ(c.detail, "HTTP " + std::to_string(status)) << "no HTML in the detail";
  }
  ExpectVerdict(Classify(Answer(400, "Bad Request")), Kind::kPermanent, "client_error");
  ExpectVerdict(Classify(Answer(429, "slow down")), Kind::kRetryable, "rate_limited");
}

TEST_F(ClassificationTelegramTest, FloodControlRetryAfterParameterAndHeaderTheLargerWins) {
  Classification both = Classify(
      Answer(429, TelegramError(429, "Too Many Requests: retry after 7", R"({"retry_after":7})"),
             {{"retry-after", "7"}}));
  ExpectVerdict(both, Kind::kRetryable, "rate_limited");
  EXPECT_EQ(both.retry_after, milliseconds(7000));
  EXPECT_EQ(both.detail, "Too Many Requests: retry after 7");

  Classification param_only = Classify(
      Answer(429, TelegramError(429, "Too Many Requests: retry after 9", R"({"retry_after":9})")));
  EXPECT_EQ(param_only.retry_after, milliseconds(9000));

  Classification param_larger =
      Classify(Answer(429, TelegramError(429, "Too Many Requests", R"({"retry_after":12})"),
                      {{"retry-after", "5"}}));
  EXPECT_EQ(param_larger.retry_after, milliseconds(12000));

  Classification header_larger =
      Classify(Answer(429, TelegramError(429, "Too Many Requests", R"({"retry_after":3})"),
                      {{"retry-after", "30"}}));
  EXPECT_EQ(header_larger.retry_after, milliseconds(30000));

  // A date 20 s after kNow beats a parameter of 3 s.
  Classification date_larger =
      Classify(Answer(429, TelegramError(429, "Too Many Requests", R"({"retry_after":3})"),
                      {{"retry-after", "Tue, 01 Sep 2026 03:14:27 GMT"}}));
  EXPECT_EQ(date_larger.retry_after, milliseconds(20000));

  // A retry_after on a 5xx is honoured as well.
  Classification on_502 =
      Classify(Answer(502, TelegramError(502, "Bad Gateway", R"({"retry_after":4})")));
  ExpectVerdict(on_502, Kind::kRetryable, "server_error");
  EXPECT_EQ(on_502.retry_after, milliseconds(4000));
}

// Retry-After headers saturate absurd values (backoff.h); the JSON parameter must not wrap
// around into a short or negative wait either, which would turn "go away" into "retry now".
TEST_F(ClassificationTelegramTest, AbsurdRetryAfterParameterIsNeitherWrappedNorNegative) {
  for (const char* seconds : {"9223372036854775807", "10000000000000000", "18446744073709551"}) {
    SCOPED_TRACE(seconds);
    Classification c =
        Classify(Answer(429, TelegramError(429, "Too Many Requests",
                                           std::string(R"({"retry_after":)") + seconds + "}")));
    ExpectVerdict(c, Kind::kRetryable, "rate_limited");
    ASSERT_TRUE(c.retry_after.has_value());
    EXPECT_GE(*c.retry_after, std::chrono::hours(24)) << c.retry_after->count() << " ms";
  }
  Classification negative =
      Classify(Answer(429, TelegramError(429, "Too Many Requests", R"({"retry_after":-5})")));
  ExpectVerdict(negative, Kind::kRetryable, "rate_limited");
  if (negative.retry_after) {
    EXPECT_GE(*negative.retry_after, milliseconds(0));
  }
}

TEST_F(ClassificationTelegramTest, MigratedChatIsResentOnceToTheNewChatWithAConfigHint) {
  Classification c = Classify(
      Answer(400, TelegramError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                                R"({"migrate_to_chat_id":-1001557912345})")));
  EXPECT_FALSE(c.success());
  EXPECT_FALSE(c.retryable()) << "the old chat is dead: never retry it as it is";
  EXPECT_EQ(c.reason, "client_error");
  ExpectNoSecret(c);
  ASSERT_TRUE(c.resend.has_value());
  EXPECT_EQ(c.resend->url, s_.sent.url);
  EXPECT_EQ(c.resend->method, "POST");
  EXPECT_EQ(c.resend->headers, s_.sent.headers);
  EXPECT_EQ(c.resend->secrets, s_.sent.secrets) << "the re-send must stay redactable";

  JsonDocument resend = ParseBody(c.resend->body);
  JsonDocument original = ParseBody(s_.sent.body);
  ASSERT_TRUE(resend.HasMember("chat_id"));
  ASSERT_TRUE(resend["chat_id"].IsInt64());
  EXPECT_EQ(resend["chat_id"].GetInt64(), kNewChatId);
  EXPECT_EQ(AsView(resend["text"]), AsView(original["text"]));
  EXPECT_EQ(AsView(resend["parse_mode"]), "HTML");
  EXPECT_TRUE(resend.HasMember("link_preview_options"));

  EXPECT_NE(c.config_hint.find("-1001557912345"), std::string::npos) << c.config_hint;
  EXPECT_NE(c.config_hint.find("tg-oncall"), std::string::npos) << c.config_hint;
}

TEST_F(ClassificationTelegramTest, MigrationOfAStringChatIdReplacesItWithTheNumber) {
  TelegramChannel channel(TelegramConfig{"tg-channel", "https://api.telegram.org", kBotToken,
                                         "@rootalerts", std::nullopt});
  HttpRequest sent = channel.Render(RootAlarm(), Seoul()).front();
  Classification c = channel.Classify(
      sent,
      Answer(400, TelegramError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                                R"({"migrate_to_chat_id":-1001557912345})")),
      kNow);
  ASSERT_TRUE(c.resend.has_value());
  JsonDocument resend = ParseBody(c.resend->body);
  ASSERT_TRUE(resend["chat_id"].IsInt64());
  EXPECT_EQ(resend["chat_id"].GetInt64(), kNewChatId);
  ExpectNoSecret(c);
}

TEST_F(ClassificationTelegramTest, CantParseEntitiesIsResentOnceAsPlainText) {
  HttpRequest sent = s_.sent;
  sent.body =
      R"({"chat_id":-1001234567890,"text":"<b>root 계정</b>\n<b>UA</b>: &lt;script&gt; &amp; )"
      R"(<code>1.2.3.4</code>\n<a href=\"https://x.example/?a=1&amp;b=2\">열기</a>",)"
      R"("parse_mode":"HTML","link_preview_options":{"is_disabled":true}})";
  Classification c = s_.channel->Classify(
      sent,
      Answer(400, TelegramError(400,
                                "Bad Request: can't parse entities: Unsupported start tag "
                                "\\\"unknown\\\" at byte offset 42")),
      kNow);
  EXPECT_FALSE(c.success());
  EXPECT_FALSE(c.retryable());
  EXPECT_EQ(c.reason, "client_error");
  EXPECT_TRUE(c.config_hint.empty());
  ExpectNoSecret(c);
  ASSERT_TRUE(c.resend.has_value());
  EXPECT_EQ(c.resend->url, sent.url);
  JsonDocument resend = ParseBody(c.resend->body);
  EXPECT_FALSE(resend.HasMember("parse_mode"));
  ASSERT_TRUE(resend.HasMember("text"));
  EXPECT_EQ(AsView(resend["text"]), "root 계정\nUA: <script> & 1.2.3.4\n열기");
  ASSERT_TRUE(resend["chat_id"].IsInt64());
  EXPECT_EQ(resend["chat_id"].GetInt64(), -1001234567890);
  EXPECT_TRUE(resend.HasMember("link_preview_options"));
}

TEST_F(ClassificationTelegramTest, CantParseEntitiesOnARenderedAlertStripsEveryTag) {
  Classification c = Classify(
      Answer(400, TelegramError(400, "Bad Request: can't parse entities: Can't find end tag")));
  ASSERT_TRUE(c.resend.has_value());
  JsonDocument resend = ParseBody(c.resend->body);
  JsonDocument original = ParseBody(s_.sent.body);
  EXPECT_FALSE(resend.HasMember("parse_mode"));
  const std::string text(AsView(resend["text"]));
  EXPECT_EQ(text, StripHtml(AsView(original["text"])));
  EXPECT_EQ(text.find("<b>"), std::string::npos) << text;
  EXPECT_EQ(text.find("<a href"), std::string::npos) << text;
  EXPECT_NE(text.find("root 계정"), std::string::npos) << text;
}

TEST_F(ClassificationTelegramTest, OtherBadRequestsGetNoResend) {
  for (const char* description :
       {"Bad Request: chat not found", "Bad Request: message text is empty",
        "Bad Request: message is too long", "Forbidden: bot is not a member of the channel chat"}) {
    SCOPED_TRACE(description);
    Classification c = Classify(Answer(400, TelegramError(400, description)));
    EXPECT_FALSE(c.resend.has_value());
    EXPECT_TRUE(c.config_hint.empty());
  }
  // A migration parameter is only acted on with the 400 Telegram sends it with.
  Classification odd = Classify(
      Answer(500, TelegramError(500, "Internal", R"({"migrate_to_chat_id":-1001557912345})")));
  ExpectVerdict(odd, Kind::kRetryable, "server_error");
  EXPECT_FALSE(odd.resend.has_value());
}

// ---------------------------------------------------------------------------------------------
// NHN Cloud SMS

class ClassificationNhnTest : public ::testing::Test {
 protected:
  Classification Classify(const HttpResponse& r) const { return s_.Classify(r); }
  Subject s_ = Make(std::make_unique<NhnSmsChannel>(Nhn()));
};

TEST_F(ClassificationNhnTest, AcceptedOnlyWhenTheHeaderAndEveryRecipientSaySo) {
  ExpectVerdict(
      Classify(Answer(200, NhnAccepted("2", Recipient("01012345678", 0, "SUCCESS", 1) + "," +
                                                Recipient("01087654321", 0, "SUCCESS", 2)))),
      Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(201, NhnAccepted("2", Recipient("01012345678", 0, "SUCCESS", 1)))),
                Kind::kSuccess, "");
}

TEST_F(ClassificationNhnTest, EveryDocumentedResultCode) {
  struct Case {
    int code;
    bool retryable;
  };
  const std::vector<Case> cases = {
      {4, false},     {-1000, false}, {-1001, false}, {-1002, false}, {-1004, false},
      {-1008, false}, {-9995, false}, {-9996, false}, {-9997, false}, {-9998, false},
      {-9999, true},  {-2014, false}, {-2015, false}, {-2016, false}, {-2018, false},
      {-2019, false}, {-2021, true},  {-2022, false}, {-2023, false}, {-2024, false},
      {-2044, false}, {-2045, false}, {-2046, false}, {-2047, false}, {-2048, false},
      {-2052, false}, {-2053, false}, {-2312, false}, {-2313, false}, {-8000, false},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.code);
    const std::string message = "message for " + std::to_string(k.code);
    Classification c = Classify(Answer(200, NhnHeaderFailure(k.code, message)));
    ExpectVerdict(c, k.retryable ? Kind::kRetryable : Kind::kPermanent,
                  "vendor:" + std::to_string(k.code));
    EXPECT_EQ(c.detail, message);
    EXPECT_FALSE(c.resend.has_value());
  }
}

TEST_F(ClassificationNhnTest, ARecipientWithANonZeroResultCodeFailsTheSend) {
  Classification c = Classify(Answer(
      200, NhnAccepted("2", Recipient("01012345678", 0, "SUCCESS", 1) + "," +
                                Recipient("01087654321", -2019, "Invalid recipient number", 2))));
  ExpectVerdict(c, Kind::kPermanent, "vendor:-2019");
  EXPECT_NE(c.detail.find("Invalid recipient number"), std::string::npos) << c.detail;
}

TEST_F(ClassificationNhnTest, StatusCodeThreeIsAFailureWithAClearReason) {
  Classification c = Classify(Answer(200, NhnAccepted("3", "")));
  EXPECT_EQ(c.kind, Kind::kPermanent);
  ExpectNoSecret(c);
  EXPECT_EQ(c.reason.rfind("vendor:", 0), 0u) << c.reason;
  // 0 is NHN's code for SUCCESS: "vendor:0" would tell the operator nothing went wrong.
  EXPECT_NE(c.reason, "vendor:0");
  EXPECT_NE(c.detail.find("statusCode 3"), std::string::npos) << c.detail;
}

TEST_F(ClassificationNhnTest, HeaderFailureWithoutAResultCodeHasAClearReason) {
  Classification c = Classify(
      Answer(200, R"({"header":{"isSuccessful":false,"resultMessage":"Unknown"},"body":null})"));
  EXPECT_EQ(c.kind, Kind::kPermanent);
  EXPECT_FALSE(c.reason.empty());
  EXPECT_NE(c.reason, "vendor:0") << "0 is NHN's code for SUCCESS";
}

TEST_F(ClassificationNhnTest, UnreadableOrHeaderless2xxIsNotASuccess) {
  // NHN always answers with a result header; without one nothing says the SMS was accepted.
  for (const std::string& body :
       {std::string(""), std::string("OK"), std::string(kNginxBadGateway), std::string("{}"),
        std::string(R"({"header":"yes"})"), std::string(R"({"body":{"data":{}}})"),
        std::string("[1,2]"), std::string(R"({"header":{"isSuccessful":true)")}) {
    SCOPED_TRACE(body);
    Classification c = Classify(Answer(200, body));
    ExpectVerdict(c, Kind::kRetryable, "server_error");
    EXPECT_NE(c.detail.find("HTTP 200"), std::string::npos) << c.detail;
  }
  // A header without isSuccessful:true is a refusal.
  EXPECT_FALSE(Classify(Answer(200, R"({"header":{"resultCode":0}})")).success());
  EXPECT_FALSE(
      Classify(Answer(200, R"({"header":{"isSuccessful":"true","resultCode":0}})")).success());
}

TEST_F(ClassificationNhnTest, HttpStatusComesBeforeTheBody) {
  ExpectVerdict(Classify(Answer(500, NhnHeaderFailure(-1000, "Invalid appKey."))), Kind::kRetryable,
                "server_error");
  ExpectVerdict(Classify(Answer(401, NhnHeaderFailure(-9999, "System error."))), Kind::kPermanent,
                "auth_error");
  ExpectVerdict(Classify(Answer(404, "")), Kind::kPermanent, "client_error");
}

// ---------------------------------------------------------------------------------------------
// Dooray

class ClassificationDoorayTest : public ::testing::Test {
 protected:
  Classification Classify(const HttpResponse& r) const { return s_.Classify(r); }
  Subject s_ = Make(std::make_unique<DoorayChannel>(Dooray()));
};

TEST_F(ClassificationDoorayTest, Any2xxWithoutAFailingHeaderIsSuccess) {
  ExpectVerdict(Classify(Answer(200, "ok", {{"content-type", "text/plain"}})), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(200, "")), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(201, "")), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(204, "")), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(200, DoorayEnvelope(true, 0, ""))), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(200, R"({"result":null})")), Kind::kSuccess, "");
  ExpectVerdict(Classify(Answer(200, "<html>ok</html>")), Kind::kSuccess, "");
}

TEST_F(ClassificationDoorayTest, HeaderIsSuccessfulFalseOn2xxIsAPermanentVendorFailure) {
  Classification c =
      Classify(Answer(200, DoorayEnvelope(false, -400, "Bad Request: invalid hook payload")));
  ExpectVerdict(c, Kind::kPermanent, "vendor:-400");
  EXPECT_EQ(c.detail, "Bad Request: invalid hook payload");
  EXPECT_FALSE(c.resend.has_value());
}

TEST_F(ClassificationDoorayTest, DeletedHookIs404WithoutTheToken) {
  Classification c = Classify(Answer(404, DoorayEnvelope(false, -404, "Not Found")));
  ExpectVerdict(c, Kind::kPermanent, "client_error");
  EXPECT_NE(c.detail.find("404"), std::string::npos) << c.detail;
  EXPECT_NE(c.detail.find("hook"), std::string::npos) << c.detail;
}

TEST_F(ClassificationDoorayTest, RateLimitAndServerErrors) {
  Classification limited = Classify(
      Answer(429, DoorayEnvelope(false, -429, "Too Many Requests"), {{"retry-after", "2"}}));
  ExpectVerdict(limited, Kind::kRetryable, "rate_limited");
  EXPECT_EQ(limited.retry_after, milliseconds(2000));
  ExpectVerdict(Classify(Answer(500, DoorayEnvelope(false, -500, "Internal Server Error"))),
                Kind::kRetryable, "server_error");
  ExpectVerdict(Classify(Answer(401, "")), Kind::kPermanent, "auth_error");
  ExpectVerdict(Classify(Answer(415, "")), Kind::kPermanent, "client_error");
}

}  // namespace
}  // namespace rr
