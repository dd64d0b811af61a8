// Planted secrets never reach a log line, an error string or the outcome JSON (DESIGN.md,
// "Conventions"). The real binary runs against the loopback fakes through every failure path
// they can script, with logging at its most verbose (GLOG_v=3, curl's trace via --verbose), and
// everything it printed is grepped for each planted secret in raw, percent-encoded and
// JSON-escaped form, and for each full phone number (the last four digits may appear).
//
// Every run also checks that it did what was scripted (the outcome, each delivery's verdict,
// the requests the fakes saw), so the test cannot pass by doing nothing.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "alarm/json.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/run_binary.h"

namespace rr {
namespace {

using testing::BinaryInvocation;
using testing::BinaryRun;
using testing::RunBinary;

// --- The planted secrets ----------------------------------------------------------------------
// The fakes accept the "right" ones; some runs configure the "wrong" ones to get the service's
// refusal. Both kinds are secrets. Each has a long alphanumeric core, so that a partial leak or
// an encoding this file does not spell out is still caught. The NHN secret keys carry '/', '+'
// and '=' so that their percent-encoded and JSON-escaped forms differ from the raw ones.
constexpr char kDoorayToken[] = "PlantedDoorayHookTok3nQ1w";
constexpr char kDoorayWrongToken[] = "PlantedWrongDoorayTok7Zp";
constexpr char kTelegramToken[] = "7700112233:AAPlantedTelegramBotToken_Qx9-k";
constexpr char kTelegramWrongToken[] = "7700112233:AAPlantedWrongTelegramTok_Vb4";
constexpr char kNhnAppKey[] = "PlantedNhnAppKeyR5t";
constexpr char kNhnSecretKey[] = "k/PlantedNhnSecretKeyZ8x+=";
constexpr char kNhnWrongSecretKey[] = "w/PlantedWrongNhnSecret+Ke=";
// Credentials of an HTTP proxy, in the proxy URL of the "http" section.
constexpr char kProxyUser[] = "rrproxyuser";
constexpr char kProxyPassword[] = "PlantedProxyPassw0rdM3";

// Phone numbers as written in the configuration, and their groups for spelling them out.
constexpr char kSendNoWritten[] = "02-9988-7766";
constexpr char kSendNo[] = "0299887766";
constexpr char kRecipientWritten[] = "010-9876-5432";
constexpr char kRecipient[] = "01098765432";
constexpr char kRecipient2[] = "01024681357";

struct PhoneSpelling {
  std::vector<std::string> groups;  // as Koreans write it, trunk zero included
};
const std::vector<PhoneSpelling>& Phones() {
  static const std::vector<PhoneSpelling> kPhones = {
      {{"010", "9876", "5432"}}, {{"010", "2468", "1357"}}, {{"02", "9988", "7766"}}};
  return kPhones;
}

constexpr char kPayload[] = "/testdata/sns/lambda-root-alert-alarm.json";
constexpr char kChatId[] = "-1001234567890";

// --- Needles: every spelling of a secret or a phone number that must not be printed ----------

std::string PercentEncode(std::string_view s, bool every_byte, bool lower_hex) {
  const char* hex = lower_hex ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved && !every_byte) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string Base64(std::string_view s) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(s[i]) << 16) |
                 (static_cast<unsigned char>(s[i + 1]) << 8) | static_cast<unsigned char>(s[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (i < s.size()) {
    unsigned v = static_cast<unsigned char>(s[i]) << 16;
    if (i + 1 < s.size()) v |= static_cast<unsigned char>(s[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < s.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string JsonEscape(std::string_view s, bool escape_slash, bool unicode_everything) {
  std::string out;
  char buffer[8];
  for (unsigned char c : s) {
    if (unicode_everything) {
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '/' && escape_slash) {
      out += "\\/";
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The longest run of letters and digits in `s`.
std::string AlnumCore(std::string_view s) {
  std::string best, current;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += c;
      if (current.size() > best.size()) best = current;
    } else {
      current.clear();
    }
  }
  return best;
}

struct Needle {
  std::string text;
  std::string what;
};

std::vector<Needle> SecretNeedles(const std::string& secret) {
  std::vector<Needle> out;
  auto add = [&](std::string text, std::string form) {
    for (const Needle& n : out) {
      if (n.text == text) return;
    }
    out.push_back({std::move(text), secret + " (" + form + ")"});
  };
  add(secret, "raw");
  add(PercentEncode(secret, false, false), "percent-encoded");
  add(PercentEncode(secret, false, true), "percent-encoded, lower-case hex");
  add(PercentEncode(secret, true, false), "every byte percent-encoded");
  add(PercentEncode(secret, true, true), "every byte percent-encoded, lower-case hex");
  add(JsonEscape(secret, true, false), "JSON-escaped");
  add(JsonEscape(secret, false, true), "JSON \\u-escaped");
  add(AlnumCore(secret), "its alphanumeric core");
  return out;
}

std::vector<Needle> PhoneNeedles(const PhoneSpelling& phone) {
  std::vector<Needle> out;
  std::string digits;
  for (const std::string& g : phone.groups) digits += g;
  auto add = [&](std::string text, std::string form) {
    out.push_back({std::move(text), digits + " (" + form + ")"});
  };
  // The national number (without the trunk zero) is inside every full spelling: 0..., +82...
  add(digits.substr(1), "full number");
  const std::vector<std::string>& g = phone.groups;
  for (const char* sep : {"-", " ", "."}) {
    add(g[0].substr(1) + sep + g[1] + sep + g[2], std::string("full number with '") + sep + "'");
    // The middle group is what masking hides; next to the last four it gives the number away.
    add(g[1] + sep + g[2], std::string("middle digits with '") + sep + "'");
  }
  add(g[1] + g[2], "middle and last digits");
  add(g[0] + "-" + g[1], "the masked digits with a dash");
  // Shorter digit strings could be a timestamp's microseconds by chance.
  const std::string hidden = digits.substr(0, digits.size() - 4);
  if (hidden.size() >= 7) add(hidden, "the masked digits");
  return out;
}

const std::vector<Needle>& AllNeedles() {
  static const std::vector<Needle> kNeedles = [] {
    std::vector<Needle> all;
    for (const char* s : {kDoorayToken, kDoorayWrongToken, kTelegramToken, kTelegramWrongToken,
                          kNhnAppKey, kNhnSecretKey, kNhnWrongSecretKey, kProxyPassword}) {
      for (Needle& n : SecretNeedles(s)) all.push_back(std::move(n));
    }
    // A proxy's Basic credentials: base64 of "user:password".
    const std::string basic = Base64(std::string(kProxyUser) + ":" + kProxyPassword);
    all.push_back({basic, std::string(kProxyPassword) + " (Basic credentials)"});
    // The bot id before ':' is public; the part after it is the secret.
    for (const char* t : {kTelegramToken, kTelegramWrongToken}) {
      std::string secret_part = std::string(t).substr(std::string(t).find(':') + 1);
      for (Needle& n : SecretNeedles(secret_part)) all.push_back(std::move(n));
    }
    for (const PhoneSpelling& p : Phones()) {
      for (Needle& n : PhoneNeedles(p)) all.push_back(std::move(n));
    }
    return all;
  }();
  return kNeedles;
}

// Adds a failure for every needle found in `text`, with the text around it.
void ExpectNoLeak(const std::string& text, const std::string& where) {
  for (const Needle& n : AllNeedles()) {
    size_t pos = text.find(n.text);
    if (pos == std::string::npos) continue;
    size_t from = pos < 120 ? 0 : pos - 120;
    ADD_FAILURE() << where << " leaks " << n.what << " at byte " << pos << ":\n..."
                  << text.substr(from, n.text.size() + 240) << "...";
  }
}

void ExpectNoLeak(const BinaryRun& run, const std::string& what) {
  ExpectNoLeak(run.out, what + ": stdout");
  ExpectNoLeak(run.err, what + ": stderr");
}

// --- The configuration, three ways of writing secrets ------------------------------------------

enum class SecretStyle { kEnv, kLiteral, kFile };

// What the channels are configured with (actual values, before env:/file: indirection).
struct ChannelValues {
  std::string dooray_url;
  std::string telegram_base;
  std::string telegram_token;
  std::string nhn_base;
  std::string app_key;
  std::string secret_key;
};

std::string Quote(const std::string& s) { return "\"" + JsonEscape(s, false, false) + "\""; }

void WriteAll(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// A loopback port with nothing listening on it.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// --- One delivery's expected verdict ------------------------------------------------------------

struct ExpectDelivery {
  std::string status;                // sent or failed
  int attempts;                      // attempts in all
  std::optional<int> http;           // http_status; nullopt for null
  std::string error_contains;        // empty: error must be null
  std::string error_contains2 = "";  // a second fragment, when one is not enough
};

struct Scenario {
  std::string name;
  SecretStyle style = SecretStyle::kEnv;
  // Configure the credentials the fakes refuse (Dooray 404, Telegram 401, NHN -1000).
  bool wrong_credentials = false;
  bool connection_refused = false;
  std::function<void(FakeDooray&, FakeTelegram&, FakeNhnSms&)> script;
  std::string outcome;
  int exit_code;
  std::vector<ExpectDelivery> deliveries;  // dooray-sec, telegram-oncall, sms-oncall
  std::string stderr_contains = "";
};

void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

// The fixture: three fakes with the planted secrets, a private temporary directory.
class SecretsLeakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dooray_.Start().ok());
    ASSERT_TRUE(telegram_.Start().ok());
    ASSERT_TRUE(nhn_.Start().ok());
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rr-secrets-leak-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }

  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  ChannelValues RightValues() const {
    return {dooray_.hook_url(), telegram_.api_base(), kTelegramToken,
            nhn_.api_base(),    kNhnAppKey,           kNhnSecretKey};
  }

  ChannelValues WrongValues() const {
    ChannelValues v = RightValues();
    v.dooray_url = dooray_.base_url() + "/services/3570000000000000001/3570000000000000002/" +
                   kDoorayWrongToken;
    v.telegram_token = kTelegramWrongToken;
    v.secret_key = kNhnWrongSecretKey;
    return v;
  }

  static ChannelValues RefusedValues(const ChannelValues& right) {
    const std::string dead = "http://127.0.0.1:" + std::to_string(ClosedPort());
    ChannelValues v = right;
    v.dooray_url = dead + "/services/3570000000000000001/3570000000000000002/" + kDoorayToken;
    v.telegram_base = dead;
    v.nhn_base = dead;
    return v;
  }

  // Writes the configuration and returns its path; `env` receives the variables it refers to.
  std::string WriteConfig(const ChannelValues& v, SecretStyle style,
                          std::map<std::string, std::string>* env, const std::string& name,
                          const std::string& deadline_seconds = "5") {
    auto secret = [&](const std::string& var, const std::string& value) -> std::string {
      switch (style) {
        case SecretStyle::kEnv:
          (*env)[var] = value;
          return Quote("env:" + var);
        case SecretStyle::kLiteral:
          return Quote(value);
        case SecretStyle::kFile: {
          std::string path = dir_ + "/" + name + "." + var;
          WriteAll(path, value + "\n");
          return Quote("file:" + path);
        }
      }
      return "";
    };
    std::string text = R"({
  "timezone": "Asia/Seoul",)" +
                       extra_config_ + R"(
  "accounts": {"111122223333": "prod-main"},
  "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
  "channels": [
    {"name": "dooray-sec", "type": "dooray", "url": )" +
                       secret("RR_LEAK_DOORAY_URL", v.dooray_url) + R"(,
     "bot_name": "AWS Root Guard"},
    {"name": "telegram-oncall", "type": "telegram", "api_base": )" +
                       Quote(v.telegram_base) + R"(,
     "bot_token": )" + secret("RR_LEAK_TELEGRAM_TOKEN", v.telegram_token) +
                       R"(, "chat_id": ")" + kChatId + R"("},
    {"name": "sms-oncall", "type": "nhn_sms", "api_base": )" +
                       Quote(v.nhn_base) + R"(,
     "app_key": )" + secret("RR_LEAK_SMS_APP_KEY", v.app_key) +
                       R"(, "secret_key": )" + secret("RR_LEAK_SMS_SECRET_KEY", v.secret_key) +
                       R"(,
     "send_no": ")" + kSendNoWritten +
                       R"(", "recipients": [")" + kRecipientWritten + R"(", ")" + kRecipient2 +
                       R"("]}
  ],
  "retry": {"base_seconds": 0.01, "cap_seconds": 0.05, "max_attempts": 2,
            "deadline_seconds": )" +
                       deadline_seconds + R"(}
}
)";
    std::string path = dir_ + "/" + name + ".json";
    WriteAll(path, text);
    return path;
  }

  static std::map<std::string, std::string> VerboseEnv() {
    return {{"GLOG_v", "3"}, {"GLOG_logtostderr", "1"}, {"GLOG_minloglevel", "0"}};
  }

  static BinaryRun Run(std::vector<std::string> args, std::map<std::string, std::string> env) {
    BinaryInvocation inv;
    inv.path = RR_BINARY;
    inv.args = std::move(args);
    inv.env = std::move(env);
    inv.timeout = std::chrono::seconds(20);
    BinaryRun run = RunBinary(inv);
    EXPECT_TRUE(run.spawn_error.empty()) << run.Describe();
    EXPECT_FALSE(run.timed_out) << run.Describe();
    return run;
  }

  // `once --verbose` on the root-usage alarm with the given configuration.
  BinaryRun RunOnce(const ChannelValues& v, SecretStyle style, const std::string& name,
                    const std::vector<std::string>& extra_args = {},
                    const std::string& deadline_seconds = "5") {
    std::map<std::string, std::string> env = VerboseEnv();
    std::string config = WriteConfig(v, style, &env, name, deadline_seconds);
    std::vector<std::string> args = {"once", std::string("--event=") + RR_SOURCE_DIR + kPayload,
                                     "--config=" + config, "--verbose"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return Run(args, env);
  }

  size_t TotalRequests() const {
    return dooray_.request_count() + telegram_.request_count() + nhn_.request_count();
  }

  FakeDooray dooray_{kDoorayToken};
  FakeTelegram telegram_{kTelegramToken};
  FakeNhnSms nhn_{kNhnAppKey, kNhnSecretKey, {kSendNo}};
  std::string dir_;
  std::string extra_config_;  // more top-level keys for WriteConfig, each ending with ','
};

