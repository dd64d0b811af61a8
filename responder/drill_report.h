// What the daemon answers to GET /drills/<id>: every alert it accepted that carries the drill
// id, with each channel's delivery, so `root-responder drill --responder-url` can tell which
// hops passed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "responder/spool.h"

namespace rr {

// {"drill_id": ID, "alerts": [{"alert_id", "accepted_at", "finished_at", "outcome",
//   "deliveries": [{"channel", "state", "attempts", "http_status", "error"}]}]}
std::string DrillReportJson(std::string_view drill_id, const std::vector<AlertRecord>& alerts);

}  // namespace rr
