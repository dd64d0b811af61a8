#include "responder/aws_credentials.h"

#include <glog/logging.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

#include "alarm/aws_time.h"
#include "alarm/json.h"
#include "responder/aws_endpoint.h"
#include "responder/loopback_host.h"

namespace rr {
namespace {

using Section = std::map<std::string, std::string>;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower(Trim(*value));
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  return lower == "true";
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// Status `code` with a new message.
Status WithMessage(Status::Code code, std::string message) {
  switch (code) {
    case Status::Code::kNotFound:
      return Status::NotFound(std::move(message));
    case Status::Code::kUnavailable:
      return Status::Unavailable(std::move(message));
    case Status::Code::kDeadlineExceeded:
      return Status::DeadlineExceeded(std::move(message));
    case Status::Code::kInternal:
      return Status::Internal(std::move(message));
    default:
      return Status::InvalidArgument(std::move(message));
  }
}

// ---- The shared config and credentials files (INI) ------------------------------------------

struct IniFile {
  std::string path;
  bool readable = false;
  std::map<std::string, Section> sections;

  std::string Describe() const { return readable ? path : path + " (not readable)"; }
};

// "[profile  dev ]" -> "profile dev": the SDKs allow any spacing inside the brackets.
std::string SectionName(std::string_view inside) {
  inside = Trim(inside);
  if (inside.starts_with("profile") && inside.size() > 7 &&
      (inside[7] == ' ' || inside[7] == '\t')) {
    return "profile " + std::string(Trim(inside.substr(8)));
  }
  return std::string(inside);
}

// The SDKs' INI dialect: "[section]", "key = value", '#' or ';' comment lines, and indented
// lines that continue a nested block (s3 = ...) which are of no interest here.
IniFile ReadIni(const std::string& path) {
  IniFile file;
  file.path = path;
  std::ifstream in(path);
  if (path.empty() || !in) return file;
  file.readable = true;
  std::string raw;
  Section* current = nullptr;
  while (std::getline(in, raw)) {
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (raw.front() == ' ' || raw.front() == '\t') continue;  // nested block
    if (line.front() == '[') {
      const size_t close = line.find(']');
      current = close == std::string_view::npos
                    ? nullptr
                    : &file.sections[SectionName(line.substr(1, close - 1))];
      continue;
    }
    const size_t eq = line.find('=');
    if (current == nullptr || eq == std::string_view::npos) continue;
    (*current)[std::string(Trim(line.substr(0, eq)))] = std::string(Trim(line.substr(eq + 1)));
  }
  return file;
}

std::string ExpandHome(const std::string& path, const GetEnv& env) {
  if (!path.starts_with("~/")) return path;
  std::optional<std::string> home = env("HOME");
  return home && !home->empty() ? *home + path.substr(1) : path;
}

// The file named by `variable`, else ~/.aws/<name>; empty when HOME is unknown too.
std::string AwsFilePath(const GetEnv& env, const char* variable, const char* name) {
  std::optional<std::string> set = env(variable);
  if (set && !set->empty()) return ExpandHome(*set, env);
  std::optional<std::string> home = env("HOME");
  if (!home || home->empty()) return {};
  return *home + "/.aws/" + name;
}

struct ProfileChoice {
  std::string name;
  std::string from;  // "--profile", "AWS_PROFILE" or "" for the default
};

ProfileChoice ChooseProfile(const GetEnv& env, const std::string& flag) {
  if (!flag.empty()) return {flag, "--profile"};
  std::optional<std::string> set = env("AWS_PROFILE");
  if (set && !set->empty()) return {*set, "AWS_PROFILE"};
  return {"default", ""};
}

// The profile's section in the config file: [profile NAME], or [default] for "default".
const Section* ConfigSection(const IniFile& config, const std::string& profile) {
  auto it = config.sections.find("profile " + profile);
  if (it == config.sections.end() && profile == "default") it = config.sections.find("default");
  return it == config.sections.end() ? nullptr : &it->second;
}

const std::string* Find(const Section& section, const char* key) {
  auto it = section.find(key);
  return it == section.end() || it->second.empty() ? nullptr : &it->second;
}

// ---- Credentials from endpoint answers ---------------------------------------------------------

// {"AccessKeyId","SecretAccessKey","Token","Expiration"}, as the container endpoint and IMDS
// answer. The body is never quoted: it holds the secret.
Result<AwsCredentials> CredentialsFromJson(std::string_view body, const std::string& what) {
  JsonDocument doc;
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  if (!ParseJson(body, limits, what, &doc).ok() || !doc.IsObject()) {
    return Status::Unavailable(what + " answer is not a JSON object");
  }
  AwsCredentials c;
  const std::pair<const char*, std::string*> fields[] = {{"AccessKeyId", &c.access_key_id},
                                                         {"SecretAccessKey", &c.secret_access_key},
                                                         {"Token", &c.session_token}};
  for (const auto& [key, out] : fields) {
    auto it = doc.FindMember(key);
    if (it == doc.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0) {
      return Status::Unavailable(what + " answer has no " + key);
    }
    *out = AsView(it->value);
  }
  auto exp = doc.FindMember("Expiration");
  if (exp == doc.MemberEnd() || !exp->value.IsString()) {
    return Status::Unavailable(what + " answer has no Expiration");
  }
  std::optional<int64_t> seconds = ParseAwsTimestamp(AsView(exp->value));
  if (!seconds) {
    return Status::Unavailable(what + " answer has an unreadable Expiration \"" +
                               std::string(AsView(exp->value)) + "\"");
  }
  c.expiration = std::chrono::system_clock::time_point(std::chrono::seconds(*seconds));
  if (HasLineBreak(c.access_key_id) || HasLineBreak(c.session_token)) {
    return Status::Unavailable(what + " answer has a line break in a credential");
  }
  return c;
}

std::string DescribeFailure(const HttpResponse& r) {
  return r.transport_ok() ? "HTTP " + std::to_string(r.status) : r.error;
}

}  // namespace

AwsSigV4 AwsCredentials::SigV4(const std::string& region, const std::string& signing_name) const {
  AwsSigV4 s;
  s.provider = "aws:amz:" + region + ":" + signing_name;
  s.access_key_id = access_key_id;
  s.secret_access_key = secret_access_key;
  s.session_token = session_token;
  return s;
}

// The four sources. Each gives credentials, NotFound when it is not set up (the chain goes on),
// or another status when it is set up but failed (the chain stops).
class AwsCredentialChain::Sources {
 public:
  Sources(Clock& clock, GetEnv env, const AwsCredentialChainOptions& options)
      : clock_(clock), env_(std::move(env)), options_(options), http_(HttpOptions(options)) {}

