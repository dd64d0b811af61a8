#include "channels/telegram_updates.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "alarm/json.h"
#include "channels/classification.h"
#include "channels/redact.h"
#include "channels/utf16_length.h"

namespace rr {
namespace {

constexpr size_t kMaxDisplayUnits = 64;

std::string MethodUrl(const TelegramConfig& config, std::string_view method) {
  std::string_view base = config.api_base;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + "/bot" + config.bot_token + "/" + std::string(method);
}

HttpRequest JsonPost(const TelegramConfig& config, std::string_view method,
                     const rapidjson::StringBuffer& body) {
  HttpRequest req;
  req.method = "POST";
  req.url = MethodUrl(config, method);
  req.headers = {{"Content-Type", "application/json"}};
  req.body.assign(body.GetString(), body.GetSize());
  if (!config.bot_token.empty()) req.secrets.push_back(config.bot_token);
  return req;
}

// The method is the URL's last path segment; everything before it (the token) stays unsaid.
std::string_view MethodOf(std::string_view url) {
  const size_t slash = url.rfind('/');
  return slash == std::string_view::npos ? std::string_view("call") : url.substr(slash + 1);
}

const JsonValue* Member(const JsonValue& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<int64_t> Int64Member(const JsonValue& object, const char* name) {
  const JsonValue* v = Member(object, name);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::string_view StringMember(const JsonValue& object, const char* name) {
  const JsonValue* v = Member(object, name);
  return v != nullptr && v->IsString() ? AsView(*v) : std::string_view();
}

// Code points that would break a log line or turn a label around: C0 and C1 controls, line
// and paragraph separators, bidirectional marks, embeddings, overrides and isolates.
bool Unwanted(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F || c == 0x2028 ||
         c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// A user-chosen name made safe to show: ill-formed UTF-8 and unwanted code points dropped,
// outer spaces trimmed, cut to kMaxDisplayUnits.
std::string CleanName(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const size_t n = Utf8SequenceLength(text);
    if (n == 0) {
      text.remove_prefix(1);
      continue;
    }
    if (!Unwanted(DecodeUtf8(text, n))) out.append(text.substr(0, n));
    text.remove_prefix(n);
  }
  const size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  out = out.substr(first, out.find_last_not_of(' ') - first + 1);
  return TruncateUtf16(out, kMaxDisplayUnits);
}

std::string DisplayName(const JsonValue& from, int64_t user_id) {
  std::string name = CleanName(StringMember(from, "username"));
  if (!name.empty()) return "@" + name;
  name = CleanName(StringMember(from, "first_name"));
  std::string last = CleanName(StringMember(from, "last_name"));
  if (!last.empty()) name = name.empty() ? last : name + " " + last;
  if (!name.empty()) return TruncateUtf16(name, kMaxDisplayUnits);
  return "user " + std::to_string(user_id);
}

// Why an answer with this failure happened, when the status alone does not say it plainly.
std::string_view Cause(TelegramFailure failure) {
  switch (failure) {
    case TelegramFailure::kConflict:
      return "another getUpdates poller or a webhook is set for this bot";
    case TelegramFailure::kUnauthorized:
      return "the bot token is wrong or revoked";
    default:
      return "";
  }
}

TelegramFailure FailureForStatus(long status) {
  if (status == 409) return TelegramFailure::kConflict;
  if (status == 401) return TelegramFailure::kUnauthorized;
  if (status == 429) return TelegramFailure::kRateLimited;
  if (status == 408 || status == 425 || (status >= 500 && status < 600)) {
    return TelegramFailure::kServerError;
  }
  if (status >= 200 && status < 300) return TelegramFailure::kBadAnswer;
  return TelegramFailure::kRejected;
}

Status StatusFor(TelegramFailure failure, std::string message) {
  switch (failure) {
    case TelegramFailure::kUnauthorized:
    case TelegramFailure::kRejected:
      return Status::InvalidArgument(std::move(message));
    case TelegramFailure::kBadAnswer:
      return Status::Internal(std::move(message));
    default:
      return Status::Unavailable(std::move(message));
  }
}

// ReadTelegramReply, also handing back the parsed body for a caller that reads the result.
TelegramReply Read(const HttpRequest& sent, const HttpResponse& response, JsonDocument* doc) {
  TelegramReply reply;
  reply.http_status = response.status;
  const std::string prefix = "telegram " + std::string(MethodOf(sent.url)) + ": ";
  if (!response.transport_ok()) {
    reply.failure = TelegramFailure::kNetwork;
    reply.status = Status::Unavailable(
        RedactKnown(prefix + "no answer: " + response.error, sent.secrets, sent.phone_numbers));
    return reply;
  }
  const bool parsed = ParseAnswerBody(response.body, doc);
  const bool success = response.status / 100 == 2;
  if (parsed && success && Member(*doc, "ok") != nullptr && (*doc)["ok"].IsTrue()) return reply;

  reply.failure = FailureForStatus(response.status);
  std::string message = prefix + "HTTP " + std::to_string(response.status) + ": ";
  if (!parsed) {
    message += "answer is not a JSON object";
  } else if (std::string_view description = StringMember(*doc, "description");
             !description.empty()) {
    message += description;
  } else {
    message += success ? "answer without ok:true" : "no description";
  }
  if (parsed && reply.failure == TelegramFailure::kRateLimited) {
    if (const JsonValue* params = Member(*doc, "parameters")) {
      if (std::optional<int64_t> seconds = Int64Member(*params, "retry_after")) {
        // Saturated like the channel's: a broken value must neither wrap nor go negative.
        reply.retry_after = std::chrono::seconds(std::clamp<int64_t>(*seconds, 0, 86400));
      }
    }
  }
  if (std::string_view cause = Cause(reply.failure); !cause.empty()) {
    message += " (" + std::string(cause) + ")";
  }
  reply.status = StatusFor(reply.failure, RedactKnown(message, sent.secrets, sent.phone_numbers));
  return reply;
}

std::optional<TelegramCallbackPress> ReadPress(int64_t update_id, const JsonValue& query) {
  std::string_view id = StringMember(query, "id");
  if (id.empty()) return std::nullopt;  // cannot be answered, so nothing can be done with it
  TelegramCallbackPress press;
  press.update_id = update_id;
  press.callback_query_id = std::string(id);
  if (const JsonValue* from = Member(query, "from")) {
    press.from_user_id = Int64Member(*from, "id").value_or(0);
    press.from_display = DisplayName(*from, press.from_user_id);
  } else {
    press.from_display = "user 0";
  }
  if (const JsonValue* data = Member(query, "data"); data != nullptr && data->IsString()) {
    press.data = std::string(AsView(*data));
  }
  if (const JsonValue* message = Member(query, "message")) {
    press.message_id = Int64Member(*message, "message_id");
    if (const JsonValue* chat = Member(*message, "chat")) press.chat_id = Int64Member(*chat, "id");
    press.message_inaccessible = Int64Member(*message, "date") == 0;
    if (!press.chat_id || !press.message_id) {
      press.chat_id.reset();
      press.message_id.reset();
    }
  }
  return press;
}

}  // namespace

std::string_view TelegramFailureName(TelegramFailure failure) {
  switch (failure) {
    case TelegramFailure::kNone:
      return "none";
    case TelegramFailure::kNetwork:
      return "network";
    case TelegramFailure::kConflict:
      return "conflict";
    case TelegramFailure::kUnauthorized:
      return "unauthorized";
    case TelegramFailure::kRateLimited:
      return "rate_limited";
    case TelegramFailure::kServerError:
      return "server_error";
    case TelegramFailure::kBadAnswer:
      return "bad_answer";
    case TelegramFailure::kRejected:
      return "rejected";
  }
  return "unknown";
}

HttpRequest TelegramGetUpdatesRequest(const TelegramConfig& config, int64_t offset,
                                      std::chrono::seconds poll_timeout) {
  const std::chrono::seconds poll = std::max(poll_timeout, std::chrono::seconds::zero());
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("offset");
  w.Int64(offset);
  w.Key("timeout");
  w.Int64(poll.count());
  w.Key("allowed_updates");
  w.StartArray();
  w.String("callback_query");
  w.EndArray();
  w.EndObject();
  HttpRequest req = JsonPost(config, "getUpdates", buffer);
  req.timeout = poll + kTelegramPollGrace;
  return req;
}

HttpRequest TelegramAnswerCallbackRequest(const TelegramConfig& config,
                                          std::string_view callback_query_id,
                                          std::string_view text) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "callback_query_id", callback_query_id);
  if (!text.empty()) WriteString(w, "text", TruncateUtf16(text, kTelegramMaxAnswerUnits));
  w.EndObject();
  return JsonPost(config, "answerCallbackQuery", buffer);
}

HttpRequest TelegramEditButtonRequest(const TelegramConfig& config, int64_t chat_id,
                                      int64_t message_id, std::string_view label) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("chat_id");
  w.Int64(chat_id);
  w.Key("message_id");
  w.Int64(message_id);
  w.Key("reply_markup");
  w.StartObject();
  w.Key("inline_keyboard");
  w.StartArray();
  w.StartArray();
  w.StartObject();
  WriteString(w, "text", label);
  WriteString(w, "callback_data", kTelegramNoopData);
  w.EndObject();
  w.EndArray();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  return JsonPost(config, "editMessageReplyMarkup", buffer);
}

