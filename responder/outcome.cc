#include "responder/outcome.h"

#include "alarm/json.h"
#include "channels/redact.h"

namespace rr {
namespace {

void WriteRequest(JsonWriter& w, const HttpRequest& request) {
  w.StartObject();
  WriteString(w, "method", request.method);
  WriteString(w, "url", Redact(request.url, request.secrets, request.phone_numbers));
  w.Key("body");
  std::string body = Redact(request.body, request.secrets, request.phone_numbers);
  JsonDocument doc;
  if (!request.body.empty() && !doc.Parse(body.data(), body.size()).HasParseError()) {
    doc.Accept(w);  // bodies are JSON; embed them as objects so they read as such
  } else {
    w.String(body.data(), static_cast<rapidjson::SizeType>(body.size()));
  }
  w.EndObject();
}

void WriteDelivery(JsonWriter& w, const Delivery& d) {
  w.StartObject();
  WriteString(w, "channel", d.channel);
  WriteString(w, "type", d.type);
  w.Key("tier");
  w.Int(d.tier);
  WriteString(w, "status", d.status);
  w.Key("attempts");
  w.Int(d.attempts);
  w.Key("http_status");
  if (d.http_status) {
    w.Int64(*d.http_status);
  } else {
    w.Null();
  }
  WriteOptString(w, "error", d.error);
  if (d.config_hint) WriteString(w, "config_hint", RedactKnown(*d.config_hint));
  w.Key("elapsed_ms");
  w.Int64(d.elapsed_ms);
  if (!d.requests.empty()) {
    w.Key("request");
    WriteRequest(w, d.requests.front());
    if (d.requests.size() > 1) {  // Telegram splits long text into several messages
      w.Key("more_requests");
      w.StartArray();
      for (size_t i = 1; i < d.requests.size(); ++i) WriteRequest(w, d.requests[i]);
      w.EndArray();
    }
  }
  w.EndObject();
}

}  // namespace

std::string_view ToString(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kDelivered:
      return "delivered";
    case OutcomeKind::kPartial:
      return "partial";
    case OutcomeKind::kFailed:
      return "failed";
    case OutcomeKind::kIgnored:
      return "ignored";
    case OutcomeKind::kRejected:
      return "rejected";
    case OutcomeKind::kDryRun:
      return "dry_run";
  }
  return "rejected";
}

std::string OutcomeToJson(const Outcome& o) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteString(w, "outcome", ToString(o.kind));
  WriteString(w, "reason", RedactKnown(o.reason));
  if (o.alert) {
    w.Key("alert");
    WriteAlertJson(*o.alert, w);
  }
  w.Key("deliveries");
  w.StartArray();
  for (const Delivery& d : o.deliveries) WriteDelivery(w, d);
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

int ExitCodeFor(const std::vector<Outcome>& outcomes) {
  bool rejected = false;
  for (const Outcome& o : outcomes) {
    if (o.kind == OutcomeKind::kFailed) return 1;
    if (o.kind == OutcomeKind::kRejected) rejected = true;
  }
  return rejected ? 2 : 0;
}

}  // namespace rr
