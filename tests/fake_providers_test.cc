#include "tests/fakes/fake_providers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "alarm/json.h"
#include "channels/http_client.h"

namespace rr {
namespace {

using std::chrono::milliseconds;

HttpRequest Post(const std::string& url, std::string body,
                 std::string content_type = "application/json") {
  HttpRequest request;
  request.url = url;
  request.headers = {{"Content-Type", std::move(content_type)}};
  request.body = std::move(body);
  return request;
}

// Parses a JSON answer; fails the test when it is not JSON.
JsonDocument Parse(const std::string& body) {
  JsonDocument doc;
  Status status = ParseJson(body, JsonLimits{}, "answer", &doc);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << body;
  return doc;
}

// ---- The server underneath -----------------------------------------------------------------

TEST(FakeProviderServerTest, PlaysTheScriptInOrderThenAnswersNormally) {
  FakeHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  EXPECT_GT(server.port(), 0);
  server.Script({ScriptedReply::Answer(500, "one"), ScriptedReply::Answer(429, "two")});
  EXPECT_EQ(server.scripted_left(), 2u);
  HttpClient client;
  EXPECT_EQ(client.Send(Post(server.base_url() + "/a", "1")).status, 500);
  EXPECT_EQ(client.Send(Post(server.base_url() + "/b", "2")).status, 429);
  HttpResponse normal = client.Send(Post(server.base_url() + "/c?x=y", "3"));
  EXPECT_EQ(normal.status, 200);
  EXPECT_EQ(normal.body, R"({"ok":true})");
  EXPECT_EQ(server.scripted_left(), 0u);

  std::vector<RecordedRequest> got = server.requests();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].method, "POST");
  EXPECT_EQ(got[2].target, "/c?x=y");
  EXPECT_EQ(got[2].path, "/c");
  EXPECT_EQ(got[2].body, "3");
  ASSERT_NE(got[2].header("content-type"), nullptr);
  EXPECT_EQ(*got[2].header("content-type"), "application/json");
  EXPECT_EQ(got[0].connection, 1);
  EXPECT_EQ(got[2].connection, 1);  // kept alive
}

TEST(FakeProviderServerTest, StopDoesNotWaitForASlowReply) {
  FakeHttpServer server;
  ASSERT_TRUE(server.Start().ok());
  server.Script({ScriptedReply::Slow(milliseconds(30000))});
  HttpClientOptions options;
  options.total_timeout = milliseconds(200);
  HttpClient client(options);
  EXPECT_EQ(client.Send(Post(server.base_url() + "/", "x")).curl_code, 28);
  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  server.Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(2000));
}

TEST(FakeProviderServerTest, TwoServersGetDifferentPorts) {
  FakeHttpServer a, b;
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  EXPECT_NE(a.port(), b.port());
}

// ---- Dooray --------------------------------------------------------------------------------

class FakeProviderDoorayTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dooray_.Start().ok()); }
  HttpResponse Send(std::string body = R"({"botName":"rr","text":"root used"})") {
    return client_.Send(Post(dooray_.hook_url(), std::move(body)));
  }
  FakeDooray dooray_;
  HttpClient client_;
};

TEST_F(FakeProviderDoorayTest, AcceptsAHookMessage) {
  EXPECT_NE(dooray_.hook_url().find("/services/"), std::string::npos);
  EXPECT_NE(dooray_.hook_url().find(dooray_.token()), std::string::npos);
  HttpResponse response = Send();
  EXPECT_EQ(response.status, 200);
  JsonDocument doc = Parse(response.body);
  EXPECT_TRUE(doc["header"]["isSuccessful"].GetBool());
  ASSERT_EQ(dooray_.request_count(), 1u);
  EXPECT_EQ(dooray_.requests()[0].body, R"({"botName":"rr","text":"root used"})");
}

TEST_F(FakeProviderDoorayTest, UnknownHookPathIs404) {
  std::string url = dooray_.hook_url();
  url.replace(url.size() - 4, 4, "XXXX");
  HttpResponse response = client_.Send(Post(url, R"({"text":"x"})"));
  EXPECT_EQ(response.status, 404);
  EXPECT_FALSE(Parse(response.body)["header"]["isSuccessful"].GetBool());
}

