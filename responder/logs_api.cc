#include "responder/logs_api.h"

#include <algorithm>

#include "alarm/json.h"
#include "channels/redact.h"
#include "responder/aws_json_call.h"

namespace rr {
namespace {

constexpr char kTarget[] = "Logs_20140328.FilterLogEvents";
constexpr int kMaxPages = 100;
constexpr size_t kMaxPageEvents = 10000;  // the API's own limit

std::string StringMember(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(AsView(it->value));
}

}  // namespace

Result<std::vector<std::string>> FilterLogEvents(
    HttpClient& client, AwsCredentialsProvider& credentials, const AwsEndpoint& logs,
    const std::string& log_group, const std::string& filter_pattern,
    std::chrono::system_clock::time_point start, size_t max_events) {
  if (log_group.empty() || log_group.size() > 512) {
    return Status::InvalidArgument("FilterLogEvents: log group name must be 1-512 characters");
  }
  if (filter_pattern.size() > 1024) {
    return Status::InvalidArgument("FilterLogEvents: filter pattern is over 1024 characters");
  }
  std::vector<std::string> messages;
  if (max_events == 0) return messages;
  Result<AwsCredentials> current = credentials.Get();
  if (!current.ok()) return current.status();
  const int64_t start_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
  std::string token;
  for (int page = 0; page < kMaxPages && messages.size() < max_events; ++page) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    WriteString(w, "logGroupName", log_group);
    if (!filter_pattern.empty()) WriteString(w, "filterPattern", filter_pattern);
    w.Key("startTime");
    w.Int64(std::max<int64_t>(start_ms, 0));
    w.Key("limit");
    w.Uint64(std::min(max_events - messages.size(), kMaxPageEvents));
    if (!token.empty()) WriteString(w, "nextToken", token);
    w.EndObject();
    AwsJsonReply reply = AwsJsonCall(client, *current, logs, kTarget,
                                     std::string_view(buffer.GetString(), buffer.GetSize()));
    if (!reply.ok()) {
      // The far end's message is quoted: keep any credential out of it.
      std::string message =
          RedactKnown(reply.status.message(), {current->secret_access_key, current->session_token});
      if (reply.IsError("ResourceNotFoundException")) {
        return Status::NotFound("log group \"" + log_group + "\" does not exist: " + message);
      }
      switch (reply.status.code()) {
        case Status::Code::kUnavailable:
          return Status::Unavailable(std::move(message));
        case Status::Code::kDeadlineExceeded:
          return Status::DeadlineExceeded(std::move(message));
        case Status::Code::kNotFound:
          return Status::NotFound(std::move(message));
        case Status::Code::kInvalidArgument:
          return Status::InvalidArgument(std::move(message));
        default:
          return Status::Internal(std::move(message));
      }
    }
    auto events = reply.answer.FindMember("events");
    if (events != reply.answer.MemberEnd() && !events->value.IsNull()) {
      if (!events->value.IsArray()) {
        return Status::Internal("FilterLogEvents at " + logs.url + ": events is not a list");
      }
      for (const JsonValue& event : events->value.GetArray()) {
        if (messages.size() >= max_events) break;
        if (event.IsObject()) messages.push_back(StringMember(event, "message"));
      }
    }
    const std::string next = StringMember(reply.answer, "nextToken");
    if (next.empty() || next == token) break;
    token = next;
  }
  return messages;
}

}  // namespace rr
