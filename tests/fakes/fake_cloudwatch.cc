#include "tests/fakes/fake_cloudwatch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "alarm/aws_time.h"
#include "alarm/json.h"
#include "tests/support/sns_signer.h"

namespace rr {
namespace {

using std::chrono::system_clock;

constexpr std::string_view kTargetPrefix = "GraniteServiceVersion20100801.";
const HttpHeaders kJsonType = {{"Content-Type", "application/x-amz-json-1.0"}};

// An AWS JSON 1.0 error of an awsQueryCompatible service: __type and the Query code header.
ScriptedReply Error(int status, const std::string& code, const std::string& message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "__type", "com.amazonaws.monitoring#" + code);
  WriteString(w, "message", message);
  w.EndObject();
  HttpHeaders headers = kJsonType;
  headers.emplace_back("x-amzn-query-error", code + (status >= 500 ? ";Receiver" : ";Sender"));
  headers.emplace_back("x-amzn-RequestId", "fake-cloudwatch-request");
  return ScriptedReply::Answer(status, std::string(buffer.GetString(), buffer.GetSize()), headers);
}

ScriptedReply Ok(const rapidjson::StringBuffer& buffer) {
  HttpHeaders headers = kJsonType;
  headers.emplace_back("x-amzn-RequestId", "fake-cloudwatch-request");
  return ScriptedReply::Answer(200, std::string(buffer.GetString(), buffer.GetSize()), headers);
}

std::string Str(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && it->value.IsString() ? std::string(AsView(it->value)) : "";
}

bool Has(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  return it != object.MemberEnd() && !it->value.IsNull();
}

std::vector<std::string> Strings(const JsonValue& object, const char* key) {
  std::vector<std::string> out;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsArray()) return out;
  for (const JsonValue& v : it->value.GetArray()) {
    if (v.IsString()) out.emplace_back(AsView(v));
  }
  return out;
}

double EpochSeconds(system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() /
         1000.0;
}

int64_t EpochMillis(system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::optional<system_clock::time_point> DateMember(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return system_clock::time_point(
      std::chrono::milliseconds(static_cast<int64_t>(std::llround(it->value.GetDouble() * 1000))));
}

void StringList(JsonWriter& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const std::string& v : values) w.String(v.data(), v.size());
  w.EndArray();
}

// "2026-03-02T09:45:31.140Z", SNS's Timestamp form.
std::string SnsTimestamp(system_clock::time_point t) {
  const int64_t ms = EpochMillis(t);
  std::string utc = FormatUtc(ms / 1000);  // "...:SSZ"
  char millis[8];
  std::snprintf(millis, sizeof(millis), ".%03dZ", static_cast<int>(ms % 1000));
  utc.pop_back();
  return utc + millis;
}

}  // namespace

FakeCloudWatch::FakeCloudWatch(std::string region, std::string account_id, Clock* clock)
    : region_(std::move(region)),
      account_id_(std::move(account_id)),
      clock_(clock ? *clock : SystemClock()) {}

FakeCloudWatch::~FakeCloudWatch() { Stop(); }

std::string FakeCloudWatch::TopicArn(const std::string& name) const {
  return "arn:aws:sns:" + region_ + ":" + account_id_ + ":" + name;
}

std::string FakeCloudWatch::ArnOf(const FakeAlarm& alarm) const {
  if (!alarm.arn.empty()) return alarm.arn;
  return "arn:aws:cloudwatch:" + region_ + ":" + account_id_ + ":alarm:" + alarm.name;
}

void FakeCloudWatch::SetAlarm(FakeAlarm alarm) {
  std::lock_guard<std::mutex> lock(mu_);
  alarms_[alarm.name] = std::move(alarm);
}

std::optional<FakeAlarm> FakeCloudWatch::alarm(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = alarms_.find(name);
  if (it == alarms_.end()) return std::nullopt;
  return it->second;
}

void FakeCloudWatch::AddHistory(const std::string& alarm_name, AlarmHistoryItem item) {
  std::lock_guard<std::mutex> lock(mu_);
  history_[alarm_name].push_back(std::move(item));
}

std::vector<AlarmHistoryItem> FakeCloudWatch::history(const std::string& alarm_name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = history_.find(alarm_name);
  return it == history_.end() ? std::vector<AlarmHistoryItem>() : it->second;
}

std::vector<FakeSetAlarmStateCall> FakeCloudWatch::set_alarm_state_calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

void FakeCloudWatch::set_history_page_size(size_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  history_page_size_ = n;
}

void FakeCloudWatch::set_history_unsupported(bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  history_unsupported_ = on;
}

void FakeCloudWatch::FailActions(std::string error) {
  std::lock_guard<std::mutex> lock(mu_);
  action_error_ = std::move(error);
}

