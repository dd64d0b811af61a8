// The verdict on one HTTP attempt, from status and body, per channel (after Alertmanager's
// Notify returning (retry?, error)): success only when the service says so.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "alarm/json.h"
#include "channels/http_client.h"
#include "channels/http_request.h"

namespace rr {

struct Classification {
  enum class Kind { kSuccess, kRetryable, kPermanent };
  Kind kind = Kind::kPermanent;
  // Empty on success, else one of rate_limited, server_error, client_error, auth_error,
  // network, deadline, vendor:<code>.
  std::string reason;
  std::string detail;  // the service's words (Telegram description, NHN resultMessage)
  std::optional<std::chrono::milliseconds> retry_after;  // the server's requested wait
  // A corrected request to send once instead (Telegram: the migrated chat, or plain text).
  std::optional<HttpRequest> resend;
  // Something the operator should change in the configuration (a migrated chat id).
  std::string config_hint;

  bool success() const { return kind == Kind::kSuccess; }
  bool retryable() const { return kind == Kind::kRetryable; }
  static Classification Success() { return {Kind::kSuccess, "", "", {}, {}, ""}; }
};

// The part every channel shares: transport failures, and status codes before any body is read.
// Returns nullopt for a 2xx answer, which only the channel can judge.
//   network (retryable): no HTTP answer (connection refused, DNS, TLS, timeout, reset)
//   rate_limited (retryable): 429, with Retry-After honoured
//   server_error (retryable): 408, 425, 5xx
//   auth_error (permanent): 401, 403
//   client_error (permanent): any other status
std::optional<Classification> ClassifyTransportAndStatus(const HttpResponse& response,
                                                         std::chrono::system_clock::time_point now);

// Parses an answer body for the vendor checks; false when it is not a JSON object.
bool ParseAnswerBody(const std::string& body, JsonDocument* doc);

}  // namespace rr
