#include "responder/lambda_handler.h"

#include <glog/logging.h>

#include "channels/redact.h"

namespace rr {

LambdaHandler::LambdaHandler(const Dispatcher& dispatcher, HttpClient& client, Clock& clock,
                             Random& random, std::chrono::milliseconds margin)
    : dispatcher_(dispatcher), client_(client), clock_(clock), random_(random), margin_(margin) {}

HandlerResult LambdaHandler::Handle(const Invocation& inv) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  const milliseconds left = duration_cast<milliseconds>(inv.deadline - clock_.WallNow()) - margin_;
  std::vector<Outcome> outcomes = dispatcher_.Prepare(inv.payload);
  std::string failures;
  for (Outcome& o : outcomes) {
    if (o.kind == OutcomeKind::kDryRun) {
      SendOptions options;
      options.deadline = std::max(left, milliseconds(0));
      const std::string key = o.alert->dedup_key.value_or("");
      if (!key.empty()) options.already_sent = sent_.SentChannels(key, clock_.Now());
      dispatcher_.SendAlert(o, client_, clock_, random_, options);
      for (const Delivery& d : o.deliveries) {
        if (d.status == "sent" && !key.empty()) sent_.RecordSent(key, d.channel, clock_.Now());
      }
      if (o.kind == OutcomeKind::kFailed) {
        failures += (failures.empty() ? "" : "; ") + key + ": no channel got through";
        for (const Delivery& d : o.deliveries) {
          if (d.error) failures += " (" + d.channel + ": " + *d.error + ")";
        }
      }
    }
    LOG(INFO) << "invocation request_id=" << inv.request_id << " " << OutcomeToJson(o);
  }
  if (!failures.empty()) return {false, "", "Delivery.Failed", RedactKnown(failures)};
  std::string body;
  if (outcomes.size() == 1) {
    body = OutcomeToJson(outcomes[0]);
  } else {
    body = "{\"outcomes\":[";
    for (size_t i = 0; i < outcomes.size(); ++i) {
      body += (i ? "," : "") + OutcomeToJson(outcomes[i]);
    }
    body += "]}";
  }
  return {true, body, "", ""};
}

}  // namespace rr