// Parses the single outcome line of `once` or `test-channel`.
bool ParseOutcome(const BinaryRun& run, JsonDocument* doc) {
  std::string line = run.out;
  while (!line.empty() && line.back() == '\n') line.pop_back();
  if (line.empty() || line.find('\n') != std::string::npos) return false;
  return ParseJson(line, JsonLimits{}, "outcome", doc).ok() && doc->IsObject();
}

std::string StringOr(const JsonValue& object, const char* key, std::string fallback = "<null>") {
  if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) return fallback;
  return std::string(AsView(object[key]));
}

void ExpectDeliveryAs(const JsonValue& d, const ExpectDelivery& want, const std::string& what) {
  EXPECT_EQ(StringOr(d, "status"), want.status) << what;
  ASSERT_TRUE(d.HasMember("attempts") && d["attempts"].IsInt()) << what;
  EXPECT_EQ(d["attempts"].GetInt(), want.attempts) << what;
  ASSERT_TRUE(d.HasMember("http_status")) << what;
  if (want.http) {
    ASSERT_TRUE(d["http_status"].IsInt()) << what << ": http_status is not a number";
    EXPECT_EQ(d["http_status"].GetInt(), *want.http) << what;
  } else {
    EXPECT_TRUE(d["http_status"].IsNull()) << what << ": no HTTP answer came";
  }
  ASSERT_TRUE(d.HasMember("error")) << what;
  if (want.error_contains.empty()) {
    EXPECT_TRUE(d["error"].IsNull()) << what << ": " << StringOr(d, "error");
  } else {
    const std::string error = StringOr(d, "error");
    EXPECT_NE(error.find(want.error_contains), std::string::npos)
        << what << ": error \"" << error << "\" lacks \"" << want.error_contains << "\"";
    EXPECT_NE(error.find(want.error_contains2), std::string::npos)
        << what << ": error \"" << error << "\" lacks \"" << want.error_contains2 << "\"";
  }
}

