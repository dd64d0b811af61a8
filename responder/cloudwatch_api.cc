#include "responder/cloudwatch_api.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "alarm/aws_time.h"
#include "alarm/json.h"
#include "channels/redact.h"
#include "responder/aws_json_call.h"

namespace rr {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kTargetPrefix = "GraniteServiceVersion20100801.";
constexpr size_t kMaxNameBytes = 255;
constexpr size_t kMaxReasonBytes = 1023;
constexpr size_t kMaxReasonDataBytes = 4000;
constexpr size_t kMaxPageRecords = 100;
// A history walk that needs more pages than this is going in circles.
constexpr int kMaxHistoryPages = 200;

std::string StringMember(const JsonValue& object, const char* key) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(AsView(it->value));
}

bool BoolMember(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

std::vector<std::string> StringsMember(const JsonValue& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsArray()) return out;
  for (const JsonValue& v : it->value.GetArray()) {
    if (v.IsString()) out.emplace_back(AsView(v));
  }
  return out;
}

// CloudWatch's JSON protocol sends epoch seconds (moto: floats with milliseconds); an ISO 8601
// string is accepted too, in case an endpoint answers the Query protocol's way.
std::optional<system_clock::time_point> TimestampMember(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return std::nullopt;
  if (it->value.IsNumber()) {
    const double seconds = it->value.GetDouble();
    // Up to the year 5138: beyond that the value is not a timestamp.
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e11) return std::nullopt;
    return system_clock::time_point(
        std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000))));
  }
  if (it->value.IsString()) {
    std::optional<int64_t> seconds = ParseAwsTimestamp(AsView(it->value));
    if (!seconds) return std::nullopt;
    return system_clock::time_point(std::chrono::seconds(*seconds));
  }
  return std::nullopt;
}

std::string JsonText(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

void Key(JsonWriter& w, std::string_view key) { w.Key(key.data(), key.size()); }
void Str(JsonWriter& w, std::string_view value) { w.String(value.data(), value.size()); }

void AlarmTypes(JsonWriter& w) {
  // Without AlarmTypes only metric alarms are described; the drill may point at a composite.
  Key(w, "AlarmTypes");
  w.StartArray();
  Str(w, "MetricAlarm");
  Str(w, "CompositeAlarm");
  w.EndArray();
}

Status CheckAlarmName(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("alarm name is empty");
  if (name.size() > kMaxNameBytes) {
    return Status::InvalidArgument("alarm name is " + std::to_string(name.size()) +
                                   " bytes; CloudWatch allows at most 255");
  }
  return Status::Ok();
}

AlarmInfo ReadAlarm(const JsonValue& alarm, bool composite) {
  AlarmInfo info;
  info.name = StringMember(alarm, "AlarmName");
  info.arn = StringMember(alarm, "AlarmArn");
  info.state_value = StringMember(alarm, "StateValue");
  info.state_reason = StringMember(alarm, "StateReason");
  info.composite = composite;
  info.actions_enabled = BoolMember(alarm, "ActionsEnabled");
  info.alarm_actions = StringsMember(alarm, "AlarmActions");
  info.ok_actions = StringsMember(alarm, "OKActions");
  info.insufficient_data_actions = StringsMember(alarm, "InsufficientDataActions");
  if (!composite) {
    info.namespace_ = StringMember(alarm, "Namespace");
    info.metric_name = StringMember(alarm, "MetricName");
  }
  info.state_updated = TimestampMember(alarm, "StateUpdatedTimestamp");
  return info;
}

// An endpoint that has no DescribeAlarmHistory at all: an unknown-operation error, HTTP 501,
// or an HTTP 500 that is not an AWS error (moto 5.2.1 answers an HTML page). AWS's own 5xx
// carry an error code, so they stay ordinary (retryable) failures.
bool OperationMissing(const AwsJsonReply& reply) {
  static constexpr std::array<std::string_view, 7> kCodes = {
      "NotImplemented", "NotImplementedError",  "UnknownOperationException",    "UnknownOperation",
      "InvalidAction",  "UnsupportedOperation", "UnsupportedOperationException"};
  for (std::string_view code : kCodes) {
    if (reply.IsError(code)) return true;
  }
  if (reply.http_status == 501) return true;
  return reply.http_status == 500 && reply.error_code.empty() && reply.query_error_code.empty();
}

// `status` with any credential in its message replaced, the code kept. AWS never quotes a
// secret back, but an error message is text from the far end: better safe.
Status Redacted(const Status& status, const AwsCredentials& credentials) {
  std::string message =
      RedactKnown(status.message(), {credentials.secret_access_key, credentials.session_token});
  switch (status.code()) {
    case Status::Code::kOk:
      return status;
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(std::move(message));
    case Status::Code::kNotFound:
      return Status::NotFound(std::move(message));
    case Status::Code::kUnavailable:
      return Status::Unavailable(std::move(message));
    case Status::Code::kDeadlineExceeded:
      return Status::DeadlineExceeded(std::move(message));
    case Status::Code::kInternal:
      return Status::Internal(std::move(message));
  }
  return Status::Internal(std::move(message));
}

AwsJsonReply Call(HttpClient& client, AwsCredentialsProvider& provider, const AwsEndpoint& endpoint,
                  std::string_view operation, std::string_view body) {
  Result<AwsCredentials> credentials = provider.Get();
  if (!credentials.ok()) {
    AwsJsonReply reply;
    reply.status = credentials.status();
    return reply;
  }
  AwsJsonCallOptions options;
  // The JSON protocol of an awsQueryCompatible service: errors keep their Query codes.
  options.extra_headers = {{"x-amzn-query-mode", "true"}};
  AwsJsonReply reply =
      AwsJsonCall(client, *credentials, endpoint,
                  std::string(kTargetPrefix) + std::string(operation), body, options);
  reply.status = Redacted(reply.status, *credentials);
  return reply;
}

}  // namespace