TEST_F(FakeProviderDoorayTest, BodyWithoutTextOrNotJsonIs400) {
  EXPECT_EQ(Send(R"({"botName":"rr"})").status, 400);
  EXPECT_EQ(Send("not json").status, 400);
  EXPECT_EQ(client_.Send(Post(dooray_.hook_url(), R"({"text":"x"})", "text/plain")).status, 400);
}

TEST_F(FakeProviderDoorayTest, ScriptedFailures) {
  dooray_.Script(
      {FakeDooray::HeaderFailure(), FakeDooray::RateLimited(3), FakeDooray::ServerError(503)});
  HttpResponse header_failure = Send();
  EXPECT_EQ(header_failure.status, 200);
  JsonDocument doc = Parse(header_failure.body);
  EXPECT_FALSE(doc["header"]["isSuccessful"].GetBool());
  EXPECT_EQ(doc["header"]["resultCode"].GetInt(), -400);

  HttpResponse limited = Send();
  EXPECT_EQ(limited.status, 429);
  ASSERT_NE(limited.header("retry-after"), nullptr);
  EXPECT_EQ(*limited.header("retry-after"), "3");

  EXPECT_EQ(Send().status, 503);
  EXPECT_EQ(Send().status, 200);  // the script is used up
}

// ---- Telegram ------------------------------------------------------------------------------

class FakeProviderTelegramTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(telegram_.Start().ok()); }
  std::string Url(const std::string& method = "sendMessage") {
    return telegram_.api_base() + "/bot" + telegram_.token() + "/" + method;
  }
  HttpResponse SendMessage(const std::string& body) { return client_.Send(Post(Url(), body)); }
  HttpResponse Call(const std::string& method, const std::string& body) {
    return client_.Send(Post(Url(method), body));
  }
  // ok:false answers: checks the shape and returns the description.
  std::string ErrorOf(const HttpResponse& response) {
    JsonDocument doc = Parse(response.body);
    EXPECT_FALSE(doc["ok"].GetBool());
    EXPECT_EQ(doc["error_code"].GetInt(), response.status);
    return doc["description"].GetString();
  }
  FakeTelegram telegram_;
  HttpClient client_;
};

TEST_F(FakeProviderTelegramTest, SendsAMessage) {
  HttpResponse first = SendMessage(
      R"({"chat_id":-1001234567890,"parse_mode":"HTML","text":"<b>root</b> &amp; co"})");
  ASSERT_EQ(first.status, 200) << first.body;
  JsonDocument doc = Parse(first.body);
  EXPECT_TRUE(doc["ok"].GetBool());
  EXPECT_EQ(doc["result"]["message_id"].GetInt64(), 101);
  EXPECT_EQ(doc["result"]["chat"]["id"].GetInt64(), -1001234567890);
  EXPECT_STREQ(doc["result"]["chat"]["type"].GetString(), "supergroup");
  HttpResponse second = SendMessage(R"({"chat_id":"42","text":"plain <text> & more"})");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Parse(second.body)["result"]["message_id"].GetInt64(), 102);
}

TEST_F(FakeProviderTelegramTest, WrongTokenIs401AndMalformedTokenOrMethodIs404) {
  HttpResponse wrong = client_.Send(
      Post(telegram_.api_base() + "/bot7700112233:WrongToken/sendMessage", R"({"chat_id":1})"));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ErrorOf(wrong), "Unauthorized");
  HttpResponse malformed =
      client_.Send(Post(telegram_.api_base() + "/botnocolon/sendMessage", R"({"chat_id":1})"));
  EXPECT_EQ(malformed.status, 404);
  EXPECT_EQ(ErrorOf(malformed), "Not Found");
  HttpResponse method = client_.Send(Post(Url("sendNothing"), "{}"));
  EXPECT_EQ(method.status, 404);
  EXPECT_EQ(client_.Send(Post(Url("SENDMESSAGE"), R"({"chat_id":1,"text":"x"})")).status, 200);
  EXPECT_EQ(client_.Send(Post(Url("getMe"), "{}")).status, 200);
}

