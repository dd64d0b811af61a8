// CloudWatch alarm state changes in the three shapes AWS delivers them: the SNS alarm message
// (metric, metric-math and composite alarms), the EventBridge "CloudWatch Alarm State Change"
// event, and the payload of an alarm action that invokes Lambda directly.
#pragma once

#include "alarm/field_reader.h"
#include "alarm/parsed.h"

namespace rr {

// True when the object looks like the SNS alarm message (AlarmName + NewStateValue).
bool IsAlarmMessage(const FieldReader& object);
Parsed ParseAlarmMessage(FieldReader& message, const EnvelopeFacts& envelope);

// detail-type "CloudWatch Alarm State Change".
Parsed ParseAlarmStateChangeEvent(FieldReader& event, const EnvelopeFacts& envelope);

// {"source":"aws.cloudwatch","alarmData":{...}} as an alarm action hands it to Lambda.
bool IsAlarmActionEvent(const FieldReader& object);
Parsed ParseAlarmActionEvent(FieldReader& event, const EnvelopeFacts& envelope);

// A state reason that marks a drill (the drill command writes "root-responder drill ...").
bool IsDrillReason(std::string_view reason);

}  // namespace rr