// --- once, through every failure path ---------------------------------------------------------

class SecretsLeakOnceTest : public SecretsLeakTest,
                            public ::testing::WithParamInterface<Scenario> {};

TEST_P(SecretsLeakOnceTest, OutcomeAsScriptedAndNoSecretPrinted) {
  const Scenario& s = GetParam();
  if (s.script) s.script(dooray_, telegram_, nhn_);
  ChannelValues values = s.wrong_credentials ? WrongValues() : RightValues();
  if (s.connection_refused) values = RefusedValues(values);
  BinaryRun run = RunOnce(values, s.style, s.name);

  ExpectNoLeak(run, s.name);
  EXPECT_EQ(run.exit_code, s.exit_code) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), s.outcome) << run.Describe();
  ASSERT_TRUE(doc.HasMember("deliveries") && doc["deliveries"].IsArray());
  const auto& deliveries = doc["deliveries"];
  ASSERT_EQ(deliveries.Size(), 3u) << run.out;
  const char* kNames[] = {"dooray-sec", "telegram-oncall", "sms-oncall"};
  int attempts[3] = {0, 0, 0};
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    EXPECT_EQ(StringOr(deliveries[i], "channel"), kNames[i]);
    ExpectDeliveryAs(deliveries[i], s.deliveries[i], s.name + " " + kNames[i]);
    attempts[i] = s.deliveries[i].attempts;
  }

  // The fakes saw exactly the attempts the outcome reports, and played every scripted reply.
  if (!s.connection_refused) {
    EXPECT_EQ(dooray_.request_count(), static_cast<size_t>(attempts[0]));
    EXPECT_EQ(telegram_.request_count(), static_cast<size_t>(attempts[1]));
    EXPECT_EQ(nhn_.request_count(), static_cast<size_t>(attempts[2]));
  } else {
    EXPECT_EQ(TotalRequests(), 0u);
  }
  EXPECT_EQ(dooray_.scripted_left(), 0u);
  EXPECT_EQ(telegram_.scripted_left(), 0u);
  EXPECT_EQ(nhn_.scripted_left(), 0u);

  // The logging really was at its most verbose, and redaction really had something to do.
  EXPECT_NE(run.err.find("curl * "), std::string::npos) << "no curl trace:\n" << run.err;
  if (!s.connection_refused) {
    EXPECT_NE(run.err.find("curl > POST "), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("curl >> "), std::string::npos) << "no request body in the trace";
    EXPECT_NE(run.err.find("curl < HTTP/1.1"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("<redacted>"), std::string::npos) << run.err;
  }
  EXPECT_NE(run.err.find("delivery channel=sms-oncall"), std::string::npos) << run.err;
  if (!s.stderr_contains.empty()) {
    EXPECT_NE(run.err.find(s.stderr_contains), std::string::npos) << run.err;
  }
}

