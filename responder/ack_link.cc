#include "responder/ack_link.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>
#include <vector>

#include "alarm/aws_time.h"

namespace rr {
namespace {

// Purpose strings: the first field of every MAC input, so a MAC made for one use is never valid
// for another (a Telegram button's MAC as a link's, or a later version's as v1's).
constexpr std::string_view kLinkPurpose = "root-responder ack-link v1";
constexpr std::string_view kTelegramPurpose = "root-responder ack-telegram v1";
constexpr std::string_view kLinkVersion = "v1";
constexpr std::string_view kTelegramPrefix = "ack:";

// 128 bits of the HMAC: far beyond guessing online, and 22 characters instead of 43 (chat apps
// wrap long URLs, and Telegram's callback_data holds 64 bytes).
constexpr size_t kMacBytes = 16;
constexpr size_t kMacChars = 22;  // base64url of 16 bytes, unpadded
// Longer than any token SignAckToken makes ("v1." + 19 digits + "." + 19 digits + "." + MAC).
constexpr size_t kMaxTokenChars = 3 + 19 + 1 + 19 + 1 + kMacChars;
// The last second a system_clock time point holds (2262 with nanosecond ticks): SignAckToken
// never writes a later one, and converting one would overflow.
constexpr int64_t kMaxExpirySeconds =
    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max())
        .count();

std::string Base64UrlUnpadded(const unsigned char* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  for (size_t i = 0; i < size; i += 3) {
    uint32_t n = static_cast<uint32_t>(data[i]) << 16;
    if (i + 1 < size) n |= static_cast<uint32_t>(data[i + 1]) << 8;
    if (i + 2 < size) n |= data[i + 2];
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    if (i + 1 < size) out.push_back(kAlphabet[(n >> 6) & 63]);
    if (i + 2 < size) out.push_back(kAlphabet[n & 63]);
  }
  return out;
}

// The MAC of `purpose` and `fields`, each line-separated. Fields are canonical decimals, so no
// field can carry a separator and the joined input names exactly one claim.
std::string Mac(std::string_view secret, std::string_view purpose,
                std::initializer_list<std::string_view> fields) {
  std::string input(purpose);
  for (std::string_view field : fields) {
    input.push_back('\n');
    input.append(field);
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_size = 0;
  // HMAC() accepts an empty key; callers refuse an empty secret before it gets here.
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data(),
           &digest_size) == nullptr ||
      digest_size < kMacBytes) {
    return std::string();  // never equal to a well-formed MAC: nothing verifies
  }
  std::string mac = Base64UrlUnpadded(digest.data(), kMacBytes);
  OPENSSL_cleanse(digest.data(), digest.size());
  return mac;
}

bool SameMac(std::string_view expected, std::string_view given) {
  return expected.size() == kMacChars && given.size() == kMacChars &&
         CRYPTO_memcmp(expected.data(), given.data(), kMacChars) == 0;
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool LooksLikeMac(std::string_view text) {
  if (text.size() != kMacChars) return false;
  for (char c : text) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

// A canonical non-negative decimal that fits int64_t: digits only, no sign, no leading zero.
std::optional<int64_t> ParseCanonical(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Splits on every '.'; a token with more or fewer parts than expected is malformed.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  while (true) {
    size_t end = text.find(separator, begin);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(begin));
      return parts;
    }
    parts.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

int64_t EpochSeconds(std::chrono::system_clock::time_point tp) {
  int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(tp.time_since_epoch()).count();
  return seconds < 0 ? 0 : seconds;
}

Status Malformed(std::string_view what) {
  return Status::InvalidArgument("ack link is malformed: " + std::string(what));
}

}  // namespace

std::string SignAckToken(std::string_view secret, int64_t incident_id,
                         std::chrono::system_clock::time_point expires_at) {
  const std::string id = std::to_string(incident_id);
  const std::string expiry = std::to_string(EpochSeconds(expires_at));
  std::string token(kLinkVersion);
  token.append(".").append(id).append(".").append(expiry).append(".");
  token.append(Mac(secret, kLinkPurpose, {id, expiry}));
  return token;
}

Result<AckClaim> VerifyAckToken(std::string_view secret, std::string_view token,
                                std::chrono::system_clock::time_point now) {
  if (token.empty()) return Malformed("empty");
  if (token.size() > kMaxTokenChars) return Malformed("too long");
  std::vector<std::string_view> parts = Split(token, '.');
  if (parts.size() != 4) return Malformed("expected version.incident.expiry.signature");
  if (parts[0] != kLinkVersion) return Malformed("unknown version");
  std::optional<int64_t> id = ParseCanonical(parts[1]);
  if (!id || *id <= 0) return Malformed("incident is not a positive number");
  std::optional<int64_t> expiry = ParseCanonical(parts[2]);
  if (!expiry) return Malformed("expiry is not a number");
  if (*expiry > kMaxExpirySeconds) return Malformed("expiry is out of range");
  if (!LooksLikeMac(parts[3])) return Malformed("signature has the wrong form");

  if (secret.empty() || !SameMac(Mac(secret, kLinkPurpose, {parts[1], parts[2]}), parts[3])) {
    return Status::NotFound("ack link has a bad signature (forged, altered, or another secret)");
  }
  AckClaim claim;
  claim.incident_id = *id;
  claim.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(*expiry));
  if (now >= claim.expires_at) {
    return Status::DeadlineExceeded("ack link expired at " + FormatUtc(*expiry));
  }
  return claim;
}

std::string AckUrl(std::string_view base_url, std::string_view token) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::string url(base_url);
  url.append("/ack/").append(token);
  return url;
}

std::string TelegramAckData(std::string_view secret, int64_t incident_id) {
  const std::string id = std::to_string(incident_id);
  std::string data(kTelegramPrefix);
  data.append(id).append(":").append(Mac(secret, kTelegramPurpose, {id}));
  return data;
}

std::optional<int64_t> IncidentOfTelegramAckData(std::string_view secret, std::string_view data) {
  if (secret.empty() || data.size() > 64 ||
      data.substr(0, kTelegramPrefix.size()) != kTelegramPrefix) {
    return std::nullopt;
  }
  std::vector<std::string_view> parts = Split(data.substr(kTelegramPrefix.size()), ':');
  if (parts.size() != 2) return std::nullopt;
  std::optional<int64_t> id = ParseCanonical(parts[0]);
  if (!id || *id <= 0 || !LooksLikeMac(parts[1])) return std::nullopt;
  if (!SameMac(Mac(secret, kTelegramPurpose, {parts[0]}), parts[1])) return std::nullopt;
  return id;
}

}  // namespace rr