TEST_F(FakeProviderTelegramTest, ValidatesLikeTheBotApi) {
  HttpResponse tag =
      SendMessage(R"({"chat_id":1,"parse_mode":"HTML","text":"UA <Mozilla/5.0> from 1.2.3.4"})");
  EXPECT_EQ(tag.status, 400);
  EXPECT_NE(ErrorOf(tag).find("can't parse entities"), std::string::npos);
  HttpResponse amp = SendMessage(R"({"chat_id":1,"parse_mode":"HTML","text":"a & b"})");
  EXPECT_EQ(amp.status, 400);
  EXPECT_NE(ErrorOf(amp).find("can't parse entities"), std::string::npos);
  HttpResponse unclosed = SendMessage(R"({"chat_id":1,"parse_mode":"HTML","text":"<b>x"})");
  EXPECT_EQ(unclosed.status, 400);
  HttpResponse empty = SendMessage(R"({"chat_id":1,"text":""})");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(ErrorOf(empty), "Bad Request: message text is empty");
  HttpResponse no_chat = SendMessage(R"({"text":"x"})");
  EXPECT_EQ(ErrorOf(no_chat), "Bad Request: chat_id is empty");

  // 4096 UTF-16 units after entity parsing: tags do not count, an emoji counts two.
  std::string fits = "<b>" + std::string(4094, 'a') + "</b>\xF0\x9F\x9A\xA8";  // 4094 + 2
  std::string body = R"({"chat_id":1,"parse_mode":"HTML","text":")" + fits + R"("})";
  EXPECT_EQ(SendMessage(body).status, 200);
  std::string too_long = std::string(4095, 'a') + "\xF0\x9F\x9A\xA8";  // 4095 + 2
  HttpResponse long_answer = SendMessage(R"({"chat_id":1,"text":")" + too_long + R"("})");
  EXPECT_EQ(long_answer.status, 400);
  EXPECT_EQ(ErrorOf(long_answer), "Bad Request: message is too long");
}

TEST_F(FakeProviderTelegramTest, FloodControlCarriesRetryAfterTwice) {
  telegram_.Script({FakeTelegram::Flood(7)});
  HttpResponse response = SendMessage(R"({"chat_id":1,"text":"x"})");
  EXPECT_EQ(response.status, 429);
  ASSERT_NE(response.header("retry-after"), nullptr);
  EXPECT_EQ(*response.header("retry-after"), "7");
  JsonDocument doc = Parse(response.body);
  EXPECT_EQ(doc["parameters"]["retry_after"].GetInt(), 7);
  EXPECT_STREQ(doc["description"].GetString(), "Too Many Requests: retry after 7");
}

TEST_F(FakeProviderTelegramTest, ChatMigrationAnswersWithTheNewChatUntilItIsUsed) {
  telegram_.MigrateChat(-4001, -1004001);
  HttpResponse old_chat = SendMessage(R"({"chat_id":-4001,"text":"x"})");
  EXPECT_EQ(old_chat.status, 400);
  JsonDocument doc = Parse(old_chat.body);
  EXPECT_EQ(doc["parameters"]["migrate_to_chat_id"].GetInt64(), -1004001);
  EXPECT_STREQ(doc["description"].GetString(),
               "Bad Request: group chat was upgraded to a supergroup chat");
  EXPECT_EQ(SendMessage(R"({"chat_id":-1004001,"text":"x"})").status, 200);
  EXPECT_EQ(SendMessage(R"({"chat_id":-4001,"text":"x"})").status, 400);  // old id stays dead

  telegram_.Script({FakeTelegram::Migrated(-100777)});
  HttpResponse scripted = SendMessage(R"({"chat_id":5,"text":"x"})");
  EXPECT_EQ(Parse(scripted.body)["parameters"]["migrate_to_chat_id"].GetInt64(), -100777);
}

TEST_F(FakeProviderTelegramTest, ScriptedFailures) {
  telegram_.Script({FakeTelegram::CantParseEntities(12), FakeTelegram::BotBlocked(),
                    FakeTelegram::ChatNotFound(), FakeTelegram::Unauthorized(),
                    FakeTelegram::BadGateway(),
                    // Twice: on a reused connection curl resends once after a silent close.
                    ScriptedReply::Drop(), ScriptedReply::Drop()});
  const std::string body = R"({"chat_id":1,"text":"x"})";
  HttpResponse parse = SendMessage(body);
  EXPECT_EQ(parse.status, 400);
  EXPECT_NE(ErrorOf(parse).find("can't parse entities"), std::string::npos);
  HttpResponse blocked = SendMessage(body);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(ErrorOf(blocked), "Forbidden: bot was blocked by the user");
  EXPECT_EQ(ErrorOf(SendMessage(body)), "Bad Request: chat not found");
  EXPECT_EQ(SendMessage(body).status, 401);
  HttpResponse gateway = SendMessage(body);
  EXPECT_EQ(gateway.status, 502);
  ASSERT_NE(gateway.header("content-type"), nullptr);
  EXPECT_EQ(*gateway.header("content-type"), "text/html");
  EXPECT_NE(gateway.body.find("502 Bad Gateway"), std::string::npos);
  HttpResponse dropped = SendMessage(body);
  EXPECT_EQ(dropped.status, 0);
  EXPECT_NE(dropped.curl_code, 0);
  EXPECT_EQ(SendMessage(body).status, 200);
}

