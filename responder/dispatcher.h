// The policy half of the flow: parse a delivery, drop what is not to be sent, add what the
// configuration knows, and render (dry run) or send to every channel.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "alarm/payload.h"
#include "channels/channel.h"
#include "channels/clock.h"
#include "channels/deliver.h"
#include "channels/http_client.h"
#include "responder/config.h"
#include "responder/outcome.h"
#include "responder/task_pool.h"

namespace rr {

// How one send may differ from the configuration: a shorter deadline (Lambda's remaining
// time) and channels that already delivered this alert (a retried invocation).
struct SendOptions {
  std::optional<std::chrono::milliseconds> deadline;
  std::set<std::string> already_sent;
};

class Dispatcher {
 public:
  Dispatcher(Config config, std::vector<std::unique_ptr<Channel>> channels, RenderContext ctx);

  // One outcome per alert-bearing record of the payload.
  std::vector<Outcome> DryRun(std::string_view payload) const;

  // Parses, filters and enriches; returns the outcome so far (kDryRun for an alert to act on).
  std::vector<Outcome> Prepare(std::string_view payload) const;

  // Parses and sends every alert to every channel, the channels of one alert in parallel,
  // each with the configured retries. Without timers (once, Lambda) every tier goes at once.
  std::vector<Outcome> Send(std::string_view payload, HttpClient& client, Clock& clock,
                            Random& random) const;

  // Sends one prepared alert (outcome kind kDryRun) and fills in its deliveries and verdict.
  void SendAlert(Outcome& outcome, HttpClient& client, Clock& clock, Random& random,
                 const SendOptions& options = {}) const;

  // Sends what `render` makes of each named channel, the channels in parallel, each with the
  // configured retries: one Delivery per name, in order (a name no channel has is "failed").
  // Empty renders (a channel that sends no notices) are "skipped".
  using RenderFor = std::function<std::vector<HttpRequest>(const Channel&)>;
  std::vector<Delivery> SendTo(const std::vector<std::string>& names, const RenderFor& render,
                               HttpClient& client, Clock& clock, Random& random) const;

  const Channel* FindChannel(const std::string& name) const;

  // A dispatcher that sends to the named channel only (test-channel); null when none is.
  std::unique_ptr<Dispatcher> WithOnlyChannel(const std::string& name) const;

  // Sends run their channels on `pool` instead of a new thread each (the daemon; null: threads).
  // The pool must outlive every send.
  void set_task_pool(TaskPool* pool) { pool_ = pool; }

  const Config& config() const { return config_; }
  const std::vector<std::unique_ptr<Channel>>& channels() const { return channels_; }
  const RenderContext& render_context() const { return ctx_; }

 private:
  Outcome FromParsed(Parsed parsed) const;
  // SendTo with a given retry environment (SendAlert shortens the deadline).
  std::vector<Delivery> SendWith(const std::vector<std::string>& names, const RenderFor& render,
                                 const DeliveryEnv& env) const;
  // Runs the tasks at once, on the pool or on a thread each, and returns when all are done.
  void RunParallel(std::vector<std::function<void()>>& tasks) const;
  // The delay of the channel's tier, in seconds.
  int DelayOf(const std::string& channel_name) const;
  // A delivery to `channel`, named and placed in its tier, before anything is known of it.
  Delivery NewDelivery(const Channel& channel) const;

  Config config_;
  std::vector<std::unique_ptr<Channel>> channels_;
  RenderContext ctx_;
  PayloadLimits limits_;
  TaskPool* pool_ = nullptr;
};

}  // namespace rr
