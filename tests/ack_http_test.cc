// The /ack page: unit tests of HandleAckHttp, then the route through the real DaemonHttpServer
// over loopback.

#include "responder/ack_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channels/http_client.h"
#include "responder/ack_link.h"
#include "responder/daemon_http_server.h"
#include "tests/support/log_capture.h"

namespace rr {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

constexpr char kSecret[] = "PlantedAckSecretQ4z-9";
constexpr char kForm[] = "application/x-www-form-urlencoded";
const Clock::time_point kNow{seconds(1767225600)};  // 2026-01-01T00:00:00Z, 09:00 KST
const DisplayZone kSeoul{std::chrono::hours(9), "KST"};

AckResult Only(AckState state) {
  AckResult result;
  result.state = state;
  return result;
}

// An incident store: acknowledged at most once, every call counted.
class FakeIncidents {
 public:
  AckLookup Lookup() {
    return [this](int64_t id) {
      std::lock_guard<std::mutex> lock(mu_);
      ++lookups_;
      return Answer(id);
    };
  }
  AckAction Act() {
    return [this](int64_t id, const std::string& by) {
      std::lock_guard<std::mutex> lock(mu_);
      ++acts_;
      names_.push_back(by);
      if (unavailable_) return Only(AckState::kUnavailable);
      auto it = incidents_.find(id);
      if (it == incidents_.end()) return Only(AckState::kUnknownIncident);
      if (!it->second.by.empty()) return Answer(id);
      it->second.by = by;
      it->second.at = kNow;
      return AckResult{AckState::kAcknowledged, by, kNow, it->second.subject};
    };
  }
  void Add(int64_t id, std::string subject) { incidents_[id].subject = std::move(subject); }
  void AcknowledgedBefore(int64_t id, std::string by, Clock::time_point at) {
    incidents_[id].by = std::move(by);
    incidents_[id].at = at;
  }
  void SetUnavailable() { unavailable_ = true; }
  int acts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return acts_;
  }
  int lookups() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lookups_;
  }
  std::vector<std::string> names() const {
    std::lock_guard<std::mutex> lock(mu_);
    return names_;
  }

 private:
  struct Incident {
    std::string subject, by;
    Clock::time_point at;
  };
  AckResult Answer(int64_t id) const {
    if (unavailable_) return Only(AckState::kUnavailable);
    auto it = incidents_.find(id);
    if (it == incidents_.end()) return Only(AckState::kUnknownIncident);
    const Incident& i = it->second;
    return AckResult{i.by.empty() ? AckState::kAcknowledged : AckState::kAlreadyAcknowledged, i.by,
                     i.at, i.subject};
  }

  mutable std::mutex mu_;
  std::map<int64_t, Incident> incidents_;
  bool unavailable_ = false;
  int acts_ = 0, lookups_ = 0;
  std::vector<std::string> names_;
};

std::string Header(const AckHttpAnswer& answer, std::string_view name) {
  for (const auto& [n, v] : answer.headers) {
    if (n == name) return v;
  }
  return "";
}

class AckHttpTest : public ::testing::Test {
 protected:
  AckHttpTest() { incidents_.Add(42, "root 계정 <prod-main>"); }

  AckHttpAnswer Call(std::string_view method, const std::string& token,
                     std::string_view content_type = "", std::string_view body = "",
                     Clock::time_point now = kNow) {
    AckHttpAnswer answer = HandleAckHttp(method, token, content_type, body, kSecret, now,
                                         incidents_.Lookup(), incidents_.Act(), kSeoul);
    answers_.push_back(answer);
    return answer;
  }
  AckHttpAnswer Post(const std::string& body, int64_t id = 42) {
    return Call("POST", Token(id), kForm, body);
  }
  static std::string Token(int64_t id = 42) {
    return SignAckToken(kSecret, id, kNow + std::chrono::hours(24));
  }

