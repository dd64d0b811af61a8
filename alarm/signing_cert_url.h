// Which SigningCertURLs a certificate may be fetched from (aws-formats.md §3.3 step 4).
//
// The URL is parsed, then its parts are judged; nothing is matched against the whole string.
// Anything a browser, curl and this parser might read differently is refused rather than
// interpreted: percent-encoding, backslashes, userinfo, a query or fragment, non-ASCII (IDN)
// and whitespace.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alarm/status.h"

namespace rr {

// A host trusted besides the SNS hosts, for tests and emulators (moto, LocalStack).
struct TrustedCertHost {
  // The URL's authority exactly, compared without case: "127.0.0.1:4566", "[::1]:8443",
  // "localhost:5055", "sns-certs.internal.example". Without a port it matches only URLs that
  // give none.
  std::string authority;
  // Also accept http://. Honoured only for loopback hosts (127.0.0.1, [::1], localhost): a
  // certificate that travelled over plain HTTP from anywhere else could have been swapped.
  bool allow_http = false;
};

struct CertUrlPolicy {
  std::vector<TrustedCertHost> extra_hosts;
};

// Ok when `url` is https on port 443 of sns.<region>.amazonaws.com
// (sns.<cn-region>.amazonaws.com.cn in China), or on one of `policy.extra_hosts`, with a path
// ending in ".pem". Otherwise the reason names the part that is wrong ("SigningCertURL host
// evil.com is not an SNS host"). Reasons never repeat userinfo (it may hold a password).
Status CheckSigningCertUrl(std::string_view url, const CertUrlPolicy& policy);

// "sns.ap-northeast-2.amazonaws.com", "sns.us-gov-west-1.amazonaws.com",
// "sns.cn-north-1.amazonaws.com.cn" (lower case, as the parser leaves it).
bool IsSnsHost(std::string_view host);

// 127.0.0.1, [::1] or localhost (lower case).
bool IsLoopbackHost(std::string_view host);

}  // namespace rr
