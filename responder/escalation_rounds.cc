// The pipeline's rounds for alerts that belong to incidents: the ladder of the incident's first
// alert, the follow-up of a root event that joined it, and the acknowledged/resolved notices.
#include <glog/logging.h>

#include <algorithm>

#include "alarm/json.h"
#include "responder/alert_pipeline.h"
#include "responder/escalation_ladder.h"

namespace rr {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using Time = std::chrono::system_clock::time_point;

// Related alerts loaded for one page at most; renderers show fewer and count the rest.
constexpr size_t kMaxRelatedLoaded = 20;
// How soon a notice or follow-up looks again when the incident's first page is still going out.
constexpr std::chrono::seconds kWaitForFirstPage{1};
constexpr int kFirstPageLooks = 90;  // a first page takes at most a round's deadline (60 s default)

std::string_view ReasonWord(PageReason reason) {
  switch (reason) {
    case PageReason::kFirst:
      return "first";
    case PageReason::kEscalated:
      return "escalated";
    case PageReason::kTiersFailed:
      return "tiers_failed";
    case PageReason::kRepeat:
      return "repeat";
    case PageReason::kRelatedEvent:
      return "related_event";
  }
  return "first";
}

bool EscalatesImmediately(const Config& config, const Alert& alert) {
  if (alert.drill) return true;  // a drill proves every tier now, not in five minutes
  const std::optional<std::string>& key =
      alert.kind == AlertKind::kAlarm ? alert.alarm_name : alert.event_name;
  if (!key) return false;
  auto it = config.subjects.find(*key);
  return it != config.subjects.end() && it->second.escalate_immediately;
}

// Channels of `record` that took the alert.
std::set<std::string> SentChannels(const AlertRecord& record) {
  std::set<std::string> sent;
  for (const StoredDelivery& d : record.deliveries) {
    if (d.state == DeliveryState::kSent) sent.insert(d.channel);
  }
  return sent;
}

std::string_view VerdictFor(size_t sent, size_t due) {
  return sent >= due ? "delivered" : sent == 0 ? "failed" : "partial";
}

OutcomeKind KindFor(std::string_view verdict) {
  return verdict == "delivered" ? OutcomeKind::kDelivered
         : verdict == "failed"  ? OutcomeKind::kFailed
                                : OutcomeKind::kPartial;
}

}  // namespace

std::vector<Delivery> AlertPipeline::SendAndRecord(AlertJob& job,
                                                   const std::vector<std::string>& targets,
                                                   const Dispatcher::RenderFor& render,
                                                   std::vector<DeliveryRecord>& records) {
  std::vector<Delivery> deliveries = dispatcher_.SendTo(targets, render, client_, clock_, random_);
  Tally(job, deliveries, records);
  return deliveries;
}

void AlertPipeline::Tally(AlertJob& job, const std::vector<Delivery>& deliveries,
                          std::vector<DeliveryRecord>& records) {
  const auto since_accepted = duration_cast<milliseconds>(clock_.WallNow() - job.accepted_at);
  for (const Delivery& d : deliveries) {
    if (d.status == "skipped") {
      job.sent.insert(d.channel);  // nothing to send there: done, but nothing to record
      continue;
    }
    DeliveryRecord record;
    record.channel = d.channel;
    record.state = d.status == "sent" ? DeliveryState::kSent : DeliveryState::kFailed;
    record.attempts = d.attempts;
    record.http_status = d.http_status;
    record.error = d.error;
    records.push_back(std::move(record));
    if (d.status == "sent") {
      job.sent.insert(d.channel);
      job.failed.erase(d.channel);
      metrics_.Delivered(d.channel, since_accepted);
    } else {
      if (!job.sent.count(d.channel)) job.failed.insert(d.channel);
      metrics_.DeliveryFailed(d.channel, d.reason.empty() ? "unknown" : d.reason);
    }
  }
}

Result<std::optional<AlertPipeline::IncidentSummary>> AlertPipeline::Summarize(
    int64_t incident_id) {
  Result<std::optional<IncidentRecord>> incident = spool_.FindIncident(incident_id);
  if (!incident.ok()) return incident.status();
  if (!*incident) return std::optional<IncidentSummary>();
  IncidentSummary summary;
  summary.acked_by = (*incident)->acked_by;
  summary.acked_at = (*incident)->acked_at.value_or(Time());
  Result<std::optional<AlertRecord>> primary = spool_.FindAlert((*incident)->primary_alert_id);
  if (primary.ok() && *primary) {
    std::optional<Outcome> o = PreparedAlert((*primary)->payload, (*primary)->dedup_key);
    if (o && o->alert) summary.subject = o->alert->subject.value_or("");
  }
  return std::optional<IncidentSummary>(std::move(summary));
}