const ExpectDelivery kSent{"sent", 1, 200, ""};

// An NHN refusal that quotes the secret key as it stands on the wire: raw, JSON-escaped
// ("\/"), \u-escaped and percent-encoded, and the app key.
std::string SecretQuotedBody(const std::string& secret_key, const std::string& app_key) {
  return R"({"header":{"isSuccessful":false,"resultCode":-1000,"resultMessage":"Invalid secretKey )" +
         secret_key + " / " + JsonEscape(secret_key, true, false) + " / " +
         JsonEscape(secret_key, false, true) + " / " + PercentEncode(secret_key, false, true) +
         " for appKey " + app_key + R"("},"body":null})";
}

// NHN accepted the request but refused one recipient, quoting its number three ways.
std::string RecipientRefusedBody() {
  return std::string(
             R"x({"header":{"isSuccessful":true,"resultCode":0,"resultMessage":"SUCCESS"},)x"
             R"x("body":{"data":{"requestId":"20260901031407FakeReq99999","statusCode":"2",)x"
             R"x("sendResultList":[{"recipientNo":")x") +
         kRecipient +
         R"x(","resultCode":-2019,"resultMessage":"Invalid recipientNo 010-9876-5432 )x"
         R"x((+82 10-9876-5432, +821098765432)","recipientSeq":1}]}}})x";
}

