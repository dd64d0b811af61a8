#include "channels/telegram.h"

#include <chrono>
#include <string>

#include <date/tz.h>
#include <gtest/gtest.h>

#include "alarm/json.h"
#include "channels/alert_text.h"
#include "channels/html_escape.h"
#include "channels/utf16_length.h"
#include "tests/support/sample_alerts.h"

namespace rr {
namespace {

constexpr char kToken[] = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";

RenderContext Seoul() { return RenderContext{date::locate_zone("Asia/Seoul")}; }

TelegramChannel Channel(std::string chat_id = "-1001234567890",
                        std::optional<int64_t> thread = std::nullopt) {
  return TelegramChannel(
      TelegramConfig{"tg-sec", "https://api.telegram.org", kToken, std::move(chat_id), thread});
}

Alert RootConsoleLogin() { return testing::SampleRootConsoleLogin(); }

Alert RootAlarm() {
  Alert a = testing::SampleRootAlarm();
  a.message_id.reset();
  return a;
}

// Checks that `html` uses only the markup the renderer means to produce, with every tag closed
// on the line that opened it and every '&' starting one of Telegram's entities.
void ExpectSelfContainedLines(const std::string& html) {
  int open_b = 0;
  int open_a = 0;
  size_t i = 0;
  auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
  while (i < html.size()) {
    if (html[i] == '\n') {
      EXPECT_EQ(open_b, 0) << "unclosed <b> before byte " << i;
      EXPECT_EQ(open_a, 0) << "unclosed <a> before byte " << i;
      ++i;
    } else if (html[i] == '<') {
      if (starts("<b>")) {
        ++open_b;
        i += 3;
      } else if (starts("</b>")) {
        --open_b;
        i += 4;
      } else if (starts("</a>")) {
        --open_a;
        i += 4;
      } else if (starts("<a href=\"")) {
        size_t end = html.find("\">", i);
        ASSERT_NE(end, std::string::npos);
        std::string_view href(html.data() + i + 9, end - i - 9);
        EXPECT_EQ(href.find_first_of("<>\"\n"), std::string_view::npos);
        ++open_a;
        i = end + 2;
      } else {
        ADD_FAILURE() << "unexpected '<' at byte " << i;
        return;
      }
    } else if (html[i] == '&') {
      bool entity = starts("&amp;") || starts("&lt;") || starts("&gt;") || starts("&quot;");
      EXPECT_TRUE(entity) << "bare '&' at byte " << i;
      ++i;
    } else {
      EXPECT_NE(html[i], '>') << "bare '>' at byte " << i;
      ++i;
    }
  }
  EXPECT_EQ(open_b, 0);
  EXPECT_EQ(open_a, 0);
}

std::string TextOf(const HttpRequest& req) {
  JsonDocument doc;
  EXPECT_TRUE(ParseJson(req.body, JsonLimits{}, "body", &doc).ok());
  return std::string(AsView(doc["text"]));
}

TEST(TelegramTest, RequestShape) {
  std::vector<HttpRequest> requests = Channel().Render(RootAlarm(), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& req = requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, std::string("https://api.telegram.org/bot") + kToken + "/sendMessage");
  EXPECT_EQ(req.headers, (HttpHeaders{{"Content-Type", "application/json"}}));
  EXPECT_EQ(req.secrets, (std::vector<std::string>{kToken}));
  EXPECT_EQ(Channel().type(), "telegram");
  EXPECT_EQ(Channel().name(), "tg-sec");
}

TEST(TelegramTest, RootConsoleLoginBody) {
  std::vector<HttpRequest> requests = Channel().Render(RootConsoleLogin(), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"chat_id":-1001234567890,"text":"<b>🚨 [CRITICAL] root 콘솔 로그인 — Success</b>\n<b>계정</b>: 111122223333\n<b>리전</b>: us-east-1\n<b>시각</b>: 2026-03-02 18:40:12 KST\n<b>이벤트</b>: signin.amazonaws.com ConsoleLogin\n<b>주체</b>: Root arn:aws:iam::111122223333:root\n<b>출발 IP</b>: 198.51.100.23\n<b>MFA</b>: 아니오\n<b>결과</b>: Success\n<b>User agent</b>: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36\n<a href=\"https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b\">CloudTrail 이벤트 열기</a>","parse_mode":"HTML","link_preview_options":{"is_disabled":true}})json");
}

TEST(TelegramTest, RootAlarmBody) {
  std::vector<HttpRequest> requests = Channel().Render(RootAlarm(), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"chat_id":-1001234567890,"text":"<b>🚨 [CRITICAL] root 계정 — ALARM</b>\n<b>상태</b>: OK → ALARM\n<b>계정</b>: prod-main (111122223333)\n<b>리전</b>: ap-northeast-2\n<b>시각</b>: 2026-03-02 18:45:31 KST\n<b>원인</b>: Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:44:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -&gt; ALARM transition).\n<a href=\"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/root-alert\">CloudWatch 경보 열기</a>","parse_mode":"HTML","link_preview_options":{"is_disabled":true}})json");
}

