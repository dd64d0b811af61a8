// libFuzzer target: every parser of what strangers send back about an acknowledgement. The
// /ack/<token> link and its form (VerifyAckToken, AckNameFromForm, HandleAckHttp), Telegram
// button data (IncidentOfTelegramAckData) and the Bot API's answers (ParseTelegramUpdates,
// ReadTelegramReply). It must never crash, hang or leak, and every documented promise below is
// checked; a broken one traps.
//
// The first byte says what the rest is: '0' + n is entry n (any byte counts, modulo 8; digits
// keep the seeds readable):
//   0  a link token, verified as is
//   1  "ID.EXPIRY": the harness signs these texts as the header documents the format, so claims
//      of any shape get past the MAC (random bytes never would)
//   2  Telegram callback data, as is
//   3  "ID": signed by the harness as Telegram callback data
//   4  a form body, for its "name"
//   5  M C L A S, then "TOKEN\nBODY": one request to HandleAckHttp. M method (GET HEAD POST PUT),
//      C content type, L lookup's answer, A act's answer, S bits: 1 TOKEN is "ID.EXPIRY" to sign,
//      2 no secret configured, 4 no callbacks. Each is a digit too, '0' + choice.
//   6  S, then a getUpdates answer body; S picks the HTTP status (or no answer)
//   7  S, then an answerCallbackQuery answer body
//
// Seeds: testdata/fuzz-ack/ (tests/fuzz/make_ack_seeds.py makes them with kSecret).
#include <glog/logging.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/telegram.h"
#include "channels/telegram_updates.h"
#include "channels/utf16_length.h"
#include "responder/ack_http.h"
#include "responder/ack_link.h"

namespace {

using Clock = std::chrono::system_clock;

constexpr std::string_view kSecret = "fuzz-ack-secret-1f0c9e7a2b4d6e8f";
constexpr std::string_view kOtherSecret = "fuzz-ack-secret-rotated";
constexpr std::string_view kBotToken = "7700112233:AAFuzzAckBotTokenQ4z-9wXyZ";
// 2026-06-01T00:00:00Z.
const Clock::time_point kNow{std::chrono::seconds(1780272000)};
const Clock::time_point kEarlier{std::chrono::seconds(1780270000)};

// A broken promise: say which one, then trap (the crash is the report).
[[noreturn]] void Broken(const char* what, int line) {
  std::fprintf(stderr, "ack_inputs_fuzzer.cc:%d: broken: %s\n", line, what);
  __builtin_trap();
}
#define Check(cond) ((cond) ? void() : Broken(#cond, __LINE__))

bool Contains(std::string_view text, std::string_view part) {
  return !part.empty() && text.find(part) != std::string_view::npos;
}

// Every glog line of one input: the token and the secret must never reach a log.
class LogLines : public google::LogSink {
 public:
  void send(google::LogSeverity, const char*, const char*, int, const struct ::tm*,
            const char* message, size_t size) override {
    text.append(message, size).push_back('\n');
  }
  std::string text;
};

LogLines& Logs() {
  static LogLines* logs = [] {
    google::InitGoogleLogging("fuzz_ack_inputs");
    FLAGS_logtostderr = false;
    FLAGS_stderrthreshold = google::GLOG_FATAL;
    // No log files: an empty destination turns a severity's file off.
    for (int s = google::GLOG_INFO; s < google::NUM_SEVERITIES; ++s)
      google::SetLogDestination(s, "");
    auto* sink = new LogLines();
    google::AddLogSink(sink);
    return sink;
  }();
  return *logs;
}

// ---- the format as ack_link.h documents it, independently of ack_link.cc ----

std::string Base64Url(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (size_t i = 0; i < size; ++i) {
    bits = (bits << 8) | data[i];
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 63]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 63]);
  return out;
}

std::string SpecMac(std::string_view purpose, std::initializer_list<std::string_view> fields) {
  std::string input(purpose);
  for (std::string_view f : fields) input.append("\n").append(f);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data(), &size);
  return Base64Url(digest.data(), 16);
}

// "ID.EXPIRY" signed as a v1 link token.
std::string SpecToken(std::string_view fields) {
  const size_t dot = fields.find('.');
  const std::string_view id = fields.substr(0, dot);
  const std::string_view expiry = dot == std::string_view::npos ? "" : fields.substr(dot + 1);
  return "v1." + std::string(id) + "." + std::string(expiry) + "." +
         SpecMac("root-responder ack-link v1", {id, expiry});
}