void AlertPipeline::FinishMember(const AlertJob& job) {
  std::optional<Outcome> found = PreparedAlert(job.payload, job.dedup_key);
  Outcome o = found ? std::move(*found) : Outcome{};
  o.kind = OutcomeKind::kIgnored;
  o.reason = "part of incident " + std::to_string(job.incident_id) +
             ", which was paged for it: not paged again";
  Finish(job, o, "correlated");
}

void AlertPipeline::RunLadderRound(AlertJob job) {
  ++job.round;
  std::optional<Outcome> found = PreparedAlert(job.payload, job.dedup_key);
  if (!found || found->kind != OutcomeKind::kDryRun) {
    Outcome o = found ? std::move(*found) : Outcome{};
    o.kind = OutcomeKind::kIgnored;
    o.reason = "no longer an alert to send under the current configuration";
    Finish(job, o, "ignored");
    return;
  }
  Outcome& o = *found;
  Result<std::optional<IncidentRecord>> incident = spool_.FindIncident(job.incident_id);
  if (!incident.ok() || !*incident) {
    LOG(ERROR) << "incident_read_failed alert_id=" << job.alert_id
               << " incident=" << job.incident_id << " "
               << (incident.ok() ? "no such incident" : incident.status().message());
    FinishOrRequeue(std::move(job), o, "", {}, std::nullopt, std::nullopt, true);
    return;
  }
  const IncidentRecord& inc = **incident;
  const Config& config = dispatcher_.config();
  const Alert& alert = *o.alert;

  LadderState state;
  state.opened_at = inc.opened_at;
  state.escalate_immediately = EscalatesImmediately(config, alert);
  state.acknowledged = inc.acked_at.has_value();
  state.firing = inc.firing;
  state.repeats_allowed = !alert.drill;
  state.repeats_sent = inc.repeats_sent;
  state.last_page_at = inc.last_page_at;
  state.sent = job.sent;
  state.failed = job.failed;

  PageExtras base;
  base.incident_id = job.incident_id;
  for (const auto& [id, role] : inc.alerts) {
    if (id == job.alert_id || base.related.size() >= kMaxRelatedLoaded) continue;
    if (role != AlertRole::kMember && role != AlertRole::kFollowUp) continue;
    Result<std::optional<AlertRecord>> member = spool_.FindAlert(id);
    if (!member.ok() || !*member) continue;
    std::optional<Outcome> parsed = PreparedAlert((*member)->payload, (*member)->dedup_key);
    if (parsed && parsed->alert) base.related.push_back(*parsed->alert);
  }

  const Time now = clock_.WallNow();
  std::vector<DeliveryRecord> records;
  std::optional<PageMark> page;
  std::set<std::string> attempted;
  bool repeated = false;
  while (true) {
    const LadderStep step = NextLadderStep(config.tiers, config.escalation, state, now);
    PageExtras extras = base;
    std::vector<std::string> targets;
    for (const std::string& c : step.page) {
      if (!attempted.count(c)) targets.push_back(c);
    }
    if (!targets.empty()) {
      extras.reason = step.reason;
      extras.waited_seconds = step.waited_seconds;
    } else if (!step.repeat.empty() && !repeated) {
      targets = step.repeat;
      extras.reason = PageReason::kRepeat;
      extras.repeat = step.repeat_number;
      extras.max_repeats = config.escalation.max_repeats;
      repeated = true;
      ++state.repeats_sent;
    } else {
      break;
    }
    attempted.insert(targets.begin(), targets.end());
    LOG(INFO) << "page incident=" << job.incident_id << " alert_id=" << job.alert_id
              << " reason=" << ReasonWord(extras.reason) << " tier=" << step.tier
              << " channels=" << targets.size();
    metrics_.Paged(ReasonWord(extras.reason));
    const int64_t incident_id = job.incident_id;
    SendAndRecord(
        job, targets,
        [&](const Channel& channel) {
          PageExtras e = extras;
          const ChannelEntry* entry = config.FindChannel(channel.name());
          if (entry && entry->IsChat() && options_.ack_url)
            e.ack_url = options_.ack_url(incident_id);
          if (channel.type() == "telegram" && options_.ack_button_data) {
            e.ack_callback_data = options_.ack_button_data(incident_id);
          }
          return channel.RenderPage(alert, dispatcher_.render_context(), e);
        },
        records);
    state.sent = job.sent;
    state.failed = job.failed;
    state.last_page_at = now;
    page = PageMark{job.incident_id, now, repeated || (page && page->repeat)};
  }

  const LadderStep last = NextLadderStep(config.tiers, config.escalation, state, now);
  // The outcome names every channel: sent, failed, or skipped with why.
  o.deliveries.clear();
  size_t due = 0, sent = 0;
  for (size_t k = 0; k < config.tiers.size(); ++k) {
    for (const std::string& name : config.tiers[k].channels) {
      Delivery d;
      d.channel = name;
      d.tier = static_cast<int>(k);
      if (const Channel* c = dispatcher_.FindChannel(name)) d.type = std::string(c->type());
      const bool reached = static_cast<int>(k) <= last.tier;
      if (state.sent.count(name)) {
        d.status = "sent";
      } else if (reached && state.failed.count(name)) {
        d.status = "failed";
      } else if (state.acknowledged) {
        d.status = "skipped";
        d.error = "acknowledged by " + inc.acked_by.value_or("?") + " before this tier went";
      } else {
        d.status = "skipped";
        d.error = "tier " + std::to_string(k) + " not reached yet";
      }
      if (reached || state.sent.count(name)) ++due;
      sent += state.sent.count(name);
      o.deliveries.push_back(std::move(d));
    }
  }
  std::string_view verdict;
  const bool given_up = now - job.accepted_at >= options_.give_up;
  if (last.finished || given_up) {
    verdict = VerdictFor(sent, due);
    o.kind = KindFor(verdict);
    o.reason = o.kind == OutcomeKind::kFailed ? "no channel got through" : "";
  }
  if (state.acknowledged && !verdict.empty()) {
    LOG(INFO) << "ladder_stopped incident=" << job.incident_id
              << " reason=acknowledged sent=" << sent << "/" << due;
  }
  FinishOrRequeue(std::move(job), o, verdict, std::move(records), page, last.next_due,
                  !last.page.empty());
}

