#include "responder/aws_endpoint.h"

#include <algorithm>

#include "responder/loopback_host.h"

namespace rr {
namespace {

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower == "true";
}

// "CloudWatch Logs" -> "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", as the SDKs spell it.
std::string ServiceVariable(std::string_view id) {
  std::string name = "AWS_ENDPOINT_URL_";
  for (char c : id) name.push_back(c == ' ' ? '_' : static_cast<char>(::toupper(c)));
  return name;
}

// Why `url` cannot be an endpoint override, or empty. Signed requests go to the root path: the
// SigV4 of libcurl 7.88 does not encode the canonical URI, and AWS endpoints have no path.
std::string OverrideProblem(std::string_view url) {
  std::string_view rest;
  bool https = url.starts_with("https://");
  if (https) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return "must be an https:// URL (or http:// to a loopback address)";
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return "must be a base URL without a query or fragment";
  }
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && rest.substr(slash) != "/") {
    return "must be a base URL without a path";
  }
  if (authority.find('@') != std::string_view::npos) return "must not carry a user name";
  std::string_view host = UrlHost(url);
  if (host.empty()) return "has no host";
  if (!https && !IsLoopbackAddress(host)) {
    return "must use https (plain http is allowed only to a loopback address)";
  }
  return {};
}

}  // namespace

std::string AwsEndpoint::SigV4Provider() const { return "aws:amz:" + region + ":" + signing_name; }

bool IsValidAwsRegion(std::string_view region) {
  if (region.empty() || region.size() > 32 || !::islower(region.front()) || region.back() == '-') {
    return false;
  }
  char previous = 0;
  for (char c : region) {
    bool ok = ::islower(c) || ::isdigit(c) || (c == '-' && previous != '-');
    if (!ok) return false;
    previous = c;
  }
  return true;
}

std::string_view UrlHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.starts_with("[")) {
    const size_t close = rest.find(']');
    return close == std::string_view::npos ? std::string_view() : rest.substr(0, close + 1);
  }
  return rest.substr(0, rest.find(':'));
}

Result<AwsEndpoint> ResolveAwsEndpoint(const AwsService& service, const std::string& region,
                                       const GetEnv& env, const std::string& explicit_url) {
  if (!IsValidAwsRegion(region)) {
    return Status::InvalidArgument("AWS region \"" + region +
                                   "\" is not a region code (e.g. ap-northeast-2)");
  }
  AwsEndpoint endpoint;
  endpoint.region = region;
  endpoint.signing_name = service.signing_name;
  endpoint.json_version = service.json_version;

  std::string url = explicit_url;
  std::string origin = "explicit";
  if (url.empty() && !IsTrue(env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    for (const std::string& variable :
         {ServiceVariable(service.id), std::string("AWS_ENDPOINT_URL")}) {
      std::optional<std::string> value = env(variable);
      if (value && !value->empty()) {
        url = *value;
        origin = variable;
        break;
      }
    }
  }
  if (url.empty()) {
    const char* suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
    endpoint.url = "https://" + std::string(service.endpoint_prefix) + "." + region + suffix;
    endpoint.origin = "default";
    return endpoint;
  }
  if (std::string problem = OverrideProblem(url); !problem.empty()) {
    return Status::InvalidArgument(origin + " endpoint \"" + url + "\" " + problem);
  }
  while (url.ends_with("/")) url.pop_back();
  endpoint.url = url;
  endpoint.origin = origin;
  return endpoint;
}

}  // namespace rr
