#include "channels/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "channels/redact.h"
#include "tests/fakes/fake_providers.h"

namespace rr {
namespace {

using std::chrono::milliseconds;

HttpRequest JsonPost(const std::string& url, std::string body = R"({"text":"hello"})") {
  HttpRequest request;
  request.url = url;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = std::move(body);
  return request;
}

// A TCP port on 127.0.0.1 with nothing listening (bound, then closed).
int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A socket that listens but never accepts: the kernel completes TCP handshakes, nobody speaks.
class SilentListener {
 public:
  SilentListener() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(fd_, 8);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start().ok()); }
  FakeHttpServer server_;
};

TEST_F(HttpClientTest, PostsTheBodyAndHeadersAndReadsTheAnswer) {
  server_.Script({ScriptedReply::Answer(201, R"({"created":true})",
                                        {{"X-Custom", " Value "}, {"Retry-After", "7"}})});
  HttpClient client;
  HttpRequest request = JsonPost(server_.base_url() + "/path?q=1", R"({"text":"안녕"})");
  request.headers.push_back({"X-Secret-Key", "k-123456"});
  HttpResponse response = client.Send(request);

  EXPECT_EQ(response.curl_code, 0);
  EXPECT_TRUE(response.transport_ok());
  EXPECT_TRUE(response.request_sent);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"created":true})");
  EXPECT_EQ(response.error, "");
  ASSERT_NE(response.header("x-custom"), nullptr);
  EXPECT_EQ(*response.header("x-custom"), "Value");
  ASSERT_NE(response.header("retry-after"), nullptr);
  EXPECT_EQ(*response.header("retry-after"), "7");
  ASSERT_NE(response.header("content-type"), nullptr);
  EXPECT_EQ(response.header("X-Custom"), nullptr);  // names are lower-cased

  ASSERT_EQ(server_.request_count(), 1u);
  const RecordedRequest got = server_.requests()[0];
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/path?q=1");
  EXPECT_EQ(got.body, R"({"text":"안녕"})");
  ASSERT_NE(got.header("content-length"), nullptr);
  EXPECT_EQ(*got.header("content-length"), std::to_string(request.body.size()));
  ASSERT_NE(got.header("content-type"), nullptr);
  EXPECT_EQ(*got.header("content-type"), "application/json");
  ASSERT_NE(got.header("x-secret-key"), nullptr);
  EXPECT_EQ(*got.header("x-secret-key"), "k-123456");
  ASSERT_NE(got.header("user-agent"), nullptr);
  EXPECT_EQ(*got.header("user-agent"), "root-responder/0.1");
  EXPECT_EQ(got.header("expect"), nullptr);  // no 100-continue round trip
}

TEST_F(HttpClientTest, LargeBodyIsSentWithoutExpectContinue) {
  HttpClient client;
  const std::string big(3 << 19, 'x');  // 1.5 MiB: above the size where curl would add Expect
  const auto start = std::chrono::steady_clock::now();
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/", big));
  EXPECT_EQ(response.status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(900));
  ASSERT_EQ(server_.request_count(), 1u);
  EXPECT_EQ(server_.requests()[0].body.size(), big.size());
  EXPECT_EQ(server_.requests()[0].header("expect"), nullptr);
}

TEST_F(HttpClientTest, GetAndOtherMethods) {
  HttpClient client;
  HttpRequest get;
  get.method = "GET";
  get.url = server_.base_url() + "/sendNos";
  EXPECT_EQ(client.Send(get).status, 200);
  HttpRequest put = JsonPost(server_.base_url() + "/thing");
  put.method = "PUT";
  EXPECT_EQ(client.Send(put).status, 200);
  ASSERT_EQ(server_.request_count(), 2u);
  EXPECT_EQ(server_.requests()[0].method, "GET");
  EXPECT_EQ(server_.requests()[0].body, "");
  EXPECT_EQ(server_.requests()[1].method, "PUT");
  EXPECT_EQ(server_.requests()[1].body, R"({"text":"hello"})");
}