std::vector<Scenario> OnceScenarios() {
  std::vector<Scenario> out;
  // Success, with each way of writing secrets.
  for (auto [style, name] : {std::pair{SecretStyle::kEnv, "SuccessEnvSecrets"},
                             std::pair{SecretStyle::kLiteral, "SuccessLiteralSecrets"},
                             std::pair{SecretStyle::kFile, "SuccessFileSecrets"}}) {
    Scenario s;
    s.name = name;
    s.style = style;
    s.outcome = "delivered";
    s.exit_code = 0;
    s.deliveries = {kSent, kSent, kSent};
    if (style == SecretStyle::kLiteral) {
      s.stderr_contains = "a literal secret in the configuration file";
    }
    out.push_back(s);
  }
  // Wrong credentials: Dooray 404 (wrong hook path), Telegram 401, NHN -1000 (wrong secret key).
  for (auto [style, name] : {std::pair{SecretStyle::kEnv, "WrongCredentialsEnvSecrets"},
                             std::pair{SecretStyle::kLiteral, "WrongCredentialsLiteralSecrets"},
                             std::pair{SecretStyle::kFile, "WrongCredentialsFileSecrets"}}) {
    Scenario s;
    s.name = name;
    s.style = style;
    s.wrong_credentials = true;
    s.outcome = "failed";
    s.exit_code = 1;
    s.deliveries = {{"failed", 1, 404, "client_error", "the hook does not exist"},
                    {"failed", 1, 401, "auth_error", "Unauthorized"},
                    {"failed", 1, 200, "vendor:-1000", "Invalid secretKey"}};
    out.push_back(s);
  }
  {  // Rate limits: Dooray 429 twice, Telegram flood control longer than the deadline, NHN
     // system error twice.
    Scenario s;
    s.name = "RateLimitedAndSystemError";
    s.script = [](FakeDooray& d, FakeTelegram& t, FakeNhnSms& n) {
      d.Script({FakeDooray::RateLimited(0), FakeDooray::RateLimited(0)});
      t.Script({FakeTelegram::Flood(30)});
      n.Script({FakeNhnSms::SystemError(), FakeNhnSms::SystemError()});
    };
    s.outcome = "failed";
    s.exit_code = 1;
    s.deliveries = {{"failed", 2, 429, "rate_limited", "attempts exhausted"},
                    {"failed", 1, 429, "rate_limited", "deadline"},
                    {"failed", 2, 200, "vendor:-9999", "attempts exhausted"}};
    out.push_back(s);
  }
  {  // Server errors: Dooray 500, Telegram's front proxy 502 (HTML), NHN sendNo not registered.
    Scenario s;
    s.name = "ServerErrorsAndUnregisteredSendNo";
    s.script = [](FakeDooray& d, FakeTelegram& t, FakeNhnSms& n) {
      d.Script({FakeDooray::ServerError(500), FakeDooray::ServerError(500)});
      t.Script({FakeTelegram::BadGateway(), FakeTelegram::BadGateway()});
      n.Script({FakeNhnSms::SendNoNotRegistered()});
    };
    s.outcome = "failed";
    s.exit_code = 1;
    s.deliveries = {{"failed", 2, 500, "server_error", "HTTP 500"},
                    {"failed", 2, 502, "server_error", "HTTP 502"},
                    {"failed", 1, 200, "vendor:-2312", "Not regist sendno"}};
    out.push_back(s);
  }
  {  // Refusals in the body: Dooray's header failure, a blocked bot, characters EUC-KR lacks.
    Scenario s;
    s.name = "HeaderFailureBotBlockedUnsupportedCharacters";
    s.script = [](FakeDooray& d, FakeTelegram& t, FakeNhnSms& n) {
      d.Script({FakeDooray::HeaderFailure()});
      t.Script({FakeTelegram::BotBlocked()});
      n.Script({FakeNhnSms::UnsupportedCharacters()});
    };
    s.outcome = "failed";
    s.exit_code = 1;
    s.deliveries = {{"failed", 1, 200, "vendor:-400", "invalid hook payload"},
                    {"failed", 1, 403, "auth_error", "bot was blocked"},
                    {"failed", 1, 200, "vendor:-2023", "Unacceptable characters"}};
    out.push_back(s);
  }
  {  // Services that quote the secrets back in their error messages.
    Scenario s;
    s.name = "ServicesEchoTheSecretsBack";
    s.script = [](FakeDooray& d, FakeTelegram& t, FakeNhnSms& n) {
      d.Script({FakeDooray::HeaderFailure(-400, "no hook at " + d.hook_url())});
      t.Script({FakeTelegram::Error(
          401, "Unauthorized: bot" + t.token() + " / " + PercentEncode(t.token(), false, false))});
      n.Script({ScriptedReply::Answer(200, SecretQuotedBody(n.secret_key(), n.app_key()))});
    };
    s.outcome = "failed";
    s.exit_code = 1;
    s.deliveries = {{"failed", 1, 200, "vendor:-400", "no hook at"},
                    {"failed", 1, 401, "auth_error", "Unauthorized: bot"},
                    {"failed", 1, 200, "vendor:-1000", "for appKey"}};
    out.push_back(s);
  }
  {  // Dooray quoting the hook's token on its own, without the /services/ path around it.
    Scenario s;
    s.name = "DoorayEchoesTheBareHookToken";
    s.script = [](FakeDooray& d, FakeTelegram&, FakeNhnSms&) {
      d.Script({FakeDooray::HeaderFailure(-401, "invalid hook token " + d.token())});
    };
    s.outcome = "partial";
    s.exit_code = 0;
    s.deliveries = {{"failed", 1, 200, "vendor:-401", "invalid hook token"}, kSent, kSent};
    out.push_back(s);
  }
  {  // Dropped connections (Dooray), entities Telegram cannot parse (re-sent as plain text),
     // and an NHN answer that refuses one recipient, quoting its number in several spellings.
    Scenario s;
    s.name = "DropCantParseEntitiesRecipientRefused";
    s.script = [](FakeDooray& d, FakeTelegram& t, FakeNhnSms& n) {
      d.Script({ScriptedReply::Drop(), ScriptedReply::Drop()});
      t.Script({FakeTelegram::CantParseEntities(17)});
      n.Script({ScriptedReply::Answer(200, RecipientRefusedBody())});
    };
    s.outcome = "partial";
    s.exit_code = 0;
    s.deliveries = {{"failed", 2, std::nullopt, "network", "attempts exhausted"},
                    {"sent", 2, 200, ""},
                    {"failed", 1, 200, "vendor:-2019", "*******5432"}};
    out.push_back(s);
  }
  {  // A group that became a supergroup: one re-send to the new chat, and a configuration hint.
    Scenario s;
    s.name = "TelegramChatMigrated";
    s.script = [](FakeDooray&, FakeTelegram& t, FakeNhnSms&) {
      t.Script({FakeTelegram::Migrated(-1001112223334)});
    };
    s.outcome = "delivered";
    s.exit_code = 0;
    s.deliveries = {kSent, {"sent", 2, 200, ""}, kSent};
    s.stderr_contains = "config_hint channel=telegram-oncall";
    out.push_back(s);
  }
  {  // A redirect whose Location quotes the hook URL, a chat that does not exist, and NHN's
     // queue failing twice.
    Scenario s;
    s.name = "RedirectChatNotFoundQueueFailed";
    s.script = [](FakeDooray& d, FakeTelegram& t, FakeNhnSms& n) {
      d.Script({ScriptedReply::Answer(301, "", {{"Location", d.hook_url() + "?moved=1"}})});
      t.Script({FakeTelegram::ChatNotFound()});
      n.Script({FakeNhnSms::QueueInsertFailed(), FakeNhnSms::QueueInsertFailed()});
    };
    s.outcome = "failed";
    s.exit_code = 1;
    s.deliveries = {{"failed", 1, 301, "client_error", "HTTP 301"},
                    {"failed", 1, 400, "client_error", "chat not found"},
                    {"failed", 2, 200, "vendor:-2021", "attempts exhausted"}};
    out.push_back(s);
  }
  {  // Nothing listens: connection refused for every channel, retried, then given up.
    Scenario s;
    s.name = "ConnectionRefused";
    s.connection_refused = true;
    s.outcome = "failed";
    s.exit_code = 1;
    ExpectDelivery refused{"failed", 2, std::nullopt, "network", "attempts exhausted"};
    s.deliveries = {refused, refused, refused};
    out.push_back(s);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(SecretsLeak, SecretsLeakOnceTest, ::testing::ValuesIn(OnceScenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) {
                           return info.param.name;
                         });

// --- Sanity of the needles themselves -----------------------------------------------------------

TEST(SecretsLeakNeedlesTest, CatchEveryEncodingAndSpareTheLastFourDigits) {
  const std::string secret = kNhnSecretKey;
  for (const std::string& leaked :
       {std::string("x-secret-key: ") + secret, "%6B%2F" + std::string("PlantedNhnSecretKeyZ8x"),
        std::string("\"k\\/PlantedNhnSecretKeyZ8x+=\""),
        std::string("k%2fPlantedNhnSecretKeyZ8x%2b%3d"), std::string("+82 10-9876-5432"),
        std::string("010.9876.5432"), std::string("0109876****")}) {
    bool found = false;
    for (const Needle& n : AllNeedles()) found = found || leaked.find(n.text) != std::string::npos;
    EXPECT_TRUE(found) << leaked;
  }
  for (const std::string& fine :
       {std::string("*******5432"), std::string("***-****-5432"), std::string("+82 **-****-5432"),
        std::string("**-****-7766"), std::string("/bot<redacted>/sendMessage"),
        std::string("elapsed_ms=12 attempt=2 status=429")}) {
    for (const Needle& n : AllNeedles()) {
      EXPECT_EQ(fine.find(n.text), std::string::npos) << fine << " matched " << n.what;
    }
  }
}

// --- dry run, check-config, test-channel ------------------------------------------------------

TEST_F(SecretsLeakTest, DryRunShowsRequestsRedactedAndSendsNothing) {
  BinaryRun run = RunOnce(RightValues(), SecretStyle::kEnv, "dry-run", {"--dry-run"});
  ExpectNoLeak(run, "once --dry-run");
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "dry_run");
  ASSERT_TRUE(doc["deliveries"].IsArray());
  ASSERT_EQ(doc["deliveries"].Size(), 3u);
  for (const JsonValue& d : doc["deliveries"].GetArray()) {
    EXPECT_EQ(StringOr(d, "status"), "rendered");
    ASSERT_TRUE(d.HasMember("request") && d["request"].IsObject()) << run.out;
    EXPECT_NE(StringOr(d["request"], "url").find("<redacted>"), std::string::npos)
        << "every channel's URL carries a secret: " << StringOr(d["request"], "url");
  }
  // The SMS request shows who it goes to, by the last four digits.
  const std::string sms_body = ToJsonText(doc["deliveries"][2]["request"]["body"]);
  EXPECT_NE(sms_body.find("5432"), std::string::npos) << sms_body;
  EXPECT_NE(sms_body.find("1357"), std::string::npos) << sms_body;
  EXPECT_EQ(TotalRequests(), 0u) << "a dry run sends nothing";
}

TEST_F(SecretsLeakTest, CheckConfigGoodAndBadPrintsNoSecret) {
  {
    std::map<std::string, std::string> env = VerboseEnv();
    std::string config = WriteConfig(RightValues(), SecretStyle::kLiteral, &env, "good");
    BinaryRun run = Run({"check-config", "--config=" + config}, env);
    ExpectNoLeak(run, "check-config (good, literal secrets)");
    EXPECT_EQ(run.exit_code, 0) << run.Describe();
    EXPECT_NE(run.out.find("configuration OK"), std::string::npos) << run.Describe();
    EXPECT_NE(run.out.find("sms-oncall"), std::string::npos) << run.Describe();
    EXPECT_NE(run.err.find("literal secret"), std::string::npos) << run.Describe();
  }
  {  // Secrets placed next to bad values, in keys that do not exist, under an unknown type and
     // behind a plain-http URL to a public host, so that every problem message is near one.
    const std::string text = std::string(R"({
  "timezone": "Mars/Olympus_Mons",
  "channels": [
    {"name": "dooray-sec", "type": "dooray",
     "url": "http://hook.dooray.com/services/3570000000000000001/3570000000000000002/)") +
                             kDoorayToken + R"(", "bot_icon": "ftp://x/)" + kDoorayWrongToken +
                             R"("},
    {"name": "telegram-oncall", "type": "telegram", "bot_token": ")" +
                             kTelegramToken + R"(", "chat_id": "not a chat )" +
                             kTelegramWrongToken + R"(", "bot_tokn": ")" + kTelegramToken + R"("},
    {"name": "sms-oncall", "type": "nhn_sms", "app_key": ")" +
                             kNhnAppKey + R"(", "secret_key": ")" + kNhnSecretKey + R"(",
     "send_no": "02-9988-7766x", "recipients": ["010-9876-5432", "+82 10-2468-1357",
     ")" + kNhnWrongSecretKey +
                             R"("]},
    {"name": "typo", "type": "nhn-sms", "app_key": ")" +
                             kNhnAppKey + R"(", "secret_key": ")" + kNhnSecretKey + R"("},
    {"name": "missing", "type": "telegram", "bot_token": "env:RR_LEAK_UNSET",
     "chat_id": "file:)" + dir_ +
                             R"(/no-such-file"}
  ],
  "retry": {"base_seconds": 0, "max_attempts": 99}
})";
    const std::string config = dir_ + "/bad.json";
    WriteAll(config, text);
    BinaryRun run = Run({"check-config", "--config=" + config}, VerboseEnv());
    ExpectNoLeak(run, "check-config (bad values)");
    EXPECT_EQ(run.exit_code, 64) << run.Describe();
    for (const char* named :
         {"timezone", "channels[0].url", "channels[0].bot_icon", "channels[1].chat_id",
          "channels[1].bot_tokn", "channels[2].send_no", "channels[2].recipients[1]",
          "channels[2].recipients[2]", "channels[3].type", "channels[4].bot_token", "RR_LEAK_UNSET",
          "channels[4].chat_id", "retry.base_seconds", "retry.max_attempts"}) {
      EXPECT_NE(run.err.find(named), std::string::npos) << "problem not named: " << named << "\n"
                                                        << run.Describe();
    }
  }
  {  // A file that is not JSON at all, cut off right after a literal secret.
    const std::string config = dir_ + "/truncated.json";
    WriteAll(config,
             std::string(R"({"channels": [{"name": "tg", "type": "telegram", "bot_token": ")") +
                 kTelegramToken + R"(", "chat_id": )" + kNhnSecretKey);
    BinaryRun run = Run({"check-config", "--config=" + config}, VerboseEnv());
    ExpectNoLeak(run, "check-config (not JSON)");
    EXPECT_EQ(run.exit_code, 64) << run.Describe();
    EXPECT_NE(run.err.find("not valid JSON"), std::string::npos) << run.Describe();
  }
  EXPECT_EQ(TotalRequests(), 0u) << "check-config sends nothing";
}