std::string SpecTelegramData(std::string_view id) {
  return "ack:" + std::string(id) + ":" + SpecMac("root-responder ack-telegram v1", {id});
}

// A canonical decimal as the format defines it: digits, no leading zero, fits int64_t.
std::optional<int64_t> Canonical(std::string_view text) {
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return static_cast<int64_t>(value);
}

// The signature segment of a token-shaped text (its last 22 characters, when they could be a
// MAC): what an answer or a log line must never repeat.
std::string_view MacOf(std::string_view token) {
  if (token.size() < 22) return {};
  std::string_view mac = token.substr(token.size() - 22);
  for (char c : mac) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return {};
  }
  return mac;
}

// ---- checks ----

// Strict UTF-8 with every code point passed to `allowed`.
template <typename Allowed>
bool CleanUtf8(std::string_view text, Allowed allowed) {
  while (!text.empty()) {
    const size_t n = rr::Utf8SequenceLength(text);
    if (n == 0) return false;
    const auto b0 = static_cast<unsigned char>(text[0]);
    char32_t c = n == 1 ? b0 : b0 & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; ++i) c = (c << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
    if (!allowed(c)) return false;
    text.remove_prefix(n);
  }
  return true;
}

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A verified claim is the one claim its token names: signing it again gives the same token.
void CheckVerified(std::string_view token, const rr::Result<rr::AckClaim>& claim) {
  Check(claim->incident_id > 0);
  Check(kNow < claim->expires_at);
  Check(rr::SignAckToken(kSecret, claim->incident_id, claim->expires_at) == token);
  Check(rr::VerifyAckToken(kSecret, token, Clock::time_point::min()).ok());
  Check(rr::VerifyAckToken(kOtherSecret, token, kNow).status().code() ==
        rr::Status::Code::kNotFound);
  Check(!rr::IncidentOfTelegramAckData(kSecret, token));
}

rr::Result<rr::AckClaim> VerifyToken(std::string_view token) {
  rr::Result<rr::AckClaim> claim = rr::VerifyAckToken(kSecret, token, kNow);
  if (claim.ok()) {
    CheckVerified(token, claim);
  } else {
    const auto code = claim.status().code();
    Check(code == rr::Status::Code::kInvalidArgument || code == rr::Status::Code::kNotFound ||
          code == rr::Status::Code::kDeadlineExceeded);
    Check(!Contains(claim.status().message(), kSecret));
    Check(!Contains(claim.status().message(), MacOf(token)));
  }
  return claim;
}

// Entry 1: whatever the documented format accepts verifies (or has expired), nothing else does.
void VerifySpecToken(std::string_view fields) {
  const std::string token = SpecToken(fields);
  rr::Result<rr::AckClaim> claim = VerifyToken(token);
  const size_t dot = fields.find('.');
  std::optional<int64_t> id = Canonical(fields.substr(0, dot));
  std::optional<int64_t> expiry =
      dot == std::string_view::npos ? std::nullopt : Canonical(fields.substr(dot + 1));
  // ack_link.h: an expiry later than a time point holds is malformed too.
  const int64_t last_second =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count();
  if (!id || *id <= 0 || !expiry || *expiry > last_second) {
    Check(claim.status().code() == rr::Status::Code::kInvalidArgument);
  } else if (claim.ok()) {
    Check(claim->incident_id == *id);
    Check(std::chrono::duration_cast<std::chrono::seconds>(claim->expires_at.time_since_epoch())
              .count() == *expiry);
  } else {
    Check(claim.status().code() == rr::Status::Code::kDeadlineExceeded);
  }
}

void TelegramData(std::string_view data) {
  std::optional<int64_t> id = rr::IncidentOfTelegramAckData(kSecret, data);
  if (!id) return;
  Check(*id > 0);
  Check(rr::TelegramAckData(kSecret, *id) == data);
  Check(data.size() <= 64);
  Check(!rr::IncidentOfTelegramAckData(kOtherSecret, data));
  Check(!rr::VerifyAckToken(kSecret, data, kNow).ok());
}

bool IsHiddenOrSpace(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
         (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB);
}

