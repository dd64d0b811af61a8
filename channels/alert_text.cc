#include "channels/alert_text.h"

#include <chrono>
#include <cstdint>

#include "alarm/aws_time.h"
#include "channels/display_time.h"
#include "channels/utf16_length.h"

namespace rr {
namespace {

std::string MfaText(bool used) { return used ? "예" : "아니오"; }

bool BreaksTheLine(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

// Marks that show nothing but reorder or hide text ("alice" shown as "ecila"); ZWJ stays, emoji
// need it.
bool IsInvisibleMark(uint32_t cp) {
  return cp == 0x061C || cp == 0x200B || cp == 0x200C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// `text` as one line: line breaks and other control characters become spaces, invisible marks
// go, ill-formed bytes become U+FFFD.
std::string SingleLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t len = Utf8SequenceLength(text.substr(i));
    if (len == 0) {
      out += "\uFFFD";
      ++i;
      continue;
    }
    const uint32_t cp = DecodeUtf8(text.substr(i), len);
    if (BreaksTheLine(cp)) {
      out.push_back(' ');
    } else if (!IsInvisibleMark(cp)) {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string JoinWithSpaces(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += p;
  }
  return out;
}

// "18:40" on the page alert's day, else "03-01 23:58"; empty without a time.
std::string RelatedTime(const Alert& related, const Alert& page_alert, const DisplayZone& tz) {
  if (!related.event_time) return "";
  if (page_alert.event_time && ParseUtcTime(*related.event_time) &&
      ParseUtcTime(*page_alert.event_time)) {
    // "2026-03-02 18:40:12 KST": the same date means the clock time is enough.
    const std::string mine = FormatLongTime(related.event_time, tz);
    const std::string ref = FormatLongTime(page_alert.event_time, tz);
    if (mine.size() >= 16 && ref.size() >= 10 && mine.compare(0, 10, ref, 0, 10) == 0) {
      return mine.substr(11, 5);
    }
  }
  return FormatShortTime(related.event_time, tz);
}

// Repeat `n` of `max` as " 2/3", " 2" or nothing.
std::string RepeatCount(const PageExtras& e) {
  if (e.repeat <= 0) return "";
  std::string out = " " + std::to_string(e.repeat);
  if (e.max_repeats > 0) out += "/" + std::to_string(e.max_repeats);
  return out;
}

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

std::string WaitedText(int seconds) {
  if (seconds <= 0) return "";
  const int hours = seconds / 3600;
  const int minutes = seconds % 3600 / 60;
  const int secs = seconds % 60;
  // Past an hour the seconds are noise.
  if (hours > 0) {
    return std::to_string(hours) + "시간" +
           (minutes > 0 ? " " + std::to_string(minutes) + "분" : "");
  }
  if (minutes > 0) {
    return std::to_string(minutes) + "분" + (secs > 0 ? " " + std::to_string(secs) + "초" : "");
  }
  return std::to_string(secs) + "초";
}

std::string IncidentText(int64_t incident_id) { return "인시던트 #" + std::to_string(incident_id); }

std::string PageHeadline(const PageExtras& e) {
  switch (e.reason) {
    case PageReason::kFirst:
      return "";
    case PageReason::kEscalated: {
      const std::string waited = WaitedText(e.waited_seconds);
      return waited.empty() ? "\u23EB 에스컬레이션: 확인 없음"
                            : "\u23EB 에스컬레이션: " + waited + " 동안 확인 없음";
    }
    case PageReason::kTiersFailed:
      return "\u23EB 앞 단계 알림이 모두 실패해 바로 보냄";
    case PageReason::kRepeat:
      return "\U0001F501 반복 알림" + RepeatCount(e) + " \u2014 아직 확인되지 않음";
    case PageReason::kRelatedEvent:
      return "\u2795 같은 root 사용의 관련 이벤트 (" +
             (e.incident_id != 0 ? IncidentText(e.incident_id) + ", " : std::string()) +
             "다시 호출하지 않음)";
  }
  return "";
}

std::string PageTag(const PageExtras& e) {
  switch (e.reason) {
    case PageReason::kFirst:
      return "";
    case PageReason::kEscalated: {
      const std::string waited = WaitedText(e.waited_seconds);
      return waited.empty() ? "[미확인]" : "[미확인 " + waited + "]";
    }
    case PageReason::kTiersFailed:
      return "[앞단계 실패]";
    case PageReason::kRepeat:
      return "[반복" + RepeatCount(e) + "]";
    case PageReason::kRelatedEvent:
      return e.incident_id != 0 ? "[관련 #" + std::to_string(e.incident_id) + "]" : "[관련]";
  }
  return "";
}

bool PageHeadlineNamesIncident(const PageExtras& e) {
  return e.reason == PageReason::kRelatedEvent && e.incident_id != 0;
}

std::string RelatedAlertLine(const Alert& r, const Alert& page_alert, const DisplayZone& tz) {
  std::vector<std::string> parts;
  switch (r.kind) {
    case AlertKind::kAlarm:
      parts.push_back("알람");
      parts.push_back(r.alarm_name && !r.alarm_name->empty() ? *r.alarm_name : AlertSubject(r));
      if (r.state) parts.push_back("\u2192 " + *r.state);
      break;
    case AlertKind::kConsoleLogin:
      parts.push_back(r.login_result == "Failure" ? "콘솔 로그인 실패" : "콘솔 로그인");
      if (r.principal_type)
        parts.push_back(*r.principal_type == "Root" ? "root" : *r.principal_type);
      if (r.source_ip) parts.push_back(*r.source_ip);
      if (r.mfa_used) parts.push_back(*r.mfa_used ? "MFA 사용" : "MFA 없음");
      break;
    case AlertKind::kApiCall:
      parts.push_back("API 호출");
      if (r.event_name) parts.push_back(*r.event_name);
      if (r.source_ip) parts.push_back(*r.source_ip);
      break;
  }
  parts.push_back(RelatedTime(r, page_alert, tz));
  // AWS values are short, but an alarm name may be 255 characters; a line stays a line.
  return TruncateUtf16(SingleLine(JoinWithSpaces(parts)), 200);
}

std::string MoreRelatedText(size_t count) { return "외 " + std::to_string(count) + "건"; }

std::vector<std::string> RelatedAlertLines(const std::vector<Alert>& related,
                                           const Alert& page_alert, const DisplayZone& tz) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < related.size() && i < kMaxRelatedShown; ++i) {
    lines.push_back(RelatedAlertLine(related[i], page_alert, tz));
  }
  if (related.size() > kMaxRelatedShown) {
    lines.push_back(MoreRelatedText(related.size() - kMaxRelatedShown));
  }
  return lines;
}

bool IsLinkUrl(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  if (url.size() <= std::string_view("https://").size()) return false;
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) return false;
  }
  return true;
}

