#include "responder/sns_trust.h"

#include <curl/curl.h>
#include <glog/logging.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "alarm/sns_verifier.h"

namespace rr {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::string Part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || !value) return "";
  std::string s(value);
  curl_free(value);
  return s;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument("cannot read " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

CertUrlPolicy PolicyFrom(const std::vector<std::string>& hosts) {
  CertUrlPolicy policy;
  for (const std::string& h : hosts) {
    TrustedCertHost t;
    t.authority = h;
    // Loopback emulators serve plain HTTP; the verifier honours this for loopback hosts only.
    t.allow_http = true;
    policy.extra_hosts.push_back(t);
  }
  return policy;
}

bool Trusted(const CertUrlPolicy& policy, const std::string& authority, bool https) {
  for (const TrustedCertHost& t : policy.extra_hosts) {
    std::string a = t.authority, b = authority;
    std::transform(a.begin(), a.end(), a.begin(), ::tolower);
    std::transform(b.begin(), b.end(), b.begin(), ::tolower);
    if (a != b) continue;
    std::string host =
        b.substr(0, b.rfind(':') == std::string::npos || b.back() == ']' ? b.size() : b.rfind(':'));
    if (https || (t.allow_http && IsLoopbackHost(host))) return true;
  }
  return false;
}

}  // namespace

Status CheckSubscribeUrl(const std::string& text, const CertUrlPolicy& trusted_hosts) {
  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url || curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return Status::InvalidArgument("SubscribeURL is not a URL");
  }
  const std::string scheme = Part(url.get(), CURLUPART_SCHEME);
  const std::string host = Part(url.get(), CURLUPART_HOST);
  const std::string port = Part(url.get(), CURLUPART_PORT);
  if (!Part(url.get(), CURLUPART_USER).empty()) {
    return Status::InvalidArgument("SubscribeURL carries a user name");
  }
  const std::string authority = port.empty() ? host : host + ":" + port;
  const bool https = scheme == "https";
  const bool sns = https && (port.empty() || port == "443") && IsSnsHost(host);
  if (!sns && !Trusted(trusted_hosts, authority, https)) {
    return Status::InvalidArgument("SubscribeURL host " + host + " is not an SNS host");
  }
  if (Part(url.get(), CURLUPART_QUERY).find("Action=ConfirmSubscription") == std::string::npos) {
    return Status::InvalidArgument("SubscribeURL does not ask for ConfirmSubscription");
  }
  return Status::Ok();
}

Result<SnsEndpointHooks> MakeSnsHooks(const ServeOptions& options, HttpClient& client,
                                      Clock& clock) {
  SnsEndpointHooks hooks;
  const CertUrlPolicy policy = PolicyFrom(options.sns_cert_hosts);
  if (options.sns_verify) {
    if (options.sns_topics.empty()) {
      return Status::InvalidArgument(
          "--sns-topics is required: the TopicArns whose messages are accepted (a valid "
          "signature only proves SNS sent it, not that the topic is yours)");
    }
    SnsVerifierOptions v;
    v.allowed_topic_arns = options.sns_topics;
    v.cert_urls = policy;
    for (const std::string& path : options.sns_cert_files) {
      Result<std::string> pem = ReadFile(path);
      if (!pem.ok()) return Status::InvalidArgument("--sns-certs: " + pem.status().message());
      // A pinned certificate stands for every allowed SigningCertURL: emulators only.
      v.pinned_cert_for_any_url = *pem;
    }
    CertFetcher fetch = [&client](const std::string& url) -> Result<std::string> {
      HttpRequest get;
      get.method = "GET";
      get.url = url;
      HttpResponse r = client.Send(get);
      if (!r.transport_ok())
        return Status::Unavailable("fetching the signing certificate: " + r.error);
      if (r.status != 200) {
        return Status::Unavailable("fetching the signing certificate: HTTP " +
                                   std::to_string(r.status));
      }
      return std::move(r.body);
    };
    Result<std::unique_ptr<SnsVerifier>> verifier = SnsVerifier::Create(std::move(v), fetch);
    if (!verifier.ok())
      return Status::InvalidArgument("SNS verification: " + verifier.status().message());
    std::shared_ptr<SnsVerifier> shared = std::move(*verifier);
    hooks.verify = [shared, &clock](const SnsEnvelope& e) {
      return shared->Verify(e, clock.WallNow());
    };
  }
  hooks.confirm = [policy, &client](const SnsEnvelope& e) -> Status {
    if (!e.subscribe_url)
      return Status::InvalidArgument("SubscriptionConfirmation without SubscribeURL");
    if (Status s = CheckSubscribeUrl(*e.subscribe_url, policy); !s.ok()) return s;
    HttpRequest get;
    get.method = "GET";
    get.url = *e.subscribe_url;
    if (e.token) get.secrets.push_back(*e.token);  // the token confirms the subscription
    HttpResponse r = client.Send(get);
    if (!r.transport_ok()) return Status::Unavailable(r.error);
    if (r.status != 200) return Status::Unavailable("HTTP " + std::to_string(r.status));
    return Status::Ok();
  };
  return hooks;
}

}  // namespace rr