  // Checked after every test: whatever was answered, the secret is nowhere in it.
  void TearDown() override {
    for (const AckHttpAnswer& answer : answers_) {
      EXPECT_EQ(answer.body.find(kSecret), std::string::npos);
      for (const auto& [name, value] : answer.headers) {
        EXPECT_EQ(value.find(kSecret), std::string::npos) << name;
      }
    }
  }

  FakeIncidents incidents_;
  std::vector<AckHttpAnswer> answers_;
};

TEST_F(AckHttpTest, GetShowsTheIncidentAndAFormAndNeverActs) {
  AckHttpAnswer page = Call("GET", Token());
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("root 계정 &lt;prod-main&gt;"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("#42"), std::string::npos);
  EXPECT_NE(page.body.find("<form method=\"post\">"), std::string::npos);
  EXPECT_NE(page.body.find("name=\"name\""), std::string::npos);
  // Korean first, English second.
  size_t ko = page.body.find("알림 확인"), en = page.body.find("Acknowledge alert");
  ASSERT_NE(ko, std::string::npos);
  ASSERT_NE(en, std::string::npos);
  EXPECT_LT(ko, en);
  EXPECT_NE(page.body.find("width=device-width"), std::string::npos);
  // The link's expiry, in the configured zone.
  EXPECT_NE(page.body.find("2026-01-02 09:00:00 KST"), std::string::npos) << page.body;
  // The form posts back to this URL; the page never spells the token out.
  EXPECT_EQ(page.body.find(Token()), std::string::npos);
  EXPECT_EQ(page.body.find("action="), std::string::npos);
  EXPECT_EQ(incidents_.acts(), 0);
  EXPECT_EQ(incidents_.lookups(), 1);
}

// Chat apps fetch links for previews: however often they do, nothing is acknowledged.
TEST_F(AckHttpTest, GetAndHeadNeverAcknowledge) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Call("GET", Token()).status, 200);
    AckHttpAnswer head = Call("HEAD", Token());
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, answers_[answers_.size() - 2].body);  // the server sends only its length
  }
  EXPECT_EQ(incidents_.acts(), 0);
  // Still open: the page still offers the form.
  EXPECT_NE(Call("GET", Token()).body.find("<form"), std::string::npos);
}

TEST_F(AckHttpTest, GetOfAnAcknowledgedIncidentSaysByWhomAndWhen) {
  incidents_.AcknowledgedBefore(42, "alice (link)", kNow - std::chrono::minutes(5));
  AckHttpAnswer page = Call("GET", Token());
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("이미 확인된 사건입니다"), std::string::npos);
  EXPECT_NE(page.body.find("Already acknowledged"), std::string::npos);
  EXPECT_NE(page.body.find("alice (link)"), std::string::npos);
  EXPECT_NE(page.body.find("2026-01-01 08:55:00 KST"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("<form"), std::string::npos);
  EXPECT_EQ(incidents_.acts(), 0);
}

TEST_F(AckHttpTest, PostAcknowledgesWithTheName) {
  AckHttpAnswer page = Post("name=%EA%B9%80%EB%B3%B4%EC%95%88+%28SecOps%29");
  EXPECT_EQ(page.status, 200);
  ASSERT_EQ(incidents_.names(), std::vector<std::string>{"김보안 (SecOps)"});
  EXPECT_NE(page.body.find("확인되었습니다"), std::string::npos);
  EXPECT_NE(page.body.find("김보안 (SecOps)"), std::string::npos);
  EXPECT_NE(page.body.find("2026-01-01 09:00:00 KST"), std::string::npos) << page.body;
}

TEST_F(AckHttpTest, PostWithoutANameIsByLink) {
  for (const char* body : {"", "name=", "name=+++", "other=x", "name=%00%1F%7F"}) {
    incidents_.Add(7, "s");
    incidents_.AcknowledgedBefore(7, "", {});
    EXPECT_EQ(Post(body, 7).status, 200) << body;
    EXPECT_EQ(incidents_.names().back(), "link") << body;
  }
}

TEST_F(AckHttpTest, PostFormContentTypeMayCarryACharset) {
  AckHttpAnswer page =
      Call("POST", Token(), "Application/X-WWW-Form-Urlencoded; charset=UTF-8", "name=bob");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(incidents_.names(), std::vector<std::string>{"bob"});
}

