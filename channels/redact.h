// The one redaction function. Every log line, error string and outcome that could carry a
// request's URL, headers or body passes through here before anyone sees it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rr {

inline constexpr std::string_view kRedacted = "<redacted>";

// Returns `text` with:
//  - each secret replaced by "<redacted>", also where it appears percent-encoded (either hex
//    case, fully or partly, '+' for space) or JSON-escaped; secrets shorter than 4 characters
//    are ignored (they would blank out ordinary text and protect nothing);
//  - each phone number masked to its last four digits ("01012345678" -> "*******5678"), also
//    when written with separators ("010-1234-5678" -> "***-****-5678") or with the country
//    code instead of the trunk zero ("+82 10-1234-5678"); numbers under 5 digits are ignored;
//  - as a safety net for secrets nobody listed, URL paths and headers known to carry them:
//    Telegram "/bot<token>" -> "/bot<redacted>", Dooray and Slack hooks
//    "/services/<tenant>/<hook>/<token>" -> "/services/<redacted>", NHN
//    "/appKeys/<key>" -> "/appKeys/<redacted>", and the values of X-Secret-Key,
//    Authorization, Proxy-Authorization, X-NHN-Authorization, Cookie and Set-Cookie.
std::string Redact(std::string_view text, const std::vector<std::string>& secrets,
                   const std::vector<std::string>& phone_numbers);

// A process-wide registry of secrets and phone numbers, filled from configuration at start-up
// (and by anything that learns a secret later). Thread-safe; entries are never removed.
void RegisterSecret(std::string_view secret);
void RegisterPhoneNumber(std::string_view phone_number);

// Redact() with everything registered, plus `extra_secrets` and `extra_phone_numbers` (for
// example an HttpRequest's own lists). Thread-safe.
std::string RedactKnown(std::string_view text, const std::vector<std::string>& extra_secrets = {},
                        const std::vector<std::string>& extra_phone_numbers = {});

// "01012345678" -> "*******5678": digits other than the last four become '*', separators stay.
std::string MaskPhoneNumber(std::string_view phone_number);

}  // namespace rr