TEST_F(FakeProviderTelegramTest, SendMessageTakesAnInlineKeyboardAndChecksItsButtons) {
  const std::string keyboard =
      R"j({"inline_keyboard":[[{"text":"✅ 확인 (Acknowledge)","callback_data":"ack:7f3a9c"}]]})j";
  HttpResponse sent = Call(
      "sendMessage", R"({"chat_id":-1001234567890,"text":"root","reply_markup":)" + keyboard + "}");
  ASSERT_EQ(sent.status, 200) << sent.body;
  JsonDocument doc = Parse(sent.body);
  EXPECT_EQ(ToJsonText(doc["result"]["reply_markup"]), keyboard);
  const int64_t message_id = doc["result"]["message_id"].GetInt64();
  EXPECT_EQ(telegram_.reply_markup_of(-1001234567890, message_id), keyboard);

  // Also as a JSON string, as form-encoding clients send it.
  HttpResponse as_string =
      Call("sendMessage", R"({"chat_id":1,"text":"x","reply_markup":)" + std::string("\"") +
                              R"({\"inline_keyboard\":[]})" + "\"}");
  EXPECT_EQ(as_string.status, 200) << as_string.body;

  const std::string data65(65, 'a');
  HttpResponse too_long = Call(
      "sendMessage", R"({"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a",)"
                     R"("callback_data":")" +
                         data65 + R"("}]]}})");
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(ErrorOf(too_long), "Bad Request: BUTTON_DATA_INVALID");
  HttpResponse empty = Call(
      "sendMessage", R"({"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a",)"
                     R"("callback_data":""}]]}})");
  EXPECT_EQ(ErrorOf(empty), "Bad Request: BUTTON_DATA_INVALID");
  const std::string data64(64, 'a');
  EXPECT_EQ(Call("sendMessage",
                 R"({"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a",)"
                 R"("callback_data":")" +
                     data64 + R"("}]]}})")
                .status,
            200);
  HttpResponse text_only =
      Call("sendMessage",
           R"({"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a"}]]}})");
  EXPECT_EQ(text_only.status, 400);
  HttpResponse no_rows =
      Call("sendMessage", R"({"chat_id":1,"text":"x","reply_markup":{"keyboard":true}})");
  EXPECT_EQ(no_rows.status, 400);
}

TEST_F(FakeProviderTelegramTest, AnswerCallbackQueryNeedsAKnownQueryAndAShortText) {
  const int64_t update = telegram_.PressButton(111, "kim", "ack:1", -1001234567890, 55);
  const std::string id = FakeTelegram::callback_query_id_of(update);
  EXPECT_EQ(ErrorOf(Call("answerCallbackQuery", "{}")), "Bad Request: QUERY_ID_INVALID");
  HttpResponse unknown = Call("answerCallbackQuery", R"({"callback_query_id":"nope"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorOf(unknown),
            "Bad Request: query is too old and response timeout expired or query ID is invalid");
  HttpResponse long_text =
      Call("answerCallbackQuery",
           R"({"callback_query_id":")" + id + R"(","text":")" + std::string(201, 'x') + R"("})");
  EXPECT_EQ(long_text.status, 400);
  EXPECT_TRUE(telegram_.callback_answers().empty());

  HttpResponse ok = Call("answerCallbackQuery", R"({"callback_query_id":")" + id +
                                                    R"(","text":"확인","show_alert":true})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body, R"({"ok":true,"result":true})");
  std::vector<TelegramCallbackAnswer> answers = telegram_.callback_answers();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].callback_query_id, id);
  EXPECT_EQ(answers[0].text, "확인");
  EXPECT_TRUE(answers[0].show_alert);
}

