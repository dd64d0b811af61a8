#include "responder/ack_link.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace rr {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

constexpr char kSecret[] = "test-secret";
constexpr char kOtherSecret[] = "test-secret-rotated";
const Clock::time_point kExpiry{seconds(1767225600)};  // 2026-01-01T00:00:00Z
const Clock::time_point kBefore = kExpiry - std::chrono::hours(1);

// The parts of a token, to rebuild it with one of them changed.
std::vector<std::string> Parts(const std::string& token) {
  std::vector<std::string> parts(1);
  for (char c : token) {
    if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

TEST(AckLink, RoundTrip) {
  std::string token = SignAckToken(kSecret, 42, kExpiry);
  Result<AckClaim> claim = VerifyAckToken(kSecret, token, kBefore);
  ASSERT_TRUE(claim.ok()) << claim.status().ToString();
  EXPECT_EQ(claim->incident_id, 42);
  EXPECT_EQ(claim->expires_at, kExpiry);
}

// The format is a contract with links already posted in chat: a change to it must be deliberate.
// Expected MAC: base64url(HMAC-SHA256("test-secret", "root-responder ack-link v1\n42\n1767225600")
// [0:16]), computed with Python's hmac module.
TEST(AckLink, KnownVector) {
  EXPECT_EQ(SignAckToken(kSecret, 42, kExpiry), "v1.42.1767225600.Qi_lLV6UG3nJKvlPr2Z0Pw");
  EXPECT_EQ(TelegramAckData(kSecret, 42), "ack:42:XIYJ8NZikcWFu_GnW29YVQ");
}

TEST(AckLink, TokenIsShortAndUrlSafe) {
  std::string token = SignAckToken(kSecret, 123456, kExpiry);
  EXPECT_LE(token.size(), 48u) << token;
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
        << token;
  }
  std::string longest =
      SignAckToken(kSecret, std::numeric_limits<int64_t>::max(), Clock::time_point::max());
  EXPECT_LE(longest.size(), 65u) << longest;
  EXPECT_TRUE(VerifyAckToken(kSecret, longest, kBefore).ok()) << longest;
}

TEST(AckLink, SubSecondExpiryIsCutToTheSecond) {
  std::string token = SignAckToken(kSecret, 7, kExpiry + std::chrono::milliseconds(999));
  Result<AckClaim> claim = VerifyAckToken(kSecret, token, kBefore);
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->expires_at, kExpiry);
}

TEST(AckLink, EveryChangedMacCharacterIsABadSignature) {
  std::vector<std::string> parts = Parts(SignAckToken(kSecret, 42, kExpiry));
  ASSERT_EQ(parts.size(), 4u);
  for (size_t i = 0; i < parts[3].size(); ++i) {
    std::vector<std::string> forged = parts;
    forged[3][i] = forged[3][i] == 'A' ? 'B' : 'A';
    Result<AckClaim> claim = VerifyAckToken(kSecret, Join(forged), kBefore);
    ASSERT_FALSE(claim.ok()) << i;
    EXPECT_EQ(claim.status().code(), Status::Code::kNotFound) << i;
    EXPECT_NE(claim.status().message().find("bad signature"), std::string::npos);
  }
}

TEST(AckLink, AnotherSecretIsABadSignature) {
  Result<AckClaim> claim =
      VerifyAckToken(kOtherSecret, SignAckToken(kSecret, 42, kExpiry), kBefore);
  ASSERT_FALSE(claim.ok());
  EXPECT_EQ(claim.status().code(), Status::Code::kNotFound);
}

TEST(AckLink, AnEmptySecretVerifiesNothing) {
  EXPECT_FALSE(VerifyAckToken("", SignAckToken("", 42, kExpiry), kBefore).ok());
  EXPECT_EQ(IncidentOfTelegramAckData("", TelegramAckData("", 42)), std::nullopt);
}

TEST(AckLink, TamperedIncidentOrExpiryIsABadSignature) {
  std::vector<std::string> parts = Parts(SignAckToken(kSecret, 42, kExpiry));
  std::vector<std::string> other_incident = parts;
  other_incident[1] = "43";
  std::vector<std::string> later = parts;
  later[2] = std::to_string(1767225600 + 86400 * 365);
  for (const auto& forged : {other_incident, later}) {
    Result<AckClaim> claim = VerifyAckToken(kSecret, Join(forged), kBefore);
    ASSERT_FALSE(claim.ok()) << Join(forged);
    EXPECT_EQ(claim.status().code(), Status::Code::kNotFound) << Join(forged);
  }
}