void AlertPipeline::RunFollowUpRound(AlertJob job) {
  ++job.round;
  std::optional<Outcome> found = PreparedAlert(job.payload, job.dedup_key);
  Result<std::optional<IncidentRecord>> incident = spool_.FindIncident(job.incident_id);
  if (!found || !found->alert || !incident.ok() || !*incident) return FinishMember(job);
  const IncidentRecord& inc = **incident;
  // A page of the incident after this alert joined showed it among the related alerts.
  if (inc.last_page_at && *inc.last_page_at >= job.accepted_at) return FinishMember(job);
  Result<std::optional<AlertRecord>> primary = spool_.FindAlert(inc.primary_alert_id);
  if (!primary.ok() || !*primary) return FinishMember(job);
  const std::set<std::string> paged = SentChannels(**primary);
  if (paged.empty()) {
    // The first page may be on its way this very moment, drawn before this alert joined: look
    // again shortly. With the incident over and nothing paged, there is nobody to tell.
    if ((*primary)->finished_at || job.round > kFirstPageLooks) return FinishMember(job);
    Outcome& waiting = *found;
    return FinishOrRequeue(std::move(job), waiting, "", {}, std::nullopt,
                           clock_.WallNow() + kWaitForFirstPage, false);
  }
  std::optional<Outcome> primary_alert = PreparedAlert((*primary)->payload, (*primary)->dedup_key);

  const Config& config = dispatcher_.config();
  std::vector<std::string> chat, targets;
  for (const std::string& name : paged) {
    const ChannelEntry* entry = config.FindChannel(name);
    if (!entry || !entry->IsChat()) continue;
    chat.push_back(name);
    if (!job.sent.count(name)) targets.push_back(name);
  }
  Outcome& o = *found;
  std::vector<DeliveryRecord> records;
  if (!targets.empty()) {
    PageExtras extras;
    extras.reason = PageReason::kRelatedEvent;
    extras.incident_id = job.incident_id;
    if (primary_alert && primary_alert->alert) extras.related.push_back(*primary_alert->alert);
    if (options_.ack_url && !inc.acked_at) extras.ack_url = options_.ack_url(job.incident_id);
    metrics_.Paged(ReasonWord(extras.reason));
    o.deliveries = SendAndRecord(
        job, targets,
        [&](const Channel& channel) {
          return channel.RenderPage(*o.alert, dispatcher_.render_context(), extras);
        },
        records);
  }
  size_t sent = 0;
  for (const std::string& name : chat) sent += job.sent.count(name);
  const size_t due = chat.size();
  std::string_view verdict;
  if (sent >= due || clock_.WallNow() - job.accepted_at >= options_.give_up) {
    verdict = VerdictFor(sent, due);
    o.kind = KindFor(verdict);
  }
  FinishOrRequeue(std::move(job), o, verdict, std::move(records), std::nullopt, std::nullopt, true);
}