TEST_F(FakeProviderTelegramTest, EditsNeedTheirFieldsAndAKnownMessageAndAChange) {
  HttpResponse sent = Call("sendMessage", R"({"chat_id":-100,"text":"root"})");
  ASSERT_EQ(sent.status, 200);
  const std::string id = std::to_string(Parse(sent.body)["result"]["message_id"].GetInt64());
  const std::string markup = R"({"inline_keyboard":[[{"text":"done","callback_data":"noop"}]]})";

  EXPECT_EQ(ErrorOf(Call("editMessageReplyMarkup", R"({"message_id":)" + id + "}")),
            "Bad Request: chat_id is empty");
  EXPECT_EQ(ErrorOf(Call("editMessageReplyMarkup", R"({"chat_id":-100})")),
            "Bad Request: message identifier is not specified");
  EXPECT_EQ(ErrorOf(Call("editMessageReplyMarkup", R"({"chat_id":-100,"message_id":999})")),
            "Bad Request: message to edit not found");
  EXPECT_EQ(ErrorOf(Call("editMessageText", R"({"chat_id":-100,"message_id":)" + id + "}")),
            "Bad Request: message text is empty");
  // No keyboard before, none asked for: nothing changes.
  EXPECT_NE(ErrorOf(Call("editMessageReplyMarkup", R"({"chat_id":-100,"message_id":)" + id + "}"))
                .find("message is not modified"),
            std::string::npos);

  HttpResponse edited = Call("editMessageReplyMarkup", R"({"chat_id":-100,"message_id":)" + id +
                                                           R"(,"reply_markup":)" + markup + "}");
  ASSERT_EQ(edited.status, 200) << edited.body;
  JsonDocument doc = Parse(edited.body);
  EXPECT_EQ(ToJsonText(doc["result"]["reply_markup"]), markup);
  EXPECT_TRUE(doc["result"].HasMember("edit_date"));

  HttpResponse text = Call("editMessageText", R"({"chat_id":"-100","message_id":)" + id +
                                                  R"j(,"text":"root (acknowledged)"})j");
  ASSERT_EQ(text.status, 200) << text.body;
  EXPECT_FALSE(Parse(text.body)["result"].HasMember("reply_markup"));  // no markup: removed
  std::vector<TelegramMessageEdit> edits = telegram_.edits();
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].method, "editMessageReplyMarkup");
  EXPECT_EQ(edits[0].reply_markup, markup);
  EXPECT_EQ(edits[1].method, "editMessageText");
  EXPECT_EQ(edits[1].text, "root (acknowledged)");
  EXPECT_FALSE(edits[1].reply_markup.has_value());
}

TEST_F(FakeProviderTelegramTest, GetUpdatesLongPollsAndHonoursOffsets) {
  // Nothing pending: the poll waits for a press, and returns as soon as there is one.
  auto parked = std::async(std::launch::async,
                           [&] { return Call("getUpdates", R"({"offset":0,"timeout":10})"); });
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, milliseconds(5000)));
  const int64_t first = telegram_.PressButton(111, "kim", "ack:1", -100, 55);
  ASSERT_EQ(parked.wait_for(std::chrono::seconds(8)), std::future_status::ready);
  HttpResponse woken = parked.get();
  ASSERT_EQ(woken.status, 200) << woken.body;
  JsonDocument doc = Parse(woken.body);
  ASSERT_EQ(doc["result"].Size(), 1u);
  const JsonValue& update = doc["result"][0];
  EXPECT_EQ(update["update_id"].GetInt64(), first);
  const JsonValue& query = update["callback_query"];
  EXPECT_EQ(query["id"].GetString(), FakeTelegram::callback_query_id_of(first));
  EXPECT_EQ(query["from"]["id"].GetInt64(), 111);
  EXPECT_STREQ(query["from"]["username"].GetString(), "kim");
  EXPECT_STREQ(query["data"].GetString(), "ack:1");
  EXPECT_EQ(query["message"]["message_id"].GetInt64(), 55);
  EXPECT_EQ(query["message"]["chat"]["id"].GetInt64(), -100);

  // Unconfirmed updates come again; an offset above them drops them for good.
  const int64_t second = telegram_.PressButton(111, "", "", -100, 56);  // no username, no data
  JsonDocument both = Parse(Call("getUpdates", R"({"timeout":0})").body);
  ASSERT_EQ(both["result"].Size(), 2u);
  EXPECT_FALSE(both["result"][1]["callback_query"]["from"].HasMember("username"));
  EXPECT_FALSE(both["result"][1]["callback_query"].HasMember("data"));
  JsonDocument rest =
      Parse(Call("getUpdates", R"({"offset":)" + std::to_string(first + 1) + "}").body);
  ASSERT_EQ(rest["result"].Size(), 1u);
  EXPECT_EQ(rest["result"][0]["update_id"].GetInt64(), second);
  EXPECT_EQ(telegram_.pending_updates(), 1u);
  Call("getUpdates", R"({"offset":)" + std::to_string(second + 1) + "}");
  EXPECT_EQ(telegram_.pending_updates(), 0u);
  EXPECT_EQ(telegram_.get_updates_calls(), 4);
}