TEST(TelegramTest, AlarmWithEveryFieldNull) {
  std::vector<HttpRequest> requests = Channel().Render(Alert{}, Seoul());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"chat_id":-1001234567890,"text":"<b>🚨 [HIGH] AWS 경보</b>","parse_mode":"HTML","link_preview_options":{"is_disabled":true}})json");
}

TEST(TelegramTest, ChatIdIsANumberOnlyWhenNumeric) {
  auto chat_id_json = [](std::string chat_id) {
    std::string body = Channel(chat_id).Render(Alert{}, Seoul())[0].body;
    return body.substr(0, body.find(",\"text\""));
  };
  EXPECT_EQ(chat_id_json("-1001234567890"), R"({"chat_id":-1001234567890)");
  EXPECT_EQ(chat_id_json("123456789"), R"({"chat_id":123456789)");
  EXPECT_EQ(chat_id_json("@rootguard"), R"({"chat_id":"@rootguard")");
  EXPECT_EQ(chat_id_json("12ab"), R"({"chat_id":"12ab")");
  EXPECT_EQ(chat_id_json("99999999999999999999"), R"({"chat_id":"99999999999999999999")");
  EXPECT_EQ(NumericChatId("-1001557912345"), -1001557912345);
  EXPECT_EQ(NumericChatId("+1"), std::nullopt);
  EXPECT_EQ(NumericChatId(""), std::nullopt);
  EXPECT_EQ(NumericChatId("-"), std::nullopt);
}

TEST(TelegramTest, ForumTopic) {
  std::string body = Channel("-1001234567890", 42).Render(Alert{}, Seoul())[0].body;
  EXPECT_EQ(body.rfind(R"({"chat_id":-1001234567890,"message_thread_id":42,"text":)", 0), 0u);
}

TEST(TelegramTest, ApiBaseTrailingSlashAndCustomHost) {
  TelegramChannel ch(TelegramConfig{"t", "http://127.0.0.1:9000/", "tok", "1", std::nullopt});
  HttpRequest req = ch.Render(Alert{}, Seoul())[0];
  EXPECT_EQ(req.url, "http://127.0.0.1:9000/bottok/sendMessage");
  EXPECT_EQ(req.secrets, (std::vector<std::string>{"tok"}));
}

TEST(TelegramTest, EveryValueIsEscaped) {
  Alert a = RootConsoleLogin();
  a.subject = "<b>fake</b>\n& \"q\"";  // the line break becomes a space: one headline line
  a.account_name = "a&b";
  a.console_url = "https://x.example/?a=1&b=\"2\"";
  std::string text = TelegramTexts(a, Seoul())[0];
  ExpectSelfContainedLines(text);
  EXPECT_EQ(
      text.rfind("<b>🚨 [CRITICAL] &lt;b&gt;fake&lt;/b&gt; &amp; &quot;q&quot; — Success</b>\n", 0),
      0u);
  EXPECT_NE(text.find("<b>계정</b>: a&amp;b (111122223333)"), std::string::npos);
  EXPECT_NE(text.find("<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\">"),
            std::string::npos);
}

TEST(TelegramTest, DrillIsMarkedFirst) {
  Alert a = RootAlarm();
  a.drill = true;
  std::string text = TelegramTexts(a, Seoul())[0];
  EXPECT_EQ(StripHtml(text).rfind("[DRILL] 🚨 [CRITICAL] root 계정 — ALARM\n", 0), 0u);
}

