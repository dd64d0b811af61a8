#include "responder/client_options.h"

#include <glog/logging.h>

namespace rr {

HttpClientOptions ClientOptionsFor(const Config& config, bool verbose) {
  HttpClientOptions o;
  o.ca_bundle = config.http.ca_bundle;
  o.proxy = config.http.proxy;
  o.connect_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(config.http.connect_timeout_seconds * 1000));
  o.total_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(config.http.timeout_seconds * 1000));
  o.verbose = verbose;
  o.verbose_sink = [](std::string_view line) { LOG(INFO) << "curl " << line; };
  return o;
}

}  // namespace rr
