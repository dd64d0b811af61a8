// CloudWatch Logs FilterLogEvents (AWS JSON 1.1, target Logs_20140328.FilterLogEvents), which
// the drill uses to find its drill id in the responder's own log group.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "alarm/status.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"

namespace rr {

// The messages of `log_group` since `start` that match `filter_pattern` (CloudWatch Logs
// syntax: "\"rrd-2026...\"" for an exact term; empty matches everything), oldest first, from
// all pages up to `max_events`. `logs` comes from ResolveAwsEndpoint(kLogsService, ...). One
// attempt per page; a search that keeps answering "more to come" is cut off after 100 pages
// (AWS may page through empty stretches of a large group) and returns what it found. NotFound
// when the log group does not exist.
Result<std::vector<std::string>> FilterLogEvents(
    HttpClient& client, AwsCredentialsProvider& credentials, const AwsEndpoint& logs,
    const std::string& log_group, const std::string& filter_pattern,
    std::chrono::system_clock::time_point start, size_t max_events = 100);

}  // namespace rr
