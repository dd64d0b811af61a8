// One AWS JSON 1.0 / 1.1 API call (SQS, SSM, CloudWatch): a SigV4-signed POST to "/" with
// X-Amz-Target and Content-Type application/x-amz-json-1.x, through the one HTTP client.
// The answer is parsed JSON, or an error with the AWS error code, its message, and whether a
// retry can help (throttling, 5xx, no answer).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "alarm/json.h"
#include "alarm/status.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"

namespace rr {

struct AwsJsonReply {
  // Ok, or what went wrong in words (never a credential): Unavailable or DeadlineExceeded when
  // a retry can help, NotFound for a missing resource, InvalidArgument for other refusals,
  // Internal for an answer that is not JSON.
  Status status;
  JsonDocument answer;   // the parsed answer when ok ({} for an empty body)
  long http_status = 0;  // 0 when no answer arrived
  // From X-Amzn-ErrorType, or the body's "code" or "__type", with any namespace ("...#") and
  // suffix (":...") removed: "QueueDoesNotExist", "ParameterNotFound", "ThrottlingException".
  std::string error_code;
  // The Query-protocol code of awsQueryCompatible services, from x-amzn-query-error:
  // "AWS.SimpleQueueService.NonExistentQueue". Empty when the header is absent.
  std::string query_error_code;
  std::string error_message;  // the body's "message" / "Message"
  std::string request_id;     // x-amzn-RequestId, for AWS support
  bool retryable = false;     // throttling, 5xx, timeouts and no answer
  bool throttled = false;     // the service asked us to slow down

  bool ok() const { return status.ok(); }
  // True when `code` is the error code, the Query code, or the Query code's last part
  // (IsError("NonExistentQueue") for "AWS.SimpleQueueService.NonExistentQueue").
  bool IsError(std::string_view code) const;
};

struct AwsJsonCallOptions {
  // Lowers the client's total timeout for this call; zero keeps it. A long poll needs a client
  // whose total timeout is above the poll's WaitTimeSeconds.
  std::chrono::milliseconds timeout{0};
  HttpHeaders extra_headers;  // e.g. {"x-amzn-query-mode", "true"} for CloudWatch
};

// Calls `target` ("AmazonSQS.ReceiveMessage", "AmazonSSM.GetParameters") at `endpoint` with
// the JSON text `json_body`, signed with `credentials`.
AwsJsonReply AwsJsonCall(HttpClient& client, const AwsCredentials& credentials,
                         const AwsEndpoint& endpoint, std::string_view target,
                         std::string_view json_body, const AwsJsonCallOptions& options = {});

// The same with credentials from `credentials` (the chain), fetched for this call.
AwsJsonReply AwsJsonCall(HttpClient& client, AwsCredentialsProvider& credentials,
                         const AwsEndpoint& endpoint, std::string_view target,
                         std::string_view json_body, const AwsJsonCallOptions& options = {});

// "com.amazonaws.sqs#QueueDoesNotExist:http://internal..." -> "QueueDoesNotExist".
std::string AwsErrorCode(std::string_view raw);

// Throttling codes the AWS SDKs retry (ThrottlingException, RequestThrottled, ...).
bool IsAwsThrottlingError(std::string_view code);
// Whether a retry can help an answer with this status and code: throttling, 5xx, timeouts.
bool IsRetryableAwsError(long http_status, std::string_view code);

}  // namespace rr
