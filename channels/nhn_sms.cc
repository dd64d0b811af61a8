#include "channels/nhn_sms.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "alarm/json.h"
#include "channels/alert_text.h"
#include "channels/display_time.h"
#include "channels/euc_kr.h"
#include "channels/utf16_length.h"

namespace rr {
namespace {

constexpr std::string_view kTag = "[AWS경보] ";

// At most `max_chars` code points, never splitting one.
std::string CutCodePoints(std::string_view text, size_t max_chars) {
  size_t i = 0;
  for (size_t n = 0; n < max_chars && i < text.size(); ++n) {
    size_t len = Utf8SequenceLength(text.substr(i));
    i += len == 0 ? 1 : len;
  }
  return std::string(text.substr(0, i));
}

std::string TitleText(const Alert& alert) {
  return std::string(DrillPrefix(alert)) + std::string(kTag) + AlertSubject(alert);
}

}  // namespace

std::string NhnSmsText(const Alert& a, const RenderContext& ctx) {
  std::string text = TitleText(a);
  auto add = [&](std::string_view part) {
    text += ' ';
    text += part;
  };
  if (a.kind == AlertKind::kAlarm && a.state) add(*a.state);
  if (a.kind == AlertKind::kConsoleLogin && a.login_result) add(*a.login_result);
  if (a.account_name) {
    add(*a.account_name);
  } else if (a.account_id) {
    add(*a.account_id);
  }
  if (a.kind != AlertKind::kAlarm) {
    if (a.source_ip) add(*a.source_ip);
    if (a.mfa_used) add(*a.mfa_used ? "MFA:Y" : "MFA:N");
  }
  if (a.event_time) add(FormatShortTime(a.event_time, ctx.time_zone));
  return ReplaceNonEucKr(text);
}

NhnSmsMessage ComposeNhnSms(const Alert& alert, const RenderContext& ctx) {
  NhnSmsMessage msg;
  std::string text = NhnSmsText(alert, ctx);
  if (EucKrBytes(text) <= kNhnSmsMaxBytes) {
    msg.body = std::move(text);
    return msg;
  }
  msg.mms = true;
  msg.title = TruncateToEucKrBytes(TitleText(alert), kNhnMmsTitleMaxBytes);
  // A cut between words leaves a space at the end; phones show it as a ragged title.
  while (!msg.title.empty() && msg.title.back() == ' ') msg.title.pop_back();
  msg.body = TruncateToEucKrBytes(text, kNhnMmsMaxBytes);
  return msg;
}

NhnSmsChannel::NhnSmsChannel(NhnSmsConfig config) : config_(std::move(config)) {
  std::string_view base = config_.api_base;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  base_ = std::string(base);
}

std::vector<HttpRequest> NhnSmsChannel::Render(const Alert& alert, const RenderContext& ctx) const {
  NhnSmsMessage msg = ComposeNhnSms(alert, ctx);
  std::vector<std::string> recipients = config_.recipients;
  if (recipients.empty()) recipients.push_back(config_.send_no);

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  if (msg.mms) WriteString(w, "title", msg.title);
  WriteString(w, "body", msg.body);
  WriteString(w, "sendNo", config_.send_no);
  w.Key("recipientList");
  w.StartArray();
  for (const std::string& no : recipients) {
    w.StartObject();
    WriteString(w, "recipientNo", no);
    w.EndObject();
  }
  w.EndArray();
  if (alert.dedup_key) {
    // NHN keeps 100 characters; the key lets a retry check what was already sent.
    WriteString(w, "senderGroupingKey", CutCodePoints(*alert.dedup_key, kNhnGroupingKeyMaxChars));
  }
  WriteString(w, "userId", "root-responder");
  w.EndObject();

  HttpRequest req;
  req.method = "POST";
  req.url = base_ + "/sms/v3.0/appKeys/" + config_.app_key + "/sender/" + (msg.mms ? "mms" : "sms");
  req.headers = {{"Content-Type", "application/json;charset=UTF-8"},
                 {"X-Secret-Key", config_.secret_key}};
  req.body.assign(buffer.GetString(), buffer.GetSize());
  for (const std::string* s : {&config_.app_key, &config_.secret_key}) {
    if (!s->empty()) req.secrets.push_back(*s);
  }
  req.phone_numbers = recipients;
  if (!config_.send_no.empty() &&
      std::find(recipients.begin(), recipients.end(), config_.send_no) == recipients.end()) {
    req.phone_numbers.push_back(config_.send_no);
  }
  return {std::move(req)};
}

namespace {

// -9999 (system error) and -2021 (queue insert failed) are NHN's own "try again".
bool RetryableNhnCode(int64_t code) { return code == -9999 || code == -2021; }

// `code` is NHN's resultCode; nullopt when the answer failed without one (0 would read as
// NHN's SUCCESS).
Classification NhnFailure(std::optional<int64_t> code, std::string detail) {
  Classification c;
  c.kind = code && RetryableNhnCode(*code) ? Classification::Kind::kRetryable
                                           : Classification::Kind::kPermanent;
  c.reason = "vendor:" + (code && *code != 0 ? std::to_string(*code) : std::string("unknown"));
  c.detail = std::move(detail);
  return c;
}

std::string StringMember(const JsonValue& object, const char* key) {
  if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) return "";
  return std::string(AsView(object[key]));
}

}  // namespace

// NHN answers 200 for most failures: success is header.isSuccessful and a zero resultCode
// for every recipient. This is acceptance by NHN, not delivery to the handset.
Classification NhnSmsChannel::ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                             std::chrono::system_clock::time_point now) const {
  if (auto c = ClassifyTransportAndStatus(response, now)) return *c;
  JsonDocument doc;
  if (!ParseAnswerBody(response.body, &doc) || !doc.HasMember("header") ||
      !doc["header"].IsObject()) {
    Classification c;
    c.kind = Classification::Kind::kRetryable;
    c.reason = "server_error";
    c.detail = "HTTP " + std::to_string(response.status) + " without an NHN result header";
    return c;
  }
  const JsonValue& header = doc["header"];
  std::optional<int64_t> code;
  if (header.HasMember("resultCode") && header["resultCode"].IsInt64()) {
    code = header["resultCode"].GetInt64();
  }
  if (!header.HasMember("isSuccessful") || !header["isSuccessful"].IsTrue()) {
    return NhnFailure(code, StringMember(header, "resultMessage"));
  }
  if (doc.HasMember("body") && doc["body"].IsObject() && doc["body"].HasMember("data") &&
      doc["body"]["data"].IsObject()) {
    const JsonValue& data = doc["body"]["data"];
    if (StringMember(data, "statusCode") == "3") {
      return NhnFailure(std::nullopt, "request failed (statusCode 3)");
    }
    if (data.HasMember("sendResultList") && data["sendResultList"].IsArray()) {
      for (const JsonValue& r : data["sendResultList"].GetArray()) {
        if (!r.IsObject() || !r.HasMember("resultCode") || !r["resultCode"].IsInt64()) continue;
        const int64_t rc = r["resultCode"].GetInt64();
        if (rc != 0) {
          return NhnFailure(rc, "recipient " + StringMember(r, "recipientNo") + ": " +
                                    StringMember(r, "resultMessage"));
        }
      }
    }
  }
  return Classification::Success();
}

}  // namespace rr
