#include "responder/dispatcher.h"

#include "responder/enrich.h"
#include "responder/policy.h"

namespace rr {

Dispatcher::Dispatcher(Config config, std::vector<std::unique_ptr<Channel>> channels,
                       RenderContext ctx)
    : config_(std::move(config)), channels_(std::move(channels)), ctx_(ctx) {}

Outcome Dispatcher::FromParsed(Parsed parsed) const {
  Outcome o;
  o.reason = std::move(parsed.reason);
  o.alert = std::move(parsed.alert);
  if (o.alert) Enrich(config_, *o.alert);
  switch (parsed.verdict) {
    case Verdict::kRejected:
      o.kind = OutcomeKind::kRejected;
      break;
    case Verdict::kIgnored:
      o.kind = OutcomeKind::kIgnored;
      break;
    case Verdict::kAlert:
      if (auto why = IgnoreReason(config_, *o.alert)) {
        o.kind = OutcomeKind::kIgnored;
        o.reason = *why;
      } else {
        o.kind = OutcomeKind::kDryRun;
      }
      break;
  }
  return o;
}

std::vector<Outcome> Dispatcher::Prepare(std::string_view payload) const {
  std::vector<Outcome> outcomes;
  for (Parsed& parsed : ParsePayload(payload, limits_)) {
    outcomes.push_back(FromParsed(std::move(parsed)));
  }
  return outcomes;
}

std::vector<Outcome> Dispatcher::DryRun(std::string_view payload) const {
  std::vector<Outcome> outcomes = Prepare(payload);
  for (Outcome& o : outcomes) {
    if (o.kind != OutcomeKind::kDryRun) continue;
    for (const auto& channel : channels_) {
      Delivery d;
      d.channel = channel->name();
      d.type = std::string(channel->type());
      d.tier = config_.TierOf(channel->name());
      d.status = "rendered";
      d.requests = channel->Render(*o.alert, ctx_);
      o.deliveries.push_back(std::move(d));
    }
  }
  return outcomes;
}

}  // namespace rr
