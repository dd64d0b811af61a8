// The HTTP request a channel renders and the answer it classifies. Plain data, no I/O.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rr {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  HttpHeaders headers;
  std::string body;
  // Substrings of url, headers and body that must never be shown: hook tokens, bot tokens,
  // secret keys. Phone numbers are listed separately so they can keep their last four digits.
  std::vector<std::string> secrets;
  std::vector<std::string> phone_numbers;
};

}  // namespace rr