TEST_F(HttpClientTest, ErrorStatusesAreAnswersNotTransportFailures) {
  server_.Script({ScriptedReply::Answer(503, "busy"), ScriptedReply::Answer(404, "gone")});
  HttpClient client;
  HttpResponse first = client.Send(JsonPost(server_.base_url() + "/"));
  HttpResponse second = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(first.curl_code, 0);
  EXPECT_EQ(first.body, "busy");
  EXPECT_EQ(second.status, 404);
  EXPECT_EQ(second.error, "");
}

TEST_F(HttpClientTest, RedirectsAreNotFollowed) {
  server_.Script({ScriptedReply::Answer(302, "", {{"Location", "/elsewhere"}})});
  HttpClient client;
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_F(HttpClientTest, ReusesTheConnectionBetweenCalls) {
  HttpClient client;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(client.Send(JsonPost(server_.base_url() + "/")).status, 200);
  }
  EXPECT_EQ(server_.request_count(), 4u);
  EXPECT_EQ(server_.connections_accepted(), 1);
}

TEST_F(HttpClientTest, SendAllRunsRequestsConcurrentlySoASlowHostDelaysNoOne) {
  FakeHttpServer slow;
  ASSERT_TRUE(slow.Start().ok());
  slow.Script({ScriptedReply::Slow(milliseconds(1000))});
  HttpClient client;
  const auto start = std::chrono::steady_clock::now();
  std::vector<HttpResponse> responses =
      client.SendAll({JsonPost(slow.base_url() + "/slow"), JsonPost(server_.base_url() + "/fast")});
  const auto total = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_GE(responses[0].elapsed, milliseconds(1000));
  EXPECT_LT(responses[1].elapsed, milliseconds(300));
  EXPECT_LT(total, milliseconds(1800));  // not one after the other
}

TEST_F(HttpClientTest, ConcurrentSendsFromThreadsDoNotWaitForEachOther) {
  FakeHttpServer slow;
  ASSERT_TRUE(slow.Start().ok());
  slow.Script({ScriptedReply::Slow(milliseconds(1000))});
  HttpClient client;
  HttpResponse slow_response;
  std::thread slow_thread([&] { slow_response = client.Send(JsonPost(slow.base_url() + "/")); });
  ASSERT_TRUE(slow.WaitForRequests(1, milliseconds(2000)));  // the slow call is in flight
  HttpResponse fast = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(fast.status, 200);
  EXPECT_LT(fast.elapsed, milliseconds(300));
  slow_thread.join();
  EXPECT_EQ(slow_response.status, 200);
  EXPECT_GE(slow_response.elapsed, milliseconds(1000));
}

TEST_F(HttpClientTest, ConnectionRefusedIsNotSent) {
  HttpClient client;
  HttpResponse response = client.Send(JsonPost("http://127.0.0.1:" + std::to_string(ClosedPort())));
  EXPECT_EQ(response.curl_code, CURLE_COULDNT_CONNECT);
  EXPECT_FALSE(response.request_sent);
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.error.empty());
}

TEST_F(HttpClientTest, UnknownHostIsNotSent) {
  HttpClientOptions options;
  options.connect_timeout = milliseconds(3000);
  HttpClient client(options);
  HttpResponse response = client.Send(JsonPost("http://no-such-host.invalid/x"));
  // NXDOMAIN normally; a resolver that does not answer in time gives a timeout instead.
  EXPECT_TRUE(response.curl_code == CURLE_COULDNT_RESOLVE_HOST ||
              response.curl_code == CURLE_OPERATION_TIMEDOUT)
      << response.curl_code << " " << response.error;
  EXPECT_FALSE(response.request_sent);
  EXPECT_EQ(response.status, 0);
}