CloudWatchApi::CloudWatchApi(HttpClient& client, AwsCredentialsProvider& credentials,
                             AwsEndpoint endpoint)
    : client_(client), credentials_(credentials), endpoint_(std::move(endpoint)) {}

Result<std::optional<AlarmInfo>> CloudWatchApi::DescribeAlarm(const std::string& name) {
  if (Status s = CheckAlarmName(name); !s.ok()) {
    return Status::InvalidArgument("DescribeAlarms: " + s.message());
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  Key(w, "AlarmNames");
  w.StartArray();
  Str(w, name);
  w.EndArray();
  AlarmTypes(w);
  w.EndObject();
  AwsJsonReply reply = Call(client_, credentials_, endpoint_, "DescribeAlarms", JsonText(buffer));
  if (!reply.ok()) return reply.status;

  for (const auto& [key, composite] :
       {std::pair{"MetricAlarms", false}, {"CompositeAlarms", true}}) {
    auto list = reply.answer.FindMember(key);
    if (list == reply.answer.MemberEnd() || list->value.IsNull()) continue;
    if (!list->value.IsArray()) {
      return Status::Internal("DescribeAlarms at " + endpoint_.url + ": " + key + " is a " +
                              std::string(JsonTypeName(list->value)) + ", not a list");
    }
    for (const JsonValue& alarm : list->value.GetArray()) {
      // AlarmNames is an exact match on AWS; checked again so a lax endpoint cannot confuse us.
      if (alarm.IsObject() && StringMember(alarm, "AlarmName") == name) {
        return std::optional<AlarmInfo>(ReadAlarm(alarm, composite));
      }
    }
  }
  return std::optional<AlarmInfo>();
}

Status CloudWatchApi::SetAlarmState(const std::string& name, const std::string& state,
                                    const std::string& reason, const std::string& reason_data) {
  const std::string what = "SetAlarmState " + name + " " + state;
  if (Status s = CheckAlarmName(name); !s.ok()) {
    return Status::InvalidArgument("SetAlarmState: " + s.message());
  }
  if (state != "OK" && state != "ALARM" && state != "INSUFFICIENT_DATA") {
    return Status::InvalidArgument("SetAlarmState: state \"" + state +
                                   "\" is not OK, ALARM or INSUFFICIENT_DATA");
  }
  if (reason.size() > kMaxReasonBytes) {
    return Status::InvalidArgument(what + ": reason is " + std::to_string(reason.size()) +
                                   " bytes; CloudWatch allows at most 1023");
  }
  if (!reason_data.empty()) {
    if (reason_data.size() > kMaxReasonDataBytes) {
      return Status::InvalidArgument(what + ": reason data is " +
                                     std::to_string(reason_data.size()) +
                                     " bytes; CloudWatch allows at most 4000");
    }
    JsonDocument doc;
    if (Status s = ParseJson(reason_data, JsonLimits{}, "reason data", &doc); !s.ok()) {
      return Status::InvalidArgument(what + ": " + s.message());
    }
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "AlarmName", name);
  WriteString(w, "StateValue", state);
  WriteString(w, "StateReason", reason);
  if (!reason_data.empty()) WriteString(w, "StateReasonData", reason_data);
  w.EndObject();
  AwsJsonReply reply = Call(client_, credentials_, endpoint_, "SetAlarmState", JsonText(buffer));
  if (reply.ok()) return Status::Ok();
  if (reply.IsError("ResourceNotFound") || reply.status.code() == Status::Code::kNotFound) {
    return Status::NotFound("alarm \"" + name + "\" does not exist: " + reply.status.message());
  }
  return reply.status;
}

Result<std::vector<AlarmHistoryItem>> CloudWatchApi::DescribeAlarmHistory(
    const std::string& name, system_clock::time_point start, size_t max_items) {
  if (Status s = CheckAlarmName(name); !s.ok()) {
    return Status::InvalidArgument("DescribeAlarmHistory: " + s.message());
  }
  std::vector<AlarmHistoryItem> items;
  std::string token;
  std::vector<std::string> seen_tokens;
  const double start_seconds = std::chrono::duration<double>(start.time_since_epoch()).count();
  for (int page = 0; page < kMaxHistoryPages && items.size() < max_items; ++page) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    WriteString(w, "AlarmName", name);
    AlarmTypes(w);
    Key(w, "StartDate");
    w.Double(std::floor(start_seconds * 1000) / 1000);
    WriteString(w, "ScanBy", "TimestampDescending");
    Key(w, "MaxRecords");
    w.Uint64(std::clamp<size_t>(max_items - items.size(), 1, kMaxPageRecords));
    if (!token.empty()) WriteString(w, "NextToken", token);
    w.EndObject();

    AwsJsonReply reply =
        Call(client_, credentials_, endpoint_, "DescribeAlarmHistory", JsonText(buffer));
    if (!reply.ok()) {
      if (OperationMissing(reply)) {
        return Status::Unavailable(std::string(kHistoryNotSupported) + ": " +
                                   reply.status.message());
      }
      return reply.status;
    }
    auto list = reply.answer.FindMember("AlarmHistoryItems");
    if (list != reply.answer.MemberEnd() && !list->value.IsNull()) {
      if (!list->value.IsArray()) {
        return Status::Internal("DescribeAlarmHistory at " + endpoint_.url +
                                ": AlarmHistoryItems is not a list");
      }
      for (const JsonValue& v : list->value.GetArray()) {
        if (items.size() >= max_items) break;
        if (!v.IsObject()) continue;
        AlarmHistoryItem item;
        std::optional<system_clock::time_point> when = TimestampMember(v, "Timestamp");
        if (!when) {
          return Status::Internal("DescribeAlarmHistory at " + endpoint_.url +
                                  ": a history item has no readable Timestamp");
        }
        item.timestamp = *when;
        item.type = StringMember(v, "HistoryItemType");
        item.summary = StringMember(v, "HistorySummary");
        item.data = StringMember(v, "HistoryData");
        items.push_back(std::move(item));
      }
    }
    token = StringMember(reply.answer, "NextToken");
    if (token.empty()) break;
    if (std::find(seen_tokens.begin(), seen_tokens.end(), token) != seen_tokens.end()) {
      return Status::Internal("DescribeAlarmHistory at " + endpoint_.url +
                              ": the endpoint sent the same NextToken twice");
    }
    seen_tokens.push_back(token);
  }
  // Newest first even from an endpoint that ignores ScanBy.
  std::stable_sort(items.begin(), items.end(),
                   [](const AlarmHistoryItem& a, const AlarmHistoryItem& b) {
                     return a.timestamp > b.timestamp;
                   });
  return items;
}

