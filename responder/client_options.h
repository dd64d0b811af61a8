// The HTTP client settings a configuration asks for (timeouts, CA bundle, proxy), shared by
// every run mode.
#pragma once

#include "channels/http_client.h"
#include "responder/config.h"

namespace rr {

// `verbose`: curl's trace, already redacted by the client, goes to the log.
HttpClientOptions ClientOptionsFor(const Config& config, bool verbose);

}  // namespace rr
