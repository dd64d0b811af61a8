// "ssm:NAME" secret references, read from AWS Systems Manager Parameter Store at start-up:
// GetParameters (AWS JSON 1.1, target AmazonSSM.GetParameters, WithDecryption true) for up to
// ten names per call, so a configuration with a few secrets costs one round trip.
#pragma once

#include <string>
#include <vector>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"
#include "responder/config.h"

namespace rr {

// GetParameters allows at most this many names per call.
inline constexpr size_t kSsmNamesPerCall = 10;

// Reads `names` (names, paths or ARNs, optionally with ":version" or ":label") with decryption.
// A name SSM does not know lands in `missing` ("does not exist"); so does every name of a call
// that failed, with the AWS error. No credentials sets `failure`. Throttling and 5xx are tried
// three times, pausing on `clock`. Values are never logged. The answers carry decrypted
// secrets, so `client` must not trace verbosely: a verbose client is refused.
SecretLookup FetchSsmParameters(HttpClient& client, AwsCredentialsProvider& credentials,
                                const AwsEndpoint& endpoint, const std::vector<std::string>& names,
                                Clock& clock = SystemClock());

// The resolver LoadSetup hands to config parsing. When it is called (only if the configuration
// has ssm: references) it finds the region (AWS_REGION, AWS_DEFAULT_REGION, the profile's),
// the SSM endpoint (AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL) and credentials (the SDK chain),
// all from `env`, and calls SSM over a client built from the configuration's http settings.
SecretResolver MakeSsmSecretResolver(GetEnv env, Clock& clock = SystemClock());

}  // namespace rr