TEST_F(SecretsLeakTest, TestChannelEachChannelSuccessAndFailurePrintsNoSecret) {
  const char* kChannels[] = {"dooray-sec", "telegram-oncall", "sms-oncall"};
  for (bool wrong : {false, true}) {
    for (const char* channel : kChannels) {
      std::map<std::string, std::string> env = VerboseEnv();
      const std::string name = std::string(wrong ? "wrong-" : "right-") + channel;
      std::string config =
          WriteConfig(wrong ? WrongValues() : RightValues(), SecretStyle::kFile, &env, name);
      const size_t before = TotalRequests();
      BinaryRun run = Run(
          {"test-channel", std::string("--channel=") + channel, "--config=" + config, "--verbose"},
          env);
      const std::string what = std::string("test-channel ") + name;
      ExpectNoLeak(run, what);
      EXPECT_EQ(run.exit_code, wrong ? 1 : 0) << what << "\n" << run.Describe();
      EXPECT_EQ(TotalRequests(), before + 1) << what << ": one message, no retry of a refusal";
      JsonDocument doc;
      ASSERT_TRUE(ParseOutcome(run, &doc)) << what << "\n" << run.Describe();
      EXPECT_EQ(StringOr(doc, "outcome"), wrong ? "failed" : "delivered") << what;
      EXPECT_NE(run.err.find("curl > POST "), std::string::npos) << what << "\n" << run.err;
      EXPECT_NE(run.err.find("<redacted>"), std::string::npos) << what << "\n" << run.err;
    }
  }
  // Each fake got its two messages: the good one and the refused one.
  EXPECT_EQ(dooray_.request_count(), 2u);
  EXPECT_EQ(telegram_.request_count(), 2u);
  EXPECT_EQ(nhn_.request_count(), 2u);
  // What the refused requests carried: the secrets were really in play.
  const std::vector<RecordedRequest> sms = nhn_.requests();
  ASSERT_EQ(sms.size(), 2u);
  const std::string* key = sms[1].header("x-secret-key");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(*key, kNhnWrongSecretKey);
  EXPECT_NE(telegram_.requests()[1].path.find(kTelegramWrongToken), std::string::npos);
  EXPECT_NE(dooray_.requests()[1].path.find(kDoorayWrongToken), std::string::npos);
}

