// Signed acknowledgement links: a page names `{ack.base_url}/ack/{token}`, and whoever opens it
// can stop the incident's escalation. The token is a capability, so it binds the incident and an
// expiry under an HMAC-SHA256 of a secret only the responder knows; nothing is stored per link.
//
// Link token:    "v1.<incident id>.<expiry, Unix seconds>.<MAC>"   (about 45 characters)
// Telegram data: "ack:<incident id>:<MAC>"                          (at most 46 bytes)
// MAC: the first 16 bytes of HMAC-SHA256(secret, purpose "\n" fields...), base64url without
// padding. Links and Telegram buttons use different purpose strings, so neither is ever accepted
// as the other. Numbers are canonical decimal (no sign, no leading zero), so one claim has
// exactly one token.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "alarm/status.h"

namespace rr {

struct AckClaim {
  int64_t incident_id = 0;
  std::chrono::system_clock::time_point expires_at;
};

// A URL-safe token for `incident_id` (positive; a token for any other id never verifies) that
// stops verifying at `expires_at` (whole seconds; earlier than 1970 counts as 1970).
std::string SignAckToken(std::string_view secret, int64_t incident_id,
                         std::chrono::system_clock::time_point expires_at);

// The claim of a token this secret signed that has not expired at `now`. Otherwise a Status
// whose code says what is wrong, in words that never repeat the secret or the token:
//   kInvalidArgument   malformed: not a v1 token (wrong shape, version, number or MAC form,
//                      or an expiry later than a time point holds, which no token of ours has)
//   kNotFound          bad signature: forged, altered, or signed with another secret
//   kDeadlineExceeded  expired (the message says when, in UTC)
// The signature is checked before the expiry, so a forged token never learns about time.
Result<AckClaim> VerifyAckToken(std::string_view secret, std::string_view token,
                                std::chrono::system_clock::time_point now);

// "<base_url>/ack/<token>", with exactly one '/' between base_url and "ack" whether or not
// base_url ends in one.
std::string AckUrl(std::string_view base_url, std::string_view token);

// Telegram's inline-button callback_data for "acknowledge incident_id". It carries no expiry:
// only Telegram sends it back, for a message the bot itself posted.
std::string TelegramAckData(std::string_view secret, int64_t incident_id);

// The incident of callback data TelegramAckData made with this secret; nullopt for anything
// else (another secret, another bot's buttons, a link token, altered bytes).
std::optional<int64_t> IncidentOfTelegramAckData(std::string_view secret, std::string_view data);

}  // namespace rr
