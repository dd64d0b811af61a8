#include "responder/alert_pipeline.h"

#include <glog/logging.h>
#include <openssl/sha.h>

#include <algorithm>

#include "alarm/drill_id.h"
#include "alarm/quote_input.h"
#include "channels/redact.h"
#include "responder/incident_keys.h"

namespace rr {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// An alert without an id of its own (a hand-made file) is keyed by its bytes and position.
std::string KeyFor(const Outcome& o, std::string_view payload, size_t index) {
  if (o.alert && o.alert->dedup_key && !o.alert->dedup_key->empty()) return *o.alert->dedup_key;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string key = "sha256:";
  for (unsigned char c : digest) {
    key += kHex[c >> 4];
    key += kHex[c & 15];
  }
  return key + "#" + std::to_string(index);
}

}  // namespace

std::string_view ToString(AcceptKind kind) {
  switch (kind) {
    case AcceptKind::kAccepted:
      return "accepted";
    case AcceptKind::kDuplicate:
      return "duplicate";
    case AcceptKind::kIgnored:
      return "ignored";
    case AcceptKind::kRejected:
      return "rejected";
    case AcceptKind::kUnavailable:
      return "unavailable";
  }
  return "?";
}

AlertPipeline::AlertPipeline(const Dispatcher& dispatcher, Spool& spool, HttpClient& client,
                             Clock& clock, Random& random, Metrics& metrics,
                             PipelineOptions options)
    : dispatcher_(dispatcher),
      spool_(spool),
      client_(client),
      clock_(clock),
      random_(random),
      metrics_(metrics),
      options_(options) {}

AlertPipeline::~AlertPipeline() { Stop(); }

Status AlertPipeline::Start() {
  // Resume in pages so a large backlog never has to fit in one read.
  Result<std::vector<PendingAlert>> pending = spool_.Unfinished(options_.max_unfinished);
  if (!pending.ok()) return pending.status();
  for (PendingAlert& p : *pending) {
    AlertJob job;
    job.alert_id = p.alert.alert_id;
    job.incident_id = p.alert.incident_id;
    job.role = p.alert.role;
    job.dedup_key = p.alert.dedup_key;
    job.payload = std::move(p.alert.payload);
    job.accepted_at = p.alert.accepted_at;
    job.sent = std::move(p.sent);
    job.failed = std::move(p.failed);
    LOG(INFO) << "resume alert_id=" << job.alert_id << " role=" << ToString(job.role)
              << " incident=" << job.incident_id << " dedup_key=" << RedactKnown(job.dedup_key)
              << " already_sent=" << job.sent.size();
    Queue(std::move(job));
  }
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { Work(); });
  return Status::Ok();
}

AcceptAnswer AlertPipeline::Accept(std::string_view payload, std::string_view source) {
  AcceptAnswer answer;
  std::vector<Outcome> outcomes = dispatcher_.Prepare(payload);
  if (outcomes.empty()) {
    answer.reason = "no record in the payload";
    return answer;
  }
  std::vector<AcceptRequest> requests;
  std::vector<std::string> ignored;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (o.kind == OutcomeKind::kRejected) {
      answer.reason = o.reason;
      return answer;  // one bad record spoils the delivery: a retry cannot fix it either
    }
    // An OK is news for an incident of its alarm that is firing here, even when notify_states
    // does not page OK on its own.
    const bool acts = o.kind == OutcomeKind::kDryRun;
    const bool ok_alarm = o.alert && o.alert->kind == AlertKind::kAlarm && o.alert->state == "OK";
    if (!acts && !ok_alarm) {
      ignored.push_back(o.reason);
      continue;
    }
    if (!acts) ignored.push_back(o.reason);  // used if nothing is firing
    AcceptRequest r;
    r.dedup_key = KeyFor(o, payload, i);
    r.source = std::string(source);
    r.payload = std::string(payload);
    if (o.alert->drill && o.alert->reason) r.drill_id = DrillIdIn(*o.alert->reason);
    r.incident = PlanIncident(*o.alert, dispatcher_.config().escalation, r.dedup_key);
    r.incident->place_if_nothing_to_resolve = acts;
    requests.push_back(std::move(r));
  }
  if (requests.empty()) {
    answer.kind = AcceptKind::kIgnored;
    answer.reason = ignored.front();
    return answer;
  }
  if (unfinished_.load() >= options_.max_unfinished || stopped_.load()) {
    answer.kind = AcceptKind::kUnavailable;
    answer.reason = stopped_.load() ? "shutting down" : "too many alerts in progress";
    return answer;
  }
  std::vector<std::string> keys;
  for (const AcceptRequest& r : requests) keys.push_back(r.dedup_key);
  Result<std::vector<Accepted>> stored = spool_.AcceptAll(std::move(requests));
  if (!stored.ok()) {
    LOG(ERROR) << "spool_write_failed source=" << source << " error=" << stored.status().message();
    answer.kind = AcceptKind::kUnavailable;
    answer.reason = "the spool could not store the alert";
    return answer;
  }
  answer.kind = AcceptKind::kIgnored;
  answer.reason = ignored.empty() ? "" : ignored.front();
  for (size_t i = 0; i < stored->size(); ++i) {
    const Accepted& a = (*stored)[i];
    if (a.role == AlertRole::kNothingToResolve) {
      LOG(INFO) << "ok_without_incident source=" << source << " dedup_key=" << RedactKnown(keys[i]);
      continue;
    }
    answer.alert_ids.push_back(a.alert_id);
    if (a.duplicate) {
      metrics_.Duplicate(source);
      LOG(INFO) << "duplicate source=" << source << " alert_id=" << a.alert_id
                << " dedup_key=" << RedactKnown(keys[i]);
      if (answer.kind == AcceptKind::kIgnored) answer.kind = AcceptKind::kDuplicate;
      continue;
    }
    answer.kind = AcceptKind::kAccepted;
    metrics_.Accepted(source);
    LOG(INFO) << "accepted source=" << source << " alert_id=" << a.alert_id
              << " incident=" << a.incident_id << " role=" << ToString(a.role);
    AlertJob job;
    job.alert_id = a.alert_id;
    job.incident_id = a.incident_id;
    job.role = a.role;
    job.dedup_key = keys[i];
    job.payload = std::string(payload);
    job.accepted_at = clock_.WallNow();
    Queue(std::move(job));
  }
  if (answer.kind != AcceptKind::kIgnored) answer.reason.clear();
  return answer;
}