TEST_F(SecretsLeakTest, SecretsReallyReachTheServices) {
  // The success run above is only meaningful if the planted values are what went out.
  BinaryRun run = RunOnce(RightValues(), SecretStyle::kFile, "reach");
  ExpectNoLeak(run, "once (reach)");
  ASSERT_EQ(run.exit_code, 0) << run.Describe();
  ASSERT_EQ(dooray_.request_count(), 1u);
  ASSERT_EQ(telegram_.request_count(), 1u);
  ASSERT_EQ(nhn_.request_count(), 1u);
  EXPECT_NE(dooray_.requests()[0].path.find(kDoorayToken), std::string::npos);
  EXPECT_NE(telegram_.requests()[0].path.find(kTelegramToken), std::string::npos);
  const RecordedRequest sms = nhn_.requests()[0];
  EXPECT_NE(sms.path.find(kNhnAppKey), std::string::npos);
  ASSERT_NE(sms.header("x-secret-key"), nullptr);
  EXPECT_EQ(*sms.header("x-secret-key"), kNhnSecretKey);
  EXPECT_NE(sms.body.find(kRecipient), std::string::npos);
  EXPECT_NE(sms.body.find(kRecipient2), std::string::npos);
  EXPECT_NE(sms.body.find(kSendNo), std::string::npos);
  // And the trace had those requests and answers in it, redacted.
  EXPECT_NE(run.err.find("curl > POST /sms/v3.0/appKeys/<redacted>/sender/"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("curl > POST /bot<redacted>/sendMessage"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("curl > POST /services/<redacted>"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("curl << "), std::string::npos) << "no answer body in the trace";
}

TEST_F(SecretsLeakTest, TimeoutsPrintNoSecret) {
  // Every service too slow for the deadline: curl gives up on the request, the retry stage on
  // the deadline.
  const auto slow = ScriptedReply::Slow(std::chrono::seconds(3));
  dooray_.Script({slow, slow});
  telegram_.Script({slow, slow});
  nhn_.Script({slow, slow});
  BinaryRun run = RunOnce(RightValues(), SecretStyle::kEnv, "timeouts", {}, "0.5");
  ExpectNoLeak(run, "once (timeouts)");
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "failed");
  ASSERT_EQ(doc["deliveries"].Size(), 3u) << run.out;
  for (const JsonValue& d : doc["deliveries"].GetArray()) {
    EXPECT_EQ(StringOr(d, "status"), "failed") << run.out;
    EXPECT_TRUE(d["http_status"].IsNull()) << run.out;
    const std::string error = StringOr(d, "error");
    EXPECT_NE(error.find("deadline"), std::string::npos) << error;
  }
  EXPECT_GE(dooray_.request_count(), 1u);
  EXPECT_GE(telegram_.request_count(), 1u);
  EXPECT_GE(nhn_.request_count(), 1u);
  EXPECT_NE(run.err.find("curl > POST "), std::string::npos) << run.err;
}

TEST_F(SecretsLeakTest, EnvironmentOnlyModePrintsNoSecret) {
  // The Lambda handlers' variables, refused by every service, then accepted by every one.
  for (bool wrong : {true, false}) {
    const ChannelValues v = wrong ? WrongValues() : RightValues();
    std::map<std::string, std::string> env = VerboseEnv();
    env["DOORAY_HOOK_URL"] = v.dooray_url;
    env["TELEGRAM_BOT_TOKEN"] = v.telegram_token;
    env["TELEGRAM_CHAT_ID"] = kChatId;
    env["TELEGRAM_API_BASE"] = v.telegram_base;
    env["SMS_APP_KEY"] = v.app_key;
    env["SMS_SECRET_KEY"] = v.secret_key;
    env["SMS_SEND_NO"] = kSendNoWritten;
    env["SMS_RECIPIENTS"] = std::string(kRecipientWritten) + ", " + kRecipient2;
    env["SMS_API_BASE"] = v.nhn_base;
    const std::string what = wrong ? "environment-only, refused" : "environment-only, accepted";
    BinaryRun run =
        Run({"once", std::string("--event=") + RR_SOURCE_DIR + kPayload, "--verbose"}, env);
    ExpectNoLeak(run, what);
    EXPECT_EQ(run.exit_code, wrong ? 1 : 0) << what << "\n" << run.Describe();
    JsonDocument doc;
    ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
    EXPECT_EQ(StringOr(doc, "outcome"), wrong ? "failed" : "delivered") << run.out;
    EXPECT_NE(run.err.find("<redacted>"), std::string::npos) << run.err;

    BinaryRun check = Run({"check-config"}, env);
    ExpectNoLeak(check, what + ", check-config");
    EXPECT_EQ(check.exit_code, 0) << check.Describe();
    EXPECT_NE(check.out.find("configuration OK (environment)"), std::string::npos)
        << check.Describe();
  }
  EXPECT_EQ(TotalRequests(), 6u);
}

TEST_F(SecretsLeakTest, ProxyCredentialsPrintNoSecret) {
  // Every channel through an HTTP proxy that wants credentials; the "proxy" is a plain fake
  // server, so it answers each absolute-URL request itself, the way a broken proxy might.
  FakeHttpServer proxy;
  ASSERT_TRUE(proxy.Start().ok());
  proxy.Script({ScriptedReply::Answer(407, "", {{"Proxy-Authenticate", "Basic realm=\"rr\""}}),
                ScriptedReply::Answer(407, "", {{"Proxy-Authenticate", "Basic realm=\"rr\""}}),
                ScriptedReply::Answer(407, "", {{"Proxy-Authenticate", "Basic realm=\"rr\""}})});
  extra_config_ = R"(
  "http": {"proxy": "http://)" +
                  std::string(kProxyUser) + ":" + kProxyPassword +
                  "@127.0.0.1:" + std::to_string(proxy.port()) + R"("},)";
  BinaryRun run = RunOnce(RightValues(), SecretStyle::kEnv, "proxy");
  ExpectNoLeak(run, "once (through a proxy)");
  EXPECT_EQ(run.exit_code, 1) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "failed") << run.out;
  for (const JsonValue& d : doc["deliveries"].GetArray()) {
    EXPECT_EQ(StringOr(d, "status"), "failed") << run.out;
    ASSERT_TRUE(d["http_status"].IsInt()) << run.out;
    EXPECT_EQ(d["http_status"].GetInt(), 407) << run.out;
  }
  // The credentials were really in play.
  const std::vector<RecordedRequest> seen = proxy.requests();
  ASSERT_EQ(seen.size(), 3u);
  for (const RecordedRequest& r : seen) {
    ASSERT_NE(r.header("proxy-authorization"), nullptr) << r.target;
    EXPECT_EQ(*r.header("proxy-authorization"),
              "Basic " + Base64(std::string(kProxyUser) + ":" + kProxyPassword));
  }
  EXPECT_EQ(TotalRequests(), 0u) << "everything went to the proxy";
  EXPECT_NE(run.err.find("curl > POST http://127.0.0.1:"), std::string::npos) << run.err;
}

