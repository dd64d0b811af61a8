#include "responder/drill_checklist.h"

#include <rapidjson/stringbuffer.h>

#include <sstream>

#include "alarm/json.h"

namespace rr {
namespace {

std::string_view ResultWord(const DrillReport& r) {
  switch (DrillExitCode(r)) {
    case 0:
      return "passed";
    case 1:
      return "failed";
    case 130:
      return "interrupted";
    default:
      return "incomplete";
  }
}

}  // namespace

std::string_view ToString(HopStatus status) {
  switch (status) {
    case HopStatus::kPass:
      return "pass";
    case HopStatus::kFail:
      return "fail";
    case HopStatus::kUnknown:
      return "unknown";
    case HopStatus::kSimulated:
      return "simulated";
  }
  return "?";
}

int DrillExitCode(const DrillReport& report) {
  if (report.interrupted) return 130;
  bool incomplete = report.hops.empty();
  for (const Hop& h : report.hops) {
    if (h.status == HopStatus::kFail) return 1;
    if (h.status != HopStatus::kPass) incomplete = true;
  }
  return incomplete ? 3 : 0;
}

std::string ChecklistText(const DrillReport& report) {
  std::ostringstream out;
  out << "drill " << report.drill_id << "  alarm " << report.alarm_name << "  region "
      << report.region << "\n";
  size_t width = 0;
  for (const Hop& h : report.hops) width = std::max(width, h.name.size());
  int counts[4] = {0, 0, 0, 0};
  for (const Hop& h : report.hops) {
    ++counts[static_cast<int>(h.status)];
    std::string mark(ToString(h.status));
    for (char& c : mark) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out << "  " << mark << std::string(10 - mark.size(), ' ') << h.name
        << std::string(width - h.name.size() + 2, ' ') << h.evidence << "\n";
  }
  out << "result: " << ResultWord(report) << " (" << counts[0] << " passed, " << counts[1]
      << " failed, " << counts[2] << " unknown, " << counts[3] << " simulated)";
  if (report.interrupted) out << "; interrupted, the alarm was put back to OK";
  out << "\n";
  return out.str();
}

std::string ChecklistJson(const DrillReport& report) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "drill_id", report.drill_id);
  WriteString(w, "alarm_name", report.alarm_name);
  WriteString(w, "region", report.region);
  WriteString(w, "result", ResultWord(report));
  w.Key("hops");
  w.StartArray();
  for (const Hop& h : report.hops) {
    w.StartObject();
    WriteString(w, "hop", h.name);
    WriteString(w, "status", ToString(h.status));
    WriteString(w, "evidence", h.evidence);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace rr