bool IsHistoryNotSupported(const Status& status) {
  return status.code() == Status::Code::kUnavailable &&
         std::string_view(status.message()).starts_with(kHistoryNotSupported);
}

std::optional<ActionResult> ParseActionHistory(const AlarmHistoryItem& item) {
  if (item.type != "Action") return std::nullopt;
  ActionResult result;
  bool known = false;

  JsonDocument doc;
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;  // HistoryData is at most 4095 characters
  if (ParseJson(item.data, limits, "HistoryData", &doc).ok() && doc.IsObject()) {
    const std::string state = StringMember(doc, "actionState");
    if (!state.empty()) {
      known = true;
      result.succeeded = state == "Succeeded";
    }
    result.resource = StringMember(doc, "notificationResource");
    result.error = StringMember(doc, "error");
  }

  // The summary: "Successfully executed action ARN" or
  // "Failed to execute action ARN. Received error: "..."" (also seen with ':' after the ARN).
  std::string_view summary = item.summary;
  constexpr std::string_view kOk = "Successfully executed action ";
  constexpr std::string_view kFailed = "Failed to execute action ";
  std::string_view rest;
  if (summary.starts_with(kOk)) {
    rest = summary.substr(kOk.size());
    if (!known) result.succeeded = true;
    known = true;
  } else if (summary.starts_with(kFailed)) {
    rest = summary.substr(kFailed.size());
    if (!known) result.succeeded = false;
    known = true;
  }
  if (!known) return std::nullopt;
  if (result.resource.empty() && !rest.empty()) {
    std::string_view arn = rest.substr(0, rest.find(' '));
    while (!arn.empty() && (arn.back() == '.' || arn.back() == ':' || arn.back() == ',')) {
      arn.remove_suffix(1);
    }
    result.resource = std::string(arn);
  }
  if (!result.succeeded && result.error.empty()) {
    constexpr std::string_view kReceived = "Received error: ";
    if (size_t at = summary.find(kReceived); at != std::string_view::npos) {
      std::string_view error = summary.substr(at + kReceived.size());
      if (error.size() >= 2 && error.front() == '"' && error.back() == '"') {
        error = error.substr(1, error.size() - 2);
      }
      result.error = std::string(error);
    } else {
      result.error = std::string(summary);
    }
  }
  return result;
}

}  // namespace rr