std::string ShownName(std::string_view by) {
  std::string collapsed;
  for (char c : SingleLine(by)) {
    if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
    collapsed.push_back(c);
  }
  if (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  if (collapsed.empty()) return "알 수 없음";
  return TruncateUtf16(collapsed, kMaxShownNameUnits);
}

std::optional<std::string> NoticeTime(const Notice& notice) {
  if (notice.kind == Notice::Kind::kResolved && notice.alert.event_time) {
    return notice.alert.event_time;
  }
  if (notice.at == std::chrono::system_clock::time_point{}) return std::nullopt;
  return FormatUtc(std::chrono::floor<std::chrono::seconds>(notice.at.time_since_epoch()).count());
}

std::string NoticeHeadline(const Notice& notice, const DisplayZone& tz, std::string_view shown_by) {
  std::string out(DrillPrefix(notice.alert));
  const std::optional<std::string> when = NoticeTime(notice);
  if (notice.kind == Notice::Kind::kAcknowledged) {
    out += "\u2705 확인됨: " + AlertSubject(notice.alert) + " \u2014 ";
    out += shown_by;
    if (when) out += ", " + FormatLongTime(when, tz);
  } else {
    out += "\U0001F7E2 해소됨: " + AlertSubject(notice.alert) + " OK";
    if (when) out += " " + FormatLongTime(when, tz);
  }
  if (notice.incident_id != 0) out += " (" + IncidentText(notice.incident_id) + ")";
  return out;
}

std::optional<std::string> ShortNoticeReason(const Notice& notice) {
  if (notice.kind != Notice::Kind::kResolved || !notice.alert.reason) return std::nullopt;
  std::string reason = SingleLine(*notice.alert.reason);
  if (reason.empty() || Utf16Length(reason) > kMaxNoticeReasonUnits) return std::nullopt;
  return reason;
}

}  // namespace rr
