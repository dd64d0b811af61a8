// The CloudWatch calls the drill harness makes: DescribeAlarms (one alarm by name),
// SetAlarmState and DescribeAlarmHistory, over AWS JSON 1.0 with x-amzn-query-mode: true
// (shared/reference/aws-formats.md 7.1 and 7.3), signed with SigV4 service "monitoring".
//
// Each method is one attempt per page: no retries, so a caller polling history decides its own
// pace. Errors name the call, the endpoint and AWS's code and message; never a credential.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "alarm/status.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"

namespace rr {

struct AlarmInfo {
  std::string name, arn, state_value, state_reason;
  bool composite = false;
  bool actions_enabled = false;
  std::vector<std::string> alarm_actions, ok_actions, insufficient_data_actions;
  std::string namespace_, metric_name;  // metric alarms; empty for composite / metric math
  // When the state last changed; nullopt when the answer does not say.
  std::optional<std::chrono::system_clock::time_point> state_updated;
};

struct AlarmHistoryItem {
  std::chrono::system_clock::time_point timestamp;
  std::string type;     // HistoryItemType: StateUpdate, Action, ConfigurationUpdate, ...
  std::string summary;  // HistorySummary
  std::string data;     // HistoryData (a JSON string, kept as text)
};

class CloudWatchApi {
 public:
  // `endpoint` comes from ResolveAwsEndpoint(kCloudWatchService, ...). The client and the
  // credentials must outlive this object.
  CloudWatchApi(HttpClient& client, AwsCredentialsProvider& credentials, AwsEndpoint endpoint);

  // The metric or composite alarm named exactly `name`; nullopt when there is none.
  Result<std::optional<AlarmInfo>> DescribeAlarm(const std::string& name);

  // `state` is OK, ALARM or INSUFFICIENT_DATA; `reason` is required (at most 1023 bytes);
  // `reason_data` is optional JSON (at most 4000 bytes). Checked here first, so a bad value is
  // named before anything is sent. NotFound when the alarm does not exist.
  Status SetAlarmState(const std::string& name, const std::string& state, const std::string& reason,
                       const std::string& reason_data = "");

  // Items of the alarm since `start`, newest first (all pages, at most `max_items`). When the
  // endpoint cannot answer this call at all (moto: HTTP 500 with no AWS error; or an
  // unknown-operation error), the Status is Unavailable and its message starts with
  // kHistoryNotSupported, so the drill can report the hop as unknown (never failed or passed).
  Result<std::vector<AlarmHistoryItem>> DescribeAlarmHistory(
      const std::string& name, std::chrono::system_clock::time_point start, size_t max_items = 100);

  const AwsEndpoint& endpoint() const { return endpoint_; }

 private:
  HttpClient& client_;
  AwsCredentialsProvider& credentials_;
  AwsEndpoint endpoint_;
};

// The prefix of DescribeAlarmHistory's message when the endpoint does not implement the call.
inline constexpr char kHistoryNotSupported[] = "not supported by this endpoint";

// True for a Status from DescribeAlarmHistory that means "this endpoint cannot tell".
bool IsHistoryNotSupported(const Status& status);

// What an Action history item says: which SNS topic (or other action), whether it worked, and
// AWS's error when it did not.
struct ActionResult {
  std::string resource;
  bool succeeded = false;
  std::string error;
};

// Reads an Action item: HistoryData's actionState, notificationResource and error, falling back
// to the summary ("Successfully executed action ARN" / "Failed to execute action ARN. Received
// error: "..."") for what HistoryData lacks or when it is not JSON. nullopt for other item types
// and for an Action item that says neither.
std::optional<ActionResult> ParseActionHistory(const AlarmHistoryItem& item);

}  // namespace rr