// A 5000-character user agent full of markup characters and emoji.
std::string HostileUserAgent() {
  std::string ua;
  for (int i = 0; i < 1250; ++i) ua += "<&>😀";  // 4 characters, 5 UTF-16 units
  return ua;
}

TEST(TelegramTest, LongUserAgentSplitsOnLineBoundaries) {
  Alert a = RootConsoleLogin();
  a.user_agent = HostileUserAgent();
  std::vector<HttpRequest> requests = Channel().Render(a, Seoul());
  // Headline and short rows; then the user agent line alone (it fills a continuation message
  // to kTelegramMaxLineUnits); then the console link.
  ASSERT_EQ(requests.size(), 3u);
  std::vector<std::string> texts;
  for (const HttpRequest& req : requests) {
    EXPECT_EQ(req.url, std::string("https://api.telegram.org/bot") + kToken + "/sendMessage");
    texts.push_back(TextOf(req));
    ExpectSelfContainedLines(texts.back());
    EXPECT_LE(Utf16Length(StripHtml(texts.back())), kTelegramMaxTextUnits);
  }
  EXPECT_EQ(texts[0].substr(texts[0].rfind('\n') + 1), "<b>결과</b>: Success");
  EXPECT_EQ(texts[1].rfind("<b>(계속 2/3)</b>\n<b>User agent</b>: &lt;&amp;&gt;😀&lt;&amp;", 0), 0u);
  EXPECT_EQ(texts[2],
            "<b>(계속 3/3)</b>\n<a href=\"https://console.aws.amazon.com/cloudtrail/home?region="
            "us-east-1#/events/3f2a9c1e-7b4d-4e8a-9c21-5d6e7f809a1b\">CloudTrail 이벤트 열기</a>");

  // The user agent line was cut before escaping, on a character boundary, to fit.
  std::string ua_line = StripHtml(texts[1].substr(texts[1].find('\n') + 1));
  EXPECT_EQ(ua_line.find('\n'), std::string::npos);
  EXPECT_LE(Utf16Length(ua_line), kTelegramMaxLineUnits);
  EXPECT_GE(Utf16Length(ua_line), kTelegramMaxLineUnits - 1);
  EXPECT_EQ(ua_line.substr(ua_line.size() - 3), "\u2026");
  EXPECT_EQ(HostileUserAgent().find(ua_line.substr(12, ua_line.size() - 15)), 0u);
}

TEST(TelegramTest, SplitMessagesAllStartWithDrill) {
  Alert a = RootConsoleLogin();
  a.user_agent = HostileUserAgent();
  a.drill = true;
  std::vector<std::string> texts = TelegramTexts(a, Seoul());
  ASSERT_EQ(texts.size(), 3u);
  for (const std::string& text : texts) {
    EXPECT_EQ(StripHtml(text).rfind("[DRILL] ", 0), 0u) << text.substr(0, 80);
  }
  EXPECT_EQ(texts[1].rfind("<b>[DRILL] (계속 2/3)</b>\n", 0), 0u);
}

TEST(TelegramTest, ManyLongFieldsPackGreedily) {
  Alert a = RootAlarm();
  a.reason = std::string(3000, 'r');
  a.alarm_description = std::string(3000, 'd');
  std::vector<std::string> texts = TelegramTexts(a, Seoul());
  ASSERT_EQ(texts.size(), 2u);
  for (const std::string& text : texts) {
    ExpectSelfContainedLines(text);
    EXPECT_LE(Utf16Length(StripHtml(text)), kTelegramMaxTextUnits);
  }
  // The reason fits with the short rows; the description starts the next message and the
  // link joins it.
  EXPECT_EQ(texts[0].substr(texts[0].rfind('\n') + 1), "<b>원인</b>: " + std::string(3000, 'r'));
  EXPECT_EQ(texts[1], "<b>(계속 2/2)</b>\n<b>설명</b>: " + std::string(3000, 'd') +
                          "\n<a href=\"https://console.aws.amazon.com/cloudwatch/home?region="
                          "ap-northeast-2#alarmsV2:alarm/root-alert\">CloudWatch 경보 열기</a>");
}

