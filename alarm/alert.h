// Alert: the one normalised record every inbound payload becomes (DESIGN.md, "Alert fields").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alarm/json.h"

namespace rr {

enum class AlertKind { kAlarm, kConsoleLogin, kApiCall };
enum class Severity { kCritical, kHigh, kWarning, kInfo };

std::string_view ToString(AlertKind kind);
std::string_view ToString(Severity severity);
std::optional<Severity> SeverityFromString(std::string_view text);

struct Alert {
  AlertKind kind = AlertKind::kAlarm;
  std::optional<std::string> state;           // alarms: ALARM, OK, INSUFFICIENT_DATA
  std::optional<std::string> previous_state;  // alarms
  std::optional<std::string> alarm_name;
  std::optional<std::string> alarm_description;
  std::optional<std::string> reason;   // alarm state reason
  std::optional<std::string> subject;  // human subject from config; default the alarm name
  Severity severity = Severity::kHigh;
  std::optional<std::string> account_id;
  std::optional<std::string> account_name;  // from config, else the alias in the event
  std::optional<std::string> region;        // always a code such as ap-northeast-2
  std::optional<std::string> event_name;
  std::optional<std::string> event_source;
  std::optional<std::string> principal_type;
  std::optional<std::string> principal_arn;
  std::optional<std::string> source_ip;
  std::optional<std::string> user_agent;
  std::optional<bool> mfa_used;
  std::optional<std::string> login_result;  // Success or Failure
  std::optional<std::string> error_message;
  std::optional<std::string> event_time;  // UTC, YYYY-MM-DDTHH:MM:SSZ
  std::optional<std::string> message_id;  // SNS MessageId
  std::optional<std::string> event_id;    // CloudTrail eventID or EventBridge id
  std::optional<std::string> dedup_key;
  std::optional<std::string> console_url;
  bool drill = false;
  // The metric a single-metric alarm watches ("RootAccountUsageCount"). Not a contract field
  // (not in the JSON): it tells the daemon which alarms mean "root was used".
  std::optional<std::string> metric_name;
};

// Writes the alert as a JSON object with every contract field (absent ones as null).
void WriteAlertJson(const Alert& alert, JsonWriter& out);

}  // namespace rr
