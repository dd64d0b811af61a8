// The SNS endpoint's verify and confirm hooks, built from the serve options: the verifier of
// alarm/sns_verifier.h with signing certificates fetched over verified TLS by the one HTTP
// client, and subscription confirmation by a GET of SubscribeURL, only to an SNS host (or a
// host trusted for tests).
#pragma once

#include "alarm/signing_cert_url.h"
#include "alarm/status.h"
#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/serve_command.h"
#include "responder/sns_http_endpoint.h"

namespace rr {

// Fails with a message naming the option at fault: no topics allowed, an unreadable or
// invalid certificate file, a malformed trusted host.
Result<SnsEndpointHooks> MakeSnsHooks(const ServeOptions& options, HttpClient& client,
                                      Clock& clock);

// Ok when `url` may be fetched to confirm a subscription: https, an SNS host (or one in
// `trusted_hosts`, where loopback may use http), path "/" with Action=ConfirmSubscription.
Status CheckSubscribeUrl(const std::string& url, const CertUrlPolicy& trusted_hosts);

}  // namespace rr
