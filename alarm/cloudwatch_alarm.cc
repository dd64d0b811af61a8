#include "alarm/cloudwatch_alarm.h"

#include <algorithm>
#include <cctype>

#include "alarm/aws_region.h"
#include "alarm/aws_time.h"
#include "alarm/console_url.h"

namespace rr {
namespace {

// The facts every alarm shape carries, before they become an Alert.
struct AlarmFacts {
  std::string name;
  std::optional<std::string> arn;
  std::optional<std::string> description;
  std::string state;
  std::optional<std::string> previous_state;
  std::optional<std::string> reason;
  std::optional<std::string> account_id;
  std::optional<std::string> region;          // a code, when the shape gives one
  std::optional<std::string> region_display;  // "Asia Pacific (Seoul)"
  std::optional<std::string> state_time;      // as received
  std::optional<std::string> metric_name;
};

// Read leniently: the metric only steers correlation, so an odd shape leaves it unknown
// instead of refusing the alarm.
std::optional<std::string> StringMember(const JsonValue* object, const char* key) {
  if (!object || !object->IsObject()) return std::nullopt;
  auto it = object->FindMember(key);
  if (it == object->MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

const JsonValue* ObjectMember(const JsonValue* object, const char* key) {
  if (!object || !object->IsObject()) return nullptr;
  auto it = object->FindMember(key);
  return it == object->MemberEnd() || !it->value.IsObject() ? nullptr : &it->value;
}

// EventBridge: configuration.metrics[] holds one metricStat for a plain metric alarm.
std::optional<std::string> SingleMetricName(const JsonValue* configuration) {
  if (!configuration || !configuration->IsObject()) return std::nullopt;
  auto it = configuration->FindMember("metrics");
  if (it == configuration->MemberEnd() || !it->value.IsArray() || it->value.Size() != 1) {
    return std::nullopt;
  }
  return StringMember(ObjectMember(ObjectMember(&it->value[0], "metricStat"), "metric"), "name");
}

bool IsKnownState(std::string_view state) {
  return state == "ALARM" || state == "OK" || state == "INSUFFICIENT_DATA";
}

Parsed BuildAlarmAlert(AlarmFacts f, std::string_view name_path, std::string_view state_path,
                       std::string_view time_path, const EnvelopeFacts& envelope,
                       std::optional<std::string> dedup_key) {
  if (f.name.empty()) return Parsed::Reject(std::string(name_path) + ": empty alarm name");
  if (!IsKnownState(f.state)) {
    return Parsed::Reject(std::string(state_path) + ": unknown alarm state \"" +
                          f.state.substr(0, 40) + "\"");
  }
  Alert a;
  a.kind = AlertKind::kAlarm;
  a.alarm_name = f.name;
  a.alarm_description = std::move(f.description);
  a.state = f.state;
  a.previous_state = std::move(f.previous_state);
  a.reason = std::move(f.reason);
  a.account_id = std::move(f.account_id);
  std::optional<ArnParts> arn = f.arn ? ParseArn(*f.arn) : std::nullopt;
  if (arn && !arn->region.empty()) {
    a.region = arn->region;
    if (!a.account_id && !arn->account.empty()) a.account_id = arn->account;
  } else if (f.region) {
    a.region = std::move(f.region);
  } else if (f.region_display) {
    a.region = RegionFromDisplayName(*f.region_display);
  }
  if (f.state_time) {
    a.event_time = NormalizeAwsTimestamp(*f.state_time);
    if (!a.event_time) {
      return Parsed::Reject(std::string(time_path) + ": not an ISO-8601 timestamp");
    }
  }
  a.message_id = envelope.sns_message_id;
  if (dedup_key) {
    a.dedup_key = std::move(dedup_key);
  } else if (envelope.sns_message_id) {
    a.dedup_key = "sns:" + *envelope.sns_message_id;
  } else {
    a.dedup_key = "alarm:" + f.arn.value_or(f.name) + "@" + f.state_time.value_or("");
  }
  if (a.region) a.console_url = AlarmConsoleUrl(*a.region, f.name);
  a.drill = a.reason && IsDrillReason(*a.reason);
  a.metric_name = std::move(f.metric_name);
  return Parsed::Accept(std::move(a));
}

// The camelCase alarm block that EventBridge ("detail") and alarm actions ("alarmData")
// share, read into `f` beside what the caller already put there; then the Alert.
Parsed ParseCamelCaseAlarm(FieldReader& e, std::string_view block_key, AlarmFacts f,
                           const EnvelopeFacts& envelope, std::optional<std::string> dedup_key) {
  FieldReader block = e.Object(block_key);
  f.name = block.String("alarmName");
  FieldReader state = block.Object("state");
  f.state = state.String("value");
  f.reason = state.OptString("reason");
  f.state_time = state.OptString("timestamp");
  f.previous_state = block.Object("previousState").OptString("value");
  f.description = block.Object("configuration").OptString("description");
  f.metric_name = SingleMetricName(block.Get("configuration"));
  std::optional<std::string> time = e.OptString("time");
  if (!e.ok()) return Parsed::Reject(e.error().message());
  const bool from_time = !f.state_time && time;
  if (from_time) f.state_time = time;
  return BuildAlarmAlert(std::move(f), block.PathOf("alarmName"), state.PathOf("value"),
                         from_time ? e.PathOf("time") : state.PathOf("timestamp"), envelope,
                         std::move(dedup_key));
}

}  // namespace

bool IsDrillReason(std::string_view reason) {
  static constexpr std::string_view kWord = "drill";
  auto it =
      std::search(reason.begin(), reason.end(), kWord.begin(), kWord.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != reason.end();
}

bool IsAlarmMessage(const FieldReader& object) {
  return object.Has("AlarmName") && object.Has("NewStateValue");
}

Parsed ParseAlarmMessage(FieldReader& m, const EnvelopeFacts& envelope) {
  AlarmFacts f;
  f.name = m.String("AlarmName");
  f.arn = m.OptString("AlarmArn");
  f.description = m.OptString("AlarmDescription");
  f.state = m.String("NewStateValue");
  f.previous_state = m.OptString("OldStateValue");
  f.reason = m.OptString("NewStateReason");
  f.account_id = m.OptString("AWSAccountId");
  f.region_display = m.OptString("Region");
  f.state_time = m.OptString("StateChangeTime");
  f.metric_name = StringMember(m.Get("Trigger"), "MetricName");
  if (!m.ok()) return Parsed::Reject(m.error().message());
  return BuildAlarmAlert(std::move(f), m.PathOf("AlarmName"), m.PathOf("NewStateValue"),
                         m.PathOf("StateChangeTime"), envelope, std::nullopt);
}

Parsed ParseAlarmStateChangeEvent(FieldReader& e, const EnvelopeFacts& envelope) {
  AlarmFacts f;
  f.account_id = e.OptString("account");
  f.region = e.OptString("region");
  if (const JsonValue* resources = e.OptArray("resources");
      resources && !resources->Empty() && (*resources)[0].IsString()) {
    f.arn = std::string(AsView((*resources)[0]));
  }
  std::optional<std::string> key;
  if (std::optional<std::string> id = e.OptString("id")) {
    key = "eb:" + *id;  // the EventBridge id names the event on every path
  }
  return ParseCamelCaseAlarm(e, "detail", std::move(f), envelope, std::move(key));
}

bool IsAlarmActionEvent(const FieldReader& object) {
  return object.Has("alarmData") && object.Has("source");
}

Parsed ParseAlarmActionEvent(FieldReader& e, const EnvelopeFacts& envelope) {
  AlarmFacts f;
  f.arn = e.OptString("alarmArn");
  f.account_id = e.OptString("accountId");
  f.region = e.OptString("region");
  return ParseCamelCaseAlarm(e, "alarmData", std::move(f), envelope, std::nullopt);
}

}  // namespace rr