TEST_F(AckHttpTest, PostEscapesAHostileName) {
  AckHttpAnswer page = Post("name=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27");
  EXPECT_EQ(page.status, 200);
  ASSERT_EQ(incidents_.names().size(), 1u);
  EXPECT_EQ(incidents_.names()[0], "<script>alert(1)</script>\"'");
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;"), std::string::npos)
      << page.body;
}

TEST_F(AckHttpTest, PostCutsALongNameOnACharacterBoundary) {
  std::string encoded;
  for (int i = 0; i < 100; ++i) encoded += "%EA%B0%80";  // "가", three bytes each
  Post("name=" + encoded);
  ASSERT_EQ(incidents_.names().size(), 1u);
  std::string expected;
  for (int i = 0; i < 64; ++i) expected += "가";
  EXPECT_EQ(incidents_.names()[0], expected);
}

TEST_F(AckHttpTest, NamesAreCleaned) {
  struct Case {
    std::string body, name;
  };
  const std::vector<Case> cases = {
      {"name=alice", "alice"},
      {"name=++alice++", "alice"},
      {"name=al%0D%0Aice", "al ice"},  // a line break is a space, not a new log line
      {"name=a%09%09b", "a b"},
      {"name=a%00b%07c%1Bd%7F", "abcd"},
      {"name=%E2%80%AEecila", "ecila"},           // RIGHT-TO-LEFT OVERRIDE
      {"name=a%E2%80%8Bb%EF%BB%BF", "ab"},        // zero-width space, BOM
      {"name=a%C2%85b", "a b"},                   // NEL
      {"name=%E3%80%80alice%E3%80%80", "alice"},  // ideographic spaces
      {"name=%FF%FEbob%C0%AF", "bob"},            // invalid and overlong UTF-8 dropped
      {"name=%ED%A0%80x", "x"},                   // a surrogate
      {"name=%F0%9F%94%91key", "🔑key"},
      {"name=50%25", "50%"},
      {"name=100%", "100%"},  // a bare '%' stays
      {"name=%zz", "%zz"},
      {"name=first&name=second", "first"},
      {"a=1&name=b%26c&z", "b&c"},
      {"na%6De=encoded+key", "encoded key"},
      {"name", "link"},
  };
  for (const Case& c : cases) EXPECT_EQ(AckNameFromForm(c.body), c.name) << c.body;

  std::string spaced = std::string(63, 'a') + " b";
  EXPECT_EQ(AckNameFromForm("name=" + spaced), std::string(63, 'a'));  // no trailing space
  EXPECT_EQ(AckNameFromForm("name=" + std::string(70, 'x')), std::string(64, 'x'));
}

TEST_F(AckHttpTest, PostOfAnAcknowledgedIncidentSaysByWhomAndWhen) {
  incidents_.AcknowledgedBefore(42, "@bob (Telegram)", kNow - std::chrono::minutes(2));
  AckHttpAnswer page = Post("name=alice");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("이미 확인된 사건입니다"), std::string::npos);
  EXPECT_NE(page.body.find("@bob (Telegram)"), std::string::npos);
  EXPECT_NE(page.body.find("2026-01-01 08:58:00 KST"), std::string::npos);
  EXPECT_EQ(page.body.find("alice"), std::string::npos);
}

TEST_F(AckHttpTest, SecondPostFindsTheFirst) {
  EXPECT_NE(Post("name=alice").body.find("확인되었습니다"), std::string::npos);
  AckHttpAnswer again = Post("name=carol");
  EXPECT_NE(again.body.find("이미 확인된 사건입니다"), std::string::npos);
  EXPECT_NE(again.body.find("alice"), std::string::npos);
}

