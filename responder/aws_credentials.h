// AWS credentials found the way the AWS SDKs find them, and the region.
//
// The chain, in order: environment variables; the shared credentials and config files (one
// profile); the ECS / EKS container credentials endpoint; the EC2 instance metadata service
// (IMDSv2). A source that is not set up is skipped; a source that is set up but broken (a key
// without its secret, a profile that does not exist, an endpoint that answers badly) stops the
// chain, so a typo never silently falls through to other credentials. Temporary credentials are
// cached and fetched again shortly before they expire.
//
// Errors name every source tried and why each gave nothing; they never contain a key, a secret,
// a session token or an authorization token.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "alarm/status.h"
#include "channels/clock.h"
#include "channels/http_client.h"
#include "channels/http_request.h"
#include "responder/config.h"

namespace rr {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When temporary credentials stop working; nullopt for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Where they came from, for logs: "environment", "profile dev (/home/u/.aws/credentials)",
  // "container endpoint", "EC2 instance role web-role".
  std::string source;

  // The signing block for one request to `region` and `signing_name`.
  AwsSigV4 SigV4(const std::string& region, const std::string& signing_name) const;
};

class AwsCredentialsProvider {
 public:
  virtual ~AwsCredentialsProvider() = default;
  // Credentials good for a request now, or why there are none. Thread-safe.
  virtual Result<AwsCredentials> Get() = 0;
};

// Fixed credentials (tests, or keys handed over explicitly).
class StaticAwsCredentials final : public AwsCredentialsProvider {
 public:
  explicit StaticAwsCredentials(AwsCredentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<AwsCredentials> Get() override { return credentials_; }

 private:
  AwsCredentials credentials_;
};

struct AwsCredentialChainOptions {
  // The profile, e.g. from a --profile flag; empty: AWS_PROFILE, else "default".
  std::string profile;
  // Temporary credentials are fetched again when less than this is left before they expire.
  std::chrono::seconds refresh_before{300};
  // After a failed refresh while the old credentials still work, wait this long before trying
  // again (so a dead metadata endpoint does not slow every call).
  std::chrono::seconds retry_refresh_after{30};
  // Each request to IMDS (1 s, as the SDKs: off EC2 nothing answers) and to the container
  // endpoint (2 s, tried three times, as botocore).
  std::chrono::milliseconds metadata_timeout{1000};
  std::chrono::milliseconds container_timeout{2000};
  // Where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points; tests put a loopback fake here.
  std::string container_host = "http://169.254.170.2";
  std::string ca_bundle;  // for an https AWS_CONTAINER_CREDENTIALS_FULL_URI; empty: system's
};

// The SDKs' default chain. Reads the environment through `env` (HOME included), files from
// disk, endpoints over its own HTTP client (no proxy: metadata endpoints are link-local).
// `clock` decides when temporary credentials are due for refresh.
class AwsCredentialChain final : public AwsCredentialsProvider {
 public:
  AwsCredentialChain(Clock& clock, GetEnv env, AwsCredentialChainOptions options = {});
  ~AwsCredentialChain() override;

  Result<AwsCredentials> Get() override;

 private:
  class Sources;
  Clock& clock_;
  const AwsCredentialChainOptions options_;
  std::unique_ptr<Sources> sources_;
  std::mutex mu_;  // one lookup at a time; the others wait for its result
  std::optional<AwsCredentials> cached_;
  std::chrono::steady_clock::time_point next_refresh_try_{};
};

// The region: `flag` when given, else AWS_REGION, AWS_DEFAULT_REGION, else the `region` of the
// profile (`profile`, AWS_PROFILE or "default") in the config file (AWS_CONFIG_FILE or
// ~/.aws/config). The error says where it looked, or which value is not a region code.
Result<std::string> ResolveAwsRegion(const GetEnv& env, const std::string& flag = "",
                                     const std::string& profile = "");

}  // namespace rr