  Result<AwsCredentials> Resolve() {
    const std::pair<const char*, std::function<Result<AwsCredentials>()>> sources[] = {
        {"environment", [this] { return FromEnvironment(); }},
        {"shared files", [this] { return FromProfile(); }},
        {"container endpoint", [this] { return FromContainer(); }},
        {"EC2 instance metadata", [this] { return FromInstanceMetadata(); }},
    };
    std::string tried;
    for (const auto& [name, source] : sources) {
      Result<AwsCredentials> r = source();
      if (r.ok()) return r;
      std::string line = std::string(name) + ": " + r.status().message();
      if (r.status().code() != Status::Code::kNotFound) {
        return WithMessage(r.status().code(),
                           "AWS credentials from " + line +
                               (tried.empty() ? "" : " (skipped before it: " + tried + ")"));
      }
      tried += (tried.empty() ? "" : "; ") + line;
    }
    return Status::NotFound("no AWS credentials found: " + tried);
  }

 private:
  static HttpClientOptions HttpOptions(const AwsCredentialChainOptions& o) {
    HttpClientOptions h;
    h.connect_timeout = std::min(o.metadata_timeout, o.container_timeout);
    h.total_timeout = std::max(o.metadata_timeout, o.container_timeout);
    h.ca_bundle = o.ca_bundle;
    h.max_response_bytes = 64 * 1024;
    return h;
  }

