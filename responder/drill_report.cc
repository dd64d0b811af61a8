#include "responder/drill_report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "alarm/aws_time.h"
#include "alarm/json.h"

namespace rr {
namespace {

std::string Iso(std::chrono::system_clock::time_point t) {
  return FormatUtc(std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count());
}

}  // namespace

std::string DrillReportJson(std::string_view drill_id, const std::vector<AlertRecord>& alerts) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "drill_id", drill_id);
  w.Key("alerts");
  w.StartArray();
  for (const AlertRecord& a : alerts) {
    w.StartObject();
    w.Key("alert_id");
    w.Int64(a.alert_id);
    WriteString(w, "accepted_at", Iso(a.accepted_at));
    WriteOptString(w, "finished_at",
                   a.finished_at ? std::optional<std::string>(Iso(*a.finished_at)) : std::nullopt);
    WriteOptString(w, "outcome", a.outcome);
    w.Key("deliveries");
    w.StartArray();
    for (const StoredDelivery& d : a.deliveries) {
      w.StartObject();
      WriteString(w, "channel", d.channel);
      WriteString(w, "state", ToString(d.state));
      w.Key("attempts");
      w.Int(d.attempts);
      w.Key("http_status");
      if (d.http_status) {
        w.Int64(*d.http_status);
      } else {
        w.Null();
      }
      WriteOptString(w, "error", d.error);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace rr
