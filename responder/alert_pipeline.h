// The daemon's path from an accepted payload to the channels: parse and filter, write the alert
// durably to the spool (only then may the source be told "accepted"), and deliver it from
// worker threads. A channel that does not take an alert is tried again in later rounds, with
// backoff, until it does or the alert is older than `give_up`; channels that took it are never
// paged again, across restarts too. On start, everything the spool has unfinished is resumed.
//
// Escalation (issue 7): each alert opens or joins an incident (responder/incident_keys.h). The
// first alert of an incident pages its tiers on the ladder (responder/escalation_ladder.h);
// alerts that join are not paged again (the first root event joining an alarm's incident is
// told once to the chat already paged); an OK tells "resolved" and an acknowledgement tells
// "acknowledged" to the channels that were paged. All of it lives in the spool, so a restart
// continues every ladder where it stood.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/dispatcher.h"
#include "responder/due_queue.h"
#include "responder/metrics.h"
#include "responder/spool.h"

namespace rr {

struct PipelineOptions {
  int workers = 4;
  size_t max_unfinished = 10000;  // above this many, new payloads are refused (503: retry later)
  std::chrono::milliseconds first_round_delay{30000};  // after a round in which a channel failed
  std::chrono::milliseconds max_round_delay{600000};
  std::chrono::seconds give_up{24 * 3600};
  // Signed acknowledgement for an incident: a link for chat channels and the Telegram button's
  // callback data (responder/ack_link.h). Unset or nullopt: none.
  std::function<std::optional<std::string>(int64_t incident_id)> ack_url;
  std::function<std::optional<std::string>(int64_t incident_id)> ack_button_data;
};

enum class AcceptKind { kAccepted, kDuplicate, kIgnored, kRejected, kUnavailable };

struct AcceptAnswer {
  AcceptKind kind = AcceptKind::kRejected;
  std::string reason;              // why ignored, rejected or unavailable, in words
  std::vector<int64_t> alert_ids;  // accepted or already known
};

class AlertPipeline {
 public:
  AlertPipeline(const Dispatcher& dispatcher, Spool& spool, HttpClient& client, Clock& clock,
                Random& random, Metrics& metrics, PipelineOptions options = {});
  ~AlertPipeline();  // Stop()
  AlertPipeline(const AlertPipeline&) = delete;
  AlertPipeline& operator=(const AlertPipeline&) = delete;

  // Queues what the spool has unfinished and starts the workers.
  Status Start();
  // Parses `payload`; for each alert to act on, writes it to the spool and queues it. Returns
  // once it is durable (kAccepted/kDuplicate), or why nothing was taken. Thread-safe.
  AcceptAnswer Accept(std::string_view payload, std::string_view source);
  // Stops taking work; rounds in progress finish. Whatever is unfinished stays in the spool.
  void Stop();

  // Records that `by` acknowledged the incident (the first one wins), stops its pending tiers
  // and repeats, and queues the "acknowledged" notice. Thread-safe.
  Result<AckAnswer> Acknowledge(int64_t incident_id, const std::string& by);

  // What a person sees before acknowledging: who did already, and the incident's subject.
  struct IncidentSummary {
    std::optional<std::string> acked_by;
    std::chrono::system_clock::time_point acked_at;
    std::string subject;
  };
  // nullopt for an unknown incident; an error when the spool cannot be read.
  Result<std::optional<IncidentSummary>> Summarize(int64_t incident_id);

  // With workers = 0: runs, on the calling thread, every round due at the clock's Now(), until
  // none is; returns how many ran. Tests move a fake clock and call this.
  size_t RunDue();

  // Accepted alerts not finished yet (queued or being delivered).
  size_t unfinished() const { return unfinished_.load(); }

 private:
  void Work();
  void Queue(AlertJob job);
  void RunRound(AlertJob job);
  void RunAloneRound(AlertJob job);
  // escalation_rounds.cc
  void RunLadderRound(AlertJob job);
  void RunFollowUpRound(AlertJob job);
  void RunNoticeRound(AlertJob job);
  void FinishMember(const AlertJob& job);
  // The alert of `payload` that has `dedup_key`, parsed again under the current config.
  std::optional<Outcome> PreparedAlert(const std::string& payload,
                                       const std::string& dedup_key) const;
  // Sends one round to `targets` and records it; returns the deliveries.
  std::vector<Delivery> SendAndRecord(AlertJob& job, const std::vector<std::string>& targets,
                                      const Dispatcher::RenderFor& render,
                                      std::vector<DeliveryRecord>& records);
  // Counts a round's deliveries into `job` (sent, failed) and the records to write.
  void Tally(AlertJob& job, const std::vector<Delivery>& deliveries,
             std::vector<DeliveryRecord>& records);
  // Finishes `job` with `outcome` when `verdict` is set, else queues its next round at `next`
  // (wall time; a retry backoff is used when `retry` and that is sooner).
  void FinishOrRequeue(AlertJob job, Outcome& outcome, std::string_view verdict,
                       std::vector<DeliveryRecord> records, std::optional<PageMark> page,
                       std::optional<std::chrono::system_clock::time_point> next, bool retry);
  std::chrono::milliseconds RetryDelay(int round);
  void Finish(const AlertJob& job, const Outcome& outcome, std::string_view verdict);
  // Logs and counts an alert whose finish the spool already has.
  void Finished(const AlertJob& job, const std::string& outcome_json, std::string_view verdict);

  const Dispatcher& dispatcher_;
  Spool& spool_;
  HttpClient& client_;
  Clock& clock_;
  Random& random_;
  Metrics& metrics_;
  PipelineOptions options_;
  DueQueue queue_;
  std::atomic<size_t> unfinished_{0};
  std::vector<std::thread> workers_;
  std::atomic<bool> stopped_{false};
};

std::string_view ToString(AcceptKind kind);

}  // namespace rr