TEST(TelegramTest, TextAtTheLimitIsOneMessage) {
  Alert a;
  a.subject = "s";                               // headline "🚨 [HIGH] s": 11 units
  a.reason = std::string(2000, 'x');             // "원인: xxx...": 2004 units
  a.alarm_description = std::string(2075, 'y');  // "설명: yyy...": 2079 units
  std::vector<std::string> texts = TelegramTexts(a, Seoul());
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(Utf16Length(StripHtml(texts[0])), 4096u);  // 11 + 1 + 2004 + 1 + 2079

  a.alarm_description->push_back('y');
  texts = TelegramTexts(a, Seoul());
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0], "<b>🚨 [HIGH] s</b>\n<b>원인</b>: " + std::string(2000, 'x'));
  EXPECT_EQ(texts[1], "<b>(계속 2/2)</b>\n<b>설명</b>: " + std::string(2076, 'y'));
}

TEST(TelegramTest, Deterministic) {
  Alert a = RootConsoleLogin();
  a.user_agent = HostileUserAgent();
  std::vector<HttpRequest> first = Channel().Render(a, Seoul());
  std::vector<HttpRequest> second = Channel().Render(a, Seoul());
  ASSERT_EQ(first.size(), second.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].body, second[i].body);
}

// --- Pages and notices ---

constexpr char kAckUrl[] = "https://rr.example.com/ack/12?t=Tok3n&x=\"1\"";

PageExtras Escalated() {
  PageExtras e;
  e.reason = PageReason::kEscalated;
  e.waited_seconds = 300;
  e.incident_id = 12;
  e.related = {RootConsoleLogin()};
  e.ack_url = kAckUrl;
  e.ack_callback_data = "ack:12:7f3a9c";
  return e;
}

JsonDocument BodyOf(const HttpRequest& req) {
  JsonDocument doc;
  EXPECT_TRUE(ParseJson(req.body, JsonLimits{}, "body", &doc).ok());
  return doc;
}

TEST(TelegramPageTest, DefaultExtrasRenderExactlyLikeRender) {
  Alert drill = RootAlarm();
  drill.drill = true;
  Alert long_ua = RootConsoleLogin();
  long_ua.user_agent = HostileUserAgent();
  for (const Alert& a : {RootAlarm(), RootConsoleLogin(), Alert{}, drill, long_ua}) {
    std::vector<HttpRequest> plain = Channel().Render(a, Seoul());
    std::vector<HttpRequest> page = Channel().RenderPage(a, Seoul(), PageExtras{});
    ASSERT_EQ(plain.size(), page.size());
    for (size_t i = 0; i < plain.size(); ++i) {
      EXPECT_EQ(plain[i].url, page[i].url);
      EXPECT_EQ(plain[i].headers, page[i].headers);
      EXPECT_EQ(plain[i].body, page[i].body);
      EXPECT_EQ(plain[i].secrets, page[i].secrets);
    }
  }
}

TEST(TelegramPageTest, EscalatedPageText) {
  std::vector<HttpRequest> requests = Channel().RenderPage(RootAlarm(), Seoul(), Escalated());
  ASSERT_EQ(requests.size(), 1u);
  std::string text = TextOf(requests[0]);
  ExpectSelfContainedLines(text);
  EXPECT_EQ(
      text,
      "<b>🚨 [CRITICAL] root 계정 — ALARM</b>\n"
      "<b>⏫ 에스컬레이션: 5분 동안 확인 없음</b>\n"
      "<b>인시던트</b>: #12\n"
      "<b>상태</b>: OK → ALARM\n"
      "<b>계정</b>: prod-main (111122223333)\n"
      "<b>리전</b>: ap-northeast-2\n"
      "<b>시각</b>: 2026-03-02 18:45:31 KST\n"
      "<b>원인</b>: Threshold Crossed: 1 out of the last 1 datapoints [1.0 (02/03/26 09:44:00)] "
      "was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -&gt; ALARM "
      "transition).\n"
      "<a href=\"https://console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:"
      "alarm/root-alert\">CloudWatch 경보 열기</a>\n"
      "<b>관련 알림</b>\n"
      "• 콘솔 로그인 root 198.51.100.23 MFA 없음 18:40\n"
      "<a "
      "href=\"https://rr.example.com/ack/12?t=Tok3n&amp;x=&quot;1&quot;\">확인(Acknowledge)</a>");
  JsonDocument body = BodyOf(requests[0]);
  EXPECT_EQ(
      ToJsonText(body["reply_markup"]),
      R"json({"inline_keyboard":[[{"text":"✅ 확인 (Acknowledge)","callback_data":"ack:12:7f3a9c"}]]})json");
  EXPECT_FALSE(body.HasMember("disable_notification"));  // a page rings
}

