#include "channels/dooray.h"

#include <optional>
#include <utility>

#include "alarm/json.h"
#include "channels/alert_text.h"
#include "channels/display_time.h"
#include "channels/json_body.h"

namespace rr {
namespace {

constexpr std::string_view kReasonLabel = "원인";
constexpr std::string_view kAckColor = "#4757C4";      // Dooray's own default blue
constexpr std::string_view kRelatedColor = "#868E96";  // grey: context, not the alert

// Attachment text for events: what happened, from where, with MFA or not, when.
std::string EventSummary(const Alert& a, const DisplayZone& tz) {
  std::vector<std::string> parts;
  std::string what = a.event_name.value_or("");
  if (a.login_result) what += (what.empty() ? "" : " ") + *a.login_result;
  if (!what.empty()) parts.push_back(std::move(what));
  if (a.source_ip) parts.push_back(*a.source_ip);
  if (a.mfa_used) parts.push_back(*a.mfa_used ? "MFA 예" : "MFA 아니오");
  if (a.event_time) parts.push_back(FormatLongTime(a.event_time, tz));
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += " \u00B7 ";  // middle dot
    out += p;
  }
  return out;
}

}  // namespace

std::vector<std::string> DoorayHookSecrets(std::string_view url) {
  constexpr std::string_view kServices = "/services/";
  std::string_view path;
  if (size_t pos = url.find(kServices); pos != std::string_view::npos) {
    path = url.substr(pos + kServices.size());
  } else {
    // Unknown shape: treat the whole path as secret rather than guess which part is the token.
    size_t scheme = url.find("://");
    size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (start != std::string_view::npos) path = url.substr(start + 1);
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return {};
  std::vector<std::string> secrets = {std::string(path)};
  if (size_t slash = path.rfind('/'); slash != std::string_view::npos) {
    secrets.push_back(std::string(path.substr(slash + 1)));
  }
  return secrets;
}

std::string DoorayInertText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '[':
        out += "\uFF3B";
        break;
      case ']':
        out += "\uFF3D";
        break;
      case '<':
        out += "\uFF1C";
        break;
      case '>':
        out += "\uFF1E";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string_view DoorayColor(const Alert& alert) {
  if (alert.kind == AlertKind::kAlarm && alert.state == "OK") return "green";
  switch (alert.severity) {
    case Severity::kCritical:
      return "red";
    case Severity::kHigh:
      return "#E8590C";
    case Severity::kWarning:
      return "#F59F00";
    case Severity::kInfo:
      return "#4757C4";
  }
  return "red";
}

DoorayChannel::DoorayChannel(DoorayConfig config)
    : config_(std::move(config)), secrets_(DoorayHookSecrets(config_.url)) {}

std::vector<HttpRequest> DoorayChannel::Render(const Alert& alert, const RenderContext& ctx) const {
  return RenderPage(alert, ctx, PageExtras{});
}

std::vector<HttpRequest> DoorayChannel::RenderPage(const Alert& alert, const RenderContext& ctx,
                                                   const PageExtras& extras) const {
  // For alarms the reason is the attachment text, so the fields do not repeat it.
  const bool reason_in_text = alert.kind == AlertKind::kAlarm && alert.reason.has_value();
  const std::string summary = alert.kind == AlertKind::kAlarm ? alert.reason.value_or("")
                                                              : EventSummary(alert, ctx.time_zone);
  const bool ack_link = extras.ack_url && IsLinkUrl(*extras.ack_url);

  JsonBody w;
  w.StartObject();
  w.Field("botName", config_.bot_name);
  w.Field("botIconImage", config_.bot_icon);
  std::string text = AlertHeadline(alert);
  if (std::string why = PageHeadline(extras); !why.empty()) text += "\n" + why;
  w.Field("text", text);
  w.Key("attachments");
  w.StartArray();

  w.StartObject();
  w.Field("title", AlertSubject(alert));
  if (alert.console_url) w.Field("titleLink", *alert.console_url);
  if (!summary.empty()) w.Field("text", summary);
  w.Field("color", DoorayColor(alert));
  w.EndObject();

  if (ack_link) {
    w.StartObject();
    w.Field("title", kAckLinkLabel);
    w.Field("titleLink", *extras.ack_url);
    w.Field("text", kAckLinkHint);
    w.Field("color", kAckColor);
    w.EndObject();
  }

  std::vector<DetailRow> rows;
  if (extras.incident_id != 0 && !PageHeadlineNamesIncident(extras)) {
    rows.push_back(
        DetailRow{std::string(kIncidentLabel), "#" + std::to_string(extras.incident_id), true});
  }
  for (DetailRow& row : AlertDetailRows(alert, ctx.time_zone)) rows.push_back(std::move(row));
  if (alert.console_url) {
    rows.push_back(DetailRow{std::string(ConsoleLinkLabel(alert)), *alert.console_url, false});
  }
  bool any_field = false;
  for (const DetailRow& row : rows) {
    if (reason_in_text && row.label == kReasonLabel) continue;
    if (!any_field) {
      w.StartObject();
      w.Key("fields");
      w.StartArray();
      any_field = true;
    }
    w.StartObject();
    w.Field("title", row.label);
    w.Field("value", row.value);
    w.Key("short");
    w.Bool(row.is_short);
    w.EndObject();
  }
  if (any_field) {
    w.EndArray();
    w.EndObject();
  }

  if (!extras.related.empty()) {
    std::string lines;
    for (const std::string& r : RelatedAlertLines(extras.related, alert, ctx.time_zone)) {
      if (!lines.empty()) lines += '\n';
      lines += r;
    }
    w.StartObject();
    w.Field("title", kRelatedLabel);
    w.Field("text", lines);
    w.Field("color", kRelatedColor);
    w.EndObject();
  }

  w.EndArray();
  w.EndObject();

  std::vector<std::string> ack_secrets;
  if (ack_link) ack_secrets.push_back(*extras.ack_url);
  return OneRequest(Post(w.Take(), std::move(ack_secrets)));
}

std::vector<HttpRequest> DoorayChannel::RenderNotice(const Notice& notice,
                                                     const RenderContext& ctx) const {
  const bool resolved = notice.kind == Notice::Kind::kResolved;
  JsonBody w;
  w.StartObject();
  w.Field("botName", config_.bot_name);
  w.Field("botIconImage", config_.bot_icon);
  w.Field("text", NoticeHeadline(notice, ctx.time_zone, DoorayInertText(ShownName(notice.by))));
  w.Key("attachments");
  w.StartArray();
  w.StartObject();
  w.Field("title", AlertSubject(notice.alert));
  if (notice.alert.console_url) w.Field("titleLink", *notice.alert.console_url);
  if (std::optional<std::string> reason = ShortNoticeReason(notice)) {
    w.Field("text", *reason);
  }
  w.Field("color", resolved ? std::string_view("green") : kAckColor);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return OneRequest(Post(w.Take(), {}));
}

HttpRequest DoorayChannel::Post(std::string body, std::vector<std::string> extra_secrets) const {
  HttpRequest req;
  req.method = "POST";
  req.url = config_.url;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = std::move(body);
  req.secrets = secrets_;
  req.secrets.insert(req.secrets.end(), extra_secrets.begin(), extra_secrets.end());
  return req;
}

// Dooray documents no answer for hooks: a 2xx is success unless the body carries the REST
// API's {"header":{"isSuccessful":false}}. A 404 means the hook was deleted or mistyped.
Classification DoorayChannel::ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                             std::chrono::system_clock::time_point now) const {
  if (auto c = ClassifyTransportAndStatus(response, now)) {
    if (response.status == 404)
      c->detail = "HTTP 404: the hook does not exist (deleted or a wrong URL)";
    return *c;
  }
  JsonDocument doc;
  if (ParseAnswerBody(response.body, &doc) && doc.HasMember("header") && doc["header"].IsObject()) {
    const JsonValue& header = doc["header"];
    if (header.HasMember("isSuccessful") && header["isSuccessful"].IsFalse()) {
      Classification c;
      c.kind = Classification::Kind::kPermanent;
      std::string code = header.HasMember("resultCode") && header["resultCode"].IsInt64()
                             ? std::to_string(header["resultCode"].GetInt64())
                             : "unknown";
      c.reason = "vendor:" + code;
      if (header.HasMember("resultMessage") && header["resultMessage"].IsString()) {
        c.detail = std::string(AsView(header["resultMessage"]));
      }
      return c;
    }
  }
  return Classification::Success();
}

}  // namespace rr