// Cleaned: valid UTF-8, no hidden character, single inner spaces only, at most 64 characters;
// and cleaning is idempotent (a name read back from a form is the name).
std::string FormName(std::string_view body) {
  std::string name = rr::AckNameFromForm(body);
  Check(!name.empty());
  Check(CleanUtf8(name, [](char32_t c) { return c == ' ' || !IsHiddenOrSpace(c); }));
  Check(name.front() != ' ' && name.back() != ' ');
  Check(!Contains(name, "  "));
  Check(CodePoints(name) <= rr::kMaxAckNameChars);
  std::string again = "name=";
  for (unsigned char c : name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    again.append({'%', kHex[c >> 4], kHex[c & 15]});
  }
  Check(rr::AckNameFromForm(again) == name);
  return name;
}

// ---- HandleAckHttp ----

size_t Pick(uint8_t byte, size_t count) { return static_cast<uint8_t>(byte - '0') % count; }

rr::AckResult Result(rr::AckState state, std::string by = "") {
  rr::AckResult r;
  r.state = state;
  r.by = std::move(by);
  if (!r.by.empty()) r.at = kEarlier;
  r.subject = "root 계정 <prod-main>";
  return r;
}

void Http(const uint8_t* options, std::string_view rest) {
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT"};
  static constexpr std::string_view kTypes[] = {"application/x-www-form-urlencoded",
                                                "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                                                "text/plain", ""};
  const std::string_view method = kMethods[Pick(options[0], 4)];
  const std::string_view type = kTypes[Pick(options[1], 4)];
  const size_t lookup_answer = Pick(options[2], 5);
  const size_t act_answer = Pick(options[3], 4);
  const size_t bits = Pick(options[4], 8);
  const size_t newline = rest.find('\n');
  const std::string_view token_text = rest.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  const std::string token = bits & 1 ? SpecToken(token_text) : std::string(token_text);
  const std::string_view secret = bits & 2 ? std::string_view() : kSecret;

  int lookups = 0, acts = 0;
  int64_t seen_incident = 0;
  std::string seen_name;
  rr::AckLookup lookup = [&](int64_t incident) {
    ++lookups;
    seen_incident = incident;
    static const rr::AckResult kAnswers[] = {
        Result(rr::AckState::kAcknowledged), Result(rr::AckState::kAcknowledged, "@kim (Telegram)"),
        Result(rr::AckState::kAlreadyAcknowledged, "lee"), Result(rr::AckState::kUnknownIncident),
        Result(rr::AckState::kUnavailable)};
    return kAnswers[lookup_answer];
  };
  rr::AckAction act = [&](int64_t incident, const std::string& by) {
    ++acts;
    seen_incident = incident;
    seen_name = by;
    static const rr::AckResult kAnswers[] = {
        Result(rr::AckState::kAcknowledged), Result(rr::AckState::kAlreadyAcknowledged, "lee"),
        Result(rr::AckState::kUnknownIncident), Result(rr::AckState::kUnavailable)};
    return kAnswers[act_answer];
  };
  if (bits & 4) lookup = nullptr, act = nullptr;

  Logs().text.clear();
  const rr::AckHttpAnswer answer =
      rr::HandleAckHttp(method, token, type, body, secret, kNow, lookup, act, rr::DisplayZone{});

  const bool is_post = method == "POST";
  const bool page = method == "GET" || method == "HEAD";
  rr::Result<rr::AckClaim> claim = rr::VerifyAckToken(kSecret, token, kNow);
  const bool authentic = !secret.empty() && claim.ok();
  Check(lookups + acts <= 1);
  Check(acts == 0 || (is_post && authentic));  // GET and HEAD never acknowledge
  Check(lookups == 0 || (page && authentic));  // nor does anything read for a stranger
  if (lookups + acts == 1) Check(seen_incident == claim->incident_id);
  if (acts == 1) Check(seen_name == FormName(body));
  if (!is_post && !page) Check(answer.status == 405);
  if (page || is_post) {
    if (secret.empty()) Check(answer.status == 503);
    if (answer.status == 200) Check(authentic);
  }

  // The URL is the capability: no answer or log line repeats it (or the secret), unless the
  // client sent it. Sent means all but its first and last character were in the body or the
  // name: quoting can complete the rest (a name "%9f" "uzz-ack-..." is logged as \x9fuzz-ack-...).
  const std::string name = is_post ? rr::AckNameFromForm(body) : std::string();
  const auto sent = [&](std::string_view part) {
    const std::string_view inner = part.size() > 2 ? part.substr(1, part.size() - 2) : part;
    return Contains(body, inner) || Contains(name, inner);
  };
  const std::string_view mac = MacOf(token);
  std::string said = answer.body + answer.content_type;
  bool no_store = false;
  for (const auto& [header, value] : answer.headers) {
    said += header + ": " + value + "\n";
    no_store |= header == "Cache-Control" && value == "no-store";
  }
  Check(no_store);
  for (std::string_view text : {std::string_view(said), std::string_view(Logs().text)}) {
    if (!sent(kSecret)) Check(!Contains(text, kSecret));
    if (!sent(mac)) Check(!Contains(text, mac));
  }
}

// ---- the Bot API's answers ----

rr::HttpResponse Response(uint8_t status_pick, std::string_view body) {
  static constexpr long kStatuses[] = {200, 200, 400, 401, 409, 429, 500, 0, 302, 204};
  rr::HttpResponse response;
  response.status = kStatuses[Pick(status_pick, 10)];
  response.body = std::string(body);
  if (response.status == 0) {
    response.curl_code = 28;
    response.error = "Operation timed out";
  }
  return response;
}

rr::TelegramConfig Bot() {
  rr::TelegramConfig config;
  config.name = "tg";
  config.bot_token = std::string(kBotToken);
  config.chat_id = "-1001234567890";
  return config;
}

void CheckReply(const rr::TelegramReply& reply, const rr::HttpResponse& response) {
  Check(reply.ok() == (reply.failure == rr::TelegramFailure::kNone));
  if (reply.ok()) Check(response.status / 100 == 2);
  if (reply.retry_after) {
    Check(response.status == 429);
    Check(reply.retry_after->count() >= 0 && reply.retry_after->count() <= 86400);
  }
  Check(!Contains(reply.status.message(), kBotToken));
}

bool Shown(char32_t c) {
  return c >= 0x20 && !(c >= 0x7F && c <= 0x9F) && c != 0x200E && c != 0x200F && c != 0x2028 &&
         c != 0x2029 && !(c >= 0x202A && c <= 0x202E) && !(c >= 0x2066 && c <= 0x2069);
}

void Updates(uint8_t status_pick, std::string_view body) {
  const rr::HttpRequest sent = rr::TelegramGetUpdatesRequest(Bot(), 0, std::chrono::seconds(30));
  const rr::HttpResponse response = Response(status_pick, body);
  const rr::TelegramUpdates updates = rr::ParseTelegramUpdates(sent, response);
  CheckReply(updates.reply, response);
  if (updates.reply.ok()) Check(rr::ReadTelegramReply(sent, response).ok());
  if (!updates.reply.ok()) {
    Check(updates.presses.empty() && !updates.next_offset && updates.skipped == 0);
    return;
  }
  for (const rr::TelegramCallbackPress& press : updates.presses) {
    Check(!press.callback_query_id.empty());  // the press could not be answered otherwise
    Check(press.update_id >= 0 && updates.next_offset && press.update_id < *updates.next_offset);
    Check(!press.from_display.empty());
    Check(CleanUtf8(press.from_display, Shown));
    Check(rr::Utf16Length(press.from_display) <= 65);  // "@" + 64
    Check(press.chat_id.has_value() == press.message_id.has_value());
    if (press.data) TelegramData(*press.data);
  }
  if (updates.next_offset) Check(*updates.next_offset > 0);
}

void OtherReply(uint8_t status_pick, std::string_view body) {
  const rr::HttpRequest sent = rr::TelegramAnswerCallbackRequest(Bot(), "4382bfdwdsb323b2d9", "ok");
  const rr::HttpResponse response = Response(status_pick, body);
  CheckReply(rr::ReadTelegramReply(sent, response), response);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Logs();
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (Pick(data[0], 8)) {
    case 0:
      VerifyToken(rest);
      break;
    case 1:
      VerifySpecToken(rest);
      break;
    case 2:
      TelegramData(rest);
      break;
    case 3:
      TelegramData(SpecTelegramData(rest));
      break;
    case 4:
      FormName(rest);
      break;
    case 5:
      if (size >= 6) Http(data + 1, rest.substr(5));
      break;
    case 6:
      if (size >= 2) Updates(data[1], rest.substr(1));
      break;
    case 7:
      if (size >= 2) OtherReply(data[1], rest.substr(1));
      break;
  }
  return 0;
}
