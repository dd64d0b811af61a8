// The SNS notification CloudWatch publishes when an alarm goes to ALARM (aws-formats.md §1),
// built by the drill for `--simulate-action`: on an emulator whose alarms never run their
// actions, the drill publishes this itself, and its checklist says so.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace rr {

struct AlarmFacts {
  std::string name;
  std::string arn;  // arn:aws:cloudwatch:<region>:<account>:alarm:<name>
  std::string region;
  std::string namespace_;  // metric alarms; empty otherwise
  std::string metric_name;
  std::vector<std::string> alarm_actions;
};

struct AlarmNotification {
  std::string subject;  // ALARM: "root-alert" in Asia Pacific (Seoul)
  std::string message;  // the alarm JSON, as the SNS Message
};

AlarmNotification SimulatedAlarmNotification(const AlarmFacts& alarm, const std::string& reason,
                                             std::chrono::system_clock::time_point now);

}  // namespace rr
