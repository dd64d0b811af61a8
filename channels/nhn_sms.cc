#include "channels/nhn_sms.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "alarm/json.h"
#include "channels/alert_text.h"
#include "channels/display_time.h"
#include "channels/euc_kr.h"
#include "channels/json_body.h"
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

std::string TitleText(const Alert& alert, std::string_view page_tag = {}) {
  std::string title = std::string(DrillPrefix(alert)) + std::string(kTag);
  if (!page_tag.empty()) {
    title += page_tag;
    title += ' ';
  }
  return title + AlertSubject(alert);
}

std::string SmsText(const Alert& a, const RenderContext& ctx, std::string_view page_tag) {
  std::string text = TitleText(a, page_tag);
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

// SMS when `text` fits 90 bytes, else LMS with `title`.
NhnSmsMessage Choose(std::string text, std::string_view title) {
  NhnSmsMessage msg;
  if (EucKrBytes(text) <= kNhnSmsMaxBytes) {
    msg.body = std::move(text);
    return msg;
  }
  msg.mms = true;
  msg.title = TruncateToEucKrBytes(title, kNhnMmsTitleMaxBytes);
  // A cut between words leaves a space at the end; phones show it as a ragged title.
  while (!msg.title.empty() && msg.title.back() == ' ') msg.title.pop_back();
  msg.body = TruncateToEucKrBytes(text, kNhnMmsMaxBytes);
  return msg;
}

// `body` and then one "- " line per related alert while they fit an LMS, keeping room for the
// "외 N건" line that counts the rest.
std::string WithRelatedLines(std::string body, const Alert& alert, const RenderContext& ctx,
                             const std::vector<Alert>& related) {
  body = TruncateToEucKrBytes(body, kNhnMmsMaxBytes);
  size_t used = EucKrBytes(body);
  const size_t n = related.size();
  const size_t reserve = EucKrBytes("\n- " + MoreRelatedText(n));
  size_t shown = 0;
  for (; shown < n && shown < kMaxRelatedShown; ++shown) {
    std::string line =
        "\n- " + ReplaceNonEucKr(RelatedAlertLine(related[shown], alert, ctx.time_zone));
    const size_t bytes = EucKrBytes(line);
    const size_t room_after = shown + 1 < n ? reserve : 0;
    if (used + bytes + room_after > kNhnMmsMaxBytes) break;
    body += line;
    used += bytes;
  }
  if (shown < n) {
    std::string more = "\n- " + MoreRelatedText(n - shown);
    if (used + EucKrBytes(more) <= kNhnMmsMaxBytes) body += more;
  }
  return body;
}

std::optional<std::string> GroupingKey(const std::optional<std::string>& dedup_key,
                                       std::string_view suffix) {
  if (!dedup_key) return std::nullopt;
  // NHN keeps 100 characters; the suffix must survive the cut.
  return CutCodePoints(*dedup_key, kNhnGroupingKeyMaxChars - suffix.size()) + std::string(suffix);
}

}  // namespace

std::string NhnSmsText(const Alert& a, const RenderContext& ctx) { return SmsText(a, ctx, {}); }

NhnSmsMessage ComposeNhnSms(const Alert& alert, const RenderContext& ctx) {
  return ComposeNhnSmsPage(alert, ctx, PageExtras{});
}

NhnSmsMessage ComposeNhnSmsPage(const Alert& alert, const RenderContext& ctx,
                                const PageExtras& extras) {
  const std::string tag = PageTag(extras);
  std::string text = SmsText(alert, ctx, tag);
  if (extras.incident_id != 0 && !PageHeadlineNamesIncident(extras)) {
    // The number helps whoever also reads chat; it must not turn an SMS into an LMS.
    std::string with = text + " #" + std::to_string(extras.incident_id);
    if (EucKrBytes(with) <= kNhnSmsMaxBytes || EucKrBytes(text) > kNhnSmsMaxBytes) {
      text = std::move(with);
    }
  }
  if (!extras.related.empty()) text = WithRelatedLines(std::move(text), alert, ctx, extras.related);
  return Choose(std::move(text), TitleText(alert, tag));
}