TEST(TelegramPageTest, RelatedEventNamesTheIncidentOnce) {
  PageExtras e;
  e.reason = PageReason::kRelatedEvent;
  e.incident_id = 12;
  e.related = {RootAlarm()};
  std::string text = TelegramPageTexts(RootConsoleLogin(), Seoul(), e)[0];
  EXPECT_EQ(text.rfind("<b>🚨 [CRITICAL] root 콘솔 로그인 — Success</b>\n"
                       "<b>➕ 같은 root 사용의 관련 이벤트 (인시던트 #12, 다시 호출하지 않음)</b>\n"
                       "<b>계정</b>: ",
                       0),
            0u);
  EXPECT_NE(text.find("\n• 알람 root-alert → ALARM 18:45"), std::string::npos);
}

TEST(TelegramPageTest, ButtonOnlyOnTheLastOfSplitMessages) {
  Alert a = RootConsoleLogin();
  a.user_agent = HostileUserAgent();
  a.drill = true;
  std::vector<HttpRequest> requests = Channel().RenderPage(a, Seoul(), Escalated());
  ASSERT_EQ(requests.size(), 3u);
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string text = TextOf(requests[i]);
    ExpectSelfContainedLines(text);
    EXPECT_LE(Utf16Length(StripHtml(text)), kTelegramMaxTextUnits);
    EXPECT_EQ(StripHtml(text).rfind("[DRILL] ", 0), 0u);
    EXPECT_EQ(BodyOf(requests[i]).HasMember("reply_markup"), i + 1 == requests.size()) << i;
  }
  // The ack link travels with the button, in the last message.
  std::string last = TextOf(requests.back());
  EXPECT_EQ(
      last.substr(last.rfind('\n') + 1),
      "<a "
      "href=\"https://rr.example.com/ack/12?t=Tok3n&amp;x=&quot;1&quot;\">확인(Acknowledge)</a>");
}

TEST(TelegramPageTest, CallbackDataPassesThroughOrIsLeftOut) {
  PageExtras e = Escalated();
  e.ack_callback_data = "ack:12:\"q\"\\/<&>";  // JSON-escaped on the wire, unchanged for Telegram
  JsonDocument body = BodyOf(Channel().RenderPage(RootAlarm(), Seoul(), e)[0]);
  EXPECT_EQ(AsView(body["reply_markup"]["inline_keyboard"][0][0]["callback_data"]),
            "ack:12:\"q\"\\/<&>");
  e.ack_callback_data = std::string(64, 'c');
  body = BodyOf(Channel().RenderPage(RootAlarm(), Seoul(), e)[0]);
  EXPECT_EQ(AsView(body["reply_markup"]["inline_keyboard"][0][0]["callback_data"]),
            std::string(64, 'c'));
  // Telegram refuses a whole message whose button data is empty or over 64 bytes: the page
  // goes without the button (the link still acknowledges).
  for (std::string bad : {std::string(65, 'c'), std::string()}) {
    e.ack_callback_data = bad;
    body = BodyOf(Channel().RenderPage(RootAlarm(), Seoul(), e)[0]);
    EXPECT_FALSE(body.HasMember("reply_markup")) << bad.size();
  }
  e.ack_callback_data.reset();
  EXPECT_FALSE(BodyOf(Channel().RenderPage(RootAlarm(), Seoul(), e)[0]).HasMember("reply_markup"));
}

