// SNS Publish over the Query protocol (SNS has no JSON protocol): a SigV4-signed form POST to
// "/" with Action=Publish&Version=2010-03-31, answered in XML. The drill uses it to stand in for
// CloudWatch's own publish where an endpoint (moto) never fires alarm actions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "alarm/status.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"

namespace rr {

// Publishes `message` (at most 256 KiB) to `topic_arn` with `subject` (empty: none; else at
// most 99 printable ASCII characters, as SNS requires) and returns the MessageId. One attempt:
// errors say whether SNS refused (InvalidArgument, NotFound for a missing topic) or could not
// be reached or was busy (Unavailable, DeadlineExceeded); never a credential.
Result<std::string> SnsPublish(HttpClient& client, AwsCredentialsProvider& credentials,
                               const AwsEndpoint& sns, const std::string& topic_arn,
                               const std::string& subject, const std::string& message);

// "a b&c" -> "a%20b%26c": every byte but RFC 3986's unreserved ones percent-encoded, as AWS's
// Query protocol form bodies are written.
std::string AwsFormEncode(std::string_view text);

// The text of the first <tag>...</tag> inside `xml` (after `within`'s opening tag when given),
// with the five XML entities and numeric character references decoded; nullopt when absent.
// Enough for the flat answers of the Query protocol; not a general XML parser.
std::optional<std::string> XmlElementText(std::string_view xml, std::string_view tag,
                                          std::string_view within = "");

}  // namespace rr