void AlertPipeline::RunNoticeRound(AlertJob job) {
  ++job.round;
  const bool ack = job.role == AlertRole::kAck;
  const std::string_view kind = ack ? "acknowledged" : "resolved";
  Outcome o;
  o.kind = OutcomeKind::kIgnored;
  Result<std::optional<IncidentRecord>> incident = spool_.FindIncident(job.incident_id);
  Result<std::optional<AlertRecord>> primary =
      incident.ok() && *incident ? spool_.FindAlert((*incident)->primary_alert_id)
                                 : Result<std::optional<AlertRecord>>(std::nullopt);
  std::optional<Outcome> primary_alert;
  if (primary.ok() && *primary) {
    primary_alert = PreparedAlert((*primary)->payload, (*primary)->dedup_key);
  }
  Notice notice;
  notice.incident_id = job.incident_id;
  notice.at = clock_.WallNow();
  if (ack) {
    notice.kind = Notice::Kind::kAcknowledged;
    JsonDocument doc;
    if (ParseJson(job.payload, JsonLimits{}, "acknowledgement", &doc).ok() && doc.IsObject()) {
      if (doc.HasMember("by") && doc["by"].IsString()) notice.by = AsView(doc["by"]);
      if (doc.HasMember("at_ms") && doc["at_ms"].IsInt64()) {
        notice.at = Time(duration_cast<Time::duration>(milliseconds(doc["at_ms"].GetInt64())));
      }
    }
    if (primary_alert && primary_alert->alert) notice.alert = *primary_alert->alert;
    o.alert = notice.alert;
  } else {
    notice.kind = Notice::Kind::kResolved;
    std::optional<Outcome> found = PreparedAlert(job.payload, job.dedup_key);
    if (found && found->alert) notice.alert = *found->alert;
    o.alert = notice.alert;
  }
  if (!primary.ok() || !*primary || (ack && !(primary_alert && primary_alert->alert))) {
    o.reason = "the incident's first alert is no longer in the spool";
    Finish(job, o, "ignored");
    return;
  }
  // Tell the channels that were paged: chat always, SMS for "resolved" only when configured.
  const Config& config = dispatcher_.config();
  std::vector<std::string> due_channels;
  for (const std::string& name : SentChannels(**primary)) {
    const ChannelEntry* entry = config.FindChannel(name);
    if (!entry) continue;
    if (entry->IsChat() || (!ack && config.escalation.resolved_to_sms)) {
      due_channels.push_back(name);
    }
  }
  if (due_channels.empty() && !(*primary)->finished_at && job.round <= kFirstPageLooks) {
    // Acknowledged while the first page was still being sent: its channels are recorded when
    // that round ends. Look again shortly.
    return FinishOrRequeue(std::move(job), o, "", {}, std::nullopt,
                           clock_.WallNow() + kWaitForFirstPage, false);
  }
  if (due_channels.empty()) {
    o.reason = "no channel was paged for incident " + std::to_string(job.incident_id);
    Finish(job, o, "ignored");
    return;
  }
  std::vector<std::string> targets;
  for (const std::string& name : due_channels) {
    if (!job.sent.count(name)) targets.push_back(name);
  }
  std::vector<DeliveryRecord> records;
  o.deliveries = SendAndRecord(
      job, targets,
      [&](const Channel& channel) {
        return channel.RenderNotice(notice, dispatcher_.render_context());
      },
      records);
  for (const Delivery& d : o.deliveries) {
    if (d.status == "sent") metrics_.NoticeSent(kind);
  }
  size_t sent = 0;
  for (const std::string& name : due_channels) sent += job.sent.count(name);
  std::string_view verdict;
  if (sent >= due_channels.size() || clock_.WallNow() - job.accepted_at >= options_.give_up) {
    verdict = VerdictFor(sent, due_channels.size());
    o.kind = KindFor(verdict);
  }
  FinishOrRequeue(std::move(job), o, verdict, std::move(records), std::nullopt, std::nullopt, true);
}

}  // namespace rr