TEST(AckLink, ExpiredFromTheExpirySecondOnAndSaysWhen) {
  std::string token = SignAckToken(kSecret, 42, kExpiry);
  EXPECT_TRUE(VerifyAckToken(kSecret, token, kExpiry - seconds(1)).ok());
  for (Clock::time_point now : {kExpiry, kExpiry + std::chrono::hours(24 * 400)}) {
    Result<AckClaim> claim = VerifyAckToken(kSecret, token, now);
    ASSERT_FALSE(claim.ok());
    EXPECT_EQ(claim.status().code(), Status::Code::kDeadlineExceeded);
    EXPECT_NE(claim.status().message().find("expired at 2026-01-01T00:00:00Z"), std::string::npos)
        << claim.status().message();
  }
}

TEST(AckLink, AForgedExpiredTokenIsABadSignatureNotExpired) {
  std::vector<std::string> parts = Parts(SignAckToken(kSecret, 42, kExpiry));
  parts[3][0] = parts[3][0] == 'A' ? 'B' : 'A';
  Result<AckClaim> claim = VerifyAckToken(kSecret, Join(parts), kExpiry + seconds(10));
  ASSERT_FALSE(claim.ok());
  EXPECT_EQ(claim.status().code(), Status::Code::kNotFound);
}

TEST(AckLink, MalformedTokens) {
  const std::string good = SignAckToken(kSecret, 42, kExpiry);
  const std::string mac = Parts(good)[3];
  const std::vector<std::string> cases = {
      "",
      ".",
      "...",
      "v1",
      "v1.42",
      "v1.42.1767225600",
      "v1.42.1767225600.",
      "v2.42.1767225600." + mac,
      "V1.42.1767225600." + mac,
      "v1.042.1767225600." + mac,                     // leading zero
      "v1.+42.1767225600." + mac,                     // sign
      "v1.-42.1767225600." + mac,                     // sign
      "v1.0.1767225600." + mac,                       // no incident 0
      "v1. 42.1767225600." + mac,                     // space
      "v1.42.01767225600." + mac,                     // leading zero in the expiry
      "v1.42.-1." + mac,                              // negative expiry
      "v1.42.1767225600.0." + mac,                    // extra field
      "v1.4.2.1767225600." + mac,                     // extra dot
      "v1.42.1767225600." + mac + "=",                // padding
      "v1.42.1767225600." + mac + ".",                // trailing dot
      "v1.42.1767225600." + mac + "x",                // trailing garbage
      "v1.42.1767225600." + mac + "\n",               // trailing newline
      " " + good,                                     // leading space
      "v1.42.1767225600." + mac.substr(1),            // short MAC
      "v1.42.1767225600." + mac.substr(0, 21) + "+",  // base64, not base64url
      "v1.42.1767225600." + mac.substr(0, 21) + "/",
      "v1.9223372036854775808.1767225600." + mac,      // INT64_MAX + 1
      "v1.99999999999999999999.1767225600." + mac,     // 20 digits
      "v1.42.9223372036854775808." + mac,              // expiry overflow
      "v1.42.1767225600." + std::string(22, '\0'),     // NUL bytes
      "v1.٤٢.1767225600." + mac,                       // Arabic-Indic digits
      "v1.42.1767225600." + mac.substr(0, 20) + "가",  // UTF-8 in the MAC
      "v1.42.1767225600." + std::string(10000, 'A'),   // huge
      std::string(1 << 16, '.'),
  };
  for (const std::string& token : cases) {
    Result<AckClaim> claim = VerifyAckToken(kSecret, token, kBefore);
    ASSERT_FALSE(claim.ok()) << "accepted: " << token;
    EXPECT_EQ(claim.status().code(), Status::Code::kInvalidArgument) << token;
    EXPECT_NE(claim.status().message().find("malformed"), std::string::npos) << token;
  }
}

// Found by fuzz_ack_inputs: an authentic token whose expiry is past what a time point holds
// (nanosecond ticks end in 2262) overflowed when it became one. Such a token is never made
// here, but one signed elsewhere with the secret must still be refused, not undefined.
// MACs computed with Python's hmac module, as in KnownVector.
TEST(AckLink, ExpiryPastTheClockIsMalformedEvenWhenSigned) {
  const std::string last = "v1.42.9223372036.0iWBtgx0UjjqMc0P83oqKQ";  // the last second held
  EXPECT_EQ(SignAckToken(kSecret, 42, Clock::time_point::max()), last);
  Result<AckClaim> claim = VerifyAckToken(kSecret, last, kBefore);
  ASSERT_TRUE(claim.ok()) << claim.status().ToString();
  EXPECT_EQ(SignAckToken(kSecret, 42, claim->expires_at), last);

  for (const std::string token :
       {"v1.42.9223372037.yrUC8sUmeB3gGBYoYUQakw", "v1.42.17804358400.hD9YkZmMlzg98LW8XPYlRQ",
        "v1.42.9223372036854775807.pxrcVsOZ6jgZ1TL-DmCBZA"}) {
    Result<AckClaim> past = VerifyAckToken(kSecret, token, kBefore);
    ASSERT_FALSE(past.ok()) << token;
    EXPECT_EQ(past.status().code(), Status::Code::kInvalidArgument) << token;
    EXPECT_NE(past.status().message().find("out of range"), std::string::npos) << token;
  }
}