TEST_F(SecretsLeakTest, TlsRunsPrintNoSecret) {
  // The same services over HTTPS, trusted through the "http" section's CA bundle.
  Result<TlsFiles> tls = MakeSelfSignedCertificate(dir_ + "/tls");
  ASSERT_TRUE(tls.ok()) << tls.status().ToString();
  FakeDooray dooray(kDoorayToken, *tls);
  FakeTelegram telegram(kTelegramToken, *tls);
  FakeNhnSms nhn(kNhnAppKey, kNhnSecretKey, {kSendNo}, *tls);
  ASSERT_TRUE(dooray.Start().ok());
  ASSERT_TRUE(telegram.Start().ok());
  ASSERT_TRUE(nhn.Start().ok());
  telegram.Script({FakeTelegram::Unauthorized()});
  extra_config_ = R"(
  "http": {"ca_bundle": ")" +
                  tls->cert_path + R"("},)";
  ChannelValues v{dooray.hook_url(), telegram.api_base(), kTelegramToken,
                  nhn.api_base(),    kNhnAppKey,          kNhnSecretKey};
  ASSERT_EQ(v.dooray_url.rfind("https://", 0), 0u);
  BinaryRun run = RunOnce(v, SecretStyle::kLiteral, "tls");
  ExpectNoLeak(run, "once (TLS)");
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
  JsonDocument doc;
  ASSERT_TRUE(ParseOutcome(run, &doc)) << run.Describe();
  EXPECT_EQ(StringOr(doc, "outcome"), "partial") << run.out;
  EXPECT_EQ(dooray.request_count(), 1u);
  EXPECT_EQ(telegram.request_count(), 1u);
  EXPECT_EQ(nhn.request_count(), 1u);
  EXPECT_NE(run.err.find("curl > POST "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("<redacted>"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace rr
