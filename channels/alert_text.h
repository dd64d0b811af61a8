// What people read about an alert: the headline and detail rows that the chat renderers
// (Dooray, Telegram) share, so both say the same thing in the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "alarm/alert.h"
#include "channels/display_zone.h"
#include "channels/page_extras.h"

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

// --- Pages (escalation) ---

inline constexpr std::string_view kIncidentLabel = "인시던트";
inline constexpr std::string_view kRelatedLabel = "관련 알림";
inline constexpr std::string_view kAckLinkLabel = "확인(Acknowledge)";
inline constexpr std::string_view kAckButtonLabel = "\u2705 확인 (Acknowledge)";
// Under the ack link: opening it is not enough (a GET never acknowledges).
inline constexpr std::string_view kAckLinkHint =
    "열리는 페이지에서 확인하면 다음 단계 알림이 멈춥니다";

// At most this many related alerts are drawn, the rest only counted ("외 3건"): a burst of root
// API calls must not push a page past a service's limits.
inline constexpr size_t kMaxRelatedShown = 5;

// "45초", "5분", "1분 30초", "2시간", "2시간 5분": how long nobody acknowledged.
std::string WaitedText(int seconds);

// "인시던트 #12".
std::string IncidentText(int64_t incident_id);

// Why the page goes out now, drawn under the alert's headline; empty for kFirst.
// "⏫ 에스컬레이션: 5분 동안 확인 없음", "⏫ 앞 단계 알림이 모두 실패해 바로 보냄",
// "🔁 반복 알림 2/3 — 아직 확인되지 않음",
// "➕ 같은 root 사용의 관련 이벤트 (인시던트 #12, 다시 호출하지 않음)".
std::string PageHeadline(const PageExtras& extras);

// The same for SMS, short and without emoji (EUC-KR has none): "[미확인 5분]", "[앞단계 실패]",
// "[반복 2/3]", "[관련 #12]"; empty for kFirst.
std::string PageTag(const PageExtras& extras);

// True when PageHeadline already names the incident, so no row repeats it.
bool PageHeadlineNamesIncident(const PageExtras& extras);

// One compact line for a related alert, its time ("18:40", or "03-01 23:58" on another day than
// `page_alert`) in `tz`:
//   "알람 root-alert → ALARM 18:45"
//   "콘솔 로그인 root 198.51.100.23 MFA 없음 18:40"
//   "API 호출 DeleteTrail 198.51.100.23 18:41"
std::string RelatedAlertLine(const Alert& related, const Alert& page_alert, const DisplayZone& tz);

// "외 3건": the related alerts not drawn.
std::string MoreRelatedText(size_t count);

// RelatedAlertLine for the first kMaxRelatedShown of `related`, then MoreRelatedText for the rest.
std::vector<std::string> RelatedAlertLines(const std::vector<Alert>& related,
                                           const Alert& page_alert, const DisplayZone& tz);

// True for an http(s) URL with no spaces or control characters: one that can be a link without
// breaking the line or the markup around it.
bool IsLinkUrl(std::string_view url);

// --- Notices ---

// Who acknowledged, safe to show on one line: `by` is user-supplied (a name typed into a web
// form, a Telegram name). Control characters and line separators become spaces (a line break
// could forge a line of its own), bidirectional and zero-width marks are removed, ill-formed
// UTF-8 becomes U+FFFD, spaces are collapsed, and the result is cut to kMaxShownNameUnits.
// "알 수 없음" when nothing is left. Channels still escape it for their markup.
inline constexpr size_t kMaxShownNameUnits = 64;
std::string ShownName(std::string_view by);

// The notice's time as Alert.event_time text: kAcknowledged `at`; kResolved the alarm's own
// time, else `at`. nullopt when neither is set.
std::optional<std::string> NoticeTime(const Notice& notice);

// "✅ 확인됨: root 계정 — @alice (Telegram), 2026-03-02 18:50:02 KST (인시던트 #12)" or
// "🟢 해소됨: root 계정 OK 2026-03-02 19:05:31 KST (인시던트 #12)", after "[DRILL] " for
// drills. `shown_by` is ShownName(notice.by) as the channel made it safe for its markup.
std::string NoticeHeadline(const Notice& notice, const DisplayZone& tz, std::string_view shown_by);

// kResolved: the OK alarm's reason when it is short enough for a notice, on one line.
inline constexpr size_t kMaxNoticeReasonUnits = 300;
std::optional<std::string> ShortNoticeReason(const Notice& notice);

}  // namespace rr
