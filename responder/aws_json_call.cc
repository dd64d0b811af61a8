#include "responder/aws_json_call.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>

#include "channels/redact.h"

namespace rr {
namespace {

// Up to 10 SQS messages of up to 1 MiB each, plus the JSON around them.
constexpr size_t kMaxAnswerBytes = 16 << 20;
constexpr size_t kMaxQuotedMessage = 512;

std::string StringMember(const JsonValue& object, const char* key) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(AsView(it->value));
}

std::string HeaderOr(const HttpResponse& r, std::string_view name) {
  const std::string* value = r.header(name);
  return value ? *value : std::string();
}

Status Classified(bool retryable, bool timeout, bool not_found, std::string message) {
  if (timeout) return Status::DeadlineExceeded(std::move(message));
  if (retryable) return Status::Unavailable(std::move(message));
  if (not_found) return Status::NotFound(std::move(message));
  return Status::InvalidArgument(std::move(message));
}

bool LooksLikeNotFound(long http_status, std::string_view code) {
  return http_status == 404 || code.ends_with("NotFound") || code.ends_with("NotFoundException") ||
         code.ends_with("DoesNotExist") || code.ends_with("NonExistentQueue");
}

}  // namespace

bool AwsJsonReply::IsError(std::string_view code) const {
  if (code.empty()) return false;
  if (code == error_code || code == query_error_code) return true;
  const size_t dot = query_error_code.rfind('.');
  return dot != std::string::npos && std::string_view(query_error_code).substr(dot + 1) == code;
}

std::string AwsErrorCode(std::string_view raw) {
  // Smithy's rule for AWS JSON: drop everything after ':', then everything up to '#'.
  raw = raw.substr(0, raw.find(':'));
  if (const size_t hash = raw.find('#'); hash != std::string_view::npos) {
    raw = raw.substr(hash + 1);
  }
  while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
  while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
  return std::string(raw);
}

bool IsAwsThrottlingError(std::string_view code) {
  // The AWS SDKs' standard retry mode list.
  static constexpr std::array<std::string_view, 14> kThrottling = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "RequestThrottled",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
  };
  return std::find(kThrottling.begin(), kThrottling.end(), code) != kThrottling.end();
}

bool IsRetryableAwsError(long http_status, std::string_view code) {
  if (IsAwsThrottlingError(code) || http_status == 429 || http_status >= 500) return true;
  return code == "RequestTimeout" || code == "RequestTimeoutException" || code == "InternalError" ||
         code == "InternalFailure" || code == "ServiceUnavailable" ||
         code == "IDPCommunicationError";
}

AwsJsonReply AwsJsonCall(HttpClient& client, const AwsCredentials& credentials,
                         const AwsEndpoint& endpoint, std::string_view target,
                         std::string_view json_body, const AwsJsonCallOptions& options) {
  AwsJsonReply reply;
  const std::string what = std::string(target) + " at " + endpoint.url;
  if (endpoint.json_version.empty()) {
    reply.status = Status::InvalidArgument(what + ": this service has no AWS JSON protocol");
    return reply;
  }
  HttpRequest request;
  request.url = endpoint.url + "/";
  request.headers = {{"Content-Type", "application/x-amz-json-" + endpoint.json_version},
                     {"X-Amz-Target", std::string(target)}};
  for (const auto& header : options.extra_headers) request.headers.push_back(header);
  request.body = std::string(json_body.empty() ? "{}" : json_body);
  request.aws_sigv4 = credentials.SigV4(endpoint.region, endpoint.signing_name);
  HttpResponse r = options.timeout > std::chrono::milliseconds::zero()
                       ? client.Send(request, options.timeout)
                       : client.Send(request);
  reply.http_status = r.status;
  reply.request_id = HeaderOr(r, "x-amzn-requestid");

  if (!r.transport_ok()) {
    // No answer: AWS JSON calls are safe to send again (SQS receipt handles and SSM reads are
    // idempotent; SendMessage may duplicate, which consumers already tolerate).
    reply.retryable = true;
    const bool timeout = r.curl_code == CURLE_OPERATION_TIMEDOUT;
    reply.status = Classified(true, timeout, false, what + ": no answer: " + r.error);
    return reply;
  }

  JsonDocument doc;
  JsonLimits limits;
  limits.max_bytes = kMaxAnswerBytes;
  limits.max_depth = 64;
  const bool empty = r.body.find_first_not_of(" \t\r\n") == std::string::npos;
  const bool parsed = empty || ParseJson(r.body, limits, "AWS answer", &doc).ok();
  if (r.status == 200) {
    if (!parsed || (!empty && !doc.IsObject())) {
      reply.status = Status::Internal(what + ": HTTP 200 with an answer that is not a JSON object");
      return reply;
    }
    if (empty) doc.SetObject();
    reply.answer = std::move(doc);
    return reply;
  }

  std::string raw_code = HeaderOr(r, "x-amzn-errortype");
  if (parsed && !empty) {
    if (raw_code.empty()) raw_code = StringMember(doc, "code");
    if (raw_code.empty()) raw_code = StringMember(doc, "__type");
    reply.error_message = StringMember(doc, "message");
    if (reply.error_message.empty()) reply.error_message = StringMember(doc, "Message");
  }
  reply.error_code = AwsErrorCode(raw_code);
  const std::string query = HeaderOr(r, "x-amzn-query-error");  // "Code;Sender"
  reply.query_error_code = query.substr(0, query.find(';'));
  reply.throttled = IsAwsThrottlingError(reply.error_code) ||
                    IsAwsThrottlingError(reply.query_error_code) || r.status == 429;
  reply.retryable = reply.throttled || IsRetryableAwsError(r.status, reply.error_code);
  if (reply.error_message.size() > kMaxQuotedMessage) {
    reply.error_message.resize(kMaxQuotedMessage);
    reply.error_message += "...";
  }
  reply.error_message = RedactKnown(reply.error_message);

  std::string message = what + ": HTTP " + std::to_string(r.status);
  if (!reply.error_code.empty()) message += " " + reply.error_code;
  if (!reply.error_message.empty()) message += ": " + reply.error_message;
  reply.status = Classified(reply.retryable, false,
                            LooksLikeNotFound(r.status, reply.error_code) ||
                                LooksLikeNotFound(r.status, reply.query_error_code),
                            message);
  return reply;
}

AwsJsonReply AwsJsonCall(HttpClient& client, AwsCredentialsProvider& credentials,
                         const AwsEndpoint& endpoint, std::string_view target,
                         std::string_view json_body, const AwsJsonCallOptions& options) {
  Result<AwsCredentials> current = credentials.Get();
  if (!current.ok()) {
    AwsJsonReply reply;
    reply.status = current.status();
    reply.retryable = current.status().code() == Status::Code::kUnavailable;
    return reply;
  }
  return AwsJsonCall(client, *current, endpoint, target, json_body, options);
}

}  // namespace rr
