#include "alarm/alert.h"

namespace rr {

std::string_view ToString(AlertKind kind) {
  switch (kind) {
    case AlertKind::kAlarm:
      return "alarm";
    case AlertKind::kConsoleLogin:
      return "console_login";
    case AlertKind::kApiCall:
      return "api_call";
  }
  return "alarm";
}

std::string_view ToString(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return "critical";
    case Severity::kHigh:
      return "high";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "high";
}

std::optional<Severity> SeverityFromString(std::string_view text) {
  for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kWarning, Severity::kInfo}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

void WriteAlertJson(const Alert& a, JsonWriter& out) {
  out.StartObject();
  WriteString(out, "kind", ToString(a.kind));
  WriteOptString(out, "state", a.state);
  WriteOptString(out, "previous_state", a.previous_state);
  WriteOptString(out, "alarm_name", a.alarm_name);
  WriteOptString(out, "alarm_description", a.alarm_description);
  WriteOptString(out, "reason", a.reason);
  WriteOptString(out, "subject", a.subject);
  WriteString(out, "severity", ToString(a.severity));
  WriteOptString(out, "account_id", a.account_id);
  WriteOptString(out, "account_name", a.account_name);
  WriteOptString(out, "region", a.region);
  WriteOptString(out, "event_name", a.event_name);
  WriteOptString(out, "event_source", a.event_source);
  WriteOptString(out, "principal_type", a.principal_type);
  WriteOptString(out, "principal_arn", a.principal_arn);
  WriteOptString(out, "source_ip", a.source_ip);
  WriteOptString(out, "user_agent", a.user_agent);
  out.Key("mfa_used");
  if (a.mfa_used) {
    out.Bool(*a.mfa_used);
  } else {
    out.Null();
  }
  WriteOptString(out, "login_result", a.login_result);
  WriteOptString(out, "error_message", a.error_message);
  WriteOptString(out, "event_time", a.event_time);
  WriteOptString(out, "message_id", a.message_id);
  WriteOptString(out, "event_id", a.event_id);
  WriteOptString(out, "dedup_key", a.dedup_key);
  WriteOptString(out, "console_url", a.console_url);
  out.Key("drill");
  out.Bool(a.drill);
  out.EndObject();
}

}  // namespace rr