void FakeCloudWatch::PublishTo(std::string url) {
  std::lock_guard<std::mutex> lock(mu_);
  publish_url_ = std::move(url);
}

std::vector<FakeCloudWatchPublish> FakeCloudWatch::publishes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return publishes_;
}

AlarmHistoryItem FakeCloudWatch::SucceededAction(system_clock::time_point when,
                                                 const std::string& topic_arn,
                                                 const std::string& published_message) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "actionState", "Succeeded");
  w.Key("stateUpdateTimestamp");
  w.Int64(EpochMillis(when));
  WriteString(w, "notificationResource", topic_arn);
  WriteString(w, "publishedMessage", published_message);
  w.Key("error");
  w.Null();
  w.EndObject();
  return {when, "Action", "Successfully executed action " + topic_arn,
          std::string(buffer.GetString(), buffer.GetSize())};
}

AlarmHistoryItem FakeCloudWatch::FailedAction(system_clock::time_point when,
                                              const std::string& topic_arn,
                                              const std::string& error) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "actionState", "Failed");
  w.Key("stateUpdateTimestamp");
  w.Int64(EpochMillis(when));
  WriteString(w, "notificationResource", topic_arn);
  w.Key("publishedMessage");
  w.Null();
  WriteString(w, "error", error);
  w.EndObject();
  return {when, "Action",
          "Failed to execute action " + topic_arn + ": Received error: \"" + error + "\"",
          std::string(buffer.GetString(), buffer.GetSize())};
}

AlarmHistoryItem FakeCloudWatch::StateUpdate(system_clock::time_point when,
                                             const std::string& old_state,
                                             const std::string& new_state,
                                             const std::string& reason) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "version", "1.0");
  w.Key("oldState");
  w.StartObject();
  WriteString(w, "stateValue", old_state);
  w.EndObject();
  w.Key("newState");
  w.StartObject();
  WriteString(w, "stateValue", new_state);
  WriteString(w, "stateReason", reason);
  w.EndObject();
  w.EndObject();
  return {when, "StateUpdate", "Alarm updated from " + old_state + " to " + new_state,
          std::string(buffer.GetString(), buffer.GetSize())};
}

std::string FakeCloudWatch::NotAuthorizedError(const std::string& topic_arn) {
  return "CloudWatch Alarms is not authorized to perform: SNS:Publish on resource:" + topic_arn;
}

ScriptedReply FakeCloudWatch::Answer(const RecordedRequest& request) {
  if (request.method != "POST" || request.path != "/") {
    return Error(404, "UnknownOperationException", "only POST / is served");
  }
  const std::string* auth = request.header("authorization");
  if (auth == nullptr ||
      auth->find("/" + region_ + "/monitoring/aws4_request") == std::string::npos) {
    return Error(403, "IncompleteSignature",
                 "the request must be signed with SigV4 for monitoring in " + region_);
  }
  const std::string* type = request.header("content-type");
  if (type == nullptr || *type != "application/x-amz-json-1.0") {
    return Error(400, "SerializationException", "Content-Type must be application/x-amz-json-1.0");
  }
  const std::string* target = request.header("x-amz-target");
  if (target == nullptr || !target->starts_with(kTargetPrefix)) {
    return Error(400, "UnknownOperationException", "X-Amz-Target is missing or unknown");
  }
  JsonDocument input;
  if (!ParseJson(request.body, JsonLimits{}, "request", &input).ok() || !input.IsObject()) {
    return Error(400, "SerializationException", "the body is not a JSON object");
  }
  const std::string operation = target->substr(kTargetPrefix.size());
  if (operation == "DescribeAlarms") return DescribeAlarms(input);
  if (operation == "SetAlarmState") return SetAlarmState(input);
  if (operation == "DescribeAlarmHistory") return DescribeAlarmHistory(input);
  return Error(400, "UnknownOperationException", "the fake does not serve " + operation);
}