void AlertPipeline::Queue(AlertJob job) {
  job.due = clock_.Now();
  ++unfinished_;
  metrics_.SetQueueDepth(unfinished_.load());
  queue_.Push(std::move(job));
}

void AlertPipeline::Work() {
  while (std::optional<AlertJob> job = queue_.PopDue()) RunRound(std::move(*job));
}

size_t AlertPipeline::RunDue() {
  size_t rounds = 0;
  while (std::optional<AlertJob> job = queue_.PopIfDue(clock_.Now())) {
    RunRound(std::move(*job));
    ++rounds;
  }
  return rounds;
}

void AlertPipeline::RunRound(AlertJob job) {
  switch (job.role) {
    case AlertRole::kPrimary:
      return RunLadderRound(std::move(job));
    case AlertRole::kMember:
      return FinishMember(job);
    case AlertRole::kFollowUp:
      return RunFollowUpRound(std::move(job));
    case AlertRole::kResolve:
    case AlertRole::kAck:
      return RunNoticeRound(std::move(job));
    case AlertRole::kNone:
    case AlertRole::kNothingToResolve:
      return RunAloneRound(std::move(job));
  }
}

std::optional<Outcome> AlertPipeline::PreparedAlert(const std::string& payload,
                                                    const std::string& dedup_key) const {
  std::vector<Outcome> outcomes = dispatcher_.Prepare(payload);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].alert && outcomes[i].kind != OutcomeKind::kRejected &&
        KeyFor(outcomes[i], payload, i) == dedup_key) {
      return std::move(outcomes[i]);
    }
  }
  return std::nullopt;
}

// An alert without an incident (accepted before the spool had incidents): every channel at
// once, as before.
void AlertPipeline::RunAloneRound(AlertJob job) {
  // The payload is parsed again: the config may have changed since it was accepted.
  std::optional<Outcome> found = PreparedAlert(job.payload, job.dedup_key);
  if (!found || found->kind != OutcomeKind::kDryRun) {
    Outcome o;
    o.kind = OutcomeKind::kIgnored;
    o.reason = "no longer an alert to send under the current configuration";
    Finish(job, o, "ignored");
    return;
  }
  Outcome& o = *found;
  SendOptions send;
  send.already_sent = job.sent;
  dispatcher_.SendAlert(o, client_, clock_, random_, send);
  ++job.round;
  const auto since_accepted = duration_cast<milliseconds>(clock_.WallNow() - job.accepted_at);
  std::vector<DeliveryRecord> records;
  Tally(job, o.deliveries, records);
  const size_t channels = dispatcher_.channels().size();
  std::string_view verdict;
  if (job.sent.size() >= channels) {
    o.kind = OutcomeKind::kDelivered;
    o.reason.clear();
    verdict = "delivered";
  } else if (since_accepted >= options_.give_up) {
    verdict = job.sent.empty() ? "failed" : "partial";
  }
  FinishOrRequeue(std::move(job), o, verdict, std::move(records), std::nullopt, std::nullopt, true);
}

