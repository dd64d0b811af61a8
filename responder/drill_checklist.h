// The drill's answer: one line per hop of the alarm chain, each passed, failed, unknown (the
// endpoint cannot show it, or it was not reached) or simulated (the drill did it itself), with
// the evidence. Only a checklist where every hop passed is a passed drill.
#pragma once

#include <string>
#include <vector>

namespace rr {

enum class HopStatus { kPass, kFail, kUnknown, kSimulated };
std::string_view ToString(HopStatus status);

struct Hop {
  std::string name;  // "alarm found", "channel dooray-sec delivered", ...
  HopStatus status = HopStatus::kUnknown;
  std::string evidence;  // what was seen, or why nothing could be
};

struct DrillReport {
  std::string drill_id;
  std::string alarm_name;
  std::string region;
  std::vector<Hop> hops;
  bool interrupted = false;  // SIGINT: the alarm was still put back to OK
};

// Exit status: 0 when every hop passed; 1 when one failed; 3 when none failed but one is
// unknown or simulated; 130 when interrupted.
int DrillExitCode(const DrillReport& report);

// For people: a header, a line per hop, a result line.
std::string ChecklistText(const DrillReport& report);
// {"drill_id","alarm_name","region","result":"passed|failed|incomplete|interrupted",
//  "hops":[{"hop","status":"pass|fail|unknown|simulated","evidence"}]}
std::string ChecklistJson(const DrillReport& report);

}  // namespace rr
