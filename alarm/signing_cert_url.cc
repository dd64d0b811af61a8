#include "alarm/signing_cert_url.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "alarm/quote_input.h"

namespace rr {
namespace {

constexpr size_t kMaxUrlBytes = 2048;

// The parts of an absolute URL, lower-cased where case does not matter (scheme, host).
struct UrlParts {
  std::string scheme;
  std::string host;  // an IPv6 literal keeps its brackets: "[::1]"
  std::optional<std::string> port;
  std::string path;
};

Status Refuse(std::string_view what) {
  return Status::InvalidArgument("SigningCertURL " + std::string(what));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }

// RFC 3986 unreserved characters, the only ones a path segment may use here.
bool IsUnreserved(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Splits an absolute URL after the characters have been screened (printable ASCII, no '%',
// no '\'). Authority ends at the first '/', '?' or '#' (RFC 3986 §3.2), so
// "https://evil.com#@sns.us-east-1.amazonaws.com/x.pem" has the host evil.com, as curl sees it.
Result<UrlParts> Split(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return Refuse("is not an absolute URL");
  const std::string_view scheme = url.substr(0, colon);
  if (!IsAlpha(scheme[0]) || !std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.';
      })) {
    return Refuse("is not an absolute URL");
  }
  UrlParts parts;
  parts.scheme = Lower(scheme);

  const std::string_view rest = url.substr(colon + 3);
  const size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view after = rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return Refuse("has userinfo");
  if (after.find('?') != std::string_view::npos) return Refuse("has a query");
  if (after.find('#') != std::string_view::npos) return Refuse("has a fragment");
  if (authority.empty()) return Refuse("has no host");

  std::string_view host = authority;
  std::optional<std::string_view> port;
  if (authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Refuse("has an unclosed IPv6 address");
    host = authority.substr(0, close + 1);
    const std::string_view tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != ':') return Refuse("has text after its IPv6 address");
      port = tail.substr(1);
    }
  } else if (const size_t c = authority.find(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
  }
  if (host.empty() || host == "[]") return Refuse("has no host");
  if (port) {
    if (port->empty() || port->size() > 5 || !std::all_of(port->begin(), port->end(), IsDigit)) {
      return Refuse("port " + QuoteInput(*port) + " is not a port number");
    }
    parts.port = std::string(*port);
  }
  parts.host = Lower(host);
  parts.path = std::string(after);
  return parts;
}

// A region code: letters, one or more "-word" parts, then "-N" ("ap-northeast-2",
// "us-gov-west-1", "cn-north-1"). The first part must be letters only: that is what keeps out
// "sns.s3-us-west-2.amazonaws.com", the legacy S3 endpoint where a bucket named "sns" lives at
// exactly that host, which a looser pattern such as [a-z0-9-]{3,} lets through.
bool IsRegionCode(std::string_view region) {
  size_t i = 0;
  while (i < region.size() && IsLowerAlpha(region[i])) ++i;
  if (i < 2 || i > 4) return false;
  int word_parts = 0;
  while (i < region.size()) {
    if (region[i] != '-') return false;
    const size_t start = ++i;
    if (start < region.size() && IsDigit(region[start])) {
      while (i < region.size() && IsDigit(region[i])) ++i;
      return word_parts > 0 && i == region.size() && i - start <= 2;
    }
    while (i < region.size() && IsLowerAlpha(region[i])) ++i;
    if (i == start) return false;
    ++word_parts;
  }
  return false;
}

Status CheckPath(std::string_view path) {
  if (path.size() < 2 || path[0] != '/') return Refuse("path does not end in .pem");
  size_t start = 1;
  while (start <= path.size()) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return Refuse("path " + QuoteInput(path) + " has an empty, . or .. segment");
    }
    for (char c : segment) {
      if (!IsUnreserved(c)) {
        return Refuse("path " + QuoteInput(path) + " has the character " +
                      QuoteInput(std::string_view(&c, 1)));
      }
    }
    start = end + 1;
  }
  const size_t last_slash = path.rfind('/');
  const std::string_view file = path.substr(last_slash + 1);
  if (file.size() <= 4 || file.substr(file.size() - 4) != ".pem") {
    return Refuse("path " + QuoteInput(path) + " does not end in .pem");
  }
  return Status::Ok();
}

const TrustedCertHost* FindExtraHost(const UrlParts& url, const CertUrlPolicy& policy) {
  const std::string authority = url.port ? url.host + ":" + *url.port : url.host;
  for (const TrustedCertHost& trusted : policy.extra_hosts) {
    if (!trusted.authority.empty() && Lower(trusted.authority) == authority) return &trusted;
  }
  return nullptr;
}

}  // namespace

bool IsSnsHost(std::string_view host) {
  constexpr std::string_view kPrefix = "sns.";
  constexpr std::string_view kCom = ".amazonaws.com";
  constexpr std::string_view kChina = ".amazonaws.com.cn";
  if (host.substr(0, kPrefix.size()) != kPrefix) return false;
  host.remove_prefix(kPrefix.size());
  // China regions live under amazonaws.com.cn, all others under amazonaws.com (the split the
  // AWS SDK for Java v2 makes in CertificateRetriever).
  std::string_view region;
  bool china_suffix = false;
  if (host.size() > kChina.size() && host.substr(host.size() - kChina.size()) == kChina) {
    region = host.substr(0, host.size() - kChina.size());
    china_suffix = true;
  } else if (host.size() > kCom.size() && host.substr(host.size() - kCom.size()) == kCom) {
    region = host.substr(0, host.size() - kCom.size());
  } else {
    return false;
  }
  const bool china_region = region.substr(0, 3) == "cn-";
  return IsRegionCode(region) && china_region == china_suffix;
}

bool IsLoopbackHost(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

Status CheckSigningCertUrl(std::string_view url, const CertUrlPolicy& policy) {
  if (url.empty()) return Refuse("is empty");
  if (url.size() > kMaxUrlBytes) {
    return Refuse("is " + std::to_string(url.size()) + " bytes, more than " +
                  std::to_string(kMaxUrlBytes));
  }
  for (size_t i = 0; i < url.size(); ++i) {
    const unsigned char u = static_cast<unsigned char>(url[i]);
    if (u <= 0x20 || u >= 0x7F) {
      return Refuse("has a space, control or non-ASCII byte at byte " + std::to_string(i));
    }
  }
  if (url.find('%') != std::string_view::npos) return Refuse("has percent-encoding");
  if (url.find('\\') != std::string_view::npos) return Refuse("has a backslash");

  Result<UrlParts> parts = Split(url);
  if (!parts.ok()) return parts.status();

  if (const TrustedCertHost* trusted = FindExtraHost(*parts, policy)) {
    const bool http_ok = trusted->allow_http && IsLoopbackHost(parts->host);
    if (parts->scheme != "https" && !(parts->scheme == "http" && http_ok)) {
      return Refuse(
          "scheme " + parts->scheme +
          (trusted->allow_http ? " is allowed only for loopback hosts" : " is not https"));
    }
    return CheckPath(parts->path);
  }
  if (!IsSnsHost(parts->host)) {
    return Refuse("host " + QuoteInput(parts->host) + " is not an SNS host");
  }
  if (parts->scheme != "https") return Refuse("scheme " + parts->scheme + " is not https");
  if (parts->port && *parts->port != "443") return Refuse("port " + *parts->port + " is not 443");
  return CheckPath(parts->path);
}

}  // namespace rr
