// Where an AWS API call goes: the public regional endpoint, or an override the way the AWS SDKs
// take one (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), or a URL given explicitly.
#pragma once

#include <string>
#include <string_view>

#include "alarm/status.h"
#include "responder/config.h"

namespace rr {

// What the endpoint and the signature need to know about one service.
struct AwsService {
  std::string_view id;               // SDK service id: AWS_ENDPOINT_URL_<ID, upper, '_' for ' '>
  std::string_view endpoint_prefix;  // the host name's first label
  std::string_view signing_name;     // the SigV4 service name
  std::string_view json_version;     // "1.0" or "1.1" for AWS JSON calls; empty: Query only
};

inline constexpr AwsService kSqsService{"SQS", "sqs", "sqs", "1.0"};
inline constexpr AwsService kSsmService{"SSM", "ssm", "ssm", "1.1"};
// CloudWatch speaks JSON 1.0 only since Dec 2025 (reference 7.3); the Query protocol always.
inline constexpr AwsService kCloudWatchService{"CloudWatch", "monitoring", "monitoring", "1.0"};
inline constexpr AwsService kSnsService{"SNS", "sns", "sns", ""};
inline constexpr AwsService kLogsService{"CloudWatch Logs", "logs", "logs", "1.1"};
inline constexpr AwsService kStsService{"STS", "sts", "sts", ""};

struct AwsEndpoint {
  std::string url;  // scheme and authority, no path: "https://sqs.ap-northeast-2.amazonaws.com"
  std::string region;
  std::string signing_name;
  std::string json_version;
  std::string origin;  // "default", the variable that overrode it, or "explicit"

  // The CURLOPT_AWS_SIGV4 provider string: "aws:amz:<region>:<signing name>".
  std::string SigV4Provider() const;
};

// The endpoint of `service` in `region`: `explicit_url` when given, else AWS_ENDPOINT_URL_<ID>,
// else AWS_ENDPOINT_URL (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true), else
// https://<prefix>.<region>.amazonaws.com (".amazonaws.com.cn" for cn-* regions). An override
// must be https, or plain http to a loopback address (moto, a local test double), and a bare
// base URL: no path, query, fragment or user name. Errors name the setting that is wrong.
Result<AwsEndpoint> ResolveAwsEndpoint(const AwsService& service, const std::string& region,
                                       const GetEnv& env, const std::string& explicit_url = "");

// A region code as it may appear in a host name: "ap-northeast-2", "us-gov-west-1".
bool IsValidAwsRegion(std::string_view region);

// The host of an http(s) URL ("[::1]" keeps its brackets); empty when there is none.
std::string_view UrlHost(std::string_view url);

}  // namespace rr