TEST_F(AckHttpTest, UnknownIncidentIs404AndUnavailableIs503) {
  EXPECT_EQ(Call("GET", Token(9)).status, 404);
  AckHttpAnswer unknown = Post("name=a", 9);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("Unknown incident"), std::string::npos);

  incidents_.SetUnavailable();
  AckHttpAnswer get = Call("GET", Token());
  EXPECT_EQ(get.status, 503);
  EXPECT_EQ(Header(get, "Retry-After"), "10");
  EXPECT_EQ(Post("name=a").status, 503);
}

TEST_F(AckHttpTest, OtherMethodsAre405WithAllow) {
  for (const char* method : {"PUT", "DELETE", "PATCH", "OPTIONS", "get", "TRACE", ""}) {
    AckHttpAnswer answer = Call(method, Token(), kForm, "name=x");
    EXPECT_EQ(answer.status, 405) << method;
    EXPECT_EQ(Header(answer, "Allow"), "GET, HEAD, POST") << method;
  }
  EXPECT_EQ(incidents_.acts(), 0);
  EXPECT_EQ(incidents_.lookups(), 0);
}

TEST_F(AckHttpTest, PostThatIsNotAFormIs415AndATooLargeOneIs413) {
  for (const char* type : {"", "text/plain", "application/json", "multipart/form-data; b=x",
                           "application/x-www-form-urlencodedx"}) {
    EXPECT_EQ(Call("POST", Token(), type, "name=x").status, 415) << type;
  }
  EXPECT_EQ(Post("name=" + std::string(kMaxAckBodyBytes, 'a')).status, 413);
  EXPECT_EQ(incidents_.acts(), 0);
}

TEST_F(AckHttpTest, BadTokensSayWhatIsWrongWithoutEchoingIt) {
  const std::string good = Token();
  std::string forged = good;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  const std::string other_secret = SignAckToken("another-secret", 42, kNow + seconds(60));
  const std::string expired = SignAckToken(kSecret, 42, kNow - std::chrono::hours(1));
  const std::string malformed = good + "<b>x</b>";
  struct Case {
    std::string token;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {forged, 403, "signature does not match"},
      {other_secret, 403, "signature does not match"},
      {expired, 410, "2026-01-01 08:00:00 KST"},  // when, in the configured zone
      {malformed, 404, "not valid"},
      {"", 404, "not valid"},
      {"v1.42.x.y", 404, "not valid"},
  };
  for (const Case& c : cases) {
    for (const char* method : {"GET", "HEAD", "POST"}) {
      AckHttpAnswer answer = Call(method, c.token, kForm, "name=x");
      EXPECT_EQ(answer.status, c.status) << method << " " << c.token;
      EXPECT_NE(answer.body.find(c.says), std::string::npos) << answer.body;
      const std::string mac = c.token.substr(c.token.rfind('.') + 1);
      if (!c.token.empty()) {
        EXPECT_EQ(answer.body.find(c.token), std::string::npos) << c.token;
      }
      if (mac.size() >= 20) {
        EXPECT_EQ(answer.body.find(mac), std::string::npos) << c.token;
      }
      EXPECT_EQ(answer.body.find("<b>x"), std::string::npos);
    }
  }
  EXPECT_EQ(incidents_.acts(), 0);
  EXPECT_EQ(incidents_.lookups(), 0);
}

TEST_F(AckHttpTest, WithoutASecretNothingIsAcknowledged) {
  AckHttpAnswer answer =
      HandleAckHttp("POST", SignAckToken("", 42, kNow + seconds(60)), kForm, "name=x", "", kNow,
                    incidents_.Lookup(), incidents_.Act(), kSeoul);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(incidents_.acts(), 0);
}