TEST(TelegramPageTest, AckUrlIsASecretAndNeverABrokenLink) {
  std::vector<HttpRequest> requests = Channel().RenderPage(RootAlarm(), Seoul(), Escalated());
  EXPECT_EQ(requests[0].secrets,
            (std::vector<std::string>{
                kToken, kAckUrl, "https://rr.example.com/ack/12?t=Tok3n&amp;x=&quot;1&quot;"}));
  PageExtras e = Escalated();
  e.ack_url = "javascript:alert(1)";
  std::string text = TelegramPageTexts(RootAlarm(), Seoul(), e)[0];
  EXPECT_EQ(text.find("확인(Acknowledge)"), std::string::npos);
  EXPECT_EQ(Channel().RenderPage(RootAlarm(), Seoul(), e)[0].secrets,
            (std::vector<std::string>{kToken}));
}

TEST(TelegramPageTest, RelatedBurstIsCappedAndStaysWithinLimits) {
  Alert call;
  call.kind = AlertKind::kApiCall;
  call.event_name = std::string(300, 'E') + "<&>";  // far longer than any real event name
  call.source_ip = "198.51.100.23";
  call.event_time = "2026-03-02T09:41:05Z";
  PageExtras e = Escalated();
  e.related = std::vector<Alert>(500, call);
  Alert a = RootConsoleLogin();
  a.user_agent = HostileUserAgent();
  std::vector<std::string> texts = TelegramPageTexts(a, Seoul(), e);
  std::string all;
  for (const std::string& t : texts) {
    ExpectSelfContainedLines(t);
    EXPECT_LE(Utf16Length(StripHtml(t)), kTelegramMaxTextUnits);
    all += t + "\n";
  }
  size_t bullets = 0;
  for (size_t at = all.find("\n• "); at != std::string::npos; at = all.find("\n• ", at + 1)) {
    ++bullets;
  }
  EXPECT_EQ(bullets, kMaxRelatedShown + 1);
  EXPECT_NE(all.find("\n• 외 495건\n"), std::string::npos);
}

Notice Ack(std::string by) {
  Notice n;
  n.kind = Notice::Kind::kAcknowledged;
  n.alert = RootAlarm();
  n.incident_id = 12;
  n.by = std::move(by);
  n.at = std::chrono::system_clock::time_point{std::chrono::seconds{1772445002}};
  return n;
}

TEST(TelegramNoticeTest, AcknowledgedIsOneSilentMessage) {
  std::vector<HttpRequest> requests = Channel().RenderNotice(Ack("@alice (Telegram)"), Seoul());
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(
      requests[0].body,
      R"json({"chat_id":-1001234567890,"text":"<b>✅ 확인됨: root 계정 — @alice (Telegram), 2026-03-02 18:50:02 KST (인시던트 #12)</b>","parse_mode":"HTML","link_preview_options":{"is_disabled":true},"disable_notification":true})json");
  EXPECT_EQ(requests[0].secrets, (std::vector<std::string>{kToken}));
  EXPECT_EQ(requests[0].url, std::string("https://api.telegram.org/bot") + kToken + "/sendMessage");
}

TEST(TelegramNoticeTest, HostileNameIsEscapedOnOneLine) {
  std::string text = TelegramNoticeText(
      Ack("<a href=\"https://evil.example\">boss</a> &amp;\n<b>🟢 해소됨</b>"), Seoul());
  ExpectSelfContainedLines(text);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(
      text,
      "<b>✅ 확인됨: root 계정 — &lt;a href=&quot;https://evil.example&quot;&gt;boss&lt;/a&gt; "
      "&amp;amp; &lt;b&gt;🟢 해소됨&lt;/b&gt;, 2026-03-02 18:50:02 KST (인시던트 "
      "#12)</b>");
}

TEST(TelegramNoticeTest, ResolvedWithShortReasonAndDrill) {
  Notice n = Ack("");
  n.kind = Notice::Kind::kResolved;
  n.alert.state = "OK";
  n.alert.reason = "Threshold Crossed: 0 < 1";
  n.alert.event_time = "2026-03-02T10:05:31Z";
  n.alert.drill = true;
  EXPECT_EQ(
      TelegramNoticeText(n, Seoul()),
      "<b>[DRILL] 🟢 해소됨: root 계정 OK 2026-03-02 19:05:31 KST (인시던트 #12)</b>\n"
      "<b>원인</b>: Threshold Crossed: 0 &lt; 1");
  n.alert.reason = std::string(5000, 'r');  // not short: left out
  EXPECT_EQ(TelegramNoticeText(n, Seoul()).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace rr
