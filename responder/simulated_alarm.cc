#include "responder/simulated_alarm.h"

#include <rapidjson/stringbuffer.h>

#include "alarm/aws_region.h"
#include "alarm/aws_time.h"
#include "alarm/json.h"

namespace rr {
namespace {

// CloudWatch writes "2026-03-02T09:45:31.093+0000".
std::string CloudWatchTime(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  std::string iso = FormatUtc(ms.count() / 1000);  // 2026-03-02T09:45:31Z
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03lld", static_cast<long long>(ms.count() % 1000));
  return iso.substr(0, iso.size() - 1) + millis + "+0000";
}

}  // namespace

AlarmNotification SimulatedAlarmNotification(const AlarmFacts& alarm, const std::string& reason,
                                             std::chrono::system_clock::time_point now) {
  const std::string region_name = DisplayNameOfRegion(alarm.region).value_or(alarm.region);
  std::string account;
  if (std::optional<ArnParts> arn = ParseArn(alarm.arn)) account = arn->account;

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "AlarmName", alarm.name);
  w.Key("AlarmDescription");
  w.Null();
  WriteString(w, "AWSAccountId", account);
  WriteString(w, "AlarmConfigurationUpdatedTimestamp", CloudWatchTime(now));
  WriteString(w, "NewStateValue", "ALARM");
  WriteString(w, "NewStateReason", reason);
  WriteString(w, "StateChangeTime", CloudWatchTime(now));
  WriteString(w, "Region", region_name);
  WriteString(w, "AlarmArn", alarm.arn);
  WriteString(w, "OldStateValue", "OK");
  w.Key("OKActions");
  w.StartArray();
  w.EndArray();
  w.Key("AlarmActions");
  w.StartArray();
  for (const std::string& a : alarm.alarm_actions) w.String(a.data(), a.size());
  w.EndArray();
  w.Key("InsufficientDataActions");
  w.StartArray();
  w.EndArray();
  if (!alarm.metric_name.empty()) {
    w.Key("Trigger");
    w.StartObject();
    WriteString(w, "MetricName", alarm.metric_name);
    WriteString(w, "Namespace", alarm.namespace_);
    WriteString(w, "StatisticType", "Statistic");
    WriteString(w, "Statistic", "SUM");
    w.Key("Unit");
    w.Null();
    w.Key("Dimensions");
    w.StartArray();
    w.EndArray();
    w.Key("Period");
    w.Int(300);
    w.Key("EvaluationPeriods");
    w.Int(1);
    WriteString(w, "ComparisonOperator", "GreaterThanOrEqualToThreshold");
    w.Key("Threshold");
    w.Double(1.0);
    WriteString(w, "TreatMissingData", "notBreaching");
    WriteString(w, "EvaluateLowSampleCountPercentile", "");
    w.EndObject();
  }
  w.EndObject();
  return {"ALARM: \"" + alarm.name + "\" in " + region_name, buffer.GetString()};
}

}  // namespace rr
