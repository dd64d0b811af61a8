// A loopback CloudWatch that speaks AWS JSON 1.0 (X-Amz-Target GraniteServiceVersion20100801.*,
// shared/reference/aws-formats.md 7.1 and 7.3) for DescribeAlarms, SetAlarmState and
// DescribeAlarmHistory: the calls the drill makes, with the answers moto cannot give (history,
// Action items that succeeded or failed, pagination, actions that really fire).
//
// Like AWS: DescribeAlarms lists only metric alarms unless AlarmTypes asks for composites;
// SetAlarmState validates its input (ValidationError, InvalidFormat, ResourceNotFound 404) and
// runs actions only when the state really changes, recording a StateUpdate item and one Action
// item per action of the new state (Succeeded, or Failed after FailActions()). Unsigned requests
// (no SigV4 scope for "monitoring") get 403. Timestamps are epoch seconds, as AWS's JSON sends.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/cloudwatch_api.h"
#include "tests/fakes/fake_providers.h"

namespace rr {

struct FakeAlarm {
  std::string name;
  std::string arn;  // empty: arn:aws:cloudwatch:<region>:<account>:alarm:<name>
  std::string state_value = "OK";
  std::string state_reason = "Unchecked: Initial alarm creation";
  bool composite = false;
  bool actions_enabled = true;
  std::vector<std::string> alarm_actions, ok_actions, insufficient_data_actions;
  // Metric alarms only (composites have neither).
  std::string namespace_ = "CloudTrailMetrics";
  std::string metric_name = "RootAccountUsageCount";
};

// One SetAlarmState request as received (well-formed JSON; valid or not).
struct FakeSetAlarmStateCall {
  std::string name, state, reason, reason_data;
};

// One SNS notification the fake POSTed for an alarm action (see PublishTo()).
struct FakeCloudWatchPublish {
  std::string topic_arn;
  std::string body;  // the signed SNS HTTP body
  long http_status = 0;
  std::string error;  // the HTTP client's error when no answer came
};

class FakeCloudWatch : public FakeHttpServer {
 public:
  // `clock` dates the history items SetAlarmState adds (WallNow()); null: the system clock.
  explicit FakeCloudWatch(std::string region = "ap-northeast-2",
                          std::string account_id = "111122223333", Clock* clock = nullptr);
  ~FakeCloudWatch() override;

  const std::string& region() const { return region_; }
  const std::string& account_id() const { return account_id_; }
  // "arn:aws:sns:<region>:<account>:<name>".
  std::string TopicArn(const std::string& name) const;

  // Adds the alarm or replaces the one of that name.
  void SetAlarm(FakeAlarm alarm);
  std::optional<FakeAlarm> alarm(const std::string& name) const;
  // History of `alarm_name` (the alarm need not exist: AWS keeps history after deletion).
  void AddHistory(const std::string& alarm_name, AlarmHistoryItem item);
  std::vector<AlarmHistoryItem> history(const std::string& alarm_name) const;

  std::vector<FakeSetAlarmStateCall> set_alarm_state_calls() const;

  // At most `n` history items per page whatever MaxRecords asks (so NextToken comes into
  // play); 0 means no cap of its own.
  void set_history_page_size(size_t n);
  // Answers DescribeAlarmHistory like moto 5.2.1: HTTP 500 with an HTML page.
  void set_history_unsupported(bool on);
  // From now on, actions that SetAlarmState fires fail with `error` (as when the topic policy
  // lacks cloudwatch.amazonaws.com); empty: they succeed again.
  void FailActions(std::string error);
  // When an action fires successfully, also POST a signed SNS notification
  // (tests/support/sns_signer.h: the test key, SignatureVersion 2) with the alarm JSON as
  // Message to `url`, synchronously, the way moto delivers to an HTTP subscriber. Empty: off.
  void PublishTo(std::string url);
  std::vector<FakeCloudWatchPublish> publishes() const;

  // The HistoryData and summary AWS writes for actions (7.1).
  static AlarmHistoryItem SucceededAction(std::chrono::system_clock::time_point when,
                                          const std::string& topic_arn,
                                          const std::string& published_message = "{}");
  static AlarmHistoryItem FailedAction(std::chrono::system_clock::time_point when,
                                       const std::string& topic_arn, const std::string& error);
  static AlarmHistoryItem StateUpdate(std::chrono::system_clock::time_point when,
                                      const std::string& old_state, const std::string& new_state,
                                      const std::string& reason);
  // What a topic without cloudwatch.amazonaws.com in its policy answers.
  static std::string NotAuthorizedError(const std::string& topic_arn);

 protected:
  ScriptedReply Answer(const RecordedRequest& request) override;

 private:
  ScriptedReply DescribeAlarms(const JsonValue& input);
  ScriptedReply SetAlarmState(const JsonValue& input);
  ScriptedReply DescribeAlarmHistory(const JsonValue& input);
  // Adds the items (and sends the notifications) of a real state change. Called with mu_ held;
  // returns the notifications to send once it is released.
  std::vector<FakeCloudWatchPublish> FireActions(FakeAlarm& alarm, const std::string& old_state);
  void Publish(std::vector<FakeCloudWatchPublish> pending);
  std::string ArnOf(const FakeAlarm& alarm) const;

  const std::string region_;
  const std::string account_id_;
  Clock& clock_;

  mutable std::mutex mu_;
  std::map<std::string, FakeAlarm> alarms_;
  std::map<std::string, std::vector<AlarmHistoryItem>> history_;
  std::vector<FakeSetAlarmStateCall> calls_;
  size_t history_page_size_ = 0;
  bool history_unsupported_ = false;
  std::string action_error_;
  std::string publish_url_;
  std::vector<FakeCloudWatchPublish> publishes_;
  int next_message_ = 1;
  std::unique_ptr<HttpClient> publisher_;
};

}  // namespace rr