  std::optional<std::string> Value(const char* name) const {
    std::optional<std::string> v = env_(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  }

  Result<AwsCredentials> FromEnvironment() const {
    std::optional<std::string> id = Value("AWS_ACCESS_KEY_ID");
    std::optional<std::string> secret = Value("AWS_SECRET_ACCESS_KEY");
    if (!id && !secret) {
      return Status::NotFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    }
    if (!id)
      return Status::InvalidArgument("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    if (!secret) {
      return Status::InvalidArgument("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    AwsCredentials c;
    c.access_key_id = *id;
    c.secret_access_key = *secret;
    c.session_token = Value("AWS_SESSION_TOKEN").value_or("");
    c.source = "environment";
    return c;
  }

  Result<AwsCredentials> FromProfile() const {
    const ProfileChoice profile = ChooseProfile(env_, options_.profile);
    const std::string quoted = "profile \"" + profile.name + "\"" +
                               (profile.from.empty() ? "" : " (from " + profile.from + ")");
    const IniFile credentials =
        ReadIni(AwsFilePath(env_, "AWS_SHARED_CREDENTIALS_FILE", "credentials"));
    const IniFile config = ReadIni(AwsFilePath(env_, "AWS_CONFIG_FILE", "config"));
    if (credentials.path.empty() && config.path.empty()) {
      return Status::NotFound(
          "HOME is not set and neither AWS_SHARED_CREDENTIALS_FILE nor "
          "AWS_CONFIG_FILE is");
    }
    Section merged;
    const Section* from_config = ConfigSection(config, profile.name);
    auto from_credentials = credentials.sections.find(profile.name);
    if (from_config) merged = *from_config;
    if (from_credentials != credentials.sections.end()) {
      for (const auto& [key, value] : from_credentials->second) merged[key] = value;
    }
    const std::string files = credentials.Describe() + " and " + config.Describe();
    if (!from_config && from_credentials == credentials.sections.end()) {
      std::string message =
          quoted + " is in neither " + credentials.Describe() + " nor " + config.Describe();
      if (profile.from.empty()) return Status::NotFound(message);
      return Status::InvalidArgument(message);  // asked for by name: never fall through
    }
    const std::string* id = Find(merged, "aws_access_key_id");
    const std::string* secret = Find(merged, "aws_secret_access_key");
    if (!id && !secret) {
      for (const char* key : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                              "web_identity_token_file", "credential_source"}) {
        if (Find(merged, key)) {
          return Status::InvalidArgument(
              quoted + " uses " + key +
              ", which root-responder does not support: give the profile static keys, or use "
              "environment variables, a container or an instance role");
        }
      }
      return Status::NotFound(quoted + " has no aws_access_key_id in " + files);
    }
    if (!id || !secret) {
      return Status::InvalidArgument(quoted + " has " +
                                     (id ? "aws_access_key_id but no aws_secret_access_key"
                                         : "aws_secret_access_key but no aws_access_key_id") +
                                     " in " + files);
    }
    AwsCredentials c;
    c.access_key_id = *id;
    c.secret_access_key = *secret;
    if (const std::string* token = Find(merged, "aws_session_token")) c.session_token = *token;
    c.source = "profile " + profile.name + " (" +
               (from_credentials != credentials.sections.end() ? credentials.path : config.path) +
               ")";
    return c;
  }

  Result<AwsCredentials> FromContainer() {
    std::optional<std::string> relative = Value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    std::optional<std::string> full = Value("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!relative && !full) {
      return Status::NotFound(
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not "
          "set");
    }
    HttpRequest request;
    request.method = "GET";
    if (relative) {
      request.url = options_.container_host + (relative->starts_with("/") ? "" : "/") + *relative;
      request.secrets.push_back(*relative);  // the path is the task's key to its credentials
    } else {
      request.url = *full;
      const std::string_view host = UrlHost(*full);
      const bool http = full->starts_with("http://") || full->starts_with("https://");
      if (!http || host.empty()) {
        return Status::InvalidArgument("AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http URL");
      }
      if (!IsLoopbackAddress(host) && host != "169.254.170.2" && host != "169.254.170.23" &&
          host != "[fd00:ec2::23]") {
        return Status::InvalidArgument(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI host " + std::string(host) +
            " is neither loopback nor the ECS/EKS address (169.254.170.2, 169.254.170.23, "
            "fd00:ec2::23)");
      }
    }
    std::optional<std::string> token;
    if (std::optional<std::string> file = Value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      std::ifstream in(*file);
      if (!in) {
        return Status::InvalidArgument("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " +
                                       *file);
      }
      std::stringstream text;
      text << in.rdbuf();
      token = std::string(Trim(text.str()));
    } else {
      token = Value("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    if (token && !token->empty()) {
      if (HasLineBreak(*token)) {
        return Status::InvalidArgument("the container authorization token has a line break");
      }
      request.headers.emplace_back("Authorization", *token);
      request.secrets.push_back(*token);
    }
    request.headers.emplace_back("Accept", "application/json");
    HttpResponse r;
    for (int attempt = 1; attempt <= 3; ++attempt) {  // as the SDKs: the endpoint is local
      r = http_.Send(request, options_.container_timeout);
      if (r.transport_ok() && r.status < 500) break;
      if (attempt < 3) clock_.SleepFor(std::chrono::milliseconds(100));
    }
    if (!r.transport_ok() || r.status != 200) {
      return Status::Unavailable(std::string(UrlHost(request.url)) +
                                 " gave no credentials: " + DescribeFailure(r));
    }
    Result<AwsCredentials> c = CredentialsFromJson(r.body, "container endpoint");
    if (c.ok()) c->source = "container endpoint";
    return c;
  }

  Result<AwsCredentials> FromInstanceMetadata() {
    if (IsTrue(env_("AWS_EC2_METADATA_DISABLED"))) {
      return Status::NotFound("disabled by AWS_EC2_METADATA_DISABLED");
    }
    std::string base = Value("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("");
    if (base.empty()) {
      std::string mode = Value("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("IPv4");
      base = mode == "IPv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    } else if (!base.starts_with("http://") && !base.starts_with("https://")) {
      return Status::InvalidArgument("AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http URL");
    }
    while (base.ends_with("/")) base.pop_back();

    // IMDSv2: a session token first (PUT, so a forwarded GET from a web app cannot get one).
    HttpRequest token_request;
    token_request.method = "PUT";
    token_request.url = base + "/latest/api/token";
    token_request.headers = {{"X-aws-ec2-metadata-token-ttl-seconds", "21600"}};
    HttpResponse token = http_.Send(token_request, options_.metadata_timeout);
    if (!token.transport_ok()) {
      return Status::NotFound("no answer from " + base + " (not on EC2?): " + token.error);
    }
    if (token.status == 403 || token.status == 404 || token.status == 405) {
      // IMDS switched off for the instance, IMDSv2 unsupported, or not EC2 at all.
      return Status::NotFound("IMDSv2 token request to " + base + " answered HTTP " +
                              std::to_string(token.status));
    }
    if (token.status != 200 || Trim(token.body).empty()) {
      return Status::Unavailable("IMDSv2 token request answered " + DescribeFailure(token));
    }
    const std::string session(Trim(token.body));

    auto get = [&](const std::string& path) {
      HttpRequest request;
      request.method = "GET";
      request.url = base + path;
      request.headers = {{"X-aws-ec2-metadata-token", session}};
      request.secrets = {session};
      return http_.Send(request, options_.metadata_timeout);
    };
    const std::string roles_path = "/latest/meta-data/iam/security-credentials/";
    HttpResponse roles = get(roles_path);
    if (roles.transport_ok() && roles.status == 404) {
      return Status::NotFound("this instance has no IAM role");
    }
    if (!roles.transport_ok() || roles.status != 200) {
      return Status::Unavailable("IMDS role lookup answered " + DescribeFailure(roles));
    }
    std::string_view list = roles.body;
    const std::string role(Trim(list.substr(0, list.find('\n'))));
    if (role.empty() || role.find_first_of("/?#% ") != std::string::npos) {
      return Status::Unavailable("IMDS gave no usable role name");
    }
    HttpResponse creds = get(roles_path + role);
    if (!creds.transport_ok() || creds.status != 200) {
      return Status::Unavailable("IMDS credentials for role " + role + " answered " +
                                 DescribeFailure(creds));
    }
    JsonDocument doc;
    if (ParseJson(creds.body, JsonLimits{}, "IMDS", &doc).ok() && doc.IsObject()) {
      auto code = doc.FindMember("Code");
      if (code != doc.MemberEnd() && code->value.IsString() && AsView(code->value) != "Success") {
        return Status::Unavailable("IMDS credentials for role " + role + " have Code " +
                                   std::string(AsView(code->value)));
      }
    }
    Result<AwsCredentials> c = CredentialsFromJson(creds.body, "IMDS");
    if (c.ok()) c->source = "EC2 instance role " + role;
    return c;
  }

  Clock& clock_;
  const GetEnv env_;
  const AwsCredentialChainOptions& options_;
  HttpClient http_;
};

AwsCredentialChain::AwsCredentialChain(Clock& clock, GetEnv env, AwsCredentialChainOptions options)
    : clock_(clock),
      options_(std::move(options)),
      sources_(std::make_unique<Sources>(clock, std::move(env), options_)) {}

AwsCredentialChain::~AwsCredentialChain() = default;

Result<AwsCredentials> AwsCredentialChain::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto wall = clock_.WallNow();
  if (cached_) {
    if (!cached_->expiration || wall + options_.refresh_before < *cached_->expiration) {
      return *cached_;
    }
    if (clock_.Now() < next_refresh_try_ && wall < *cached_->expiration) return *cached_;
  }
  Result<AwsCredentials> fresh = sources_->Resolve();
  next_refresh_try_ = clock_.Now() + options_.retry_refresh_after;
  if (fresh.ok()) {
    const bool first = !cached_;
    cached_ = *fresh;
    if (fresh->expiration) {
      LOG(INFO)
          << "aws_credentials " << (first ? "loaded" : "refreshed") << " source=\"" << fresh->source
          << "\" expires_in_s="
          << std::chrono::duration_cast<std::chrono::seconds>(*fresh->expiration - wall).count();
    } else if (first) {
      LOG(INFO) << "aws_credentials loaded source=\"" << fresh->source << "\"";
    }
    return fresh;
  }
  if (cached_ && cached_->expiration && wall < *cached_->expiration) {
    // The old credentials still work for a while: use them, and try again later.
    LOG(WARNING) << "aws_credentials refresh_failed=true using_cached=true error=\""
                 << fresh.status().message() << "\"";
    return *cached_;
  }
  return fresh;
}

Result<std::string> ResolveAwsRegion(const GetEnv& env, const std::string& flag,
                                     const std::string& profile) {
  auto checked = [](const std::string& region, const std::string& from) -> Result<std::string> {
    if (IsValidAwsRegion(region)) return region;
    return Status::InvalidArgument(from + " \"" + region +
                                   "\" is not an AWS region code (e.g. ap-northeast-2)");
  };
  if (!flag.empty()) return checked(flag, "--region");
  for (const char* variable : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    std::optional<std::string> value = env(variable);
    if (value && !value->empty()) return checked(*value, variable);
  }
  const ProfileChoice choice = ChooseProfile(env, profile);
  const IniFile config = ReadIni(AwsFilePath(env, "AWS_CONFIG_FILE", "config"));
  if (const Section* section = ConfigSection(config, choice.name)) {
    if (const std::string* region = Find(*section, "region")) {
      return checked(*region, "region of profile \"" + choice.name + "\" in " + config.path);
    }
  }
  return Status::NotFound(
      "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in "
      "profile \"" +
      choice.name + "\" of " + (config.path.empty() ? "~/.aws/config" : config.Describe()));
}

}  // namespace rr