milliseconds AlertPipeline::RetryDelay(int round) {
  // Equal jitter over an exponential ceiling: between half and all of it, so rounds of many
  // alerts failing together spread out, yet never come back too soon.
  milliseconds ceiling = options_.first_round_delay;
  for (int i = 1; i < round && ceiling < options_.max_round_delay; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, options_.max_round_delay);
  return milliseconds(static_cast<long long>(
      ceiling.count() / 2 + random_.Uniform01() * static_cast<double>(ceiling.count()) / 2));
}

void AlertPipeline::FinishOrRequeue(AlertJob job, Outcome& o, std::string_view verdict,
                                    std::vector<DeliveryRecord> records,
                                    std::optional<PageMark> page,
                                    std::optional<std::chrono::system_clock::time_point> next,
                                    bool retry) {
  // The round's records, the page mark and the finish in one write.
  std::optional<FinishedOutcome> finish;
  if (!verdict.empty()) finish = FinishedOutcome{std::string(verdict), OutcomeToJson(o)};
  if (Status s = spool_.RecordRound(job.alert_id, std::move(records), finish, page); !s.ok()) {
    LOG(ERROR) << "spool_record_failed alert_id=" << job.alert_id << " " << s.message();
  }
  if (finish) {
    Finished(job, finish->outcome_json, verdict);
    return;
  }
  const auto now = clock_.WallNow();
  milliseconds delay = milliseconds::max();
  if (next) delay = std::max(milliseconds(0), duration_cast<milliseconds>(*next - now));
  if (retry) {
    const milliseconds backoff = RetryDelay(job.round);
    if (backoff < delay) {
      delay = backoff;
      LOG(WARNING) << "round_failed alert_id=" << job.alert_id << " round=" << job.round
                   << " sent=" << job.sent.size() << " next_round_in_ms=" << delay.count();
    }
  }
  if (delay == milliseconds::max()) {
    // Nothing will ever come due: finish rather than hold the alert forever.
    Finish(job, o, job.sent.empty() ? "failed" : "partial");
    return;
  }
  if (stopped_.load()) return;  // the spool keeps it; the next start resumes it
  job.due = clock_.Now() + delay;
  queue_.Push(std::move(job));
}

void AlertPipeline::Finish(const AlertJob& job, const Outcome& outcome, std::string_view verdict) {
  const std::string json = OutcomeToJson(outcome);
  Status s = spool_.Finish(job.alert_id, verdict, json);
  if (!s.ok()) LOG(ERROR) << "spool_finish_failed alert_id=" << job.alert_id << " " << s.message();
  Finished(job, json, verdict);
}

void AlertPipeline::Finished(const AlertJob& job, const std::string& outcome_json,
                             std::string_view verdict) {
  LOG(INFO) << "outcome alert_id=" << job.alert_id << " " << outcome_json;
  metrics_.Finished(verdict);
  --unfinished_;
  metrics_.SetQueueDepth(unfinished_.load());
}

Result<AckAnswer> AlertPipeline::Acknowledge(int64_t incident_id, const std::string& by) {
  Result<AckAnswer> answer = spool_.Acknowledge(incident_id, by);
  if (!answer.ok()) {
    LOG(ERROR) << "acknowledge_failed incident=" << incident_id << " " << answer.status().message();
    return answer;
  }
  if (answer->kind != AckAnswer::Kind::kAcknowledged) return answer;
  LOG(INFO) << "acknowledged incident=" << incident_id << " by=" << QuoteInput(by, 80);
  metrics_.Acknowledged();
  Result<std::optional<AlertRecord>> notice = spool_.FindAlert(answer->notice_alert_id);
  if (notice.ok() && *notice) {
    AlertJob job;
    job.alert_id = answer->notice_alert_id;
    job.incident_id = incident_id;
    job.role = AlertRole::kAck;
    job.dedup_key = (*notice)->dedup_key;
    job.payload = (*notice)->payload;
    job.accepted_at = (*notice)->accepted_at;
    Queue(std::move(job));
  }
  // The ladder waiting for its next tier ends now instead of at that tier's time.
  Result<std::optional<IncidentRecord>> incident = spool_.FindIncident(incident_id);
  if (incident.ok() && *incident) queue_.MakeDue((*incident)->primary_alert_id, clock_.Now());
  return answer;
}

void AlertPipeline::Stop() {
  stopped_ = true;
  queue_.Close();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
}

}  // namespace rr