TelegramReply ReadTelegramReply(const HttpRequest& sent, const HttpResponse& response) {
  JsonDocument doc;
  return Read(sent, response, &doc);
}

TelegramUpdates ParseTelegramUpdates(const HttpRequest& sent, const HttpResponse& response) {
  TelegramUpdates out;
  JsonDocument doc;
  out.reply = Read(sent, response, &doc);
  if (!out.reply.ok()) return out;
  const JsonValue* result = Member(doc, "result");
  if (result == nullptr || !result->IsArray()) {
    out.reply.failure = TelegramFailure::kBadAnswer;
    out.reply.status =
        Status::Internal("telegram getUpdates: HTTP " + std::to_string(response.status) +
                         ": ok:true without an array of updates");
    return out;
  }
  for (const JsonValue& update : result->GetArray()) {
    std::optional<int64_t> update_id = Int64Member(update, "update_id");
    // Without a usable id it cannot be confirmed either; the ones after it confirm it. (A
    // negative offset would mean "from the end", so a negative id must not become one.)
    if (!update_id || *update_id < 0 || *update_id == INT64_MAX) {
      ++out.skipped;
      continue;
    }
    if (!out.next_offset || *update_id + 1 > *out.next_offset) out.next_offset = *update_id + 1;
    const JsonValue* query = Member(update, "callback_query");
    std::optional<TelegramCallbackPress> press =
        query != nullptr ? ReadPress(*update_id, *query) : std::nullopt;
    if (!press) {
      ++out.skipped;
      continue;
    }
    out.presses.push_back(std::move(*press));
  }
  return out;
}

}  // namespace rr