TEST_F(FakeProviderTelegramTest, ANewerGetUpdatesEndsAWaitingOneWith409AndSoDoesAWebhook) {
  auto first =
      std::async(std::launch::async, [&] { return Call("getUpdates", R"({"timeout":10})"); });
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, milliseconds(5000)));
  HttpResponse second = Call("getUpdates", R"({"timeout":0})");
  EXPECT_EQ(second.status, 200);
  ASSERT_EQ(first.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  HttpResponse ended = first.get();
  EXPECT_EQ(ended.status, 409);
  EXPECT_EQ(ErrorOf(ended),
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running");
  EXPECT_EQ(telegram_.conflicts(), 1);

  telegram_.SetWebhook(true);
  HttpResponse webhook = Call("getUpdates", "{}");
  EXPECT_EQ(webhook.status, 409);
  EXPECT_NE(ErrorOf(webhook).find("can't use getUpdates method while webhook is active"),
            std::string::npos);
}

TEST_F(FakeProviderTelegramTest, StopWakesAParkedGetUpdates) {
  auto parked =
      std::async(std::launch::async, [&] { return Call("getUpdates", R"({"timeout":30})"); });
  ASSERT_TRUE(telegram_.WaitForGetUpdatesCalls(1, milliseconds(5000)));
  telegram_.Stop();
  ASSERT_EQ(parked.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(parked.get().status, 0);  // closed without an answer
}

// ---- NHN Cloud SMS -------------------------------------------------------------------------

class FakeProviderNhnTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(nhn_.Start().ok()); }
  std::string Url(const std::string& kind = "sms", const std::string& app_key = "") {
    return nhn_.api_base() + "/sms/v3.0/appKeys/" + (app_key.empty() ? nhn_.app_key() : app_key) +
           "/sender/" + kind;
  }
  HttpResponse Send(const std::string& body, const std::string& url = "",
                    const std::string& secret = "",
                    const std::string& type = "application/json;charset=UTF-8") {
    HttpRequest request = Post(url.empty() ? Url() : url, body, type);
    request.headers.push_back({"X-Secret-Key", secret.empty() ? nhn_.secret_key() : secret});
    return client_.Send(request);
  }
  // HTTP 200 always; returns header.resultCode.
  int ResultCode(const HttpResponse& response) {
    EXPECT_EQ(response.status, 200);
    JsonDocument doc = Parse(response.body);
    EXPECT_EQ(doc["header"]["isSuccessful"].GetBool(), doc["header"]["resultCode"].GetInt() == 0);
    return doc["header"]["resultCode"].GetInt();
  }
  static std::string Body(const std::string& text = "[AWS] root login 123456789012",
                          const std::string& send_no = "0212345678") {
    return R"({"body":")" + text + R"(","sendNo":")" + send_no +
           R"(","senderGroupingKey":"alert-7f3a9c","recipientList":[)"
           R"({"recipientNo":"01012345678","recipientGroupingKey":"oncall-1"},)"
           R"({"recipientNo":"01087654321"}]})";
  }
  FakeNhnSms nhn_;
  HttpClient client_;
};

TEST_F(FakeProviderNhnTest, AcceptsAnSms) {
  HttpResponse response = Send(Body("[AWS경보] 루트계정 로그인"));
  ASSERT_EQ(ResultCode(response), 0) << response.body;
  JsonDocument doc = Parse(response.body);
  const JsonValue& data = doc["body"]["data"];
  EXPECT_STREQ(data["statusCode"].GetString(), "2");
  EXPECT_FALSE(std::string(data["requestId"].GetString()).empty());
  EXPECT_STREQ(data["senderGroupingKey"].GetString(), "alert-7f3a9c");
  ASSERT_EQ(data["sendResultList"].Size(), 2u);
  EXPECT_STREQ(data["sendResultList"][0]["recipientNo"].GetString(), "01012345678");
  EXPECT_EQ(data["sendResultList"][0]["resultCode"].GetInt(), 0);
  EXPECT_EQ(data["sendResultList"][1]["recipientSeq"].GetInt(), 2);
  EXPECT_STREQ(data["sendResultList"][0]["recipientGroupingKey"].GetString(), "oncall-1");
  ASSERT_EQ(nhn_.request_count(), 1u);
  EXPECT_EQ(*nhn_.requests()[0].header("x-secret-key"), nhn_.secret_key());
}

