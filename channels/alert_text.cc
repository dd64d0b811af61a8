#include "channels/alert_text.h"

#include "channels/display_time.h"

namespace rr {
namespace {

std::string MfaText(bool used) { return used ? "예" : "아니오"; }

}  // namespace

std::string AlertSubject(const Alert& alert) {
  std::string subject = "AWS 경보";
  if (alert.subject && !alert.subject->empty()) {
    subject = *alert.subject;
  } else if (alert.alarm_name && !alert.alarm_name->empty()) {
    subject = *alert.alarm_name;
  } else if (alert.event_name && !alert.event_name->empty()) {
    subject = *alert.event_name;
  }
  // Headlines, titles and SMS are one line; a configured subject must not break them.
  for (char& c : subject) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return subject;
}

std::string_view AlertEmoji(const Alert& alert) {
  if (alert.kind == AlertKind::kAlarm && alert.state == "OK") return "\u2705";  // ✅
  switch (alert.severity) {
    case Severity::kCritical:
    case Severity::kHigh:
      return "\U0001F6A8";  // 🚨
    case Severity::kWarning:
      return "\u26A0\uFE0F";  // ⚠️
    case Severity::kInfo:
      return "\u2139\uFE0F";  // ℹ️
  }
  return "\U0001F6A8";
}

std::string SeverityTag(Severity severity) {
  std::string tag = "[";
  for (char c : ToString(severity)) tag.push_back(static_cast<char>(c - 'a' + 'A'));
  tag.push_back(']');
  return tag;
}

std::string_view DrillPrefix(const Alert& alert) { return alert.drill ? "[DRILL] " : ""; }

std::string AlertHeadline(const Alert& alert) {
  std::string out(DrillPrefix(alert));
  out += AlertEmoji(alert);
  out += ' ';
  out += SeverityTag(alert.severity);
  out += ' ';
  out += AlertSubject(alert);
  if (alert.kind == AlertKind::kAlarm && alert.state) {
    out += " \u2014 " + *alert.state;
  } else if (alert.kind == AlertKind::kConsoleLogin && alert.login_result) {
    out += " \u2014 " + *alert.login_result;
  }
  return out;
}

std::vector<DetailRow> AlertDetailRows(const Alert& a, const DisplayZone& tz) {
  std::vector<DetailRow> rows;
  auto add = [&](std::string label, std::string value, bool is_short) {
    rows.push_back(DetailRow{std::move(label), std::move(value), is_short});
  };
  if (a.kind == AlertKind::kAlarm && a.state) {
    add("상태", a.previous_state ? *a.previous_state + " \u2192 " + *a.state : *a.state, true);
  }
  if (a.account_name && a.account_id) {
    add("계정", *a.account_name + " (" + *a.account_id + ")", true);
  } else if (a.account_id) {
    add("계정", *a.account_id, true);
  } else if (a.account_name) {
    add("계정", *a.account_name, true);
  }
  if (a.region) add("리전", *a.region, true);
  if (a.event_time) add("시각", FormatLongTime(a.event_time, tz), true);
  if (a.event_source && a.event_name) {
    add("이벤트", *a.event_source + " " + *a.event_name, false);
  } else if (a.event_name || a.event_source) {
    add("이벤트", a.event_name ? *a.event_name : *a.event_source, false);
  }
  if (a.principal_type && a.principal_arn) {
    add("주체", *a.principal_type + " " + *a.principal_arn, false);
  } else if (a.principal_type || a.principal_arn) {
    add("주체", a.principal_type ? *a.principal_type : *a.principal_arn, false);
  }
  if (a.source_ip) add("출발 IP", *a.source_ip, true);
  if (a.mfa_used) add("MFA", MfaText(*a.mfa_used), true);
  if (a.login_result) add("결과", *a.login_result, true);
  if (a.error_message) add("오류", *a.error_message, false);
  if (a.user_agent) add("User agent", *a.user_agent, false);
  if (a.kind == AlertKind::kAlarm && a.reason) add("원인", *a.reason, false);
  if (a.alarm_description) add("설명", *a.alarm_description, false);
  return rows;
}

std::string_view ConsoleLinkLabel(const Alert& alert) {
  return alert.kind == AlertKind::kAlarm ? "CloudWatch 경보 열기" : "CloudTrail 이벤트 열기";
}

}  // namespace rr
