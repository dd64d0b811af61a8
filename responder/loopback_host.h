// Whether a host is this machine: where plain http (fake providers, emulators, a local gateway)
// and an unsigned SNS endpoint are allowed. alarm/signing_cert_url.h has a stricter twin on
// purpose (127.0.0.1 only) for certificate URLs; alarm/ cannot depend on responder/.
#pragma once

#include <string_view>

namespace rr {

// "localhost", "[::1]" or an IPv4 address in 127.0.0.0/8, parsed ("127.0.0.1.nip.io" is not).
bool IsLoopbackAddress(std::string_view host);

}  // namespace rr