TEST(AckLink, ErrorsNeverEchoTheSecretOrTheToken) {
  const std::string secret = "PlantedAckSecretR7u";
  const std::string token = SignAckToken(secret, 42, kExpiry);
  std::vector<std::string> messages = {
      VerifyAckToken(secret, token, kExpiry).status().ToString(),
      VerifyAckToken("another-secret", token, kBefore).status().ToString(),
      VerifyAckToken(secret, token + "x", kBefore).status().ToString(),
      VerifyAckToken(secret, "v2" + token.substr(2), kBefore).status().ToString(),
  };
  const std::string mac = Parts(token)[3];
  for (const std::string& message : messages) {
    EXPECT_EQ(message.find(secret), std::string::npos) << message;
    EXPECT_EQ(message.find(mac), std::string::npos) << message;
  }
}

TEST(AckLink, AckUrlHasOneSlashBeforeAck) {
  EXPECT_EQ(AckUrl("https://rr.example.com", "TOK"), "https://rr.example.com/ack/TOK");
  EXPECT_EQ(AckUrl("https://rr.example.com/", "TOK"), "https://rr.example.com/ack/TOK");
  EXPECT_EQ(AckUrl("https://rr.example.com//", "TOK"), "https://rr.example.com/ack/TOK");
  EXPECT_EQ(AckUrl("https://example.com/rr/", "TOK"), "https://example.com/rr/ack/TOK");
}

TEST(AckLink, TelegramDataRoundTripWithin64Bytes) {
  for (int64_t id : {int64_t{1}, int64_t{42}, std::numeric_limits<int64_t>::max()}) {
    std::string data = TelegramAckData(kSecret, id);
    EXPECT_GE(data.size(), 1u);
    EXPECT_LE(data.size(), 64u) << data;
    EXPECT_EQ(data.rfind("ack:", 0), 0u) << data;
    EXPECT_EQ(IncidentOfTelegramAckData(kSecret, data), id) << data;
  }
}

TEST(AckLink, TelegramDataRefusals) {
  const std::string data = TelegramAckData(kSecret, 42);
  const std::string mac = data.substr(data.rfind(':') + 1);
  EXPECT_EQ(IncidentOfTelegramAckData(kOtherSecret, data), std::nullopt);
  const std::vector<std::string> cases = {
      "",
      "ack:",
      "ack:42",
      "ack:42:",
      "ack:43:" + mac,
      "ack:042:" + mac,
      "ack:+42:" + mac,
      "ack:0:" + mac,
      "ACK:42:" + mac,
      "ack:42:" + mac + "x",
      "ack:42:" + mac + ":",
      "ack:42:1:" + mac,
      "nak:42:" + mac,
      data + std::string(64, 'A'),
  };
  for (const std::string& bad : cases) {
    EXPECT_EQ(IncidentOfTelegramAckData(kSecret, bad), std::nullopt) << bad;
  }
  for (size_t i = 0; i < mac.size(); ++i) {
    std::string forged = data;
    char& c = forged[forged.size() - mac.size() + i];
    c = c == 'A' ? 'B' : 'A';
    EXPECT_EQ(IncidentOfTelegramAckData(kSecret, forged), std::nullopt) << forged;
  }
}

// A MAC from one domain never verifies in the other, even put in the other's shape.
TEST(AckLink, TelegramDataAndLinkTokensAreNotInterchangeable) {
  const std::string token = SignAckToken(kSecret, 42, kExpiry);
  const std::string data = TelegramAckData(kSecret, 42);
  const std::string link_mac = Parts(token)[3];
  const std::string telegram_mac = data.substr(data.rfind(':') + 1);
  ASSERT_NE(link_mac, telegram_mac);

  EXPECT_EQ(IncidentOfTelegramAckData(kSecret, token), std::nullopt);
  EXPECT_EQ(IncidentOfTelegramAckData(kSecret, "ack:42:" + link_mac), std::nullopt);
  EXPECT_FALSE(VerifyAckToken(kSecret, data, kBefore).ok());
  Result<AckClaim> reshaped = VerifyAckToken(kSecret, "v1.42.1767225600." + telegram_mac, kBefore);
  ASSERT_FALSE(reshaped.ok());
  EXPECT_EQ(reshaped.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace rr
