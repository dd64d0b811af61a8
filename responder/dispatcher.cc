#include "responder/dispatcher.h"

#include <algorithm>
#include <cmath>
#include <thread>

#include "channels/deliver.h"
#include "responder/channel_factory.h"
#include "responder/enrich.h"
#include "responder/policy.h"

namespace rr {
namespace {

RetryPolicy PolicyFrom(const RetryConfig& r);

// What the retry stage reported, as the outcome shows it.
void FillFromReport(const DeliveryReport& r, Delivery& d) {
  d.status = r.sent ? "sent" : "failed";
  d.attempts = r.attempts;
  d.http_status = r.http_status;
  if (!r.sent) {
    d.error = r.error;
    d.reason = r.reason;
  }
  if (!r.config_hint.empty()) d.config_hint = r.config_hint;
  d.elapsed_ms = static_cast<long>(r.elapsed.count());
}

}  // namespace

Dispatcher::Dispatcher(Config config, std::vector<std::unique_ptr<Channel>> channels,
                       RenderContext ctx)
    : config_(std::move(config)), channels_(std::move(channels)), ctx_(ctx) {}

Delivery Dispatcher::NewDelivery(const Channel& channel) const {
  Delivery d;
  d.channel = channel.name();
  d.type = std::string(channel.type());
  d.tier = config_.TierOf(d.channel);
  return d;
}

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
      Delivery d = NewDelivery(*channel);
      d.status = "rendered";
      d.requests = channel->Render(*o.alert, ctx_);
      o.deliveries.push_back(std::move(d));
    }
  }
  return outcomes;
}

namespace {

RetryPolicy PolicyFrom(const RetryConfig& r) {
  auto ms = [](double seconds) { return std::chrono::milliseconds(std::llround(seconds * 1000)); };
  RetryPolicy p;
  p.base = ms(r.base_seconds);
  p.cap = ms(r.cap_seconds);
  p.max_attempts = r.max_attempts;
  p.deadline = ms(r.deadline_seconds);
  return p;
}

}  // namespace

const Channel* Dispatcher::FindChannel(const std::string& name) const {
  for (const auto& channel : channels_) {
    if (channel->name() == name) return channel.get();
  }
  return nullptr;
}

std::vector<Delivery> Dispatcher::SendTo(const std::vector<std::string>& names,
                                         const RenderFor& render, HttpClient& client, Clock& clock,
                                         Random& random) const {
  return SendWith(names, render, DeliveryEnv{&client, &clock, &random, PolicyFrom(config_.retry)});
}

std::vector<Delivery> Dispatcher::SendWith(const std::vector<std::string>& names,
                                           const RenderFor& render, const DeliveryEnv& env) const {
  std::vector<std::optional<DeliveryReport>> reports(names.size());
  std::vector<const Channel*> channels(names.size());
  std::vector<std::function<void()>> tasks;
  // All channels at once: a slow or failing service never delays another.
  for (size_t i = 0; i < names.size(); ++i) {
    channels[i] = FindChannel(names[i]);
    if (!channels[i]) continue;
    tasks.push_back([&, i] {
      std::vector<HttpRequest> requests = render(*channels[i]);
      if (!requests.empty()) reports[i] = Deliver(*channels[i], std::move(requests), env);
    });
  }
  RunParallel(tasks);
  std::vector<Delivery> deliveries;
  for (size_t i = 0; i < names.size(); ++i) {
    Delivery d;
    d.channel = names[i];
    d.tier = config_.TierOf(names[i]);
    if (!channels[i]) {
      d.status = "failed";
      d.error = "no channel is configured with this name";
      d.reason = "unknown_channel";
    } else if (d.type = std::string(channels[i]->type()); !reports[i]) {
      d.status = "skipped";
      d.error = "this channel sends no such message";
    } else {
      FillFromReport(*reports[i], d);
    }
    deliveries.push_back(std::move(d));
  }
  return deliveries;
}

void Dispatcher::SendAlert(Outcome& o, HttpClient& client, Clock& clock, Random& random,
                           const SendOptions& options) const {
  RetryPolicy policy = PolicyFrom(config_.retry);
  if (options.deadline) policy.deadline = std::min(policy.deadline, *options.deadline);
  const DeliveryEnv env{&client, &clock, &random, policy};
  std::vector<std::string> skip_reason(channels_.size());
  std::vector<std::string> due_names;
  for (size_t i = 0; i < channels_.size(); ++i) {
    const std::string& name = channels_[i]->name();
    if (options.already_sent.count(name)) {
      skip_reason[i] = "already delivered for this alert";
    } else if (!config_.escalation.lambda_sends_delayed_tiers && DelayOf(name) > 0) {
      skip_reason[i] = "tier " + std::to_string(config_.TierOf(name)) + " waits " +
                       std::to_string(DelayOf(name)) +
                       " s for an acknowledgement, which needs the daemon "
                       "(escalation.lambda_delayed_tiers is \"skip\")";
    } else {
      due_names.push_back(name);
    }
  }
  std::vector<Delivery> sends = SendWith(
      due_names, [&](const Channel& channel) { return channel.Render(*o.alert, ctx_); }, env);
  size_t sent = 0, skipped = 0, next = 0;
  for (size_t i = 0; i < channels_.size(); ++i) {
    if (skip_reason[i].empty()) {
      sent += sends[next].status == "sent";
      o.deliveries.push_back(std::move(sends[next++]));
      continue;
    }
    Delivery d = NewDelivery(*channels_[i]);
    d.status = "skipped";
    d.error = skip_reason[i];
    if (options.already_sent.count(channels_[i]->name())) {
      ++sent;
    } else {
      ++skipped;
    }
    o.deliveries.push_back(std::move(d));
  }
  const size_t due = channels_.size() - skipped;
  o.kind = sent == due ? OutcomeKind::kDelivered
           : sent == 0 ? OutcomeKind::kFailed
                       : OutcomeKind::kPartial;
  if (sent == 0 && due > 0) o.reason = "no channel got through";
}

void Dispatcher::RunParallel(std::vector<std::function<void()>>& tasks) const {
  if (pool_) return pool_->RunAll(tasks);
  if (tasks.empty()) return;
  std::vector<std::thread> threads;
  for (size_t i = 0; i + 1 < tasks.size(); ++i) threads.emplace_back(tasks[i]);
  tasks.back()();  // the last on this thread: one channel needs no thread at all
  for (std::thread& t : threads) t.join();
}

int Dispatcher::DelayOf(const std::string& channel_name) const {
  const auto& tiers = config_.tiers;
  const int tier = config_.TierOf(channel_name);
  return tier < static_cast<int>(tiers.size()) ? tiers[tier].after_seconds : 0;
}

std::vector<Outcome> Dispatcher::Send(std::string_view payload, HttpClient& client, Clock& clock,
                                      Random& random) const {
  std::vector<Outcome> outcomes = Prepare(payload);
  for (Outcome& o : outcomes) {
    if (o.kind == OutcomeKind::kDryRun) SendAlert(o, client, clock, random);
  }
  return outcomes;
}

std::unique_ptr<Dispatcher> Dispatcher::WithOnlyChannel(const std::string& name) const {
  for (const ChannelEntry& entry : config_.channels) {
    if (entry.name != name) continue;
    std::vector<std::unique_ptr<Channel>> one;
    one.push_back(BuildChannel(entry));
    return std::make_unique<Dispatcher>(config_, std::move(one), ctx_);
  }
  return nullptr;
}

}  // namespace rr
