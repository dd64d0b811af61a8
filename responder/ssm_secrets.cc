#include "responder/ssm_secrets.h"

#include <glog/logging.h>

#include <algorithm>
#include <set>

#include "alarm/json.h"
#include "responder/aws_json_call.h"

namespace rr {
namespace {

constexpr int kAttempts = 3;

std::string Member(const JsonValue& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(AsView(it->value));
}

// "/a/b:3" -> "/a/b": the name without a version or label selector. Parameter names have no
// ':', so a ':' after the last '/' starts the selector (ARNs keep theirs before it).
std::string_view WithoutSelector(std::string_view requested) {
  const size_t slash = requested.rfind('/');
  const size_t colon = requested.find(':', slash == std::string_view::npos ? 0 : slash);
  return requested.substr(0, colon);
}

// Whether the returned parameter answers the requested name (by name or ARN, with selector).
bool Answers(const JsonValue& parameter, std::string_view requested) {
  const std::string name = Member(parameter, "Name");
  const std::string arn = Member(parameter, "ARN");
  const std::string selector = Member(parameter, "Selector");
  if (requested == name + selector || requested == arn + selector) return true;
  if (!selector.empty()) return false;
  // No Selector in the answer (moto leaves it out): match on the bare name.
  std::string_view bare = WithoutSelector(requested);
  return bare == name || (!arn.empty() && bare == arn);
}

std::string NamesJson(const std::vector<std::string>& names) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("Names");
  w.StartArray();
  for (const std::string& name : names) w.String(name.data(), name.size());
  w.EndArray();
  w.Key("WithDecryption");
  w.Bool(true);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// One GetParameters call for up to ten names, tried again on throttling and 5xx.
void FetchChunk(HttpClient& client, const AwsCredentials& credentials, const AwsEndpoint& endpoint,
                const std::vector<std::string>& chunk, Clock& clock, SecretLookup* lookup) {
  AwsJsonReply reply;
  auto pause = std::chrono::milliseconds(200);
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    reply = AwsJsonCall(client, credentials, endpoint, "AmazonSSM.GetParameters", NamesJson(chunk));
    if (reply.ok() || !reply.retryable) break;
    LOG(WARNING) << "ssm_parameters attempt=" << attempt << " error=\"" << reply.status.message()
                 << "\"";
    if (attempt < kAttempts) clock.SleepFor(pause);
    pause *= 2;
  }
  if (!reply.ok()) {
    for (const std::string& name : chunk) {
      lookup->missing[name] = "could not be read: " + reply.status.message();
    }
    return;
  }
  const JsonValue& answer = reply.answer;
  std::set<std::string> invalid;
  if (auto it = answer.FindMember("InvalidParameters");
      it != answer.MemberEnd() && it->value.IsArray()) {
    for (const JsonValue& name : it->value.GetArray()) {
      if (name.IsString()) invalid.emplace(AsView(name));
    }
  }
  const JsonValue* parameters = nullptr;
  if (auto it = answer.FindMember("Parameters"); it != answer.MemberEnd() && it->value.IsArray()) {
    parameters = &it->value;
  }
  for (const std::string& name : chunk) {
    if (invalid.count(name)) {
      lookup->missing[name] = "does not exist";
      continue;
    }
    bool found = false;
    if (parameters) {
      for (const JsonValue& p : parameters->GetArray()) {
        if (!p.IsObject() || !Answers(p, name)) continue;
        auto value = p.FindMember("Value");
        if (value == p.MemberEnd() || !value->value.IsString()) continue;
        lookup->values[name] = std::string(AsView(value->value));
        found = true;
        break;
      }
    }
    if (!found) lookup->missing[name] = "was not in the GetParameters answer";
  }
}

}  // namespace

SecretLookup FetchSsmParameters(HttpClient& client, AwsCredentialsProvider& credentials,
                                const AwsEndpoint& endpoint, const std::vector<std::string>& names,
                                Clock& clock) {
  SecretLookup lookup;
  if (client.options().verbose) {
    lookup.failure =
        "SSM answers carry decrypted secrets, and this HTTP client traces verbosely; use one "
        "that does not";
    return lookup;
  }
  Result<AwsCredentials> current = credentials.Get();
  if (!current.ok()) {
    lookup.failure = current.status().message();
    return lookup;
  }
  std::vector<std::string> unique;
  for (const std::string& name : names) {
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
  }
  const auto start = clock.Now();
  size_t calls = 0;
  for (size_t begin = 0; begin < unique.size(); begin += kSsmNamesPerCall) {
    const size_t end = std::min(unique.size(), begin + kSsmNamesPerCall);
    std::vector<std::string> chunk(unique.begin() + begin, unique.begin() + end);
    FetchChunk(client, *current, endpoint, chunk, clock, &lookup);
    ++calls;
  }
  LOG(INFO) << "ssm_parameters names=" << unique.size() << " calls=" << calls
            << " missing=" << lookup.missing.size() << " elapsed_ms="
            << std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now() - start).count();
  return lookup;
}

SecretResolver MakeSsmSecretResolver(GetEnv env, Clock& clock) {
  return [env = std::move(env), &clock](const std::vector<std::string>& names,
                                        const HttpConfig& http) {
    SecretLookup lookup;
    Result<std::string> region = ResolveAwsRegion(env);
    if (!region.ok()) {
      lookup.failure = region.status().message();
      return lookup;
    }
    Result<AwsEndpoint> endpoint = ResolveAwsEndpoint(kSsmService, *region, env);
    if (!endpoint.ok()) {
      lookup.failure = endpoint.status().message();
      return lookup;
    }
    HttpClientOptions options;
    options.ca_bundle = http.ca_bundle;
    options.proxy = http.proxy;
    options.connect_timeout =
        std::chrono::milliseconds(static_cast<int64_t>(http.connect_timeout_seconds * 1000));
    options.total_timeout =
        std::chrono::milliseconds(static_cast<int64_t>(http.timeout_seconds * 1000));
    HttpClient client(options);
    AwsCredentialChainOptions chain_options;
    chain_options.ca_bundle = http.ca_bundle;
    AwsCredentialChain chain(clock, env, chain_options);
    return FetchSsmParameters(client, chain, *endpoint, names, clock);
  };
}

}  // namespace rr