TEST_F(AckHttpTest, EveryAnswerCarriesTheProtectiveHeaders) {
  incidents_.Add(8, "s");
  Call("GET", Token());
  Call("HEAD", Token());
  Post("name=a");
  Post("name=a");  // already acknowledged
  Call("GET", Token(9));
  Call("PUT", Token());
  Call("GET", "v1.1.1.x");
  Call("GET", SignAckToken(kSecret, 42, kNow - seconds(1)));
  Call("POST", Token(), "text/plain", "");
  incidents_.SetUnavailable();
  Call("GET", Token());
  for (const AckHttpAnswer& answer : answers_) {
    SCOPED_TRACE(answer.status);
    EXPECT_EQ(answer.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(Header(answer, "Cache-Control"), "no-store");
    EXPECT_EQ(Header(answer, "Referrer-Policy"), "no-referrer");
    EXPECT_NE(Header(answer, "X-Robots-Tag").find("noindex"), std::string::npos);
    EXPECT_EQ(Header(answer, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(Header(answer, "X-Frame-Options"), "DENY");
    const std::string csp = Header(answer, "Content-Security-Policy");
    EXPECT_EQ(csp.rfind("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'", 0), 0u)
        << csp;
    // Self-contained: no script, nothing fetched from anywhere.
    EXPECT_EQ(answer.body.find("<script"), std::string::npos);
    EXPECT_EQ(answer.body.find("src="), std::string::npos);
    EXPECT_EQ(answer.body.find("http"), std::string::npos);
    EXPECT_EQ(answer.body.find("<link"), std::string::npos);
  }
}

TEST_F(AckHttpTest, LogsNeverCarryTheTokenOrTheSecret) {
  testing::LogCapture logs;
  const std::string token = Token();
  Call("GET", token);
  Post("name=alice%0Aforged%3Dline");
  Call("GET", token + "x");
  Call("GET", SignAckToken("other", 42, kNow + seconds(60)));
  const std::string text = logs.text();
  EXPECT_NE(text.find("ack incident=42"), std::string::npos) << text;
  EXPECT_NE(text.find("reason=malformed"), std::string::npos) << text;
  EXPECT_NE(text.find("reason=bad_signature"), std::string::npos) << text;
  EXPECT_EQ(text.find(token.substr(token.rfind('.') + 1)), std::string::npos) << text;
  EXPECT_EQ(text.find(kSecret), std::string::npos) << text;
  EXPECT_EQ(text.find("\nforged"), std::string::npos) << text;
  EXPECT_NE(text.find("result=acknowledged by=\"alice forged=line\""), std::string::npos) << text;
}

// ---- through the daemon's HTTP server, over loopback --------------------------------------

// Whether `response` holds a whole HTTP response: its headers, and as many body bytes as its
// Content-Length says (none for HEAD).
bool Complete(const std::string& response, bool head) {
  size_t end = response.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  if (head) return true;
  size_t at = response.find("Content-Length: ");
  if (at == std::string::npos || at > end) return true;
  return response.size() - (end + 4) >= std::stoul(response.substr(at + 16));
}

// One raw HTTP/1.1 exchange, for what libcurl would not do (HEAD, whose answer it would wait on
// for a body; a body announced but not sent): the bytes sent, the response read until it is
// complete or the server closes.
std::string RawExchange(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    const bool head = request.rfind("HEAD ", 0) == 0;
    char buffer[4096];
    for (ssize_t n; !Complete(response, head) && (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
      response.append(buffer, n);
    }
  }
  close(fd);
  return response;
}

class AckHttpServerTest : public ::testing::Test {
 protected:
  void Start(bool with_ack) {
    incidents_.Add(42, "root 계정");
    DaemonServerOptions options;
    options.port = 0;
    options.threads = 4;
    DaemonRoutes routes;
    if (with_ack) {
      routes.ack = [this](std::string_view method, std::string_view token,
                          std::string_view content_type, std::string_view body) {
        return HandleAckHttp(method, token, content_type, body, kSecret, Clock::now(),
                             incidents_.Lookup(), incidents_.Act(), kSeoul);
      };
    }
    server_ = std::make_unique<DaemonHttpServer>(options, routes);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  static std::string Token() {
    return SignAckToken(kSecret, 42, Clock::now() + std::chrono::hours(1));
  }
  HttpResponse Send(const std::string& method, const std::string& path, std::string body = "") {
    HttpRequest request;
    request.method = method;
    request.url = base_ + path;
    if (method == "POST") request.headers.emplace_back("Content-Type", kForm);
    request.body = std::move(body);
    return client_.Send(request);
  }

  FakeIncidents incidents_;
  HttpClient client_;
  std::unique_ptr<DaemonHttpServer> server_;
  std::thread thread_;
  std::string base_;
};

TEST_F(AckHttpServerTest, GetShowsThePageAndPostAcknowledges) {
  testing::LogCapture logs;
  Start(/*with_ack=*/true);
  const std::string path = "/ack/" + Token();

  HttpResponse page = Send("GET", path);
  ASSERT_TRUE(page.transport_ok()) << page.error;
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form method=\"post\">"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("root 계정"), std::string::npos);
  ASSERT_NE(page.header("content-type"), nullptr);
  EXPECT_EQ(*page.header("content-type"), "text/html; charset=utf-8");
  ASSERT_NE(page.header("content-security-policy"), nullptr);
  EXPECT_NE(page.header("content-security-policy")->find("default-src 'none'"), std::string::npos);
  ASSERT_NE(page.header("cache-control"), nullptr);
  EXPECT_EQ(*page.header("cache-control"), "no-store");
  ASSERT_NE(page.header("referrer-policy"), nullptr);
  EXPECT_EQ(incidents_.acts(), 0);

  std::string head = RawExchange(server_->port(), "HEAD " + path +
                                                      " HTTP/1.1\r\nHost: x\r\n"
                                                      "Connection: close\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
  EXPECT_EQ(head.find("<form"), std::string::npos) << head;  // headers only
  EXPECT_EQ(incidents_.acts(), 0);

  HttpResponse done = Send("POST", path, "name=alice");
  ASSERT_TRUE(done.transport_ok()) << done.error;
  EXPECT_EQ(done.status, 200);
  EXPECT_NE(done.body.find("확인되었습니다"), std::string::npos) << done.body;
  EXPECT_EQ(incidents_.names(), std::vector<std::string>{"alice"});

  HttpResponse again = Send("GET", path);
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("alice"), std::string::npos);
  EXPECT_EQ(again.body.find("<form"), std::string::npos);
  EXPECT_EQ(incidents_.acts(), 1);

  EXPECT_EQ(Send("PUT", path, "x").status, 405);
  EXPECT_EQ(Send("GET", "/ack/" + Token() + "x").status, 404);
  EXPECT_EQ(Send("GET", "/ack/").status, 404);
  const std::string log_text = logs.text();
  EXPECT_EQ(log_text.find(Token().substr(Token().rfind('.') + 1)), std::string::npos) << log_text;
  EXPECT_EQ(log_text.find(path.substr(path.rfind('.') + 1)), std::string::npos) << log_text;
}

TEST_F(AckHttpServerTest, LargeBodiesAreRefusedBeforeTheyAreRead) {
  Start(/*with_ack=*/true);
  const std::string path = "/ack/" + Token();
  // Only the headers are sent: the answer must not wait for the announced megabyte.
  std::string answer = RawExchange(server_->port(), "POST " + path +
                                                        " HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                                        "application/x-www-form-urlencoded\r\n"
                                                        "Content-Length: 1048576\r\n\r\nname=a");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  // The unread body must not be taken for the next request: the client is told to close.
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  std::string chunked =
      RawExchange(server_->port(), "POST " + path +
                                       " HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                       "application/x-www-form-urlencoded\r\n"
                                       "Transfer-Encoding: chunked\r\n\r\n6\r\nname=a\r\n");
  EXPECT_EQ(chunked.rfind("HTTP/1.1 413", 0), 0u) << chunked;

  HttpResponse small = Send("POST", path, "name=" + std::string(3000, 'b'));
  EXPECT_EQ(small.status, 200);
  EXPECT_EQ(incidents_.acts(), 1);
}

TEST_F(AckHttpServerTest, WithoutTheRouteAckIsNotFound) {
  Start(/*with_ack=*/false);
  HttpResponse response = Send("GET", "/ack/" + Token());
  ASSERT_TRUE(response.transport_ok()) << response.error;
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(incidents_.lookups(), 0);
}

}  // namespace
}  // namespace rr
