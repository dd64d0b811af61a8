#include "responder/loopback_host.h"

#include <arpa/inet.h>

#include <string>

namespace rr {

bool IsLoopbackAddress(std::string_view host) {
  if (host == "localhost" || host == "[::1]") return true;
  in_addr addr{};
  const std::string text(host);
  return inet_pton(AF_INET, text.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

}  // namespace rr
