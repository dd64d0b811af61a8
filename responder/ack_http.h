// What `GET|HEAD|POST /ack/<token>` answers, without a server: the confirmation page, the
// acknowledgement itself, and the refusals. The daemon's HTTP server only moves bytes.
//
// GET and HEAD never acknowledge: Dooray, Telegram and Slack fetch every link they post to draw
// a preview, so a GET that acknowledged would stop the escalation before anybody read the page.
// They show the incident and a form that POSTs back to the same URL; only that POST
// acknowledges. Pages are Korean first, English second, self-contained (no script, no external
// resource) and forbid caching, framing, indexing and referrers (the URL is the capability).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "channels/display_zone.h"

namespace rr {

// A form with a name in it is a few dozen bytes; anything near this is not our form.
inline constexpr size_t kMaxAckBodyBytes = 4096;
// Longest name kept for "acknowledged by", in characters (code points).
inline constexpr size_t kMaxAckNameChars = 64;

enum class AckState { kAcknowledged, kAlreadyAcknowledged, kUnknownIncident, kUnavailable };

struct AckResult {
  AckState state = AckState::kUnavailable;
  std::string by;  // who acknowledged; empty while nobody has
  std::chrono::system_clock::time_point at;
  std::string subject;  // the incident's subject, shown on the page
};

// Acknowledges (at most once per incident): kAcknowledged when this call did, with `by` as
// given; kAlreadyAcknowledged with who and when when somebody did before.
using AckAction = std::function<AckResult(int64_t incident_id, const std::string& by)>;
// Read-only, for the GET page: kAcknowledged for a known incident, with `by` empty while it is
// still open (kAlreadyAcknowledged, or a non-empty `by`, shows who acknowledged it and when).
// Never acknowledges.
using AckLookup = std::function<AckResult(int64_t incident_id)>;

struct AckHttpAnswer {
  int status = 200;
  std::string content_type;
  std::string body;  // also for HEAD: the server sends its length, not its bytes
  std::vector<std::pair<std::string, std::string>> headers;
};

// Answers one request to /ack/<token>. `content_type` and `body` matter for POST only: an
// application/x-www-form-urlencoded form whose optional "name" says who acknowledges (cleaned:
// control characters removed, trimmed, at most kMaxAckNameChars; "link" when empty).
//   200  the page (GET/HEAD), or the result of a POST (acknowledged now or before)
//   403  bad signature   404  malformed token or unknown incident   405  another method
//   410  expired   413  body over kMaxAckBodyBytes   415  POST that is not a form
//   503  the incident store is unavailable (or no secret is configured)
// No answer repeats the token or the secret. Times are shown in `zone`.
AckHttpAnswer HandleAckHttp(std::string_view method, std::string_view token,
                            std::string_view content_type, std::string_view body,
                            std::string_view secret, std::chrono::system_clock::time_point now,
                            const AckLookup& lookup, const AckAction& act, const DisplayZone& zone);

// The "name" field of a form body, URL-decoded and cleaned as HandleAckHttp does; "link" when
// absent or empty after cleaning.
std::string AckNameFromForm(std::string_view body);

}  // namespace rr
