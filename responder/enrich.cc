#include "responder/enrich.h"

namespace rr {
namespace {

Severity DefaultSeverity(const Alert& a) {
  switch (a.kind) {
    case AlertKind::kAlarm:
      return Severity::kHigh;
    case AlertKind::kConsoleLogin:
      return a.login_result == "Failure" ? Severity::kHigh : Severity::kCritical;
    case AlertKind::kApiCall:
      return Severity::kCritical;
  }
  return Severity::kHigh;
}

std::string DefaultSubject(const Alert& a) {
  switch (a.kind) {
    case AlertKind::kAlarm:
      return a.alarm_name.value_or("CloudWatch alarm");
    case AlertKind::kConsoleLogin:
      return "root 콘솔 로그인";
    case AlertKind::kApiCall:
      return "root API 호출: " + a.event_name.value_or("?");
  }
  return "";
}

}  // namespace

void Enrich(const Config& config, Alert& a) {
  const std::optional<std::string>& key = a.kind == AlertKind::kAlarm ? a.alarm_name : a.event_name;
  const SubjectRule* rule = nullptr;
  if (key) {
    auto it = config.subjects.find(*key);
    if (it != config.subjects.end()) rule = &it->second;
  }
  a.subject = rule ? rule->subject : DefaultSubject(a);
  a.severity = rule && rule->severity ? *rule->severity : DefaultSeverity(a);
  // A recovered or unknown alarm is news, not an emergency, whatever the alarm's severity.
  if (a.kind == AlertKind::kAlarm && a.state == "OK") a.severity = Severity::kInfo;
  if (a.kind == AlertKind::kAlarm && a.state == "INSUFFICIENT_DATA")
    a.severity = Severity::kWarning;
  if (a.account_id) {
    auto it = config.accounts.find(*a.account_id);
    if (it != config.accounts.end()) a.account_name = it->second;
  }
}

}  // namespace rr
