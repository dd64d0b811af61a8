// `root-responder drill`: the operator's "is my root alarm really wired?" check (issue 6).
// Talks to CloudWatch itself (SigV4, the credentials chain): finds the alarm, checks its
// actions, sets it OK then ALARM with a StateReason carrying a drill id, reads the alarm
// history for each SNS action, asks the responder what became of that drill id, and puts the
// alarm back to OK at the end, also when interrupted. Prints a checklist of every hop.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

#include "responder/config.h"

namespace rr {

struct DrillOptions {
  std::string alarm_name;
  std::string region;            // else AWS_REGION, AWS_DEFAULT_REGION, the profile
  std::string profile;           // else AWS_PROFILE, "default"
  std::string endpoint_url;      // one endpoint for every AWS service (an emulator)
  std::string responder_url;     // the daemon: GET <url>/drills/<id>
  std::string log_group;         // the Lambda function's log group: FilterLogEvents for the id
  bool simulate_action = false;  // publish the alarm message to the topic ourselves
  bool json = false;
  std::chrono::seconds wait{60};  // for history items and the responder, each
};

int RunDrill(const DrillOptions& options, const GetEnv& env, std::ostream& out, std::ostream& err);

}  // namespace rr