ScriptedReply FakeCloudWatch::DescribeAlarms(const JsonValue& input) {
  const std::vector<std::string> names = Strings(input, "AlarmNames");
  std::vector<std::string> types = Strings(input, "AlarmTypes");
  if (types.empty()) types = {"MetricAlarm"};  // AWS's default
  const bool metric = std::count(types.begin(), types.end(), "MetricAlarm") > 0;
  const bool composite = std::count(types.begin(), types.end(), "CompositeAlarm") > 0;

  std::lock_guard<std::mutex> lock(mu_);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  for (bool want_composite : {false, true}) {
    w.Key(want_composite ? "CompositeAlarms" : "MetricAlarms");
    w.StartArray();
    for (const auto& [name, alarm] : alarms_) {
      if (alarm.composite != want_composite) continue;
      if (want_composite ? !composite : !metric) continue;
      if (!names.empty() && std::count(names.begin(), names.end(), name) == 0) continue;
      w.StartObject();
      WriteString(w, "AlarmName", alarm.name);
      WriteString(w, "AlarmArn", ArnOf(alarm));
      w.Key("ActionsEnabled");
      w.Bool(alarm.actions_enabled);
      StringList(w, "OKActions", alarm.ok_actions);
      StringList(w, "AlarmActions", alarm.alarm_actions);
      StringList(w, "InsufficientDataActions", alarm.insufficient_data_actions);
      WriteString(w, "StateValue", alarm.state_value);
      WriteString(w, "StateReason", alarm.state_reason);
      w.Key("StateUpdatedTimestamp");
      w.Double(EpochSeconds(clock_.WallNow()));
      if (want_composite) {
        WriteString(w, "AlarmRule", "ALARM(\"root-usage\")");
      } else {
        WriteString(w, "MetricName", alarm.metric_name);
        WriteString(w, "Namespace", alarm.namespace_);
        WriteString(w, "Statistic", "Sum");
        w.Key("Period");
        w.Int(300);
        w.Key("EvaluationPeriods");
        w.Int(1);
        w.Key("Threshold");
        w.Double(1.0);
        WriteString(w, "ComparisonOperator", "GreaterThanOrEqualToThreshold");
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return Ok(buffer);
}

ScriptedReply FakeCloudWatch::SetAlarmState(const JsonValue& input) {
  FakeSetAlarmStateCall call{Str(input, "AlarmName"), Str(input, "StateValue"),
                             Str(input, "StateReason"), Str(input, "StateReasonData")};
  std::vector<FakeCloudWatchPublish> pending;
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(call);
    if (call.name.empty() || !Has(input, "StateValue") || !Has(input, "StateReason")) {
      return Error(400, "ValidationError", "AlarmName, StateValue and StateReason are required");
    }
    if (call.state != "OK" && call.state != "ALARM" && call.state != "INSUFFICIENT_DATA") {
      return Error(400, "ValidationError",
                   "1 validation error detected: Value '" + call.state +
                       "' at 'stateValue' failed to satisfy constraint: Member must satisfy "
                       "enum value set: [INSUFFICIENT_DATA, ALARM, OK]");
    }
    if (call.reason.size() > 1023) {
      return Error(400, "ValidationError", "StateReason must be at most 1023 characters");
    }
    if (!call.reason_data.empty()) {
      JsonDocument data;
      if (!ParseJson(call.reason_data, JsonLimits{}, "StateReasonData", &data).ok()) {
        return Error(400, "InvalidFormat", "StateReasonData is not valid JSON");
      }
    }
    auto it = alarms_.find(call.name);
    if (it == alarms_.end()) {
      return Error(404, "ResourceNotFound", "Alarm " + call.name + " does not exist");
    }
    FakeAlarm& alarm = it->second;
    const std::string old_state = alarm.state_value;
    alarm.state_reason = call.reason;
    if (old_state != call.state) {
      alarm.state_value = call.state;
      pending = FireActions(alarm, old_state);
    }
  }
  Publish(std::move(pending));
  rapidjson::StringBuffer empty;
  empty.Put('{');
  empty.Put('}');
  return Ok(empty);
}

std::vector<FakeCloudWatchPublish> FakeCloudWatch::FireActions(FakeAlarm& alarm,
                                                               const std::string& old_state) {
  const system_clock::time_point now = clock_.WallNow();
  std::vector<AlarmHistoryItem>& items = history_[alarm.name];
  items.push_back(StateUpdate(now, old_state, alarm.state_value, alarm.state_reason));
  std::vector<FakeCloudWatchPublish> pending;
  if (!alarm.actions_enabled) return pending;
  const std::vector<std::string>& actions = alarm.state_value == "ALARM" ? alarm.alarm_actions
                                            : alarm.state_value == "OK"
                                                ? alarm.ok_actions
                                                : alarm.insufficient_data_actions;
  for (const std::string& topic : actions) {
    if (!action_error_.empty()) {
      items.push_back(FailedAction(now, topic, action_error_));
      continue;
    }
    const std::string message =
        testing::AlarmMessage(alarm.name, alarm.state_value, alarm.state_reason);
    items.push_back(SucceededAction(now, topic, message));
    if (publish_url_.empty()) continue;
    testing::SnsNotification n;
    char id[64];
    std::snprintf(id, sizeof(id), "0f4c5e2a-1b7d-4c1e-9a3f-%012d", next_message_++);
    n.message_id = id;
    n.topic_arn = topic;
    n.subject = alarm.state_value + ": \"" + alarm.name + "\" in Asia Pacific (Seoul)";
    n.message = message;
    n.timestamp = SnsTimestamp(now);
    FakeCloudWatchPublish p;
    p.topic_arn = topic;
    p.body = testing::SignedNotificationBody(n);
    pending.push_back(std::move(p));
  }
  return pending;
}

void FakeCloudWatch::Publish(std::vector<FakeCloudWatchPublish> pending) {
  if (pending.empty()) return;
  std::string url;
  {
    std::lock_guard<std::mutex> lock(mu_);
    url = publish_url_;
    if (!publisher_) publisher_ = std::make_unique<HttpClient>();
  }
  for (FakeCloudWatchPublish& p : pending) {
    HttpRequest request;
    request.url = url;
    // What SNS sends to an HTTP subscriber.
    request.headers = {{"Content-Type", "text/plain; charset=UTF-8"},
                       {"x-amz-sns-message-type", "Notification"},
                       {"x-amz-sns-topic-arn", p.topic_arn}};
    request.body = p.body;
    HttpResponse r = publisher_->Send(request);
    p.http_status = r.status;
    p.error = r.error;
    std::lock_guard<std::mutex> lock(mu_);
    publishes_.push_back(std::move(p));
  }
}

ScriptedReply FakeCloudWatch::DescribeAlarmHistory(const JsonValue& input) {
  std::lock_guard<std::mutex> lock(mu_);
  if (history_unsupported_) {
    // moto 5.2.1's answer: werkzeug's HTML page for a NotImplementedError.
    return ScriptedReply::Answer(
        500,
        "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
        "<h1>Internal Server Error</h1>\n",
        {{"Content-Type", "text/html; charset=utf-8"}});
  }
  size_t max_records = 100;
  if (auto it = input.FindMember("MaxRecords"); it != input.MemberEnd()) {
    if (!it->value.IsInt() || it->value.GetInt() < 1 || it->value.GetInt() > 100) {
      return Error(400, "ValidationError", "MaxRecords must be between 1 and 100");
    }
    max_records = static_cast<size_t>(it->value.GetInt());
  }
  const std::string scan = Str(input, "ScanBy");
  if (!scan.empty() && scan != "TimestampDescending" && scan != "TimestampAscending") {
    return Error(400, "ValidationError",
                 "ScanBy must be TimestampDescending or TimestampAscending");
  }
  const std::string name = Str(input, "AlarmName");
  const std::string type = Str(input, "HistoryItemType");
  const std::optional<system_clock::time_point> start = DateMember(input, "StartDate");
  const std::optional<system_clock::time_point> end = DateMember(input, "EndDate");

  std::vector<const AlarmHistoryItem*> matching;
  std::vector<std::string> names_of;
  for (const auto& [alarm_name, items] : history_) {
    if (!name.empty() && alarm_name != name) continue;
    for (const AlarmHistoryItem& item : items) {
      if (!type.empty() && item.type != type) continue;
      if (start && item.timestamp < *start) continue;
      if (end && item.timestamp > *end) continue;
      matching.push_back(&item);
      names_of.push_back(alarm_name);
    }
  }
  std::vector<size_t> order(matching.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const bool ascending = scan == "TimestampAscending";
  // Ties keep the order things happened in: the later recorded counts as the later event.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto ta = matching[a]->timestamp, tb = matching[b]->timestamp;
    if (ta != tb) return ascending ? ta < tb : ta > tb;
    return ascending ? a < b : a > b;
  });

  size_t offset = 0;
  if (const std::string token = Str(input, "NextToken"); !token.empty()) {
    if (!token.starts_with("fake-page-") || std::sscanf(token.c_str() + 10, "%zu", &offset) != 1 ||
        offset > order.size()) {
      return Error(400, "InvalidNextToken", "The service returned an invalid NextToken");
    }
  }
  size_t page = max_records;
  if (history_page_size_ > 0) page = std::min(page, history_page_size_);
  const size_t stop = std::min(order.size(), offset + page);

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("AlarmHistoryItems");
  w.StartArray();
  for (size_t i = offset; i < stop; ++i) {
    const AlarmHistoryItem& item = *matching[order[i]];
    auto alarm = alarms_.find(names_of[order[i]]);
    const bool composite = alarm != alarms_.end() && alarm->second.composite;
    w.StartObject();
    WriteString(w, "AlarmName", names_of[order[i]]);
    WriteString(w, "AlarmType", composite ? "CompositeAlarm" : "MetricAlarm");
    w.Key("Timestamp");
    w.Double(EpochSeconds(item.timestamp));
    WriteString(w, "HistoryItemType", item.type);
    WriteString(w, "HistorySummary", item.summary);
    WriteString(w, "HistoryData", item.data);
    w.EndObject();
  }
  w.EndArray();
  if (stop < order.size()) WriteString(w, "NextToken", "fake-page-" + std::to_string(stop));
  w.EndObject();
  return Ok(buffer);
}

}  // namespace rr