NhnSmsMessage ComposeNhnSmsNotice(const Notice& notice, const RenderContext& ctx) {
  const Alert& a = notice.alert;
  const bool ack = notice.kind == Notice::Kind::kAcknowledged;
  // Emoji do not exist in EUC-KR: the word says it.
  std::string title = std::string(DrillPrefix(a)) + std::string(kTag) +
                      (ack ? "확인됨 " : "해소됨 ") + AlertSubject(a);
  std::string text = title;
  if (ack) {
    std::string by = TruncateToEucKrBytes(ShownName(notice.by), kNhnShownNameMaxBytes);
    while (!by.empty() && by.back() == ' ') by.pop_back();
    text += ' ' + by;
  } else {
    text += " OK";
    if (a.account_name) {
      text += ' ' + *a.account_name;
    } else if (a.account_id) {
      text += ' ' + *a.account_id;
    }
  }
  if (std::optional<std::string> when = NoticeTime(notice)) {
    text += ' ' + FormatShortTime(when, ctx.time_zone);
  }
  if (notice.incident_id != 0) text += " #" + std::to_string(notice.incident_id);
  return Choose(ReplaceNonEucKr(text), title);
}

NhnSmsChannel::NhnSmsChannel(NhnSmsConfig config) : config_(std::move(config)) {
  std::string_view base = config_.api_base;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  base_ = std::string(base);
}

std::vector<HttpRequest> NhnSmsChannel::Render(const Alert& alert, const RenderContext& ctx) const {
  return OneRequest(Request(ComposeNhnSms(alert, ctx), alert.dedup_key, {}));
}

std::vector<HttpRequest> NhnSmsChannel::RenderPage(const Alert& alert, const RenderContext& ctx,
                                                   const PageExtras& extras) const {
  const std::string suffix = extras.reason == PageReason::kRepeat
                                 ? "#repeat-" + std::to_string(extras.repeat)
                                 : std::string();
  return OneRequest(Request(ComposeNhnSmsPage(alert, ctx, extras), alert.dedup_key, suffix));
}

std::vector<HttpRequest> NhnSmsChannel::RenderNotice(const Notice& notice,
                                                     const RenderContext& ctx) const {
  const bool ack = notice.kind == Notice::Kind::kAcknowledged;
  return OneRequest(Request(ComposeNhnSmsNotice(notice, ctx), notice.alert.dedup_key,
                            ack ? "#ack" : "#resolved"));
}

HttpRequest NhnSmsChannel::Request(const NhnSmsMessage& msg,
                                   const std::optional<std::string>& dedup_key,
                                   std::string_view key_suffix) const {
  std::vector<std::string> recipients = config_.recipients;
  if (recipients.empty()) recipients.push_back(config_.send_no);

  JsonBody w;
  w.StartObject();
  if (msg.mms) w.Field("title", msg.title);
  w.Field("body", msg.body);
  w.Field("sendNo", config_.send_no);
  w.Key("recipientList");
  w.StartArray();
  for (const std::string& no : recipients) {
    w.StartObject();
    w.Field("recipientNo", no);
    w.EndObject();
  }
  w.EndArray();
  // The key lets a retry check what was already sent.
  if (std::optional<std::string> key = GroupingKey(dedup_key, key_suffix)) {
    w.Field("senderGroupingKey", *key);
  }
  w.Field("userId", "root-responder");
  w.EndObject();

  HttpRequest req;
  req.method = "POST";
  req.url = base_ + "/sms/v3.0/appKeys/" + config_.app_key + "/sender/" + (msg.mms ? "mms" : "sms");
  req.headers = {{"Content-Type", "application/json;charset=UTF-8"},
                 {"X-Secret-Key", config_.secret_key}};
  req.body = w.Take();
  for (const std::string* s : {&config_.app_key, &config_.secret_key}) {
    if (!s->empty()) req.secrets.push_back(*s);
  }
  req.phone_numbers = recipients;
  if (!config_.send_no.empty() &&
      std::find(recipients.begin(), recipients.end(), config_.send_no) == recipients.end()) {
    req.phone_numbers.push_back(config_.send_no);
  }
  return req;
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
