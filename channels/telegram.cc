#include "channels/telegram.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "alarm/json.h"
#include "channels/alert_text.h"
#include "channels/display_time.h"
#include "channels/html_escape.h"
#include "channels/json_body.h"
#include "channels/utf16_length.h"

namespace rr {
namespace {

// One self-contained line of HTML and the UTF-16 units Telegram will count for it.
struct Line {
  std::string html;
  size_t units = 0;
};

Line BoldLine(std::string_view text) {
  std::string shown = TruncateUtf16(text, kTelegramMaxLineUnits);
  Line line;
  line.units = Utf16Length(shown);
  line.html = "<b>";
  AppendHtmlEscaped(shown, &line.html);
  line.html += "</b>";
  return line;
}

// "<b>label</b>: value"; the value is cut (before escaping) so the line fits any message.
Line RowLine(const DetailRow& row) {
  const size_t label_units = Utf16Length(row.label) + 2;  // ": "
  const size_t room = label_units < kTelegramMaxLineUnits ? kTelegramMaxLineUnits - label_units : 0;
  std::string value = TruncateUtf16(row.value, room);
  Line line;
  line.units = label_units + Utf16Length(value);
  line.html = "<b>";
  AppendHtmlEscaped(row.label, &line.html);
  line.html += "</b>: ";
  AppendHtmlEscaped(value, &line.html);
  return line;
}

// Plain text on one line, cut (before escaping) so the line fits any message.
Line TextLine(std::string_view text) {
  std::string shown = TruncateUtf16(text, kTelegramMaxLineUnits);
  Line line;
  line.units = Utf16Length(shown);
  AppendHtmlEscaped(shown, &line.html);
  return line;
}

Line LinkLine(std::string_view label, std::string_view url) {
  Line line;
  line.units = Utf16Length(label);  // the href is markup, not text
  line.html = "<a href=\"";
  AppendHtmlEscaped(url, &line.html);
  line.html += "\">";
  AppendHtmlEscaped(label, &line.html);
  line.html += "</a>";
  return line;
}

std::vector<Line> BuildLines(const Alert& alert, const RenderContext& ctx,
                             const PageExtras& extras) {
  std::vector<Line> lines;
  lines.push_back(BoldLine(AlertHeadline(alert)));
  if (std::string why = PageHeadline(extras); !why.empty()) lines.push_back(BoldLine(why));
  if (extras.incident_id != 0 && !PageHeadlineNamesIncident(extras)) {
    lines.push_back(
        RowLine(DetailRow{std::string(kIncidentLabel), "#" + std::to_string(extras.incident_id)}));
  }
  for (const DetailRow& row : AlertDetailRows(alert, ctx.time_zone)) {
    lines.push_back(RowLine(row));
  }
  if (alert.console_url) lines.push_back(LinkLine(ConsoleLinkLabel(alert), *alert.console_url));
  if (!extras.related.empty()) {
    lines.push_back(BoldLine(kRelatedLabel));
    for (const std::string& r : RelatedAlertLines(extras.related, alert, ctx.time_zone)) {
      lines.push_back(TextLine("\u2022 " + r));  // bullet
    }
  }
  // Last, so it lands in the last message, next to the button.
  if (extras.ack_url && IsLinkUrl(*extras.ack_url)) {
    lines.push_back(LinkLine(kAckLinkLabel, *extras.ack_url));
  }
  return lines;
}

// Greedy packing of whole lines; the first message has the headline, the others keep room
// for a header so the reader knows the message continues.
std::vector<std::string> PackLines(const std::vector<Line>& lines, const Alert& alert) {
  std::vector<std::string> texts;
  std::string current;
  size_t units = 0;
  for (const Line& line : lines) {
    const size_t limit = texts.empty() ? kTelegramMaxTextUnits
                                       : kTelegramMaxTextUnits - kTelegramContinuationReserve;
    const size_t needed = units + (current.empty() ? 0 : 1) + line.units;
    if (!current.empty() && needed > limit) {
      texts.push_back(std::move(current));
      current.clear();
      units = 0;
    }
    if (!current.empty()) {
      current += '\n';
      ++units;
    }
    current += line.html;
    units += line.units;
  }
  if (!current.empty()) texts.push_back(std::move(current));

  if (texts.size() > 1) {
    const std::string total = std::to_string(texts.size());
    for (size_t i = 1; i < texts.size(); ++i) {
      std::string header = "<b>";
      AppendHtmlEscaped(DrillPrefix(alert), &header);
      header += "(계속 " + std::to_string(i + 1) + "/" + total + ")</b>\n";
      texts[i].insert(0, header);
    }
  }
  return texts;
}

bool UsableCallbackData(const std::optional<std::string>& data) {
  return data && !data->empty() && data->size() <= kTelegramMaxCallbackDataBytes;
}

}  // namespace

std::optional<int64_t> NumericChatId(std::string_view chat_id) {
  if (chat_id.empty()) return std::nullopt;
  int64_t value = 0;
  const char* end = chat_id.data() + chat_id.size();
  auto [ptr, ec] = std::from_chars(chat_id.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::vector<std::string> TelegramTexts(const Alert& alert, const RenderContext& ctx) {
  return TelegramPageTexts(alert, ctx, PageExtras{});
}

std::vector<std::string> TelegramPageTexts(const Alert& alert, const RenderContext& ctx,
                                           const PageExtras& extras) {
  return PackLines(BuildLines(alert, ctx, extras), alert);
}

std::string TelegramNoticeText(const Notice& notice, const RenderContext& ctx) {
  std::string text = BoldLine(NoticeHeadline(notice, ctx.time_zone, ShownName(notice.by))).html;
  if (std::optional<std::string> reason = ShortNoticeReason(notice)) {
    text += '\n';
    text += RowLine(DetailRow{"원인", *reason}).html;
  }
  return text;
}

TelegramChannel::TelegramChannel(TelegramConfig config)
    : config_(std::move(config)), numeric_chat_id_(NumericChatId(config_.chat_id)) {
  std::string_view base = config_.api_base;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  url_ = std::string(base) + "/bot" + config_.bot_token + "/sendMessage";
}

HttpRequest TelegramChannel::SendMessage(const std::string& text,
                                         const std::optional<std::string>& ack_data, bool silent,
                                         const std::vector<std::string>& extra_secrets) const {
  JsonBody w;
  w.StartObject();
  w.Key("chat_id");
  if (numeric_chat_id_) {
    w.Int64(*numeric_chat_id_);
  } else {
    w.String(config_.chat_id);
  }
  if (config_.message_thread_id) {
    w.Key("message_thread_id");
    w.Int64(*config_.message_thread_id);
  }
  w.Field("text", text);
  w.Field("parse_mode", "HTML");
  w.Key("link_preview_options");
  w.StartObject();
  w.Key("is_disabled");
  w.Bool(true);
  w.EndObject();
  if (silent) {
    w.Key("disable_notification");
    w.Bool(true);
  }
  if (ack_data) {
    w.Key("reply_markup");
    w.StartObject();
    w.Key("inline_keyboard");
    w.StartArray();
    w.StartArray();
    w.StartObject();
    w.Field("text", kAckButtonLabel);
    w.Field("callback_data", *ack_data);
    w.EndObject();
    w.EndArray();
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();

  HttpRequest req;
  req.method = "POST";
  req.url = url_;
  req.headers = {{"Content-Type", "application/json"}};
  req.body = w.Take();
  if (!config_.bot_token.empty()) req.secrets.push_back(config_.bot_token);
  req.secrets.insert(req.secrets.end(), extra_secrets.begin(), extra_secrets.end());
  return req;
}

std::vector<HttpRequest> TelegramChannel::Render(const Alert& alert,
                                                 const RenderContext& ctx) const {
  std::vector<HttpRequest> requests;
  for (const std::string& text : TelegramTexts(alert, ctx)) {
    requests.push_back(SendMessage(text, std::nullopt, /*silent=*/false, {}));
  }
  return requests;
}

std::vector<HttpRequest> TelegramChannel::RenderPage(const Alert& alert, const RenderContext& ctx,
                                                     const PageExtras& extras) const {
  // The href is HTML-escaped in the body, so both spellings are redacted.
  std::vector<std::string> ack_secrets;
  if (extras.ack_url && IsLinkUrl(*extras.ack_url)) {
    ack_secrets.push_back(*extras.ack_url);
    if (std::string escaped = HtmlEscape(*extras.ack_url); escaped != *extras.ack_url) {
      ack_secrets.push_back(std::move(escaped));
    }
  }
  const std::vector<std::string> texts = TelegramPageTexts(alert, ctx, extras);
  const bool button = UsableCallbackData(extras.ack_callback_data);
  std::vector<HttpRequest> requests;
  for (size_t i = 0; i < texts.size(); ++i) {
    const bool last = i + 1 == texts.size();
    requests.push_back(SendMessage(texts[i],
                                   last && button ? extras.ack_callback_data : std::nullopt,
                                   /*silent=*/false, ack_secrets));
  }
  return requests;
}

std::vector<HttpRequest> TelegramChannel::RenderNotice(const Notice& notice,
                                                       const RenderContext& ctx) const {
  return OneRequest(
      SendMessage(TelegramNoticeText(notice, ctx), std::nullopt, /*silent=*/true, {}));
}

namespace {

// The request again, with `edit` applied to its JSON body.
template <typename Edit>
HttpRequest WithBody(const HttpRequest& sent, Edit edit) {
  HttpRequest again = sent;
  JsonDocument doc;
  doc.Parse(sent.body.data(), sent.body.size());
  if (doc.HasParseError() || !doc.IsObject()) return again;
  edit(doc);
  again.body = ToJsonText(doc);
  return again;
}

}  // namespace

// Telegram says ok:true on success and otherwise sets the HTTP status to error_code, with
// parameters.retry_after (flood control) or parameters.migrate_to_chat_id (a group that
// became a supergroup).
Classification TelegramChannel::ClassifyAnswer(const HttpRequest& sent,
                                               const HttpResponse& response,
                                               std::chrono::system_clock::time_point now) const {
  JsonDocument doc;
  const bool parsed = response.transport_ok() && ParseAnswerBody(response.body, &doc);
  if (parsed && doc.HasMember("ok") && doc["ok"].IsTrue() && response.status / 100 == 2) {
    return Classification::Success();
  }
  std::optional<Classification> status = ClassifyTransportAndStatus(response, now);
  Classification c;
  if (status) {
    c = *status;
  } else {  // a 2xx without ok:true is not a success
    c.kind = Classification::Kind::kPermanent;
    c.reason = "client_error";
    c.detail = "HTTP " + std::to_string(response.status) + " without ok:true";
  }
  if (!parsed) return c;
  std::string description;
  if (doc.HasMember("description") && doc["description"].IsString()) {
    description = std::string(AsView(doc["description"]));
    c.detail = description;
  }
  if (doc.HasMember("parameters") && doc["parameters"].IsObject()) {
    const JsonValue& params = doc["parameters"];
    if (params.HasMember("retry_after") && params["retry_after"].IsInt64()) {
      // Saturate like ParseRetryAfter: a hostile or broken value must neither wrap nor go
      // negative (a day is already far past any deadline).
      const int64_t seconds = std::clamp<int64_t>(params["retry_after"].GetInt64(), 0, 86400);
      auto hint = std::chrono::milliseconds(seconds * 1000);
      if (!c.retry_after || *c.retry_after < hint) c.retry_after = hint;
    }
    if (response.status == 400 && params.HasMember("migrate_to_chat_id") &&
        params["migrate_to_chat_id"].IsInt64()) {
      const int64_t new_id = params["migrate_to_chat_id"].GetInt64();
      c.resend = WithBody(sent, [&](JsonDocument& body) {
        if (body.HasMember("chat_id")) body["chat_id"].SetInt64(new_id);
      });
      c.config_hint = "telegram chat " + config_.chat_id + " became a supergroup; set chat_id of " +
                      config_.name + " to " + std::to_string(new_id);
    }
  }
  if (response.status == 400 && description.find("can't parse entities") != std::string::npos) {
    c.resend = WithBody(sent, [](JsonDocument& body) {
      body.RemoveMember("parse_mode");
      if (body.HasMember("text") && body["text"].IsString()) {
        std::string plain = StripHtml(AsView(body["text"]));
        body["text"].SetString(plain.data(), static_cast<rapidjson::SizeType>(plain.size()),
                               body.GetAllocator());
      }
    });
  }
  return c;
}

}  // namespace rr
