// The spool's incident half: placing an accepted alert in an incident (in the accept's own
// transaction, so two alerts arriving together can never both open one), acknowledgements,
// page marks, and reading an incident back.
#include <glog/logging.h>

#include "alarm/json.h"
#include "responder/spool.h"
#include "responder/spool_rows.h"
#include "responder/spool_statements.h"

namespace rr {

using spool_rows::FromMs;
using spool_rows::ReadTransaction;
using spool_rows::ToMs;

namespace {

// A 64-character name of 4-byte characters, and " (Telegram)" or " (link)" after it.
constexpr size_t kMaxAckByBytes = 512;

}  // namespace

std::string_view ToString(AlertRole role) {
  switch (role) {
    case AlertRole::kNone:
      return "none";
    case AlertRole::kPrimary:
      return "primary";
    case AlertRole::kMember:
      return "member";
    case AlertRole::kFollowUp:
      return "follow_up";
    case AlertRole::kResolve:
      return "resolve";
    case AlertRole::kAck:
      return "ack";
    case AlertRole::kNothingToResolve:
      return "nothing_to_resolve";
  }
  return "none";
}

AlertRole AlertRoleFromString(std::string_view text) {
  for (AlertRole role : {AlertRole::kPrimary, AlertRole::kMember, AlertRole::kFollowUp,
                         AlertRole::kResolve, AlertRole::kAck}) {
    if (text == ToString(role)) return role;
  }
  return AlertRole::kNone;
}

Status Spool::PrepareIncidentStatements() {
  incident_ = std::make_unique<IncidentStatements>();
  struct Entry {
    SqliteDb* db;
    SqliteStatement* statement;
    const char* sql;
    const char* operation;
  };
  IncidentStatements& i = *incident_;
  Entry entries[] = {
      // NOLINT: one table of statements, read top to bottom
      {&writer_, &i.open_by_key,
       "SELECT id, root_event FROM incidents WHERE correlation_key = ?1 AND opened_at_ms >= ?2 "
       "ORDER BY id DESC LIMIT 1",
       "find open incident"},
      {&writer_, &i.insert_incident,
       "INSERT INTO incidents (correlation_key, primary_alert_id, opened_at_ms, alarm_identity, "
       "firing, root_event) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
       "open incident"},
      {&writer_, &i.set_alert_incident, "UPDATE alerts SET incident_id = ?2 WHERE id = ?1",
       "link alert to incident"},
      {&writer_, &i.join,
       "UPDATE incidents SET root_event = max(root_event, ?2), firing = max(firing, ?3), "
       "alarm_identity = coalesce(alarm_identity, ?4) WHERE id = ?1",
       "join incident"},
      {&writer_, &i.firing_ids,
       "SELECT id FROM incidents WHERE alarm_identity = ?1 AND firing = 1 ORDER BY id DESC",
       "find firing incidents"},
      {&writer_, &i.resolve,
       "UPDATE incidents SET firing = 0, resolved_at_ms = ?2 "
       "WHERE alarm_identity = ?1 AND firing = 1",
       "resolve incidents"},
      {&writer_, &i.ack_state, "SELECT acked_at_ms, acked_by FROM incidents WHERE id = ?1",
       "read acknowledgement"},
      {&writer_, &i.ack, "UPDATE incidents SET acked_at_ms = ?2, acked_by = ?3 WHERE id = ?1",
       "acknowledge incident"},
      {&writer_, &i.page_mark,
       "UPDATE incidents SET last_page_ms = ?2, repeats_sent = repeats_sent + ?3 WHERE id = ?1",
       "mark incident page"},
      {&reader_, &i.incident,
       "SELECT id, correlation_key, primary_alert_id, opened_at_ms, alarm_identity, firing, "
       "root_event, resolved_at_ms, acked_at_ms, acked_by, repeats_sent, last_page_ms "
       "FROM incidents WHERE id = ?1",
       "read incident"},
      {&reader_, &i.incident_alerts,
       "SELECT id, role FROM alerts WHERE incident_id = ?1 AND role <> 'ack' ORDER BY id",
       "read incident alerts"},
  };
  for (Entry& entry : entries) {
    Result<SqliteStatement> statement = entry.db->Prepare(entry.sql, entry.operation);
    if (!statement.ok()) return statement.status();
    *entry.statement = std::move(*statement);
  }
  return Status::Ok();
}

Result<Accepted> Spool::PlaceInIncident(const AcceptRequest& request, int64_t now_ms) {
  const IncidentPlan& plan = *request.incident;
  IncidentStatements& i = *incident_;

  if (plan.resolves) {
    // An OK resolves every firing incident of its alarm: the alarm's state is one, however
    // many incidents it opened. The notice is told through the newest.
    int64_t newest = 0;
    if (plan.alarm_identity) {
      StatementReset reset(i.firing_ids);
      i.firing_ids.BindText(1, *plan.alarm_identity);
      Result<bool> row = i.firing_ids.Step();
      if (!row.ok()) return row.status();
      if (*row) newest = i.firing_ids.ColumnInt64(0);
    }
    if (newest > 0) {
      Result<int64_t> id = InsertAlert(request, now_ms, newest, AlertRole::kResolve);
      if (!id.ok()) return id.status();
      StatementReset reset(i.resolve);
      i.resolve.BindText(1, *plan.alarm_identity);
      i.resolve.Bind(2, now_ms);
      if (Status s = i.resolve.Run(); !s.ok()) return s;
      return Accepted{*id, false, newest, AlertRole::kResolve};
    }
    if (!plan.place_if_nothing_to_resolve) {
      return Accepted{0, false, 0, AlertRole::kNothingToResolve};
    }
  }

  if (plan.window.count() > 0) {
    int64_t open_id = 0;
    bool had_root_event = false;
    {
      StatementReset reset(i.open_by_key);
      i.open_by_key.BindText(1, plan.correlation_key);
      i.open_by_key.Bind(2, now_ms - plan.window.count());
      Result<bool> row = i.open_by_key.Step();
      if (!row.ok()) return row.status();
      if (*row) {
        open_id = i.open_by_key.ColumnInt64(0);
        had_root_event = i.open_by_key.ColumnInt64(1) != 0;
      }
    }
    if (open_id > 0) {
      // The first root event of an incident paged for its alarm tells who and from where:
      // worth one message to the chat already paged. Later ones (a burst of API calls) not.
      const AlertRole role =
          plan.root_event && !had_root_event ? AlertRole::kFollowUp : AlertRole::kMember;
      Result<int64_t> id = InsertAlert(request, now_ms, open_id, role);
      if (!id.ok()) return id.status();
      StatementReset reset(i.join);
      i.join.Bind(1, open_id);
      i.join.Bind(2, plan.root_event ? 1 : 0);
      i.join.Bind(3, plan.firing ? 1 : 0);
      i.join.BindOptionalText(4, plan.alarm_identity);
      if (Status s = i.join.Run(); !s.ok()) return s;
      return Accepted{*id, false, open_id, role};
    }
  }

  Result<int64_t> id = InsertAlert(request, now_ms, 0, AlertRole::kPrimary);
  if (!id.ok()) return id.status();
  int64_t incident_id = 0;
  {
    StatementReset reset(i.insert_incident);
    i.insert_incident.BindText(1, plan.correlation_key);
    i.insert_incident.Bind(2, *id);
    i.insert_incident.Bind(3, now_ms);
    i.insert_incident.BindOptionalText(4, plan.alarm_identity);
    i.insert_incident.Bind(5, plan.firing ? 1 : 0);
    i.insert_incident.Bind(6, plan.root_event ? 1 : 0);
    Result<bool> row = i.insert_incident.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal(writer_.label() + ": open incident: no id returned");
    incident_id = i.insert_incident.ColumnInt64(0);
  }
  StatementReset reset(i.set_alert_incident);
  i.set_alert_incident.Bind(1, *id);
  i.set_alert_incident.Bind(2, incident_id);
  if (Status s = i.set_alert_incident.Run(); !s.ok()) return s;
  return Accepted{*id, false, incident_id, AlertRole::kPrimary};
}

Result<AckAnswer> Spool::Acknowledge(int64_t incident_id, std::string_view by) {
  if (by.empty() || by.size() > kMaxAckByBytes) {
    return Status::InvalidArgument("spool acknowledge: who acknowledged must be 1 to " +
                                   std::to_string(kMaxAckByBytes) + " bytes");
  }
  AckAnswer answer;
  // Durable like an accept: a lost acknowledgement would page somebody who already answered.
  Status s = group_commit_.Submit([&]() -> Status {
    IncidentStatements& i = *incident_;
    const int64_t now_ms = NowMs();
    {
      StatementReset reset(i.ack_state);
      i.ack_state.Bind(1, incident_id);
      Result<bool> row = i.ack_state.Step();
      if (!row.ok()) return row.status();
      if (!*row) {
        answer.kind = AckAnswer::Kind::kUnknownIncident;
        return Status::Ok();
      }
      if (std::optional<int64_t> at = i.ack_state.ColumnOptionalInt64(0)) {
        answer.kind = AckAnswer::Kind::kAlreadyAcknowledged;
        answer.at = FromMs(*at);
        answer.by = i.ack_state.ColumnOptionalText(1).value_or("");
        return Status::Ok();
      }
    }
    {
      StatementReset reset(i.ack);
      i.ack.Bind(1, incident_id);
      i.ack.Bind(2, now_ms);
      i.ack.BindText(3, by);
      if (Status run = i.ack.Run(); !run.ok()) return run;
    }
    // The notice is an alert row of its own, so it is delivered, retried and resumed like any.
    AcceptRequest notice;
    notice.dedup_key = "ack:" + std::to_string(incident_id);
    notice.source = "ack";
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    json.Key("acknowledged_incident");
    json.Int64(incident_id);
    WriteString(json, "by", by);
    json.Key("at_ms");
    json.Int64(now_ms);
    json.EndObject();
    notice.payload = buffer.GetString();
    Result<int64_t> id = InsertAlert(notice, now_ms, incident_id, AlertRole::kAck);
    if (!id.ok()) return id.status();
    answer.kind = AckAnswer::Kind::kAcknowledged;
    answer.by = std::string(by);
    answer.at = FromMs(now_ms);
    answer.notice_alert_id = *id;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return answer;
}

Status Spool::WritePageMark(const PageMark& page) {
  IncidentStatements& i = *incident_;
  StatementReset reset(i.page_mark);
  i.page_mark.Bind(1, page.incident_id);
  i.page_mark.Bind(2, ToMs(page.at));
  i.page_mark.Bind(3, page.repeat ? 1 : 0);
  if (Status s = i.page_mark.Run(); !s.ok()) return s;
  if (writer_.changes() == 0) {
    return Status::NotFound("spool page mark: no incident " + std::to_string(page.incident_id));
  }
  return Status::Ok();
}

Result<std::optional<IncidentRecord>> Spool::FindIncident(int64_t incident_id) {
  std::lock_guard<std::mutex> lock(read_mu_);
  ReadTransaction transaction(read_->begin, read_->end);
  if (!transaction.status().ok()) return transaction.status();
  IncidentStatements& i = *incident_;
  IncidentRecord r;
  {
    SqliteStatement& q = i.incident;
    StatementReset reset(q);
    q.Bind(1, incident_id);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<IncidentRecord>();
    r.incident_id = q.ColumnInt64(0);
    r.correlation_key = q.ColumnText(1);
    r.primary_alert_id = q.ColumnInt64(2);
    r.opened_at = FromMs(q.ColumnInt64(3));
    r.alarm_identity = q.ColumnOptionalText(4);
    r.firing = q.ColumnInt64(5) != 0;
    r.root_event = q.ColumnInt64(6) != 0;
    if (auto ms = q.ColumnOptionalInt64(7)) r.resolved_at = FromMs(*ms);
    if (auto ms = q.ColumnOptionalInt64(8)) r.acked_at = FromMs(*ms);
    r.acked_by = q.ColumnOptionalText(9);
    r.repeats_sent = static_cast<int>(q.ColumnInt64(10));
    if (auto ms = q.ColumnOptionalInt64(11)) r.last_page_at = FromMs(*ms);
  }
  SqliteStatement& q = i.incident_alerts;
  StatementReset reset(q);
  q.Bind(1, incident_id);
  while (true) {
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    r.alerts.emplace_back(q.ColumnInt64(0), AlertRoleFromString(q.ColumnText(1)));
  }
  return std::optional<IncidentRecord>(std::move(r));
}

}  // namespace rr
