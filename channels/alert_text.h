// What people read about an alert: the headline and detail rows that the chat renderers
// (Dooray, Telegram) share, so both say the same thing in the same order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "alarm/alert.h"
#include "channels/display_zone.h"

namespace rr {

// alert.subject, else alarm_name, else event_name, else "AWS 경보"; line breaks and tabs become
// spaces.
std::string AlertSubject(const Alert& alert);

// "🚨", "⚠️", "✅" (state OK) or "ℹ️", by state and severity.
std::string_view AlertEmoji(const Alert& alert);

// "[CRITICAL]" and so on.
std::string SeverityTag(Severity severity);

// "[DRILL] " for drills, else empty: every channel's text starts with it.
std::string_view DrillPrefix(const Alert& alert);

// "🚨 [CRITICAL] root 계정 — ALARM", "🚨 [CRITICAL] root 콘솔 로그인 — Success", prefixed by
// "[DRILL] " for drills.
std::string AlertHeadline(const Alert& alert);

struct DetailRow {
  std::string label;  // Korean label ("계정"), or the link text for the console link
  std::string value;
  bool is_short = true;  // fits half a line (Dooray "short" fields)
};

// The detail rows in the house order, each only when its field is present: 상태, 계정, 리전,
// 시각, 이벤트, 주체, 출발 IP, MFA, 결과, 오류, User agent, 원인, 설명. The console link is not
// a row: see ConsoleLinkLabel.
std::vector<DetailRow> AlertDetailRows(const Alert& alert, const DisplayZone& tz);

// "CloudWatch 경보 열기" for alarms, "CloudTrail 이벤트 열기" for events.
std::string_view ConsoleLinkLabel(const Alert& alert);

}  // namespace rr
