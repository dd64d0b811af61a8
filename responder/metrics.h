// What the daemon counts, for GET /metrics (Prometheus text format, via prometheus-cpp).
// Label values are channel names, sources and reason words from a fixed set: never payload
// text, so a hostile body cannot grow the label space.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace prometheus {
class Registry;
}

namespace rr {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // An alert durably in the spool (`source`: sns-http, sqs, ...); a duplicate of a known one.
  void Accepted(std::string_view source);
  void Duplicate(std::string_view source);
  // A request or message that was not accepted; `reason` is one word (signature, topic, ...).
  void Refused(std::string_view source, std::string_view reason);
  // One channel's final answer for one alert round, with the time since the alert was accepted.
  void Delivered(std::string_view channel, std::chrono::milliseconds since_accepted);
  void DeliveryFailed(std::string_view channel, std::string_view reason);
  // An alert left the spool's work list: delivered, partial (given up on some) or failed.
  void Finished(std::string_view outcome);
  void SetQueueDepth(size_t depth);
  // Escalation: pages of an incident by why they went (first, escalated, tiers_failed, repeat,
  // related_event), acknowledgements, and notices sent (acknowledged, resolved).
  void Paged(std::string_view reason);
  void Acknowledged();
  void NoticeSent(std::string_view kind);

  // The exposition text of every metric.
  std::string Text() const;

 private:
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> f_;
};

}  // namespace rr