TEST_F(FakeProviderNhnTest, CredentialsAreCheckedWithHttp200Failures) {
  EXPECT_EQ(ResultCode(Send(Body(), Url("sms", "WrongAppKey"))), -1000);
  EXPECT_EQ(ResultCode(Send(Body(), "", "WrongSecret")), -1000);
  EXPECT_EQ(nhn_.request_count(), 2u);
}

TEST_F(FakeProviderNhnTest, RequestProblemsGetTheirDocumentedCodes) {
  EXPECT_EQ(ResultCode(Send(Body(), "", "", "text/plain")), -9996);
  EXPECT_EQ(ResultCode(Send("{not json")), -9997);
  EXPECT_EQ(ResultCode(Send(Body(), nhn_.api_base() + "/sms/v3.0/appKeys/x/sender/fax")), -9998);
  EXPECT_EQ(ResultCode(Send(Body(), nhn_.api_base() + "/sms/v2.4/appKeys/x/sender/sms")), -9995);
  EXPECT_EQ(ResultCode(Send(Body(""))), -2014);
  EXPECT_EQ(ResultCode(Send(Body(), Url("mms"))), -2014);  // mms needs a title
  EXPECT_EQ(ResultCode(Send(Body("x", "0299999999"))), -2312);
  EXPECT_EQ(ResultCode(Send(Body("root \xF0\x9F\x9A\xA8 login"))), -2023);  // emoji
  EXPECT_EQ(ResultCode(Send(R"({"body":"x","sendNo":"0212345678","recipientList":[{}]})")), -2018);
  EXPECT_EQ(ResultCode(Send(R"({"body":"x","sendNo":"0212345678","recipientList":[]})")), -2001);
}

TEST_F(FakeProviderNhnTest, ScriptedVendorFailuresComeWithHttp200) {
  nhn_.Script({FakeNhnSms::SystemError(), FakeNhnSms::QueueInsertFailed(),
               FakeNhnSms::SendNoNotRegistered(), FakeNhnSms::UnsupportedCharacters(),
               ScriptedReply::Answer(503, "<html>busy</html>", {{"Content-Type", "text/html"}})});
  EXPECT_EQ(ResultCode(Send(Body())), -9999);
  EXPECT_EQ(ResultCode(Send(Body())), -2021);
  HttpResponse sendno = Send(Body());
  EXPECT_EQ(ResultCode(sendno), -2312);
  EXPECT_TRUE(Parse(sendno.body)["body"].IsNull());
  EXPECT_EQ(ResultCode(Send(Body())), -2023);
  EXPECT_EQ(Send(Body()).status, 503);
  EXPECT_EQ(ResultCode(Send(Body())), 0);
}

// ---- TLS -----------------------------------------------------------------------------------

TEST(FakeProviderTlsTest, ProvidersServeHttpsWithAThrowawayCertificate) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("rr-fake-tls-" + std::to_string(::getpid()));
  Result<TlsFiles> files = MakeSelfSignedCertificate(dir.string());
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  FakeTelegram telegram(FakeTelegram().token(), *files);
  ASSERT_TRUE(telegram.Start().ok());
  EXPECT_EQ(telegram.api_base().rfind("https://127.0.0.1:", 0), 0u);
  HttpClientOptions options;
  options.ca_bundle = files->cert_path;
  HttpClient client(options);
  HttpResponse response =
      client.Send(Post(telegram.api_base() + "/bot" + telegram.token() + "/sendMessage",
                       R"({"chat_id":1,"text":"x"})"));
  EXPECT_EQ(response.status, 200) << response.error;
  HttpClient untrusting;
  EXPECT_EQ(untrusting.Send(Post(telegram.api_base() + "/bot" + telegram.token() + "/getMe", "{}"))
                .curl_code,
            60);
  telegram.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rr