TEST_F(HttpClientTest, TimeoutAfterTheRequestWentOutCountsAsSent) {
  server_.Script({ScriptedReply::Slow(milliseconds(3000))});
  HttpClientOptions options;
  options.total_timeout = milliseconds(300);
  HttpClient client(options);
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(response.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_TRUE(response.request_sent);
  EXPECT_EQ(response.status, 0);
  EXPECT_LT(response.elapsed, milliseconds(1500));
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_F(HttpClientTest, PerCallTimeoutLowersTheConfiguredOne) {
  server_.Script({ScriptedReply::Slow(milliseconds(3000))});
  HttpClient client;  // 15 s configured
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"), milliseconds(200));
  EXPECT_EQ(response.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(response.elapsed, milliseconds(1500));
}

TEST_F(HttpClientTest, RequestTimeoutOutlastsTheConfiguredOne) {
  // A long poll: the answer comes after the client's configured limit, within the request's.
  server_.Script({ScriptedReply::Slow(milliseconds(700))});
  HttpClientOptions options;
  options.total_timeout = milliseconds(200);
  HttpClient client(options);
  HttpRequest request = JsonPost(server_.base_url() + "/");
  request.timeout = milliseconds(5000);
  HttpResponse response = client.Send(request);
  EXPECT_TRUE(response.transport_ok()) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_GE(response.elapsed, milliseconds(700));
}

TEST_F(HttpClientTest, RequestTimeoutCanBeShorterAndOnlyForItsRequest) {
  server_.Script({ScriptedReply::Slow(milliseconds(3000)), ScriptedReply::Slow(milliseconds(300))});
  HttpClient client;  // 15 s configured
  HttpRequest short_one = JsonPost(server_.base_url() + "/short");
  short_one.timeout = milliseconds(200);
  HttpResponse cut = client.Send(short_one);
  EXPECT_EQ(cut.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(cut.elapsed, milliseconds(1500));
  // The next request without its own limit has the configured 15 s again.
  HttpResponse plain = client.Send(JsonPost(server_.base_url() + "/plain"));
  EXPECT_TRUE(plain.transport_ok()) << plain.error;
  EXPECT_EQ(plain.status, 200);
}

TEST_F(HttpClientTest, PerCallTimeoutStillLowersARequestTimeout) {
  server_.Script({ScriptedReply::Slow(milliseconds(3000))});
  HttpClient client;
  HttpRequest request = JsonPost(server_.base_url() + "/");
  request.timeout = milliseconds(60000);
  HttpResponse response = client.Send(request, milliseconds(200));
  EXPECT_EQ(response.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(response.elapsed, milliseconds(1500));
}

TEST_F(HttpClientTest, TimeoutDuringTheTlsHandshakeIsNotSent) {
  SilentListener silent;
  HttpClientOptions options;
  options.total_timeout = milliseconds(300);
  HttpClient client(options);
  HttpResponse response =
      client.Send(JsonPost("https://127.0.0.1:" + std::to_string(silent.port()) + "/"));
  EXPECT_EQ(response.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_FALSE(response.request_sent);
}

TEST_F(HttpClientTest, ConnectionClosedWithoutAnswerCountsAsSent) {
  server_.Script({ScriptedReply::Drop()});
  HttpClient client;
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(response.curl_code, CURLE_GOT_NOTHING);
  EXPECT_TRUE(response.request_sent);
  EXPECT_EQ(response.status, 0);
}

// libcurl's own behaviour, pinned because it matters for SMS: when a reused keep-alive
// connection closes without a byte of answer, curl assumes the server had dropped the idle
// connection and sends the request again, once, on a new one. The server sees it twice.
TEST_F(HttpClientTest, DropOnAReusedConnectionIsResentOnceByCurl) {
  HttpClient client;
  EXPECT_EQ(client.Send(JsonPost(server_.base_url() + "/")).status, 200);
  server_.Script({ScriptedReply::Drop()});
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(server_.request_count(), 3u);
  EXPECT_EQ(server_.connections_accepted(), 2);

  server_.Script({ScriptedReply::Drop(), ScriptedReply::Drop()});
  HttpResponse twice = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(twice.curl_code, CURLE_GOT_NOTHING);
  EXPECT_TRUE(twice.request_sent);
  EXPECT_EQ(server_.request_count(), 5u);
}

TEST_F(HttpClientTest, OversizedResponseBodyFails) {
  server_.Script({ScriptedReply::Answer(200, std::string(5000, 'a'))});
  HttpClientOptions options;
  options.max_response_bytes = 1000;
  HttpClient client(options);
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(response.curl_code, CURLE_WRITE_ERROR);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(response.body, "");
  EXPECT_EQ(response.error, "response body larger than 1000 bytes");
}

TEST_F(HttpClientTest, ProxyEnvironmentVariablesAreIgnored) {
  const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(ClosedPort());
  ScopedEnv http_proxy("http_proxy", dead_proxy);
  ScopedEnv all_proxy("ALL_PROXY", dead_proxy);
  HttpClient client;
  HttpResponse response = client.Send(JsonPost(server_.base_url() + "/"));
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_F(HttpClientTest, ExplicitProxyIsUsed) {
  FakeHttpServer proxy;  // answers for whatever host is asked: enough to see the request route
  ASSERT_TRUE(proxy.Start().ok());
  HttpClientOptions options;
  options.proxy = proxy.base_url();
  HttpClient client(options);
  HttpResponse response = client.Send(JsonPost("http://origin.example/hook"));
  EXPECT_EQ(response.status, 200) << response.error;
  ASSERT_EQ(proxy.request_count(), 1u);
  EXPECT_EQ(proxy.requests()[0].target, "http://origin.example/hook");  // absolute form
}

TEST_F(HttpClientTest, NonHttpSchemesAreRefusedBeforeSending) {
  HttpClient client;
  HttpResponse response = client.Send(JsonPost("file:///etc/passwd"));
  EXPECT_EQ(response.curl_code, CURLE_UNSUPPORTED_PROTOCOL);
  EXPECT_FALSE(response.request_sent);
}

// ---- TLS ---------------------------------------------------------------------------------

class HttpClientTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("rr-tls-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    Result<TlsFiles> files = MakeSelfSignedCertificate(dir_.string());
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    files_ = *files;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  TlsFiles files_;
};

TEST_F(HttpClientTlsTest, UntrustedCertificateIsRefusedBeforeSending) {
  FakeDooray dooray("TlsHookToken123456", files_);
  ASSERT_TRUE(dooray.Start().ok());
  HttpClient client;  // the system CA bundle does not know the throwaway certificate
  HttpResponse response = client.Send(JsonPost(dooray.hook_url()));
  EXPECT_EQ(response.curl_code, CURLE_PEER_FAILED_VERIFICATION) << response.error;
  EXPECT_FALSE(response.request_sent);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(dooray.request_count(), 0u);
}

TEST_F(HttpClientTlsTest, TrustedThroughTheConfiguredCaBundle) {
  FakeDooray dooray("TlsHookToken123456", files_);
  ASSERT_TRUE(dooray.Start().ok());
  HttpClientOptions options;
  options.ca_bundle = files_.cert_path;
  HttpClient client(options);
  for (int i = 0; i < 3; ++i) {
    HttpResponse response = client.Send(JsonPost(dooray.hook_url()));
    EXPECT_EQ(response.status, 200) << response.error;
    EXPECT_TRUE(response.request_sent);
  }
  EXPECT_EQ(dooray.request_count(), 3u);
  EXPECT_EQ(dooray.connections_accepted(), 1);  // kept alive over TLS too
}

TEST_F(HttpClientTlsTest, HostNameIsVerifiedToo) {
  // Trusted, but issued for "localhost" only: asking for 127.0.0.1 must fail.
  Result<TlsFiles> named = MakeSelfSignedCertificate((dir_ / "named").string(), "DNS:localhost");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  FakeDooray dooray("TlsHookToken123456", *named);
  ASSERT_TRUE(dooray.Start().ok());
  HttpClientOptions options;
  options.ca_bundle = named->cert_path;
  HttpClient client(options);
  HttpResponse by_ip = client.Send(JsonPost(dooray.hook_url()));
  EXPECT_EQ(by_ip.curl_code, CURLE_PEER_FAILED_VERIFICATION) << by_ip.error;
  EXPECT_FALSE(by_ip.request_sent);
  std::string url = dooray.hook_url();
  url.replace(url.find("127.0.0.1"), 9, "localhost");
  HttpResponse by_name = client.Send(JsonPost(url));
  EXPECT_EQ(by_name.status, 200) << by_name.error;
  EXPECT_EQ(dooray.request_count(), 1u);
}

TEST_F(HttpClientTlsTest, PlainHttpServerBehindAnHttpsUrlFailsTheHandshake) {
  FakeHttpServer plain;
  ASSERT_TRUE(plain.Start().ok());
  HttpClient client;
  HttpResponse response =
      client.Send(JsonPost("https://127.0.0.1:" + std::to_string(plain.port()) + "/"));
  EXPECT_EQ(response.curl_code, CURLE_SSL_CONNECT_ERROR) << response.error;
  EXPECT_FALSE(response.request_sent);
}

// ---- Secrets in verbose output and errors ------------------------------------------------

TEST_F(HttpClientTest, VerboseOutputAndErrorsCarryNoSecret) {
  const std::string token = "7712345678:AAHplantedBotTokenXYZ";
  const std::string secret_key = "PlantedSecretKey-9f8e7d";
  const std::string phone = "01055554321";
  std::mutex mu;
  std::vector<std::string> lines;
  HttpClientOptions options;
  options.verbose = true;
  options.verbose_sink = [&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  };
  HttpClient client(options);

  HttpRequest request =
      JsonPost(server_.base_url() + "/bot" + token + "/sendMessage",
               R"({"recipientNo":")" + phone + R"(","key":")" + secret_key + R"("})");
  request.headers.push_back({"X-Secret-Key", secret_key});
  request.secrets = {token, secret_key};
  request.phone_numbers = {phone};
  // Drop first: on a fresh connection curl reports it instead of retrying (see below).
  server_.Script(
      {ScriptedReply::Drop(), ScriptedReply::Answer(400, R"({"echo":")" + phone + R"("})")});
  ::testing::internal::CaptureStderr();
  HttpResponse dropped = client.Send(request);
  HttpResponse answered = client.Send(request);
  HttpRequest unresolvable = request;
  unresolvable.url = "http://" + std::string("planted-host-secret") + ".invalid/bot" + token;
  unresolvable.secrets.push_back("planted-host-secret");
  HttpResponse failed = client.Send(unresolvable);
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();

  EXPECT_EQ(answered.status, 400);
  EXPECT_EQ(dropped.curl_code, CURLE_GOT_NOTHING);
  EXPECT_NE(failed.curl_code, 0);
  EXPECT_EQ(stderr_text, "");  // everything went to the sink

  std::string all;
  for (const std::string& line : lines) all += line + "\n";
  all += answered.error + "\n" + dropped.error + "\n" + failed.error + "\n";
  EXPECT_NE(all.find("> POST /bot<redacted>/sendMessage"), std::string::npos) << all;
  EXPECT_NE(all.find("*******4321"), std::string::npos) << all;
  EXPECT_NE(all.find("< HTTP/1.1 400"), std::string::npos) << all;
  EXPECT_NE(failed.error.find("<redacted>"), std::string::npos) << failed.error;
  for (const std::string& planted : {token, std::string("AAHplantedBotTokenXYZ"), secret_key, phone,
                                     std::string("planted-host-secret")}) {
    EXPECT_EQ(all.find(planted), std::string::npos) << planted << " leaked in:\n" << all;
  }
}

TEST_F(HttpClientTest, VerboseWithoutASinkWritesRedactedLinesToStderr) {
  const std::string token = "7712345678:AAHstderrPlantedToken";
  HttpClientOptions options;
  options.verbose = true;
  HttpClient client(options);
  HttpRequest request = JsonPost(server_.base_url() + "/bot" + token + "/sendMessage");
  ::testing::internal::CaptureStderr();
  HttpResponse response = client.Send(request);  // token not listed: structural redaction
  const std::string stderr_text = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(stderr_text.find("curl: > POST /bot<redacted>/sendMessage"), std::string::npos)
      << stderr_text;
  EXPECT_EQ(stderr_text.find("stderrPlantedToken"), std::string::npos) << stderr_text;
}

}  // namespace
}  // namespace rr
