#include "responder/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace rr {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Counter;
using prometheus::Family;

struct Metrics::Families {
  explicit Families(prometheus::Registry& r)
      : accepted(BuildCounter()
                     .Name("rr_alerts_accepted_total")
                     .Help("Alerts durably written to the spool, by source")
                     .Register(r)),
        duplicate(BuildCounter()
                      .Name("rr_alerts_duplicate_total")
                      .Help("Deliveries of an alert the spool already had (SNS or SQS redelivery)")
                      .Register(r)),
        refused(BuildCounter()
                    .Name("rr_requests_refused_total")
                    .Help("Requests or messages not accepted, by source and reason")
                    .Register(r)),
        delivered(BuildCounter()
                      .Name("rr_deliveries_sent_total")
                      .Help("Alerts a channel accepted, by channel")
                      .Register(r)),
        failed(BuildCounter()
                   .Name("rr_deliveries_failed_total")
                   .Help("Delivery rounds a channel did not accept, by channel and reason")
                   .Register(r)),
        finished(BuildCounter()
                     .Name("rr_alerts_finished_total")
                     .Help("Alerts whose work is done, by outcome")
                     .Register(r)),
        paged(BuildCounter()
                  .Name("rr_incident_pages_total")
                  .Help("Pages of incidents, by why they went (first, escalated, repeat, ...)")
                  .Register(r)),
        acknowledged(BuildCounter()
                         .Name("rr_incidents_acknowledged_total")
                         .Help("Incidents acknowledged by a person (link or button)")
                         .Register(r)
                         .Add({})),
        notices(BuildCounter()
                    .Name("rr_notices_sent_total")
                    .Help("Notices a channel accepted, by kind (acknowledged, resolved)")
                    .Register(r)),
        queue_depth(BuildGauge()
                        .Name("rr_queue_depth")
                        .Help("Alerts accepted and not yet finished")
                        .Register(r)
                        .Add({})),
        latency(BuildHistogram()
                    .Name("rr_delivery_latency_seconds")
                    .Help("From acceptance to a channel accepting the alert, by channel")
                    .Register(r)) {}

  Family<Counter>& accepted;
  Family<Counter>& duplicate;
  Family<Counter>& refused;
  Family<Counter>& delivered;
  Family<Counter>& failed;
  Family<Counter>& finished;
  Family<Counter>& paged;
  Counter& acknowledged;
  Family<Counter>& notices;
  prometheus::Gauge& queue_depth;
  Family<prometheus::Histogram>& latency;
};

namespace {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
  return kBuckets;
}

std::string S(std::string_view v) { return std::string(v); }

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      f_(std::make_unique<Families>(*registry_)) {}

Metrics::~Metrics() = default;

void Metrics::Accepted(std::string_view source) {
  f_->accepted.Add({{"source", S(source)}}).Increment();
}

void Metrics::Duplicate(std::string_view source) {
  f_->duplicate.Add({{"source", S(source)}}).Increment();
}

void Metrics::Refused(std::string_view source, std::string_view reason) {
  f_->refused.Add({{"source", S(source)}, {"reason", S(reason)}}).Increment();
}

void Metrics::Delivered(std::string_view channel, std::chrono::milliseconds since_accepted) {
  f_->delivered.Add({{"channel", S(channel)}}).Increment();
  f_->latency.Add({{"channel", S(channel)}}, LatencyBuckets())
      .Observe(static_cast<double>(since_accepted.count()) / 1000.0);
}

void Metrics::DeliveryFailed(std::string_view channel, std::string_view reason) {
  f_->failed.Add({{"channel", S(channel)}, {"reason", S(reason)}}).Increment();
}

void Metrics::Finished(std::string_view outcome) {
  f_->finished.Add({{"outcome", S(outcome)}}).Increment();
}

void Metrics::Paged(std::string_view reason) { f_->paged.Add({{"reason", S(reason)}}).Increment(); }

void Metrics::Acknowledged() { f_->acknowledged.Increment(); }

void Metrics::NoticeSent(std::string_view kind) {
  f_->notices.Add({{"kind", S(kind)}}).Increment();
}

void Metrics::SetQueueDepth(size_t depth) { f_->queue_depth.Set(static_cast<double>(depth)); }

std::string Metrics::Text() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace rr
