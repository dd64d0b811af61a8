#include "responder/drill_command.h"

#include <glog/logging.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <ostream>
#include <thread>

#include "alarm/json.h"
#include "channels/clock.h"
#include "channels/http_client.h"
#include "responder/aws_credentials.h"
#include "responder/aws_endpoint.h"
#include "responder/cloudwatch_api.h"
#include "responder/commands.h"
#include "responder/drill_checklist.h"
#include "responder/logs_api.h"
#include "responder/simulated_alarm.h"
#include "responder/sns_publish.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::atomic<bool> g_interrupted{false};

void OnInterrupt(int) { g_interrupted = true; }

// Polls every `step` until `done` says so, the wait is over, or SIGINT.
template <typename Done>
bool PollUntil(seconds wait, milliseconds step, Done done) {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (done()) return true;
    if (g_interrupted || std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(step);
  }
}

std::string NewDrillId(Clock& clock, Random& random) {
  const auto now = std::chrono::system_clock::to_time_t(clock.WallNow());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char id[48];
  std::snprintf(id, sizeof id, "rrd-%04d%02d%02dT%02d%02d%02dZ-%06x", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<unsigned>(random.Uniform01() * 0xffffff));
  return id;
}

// "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic" -> "SNS publish (root-alert-topic)"
std::string PublishHop(const std::string& topic_arn) {
  return "SNS publish (" + topic_arn.substr(topic_arn.rfind(':') + 1) + ")";
}

std::string Str(const JsonValue& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? std::string(AsView(it->value)) : "";
}

// One channel's delivery as the responder reports it (daemon JSON or Lambda outcome line).
Hop ChannelHop(const JsonValue& d, bool finished) {
  Hop h;
  h.name = "channel " + Str(d, "channel") + " delivered";
  std::string state = Str(d, "state");
  if (state.empty()) state = Str(d, "status");  // the outcome JSON's word
  std::string attempts;
  if (d.HasMember("attempts") && d["attempts"].IsInt()) {
    attempts = std::to_string(d["attempts"].GetInt()) + " attempt(s)";
  }
  std::string http;
  if (d.HasMember("http_status") && d["http_status"].IsInt64()) {
    http = ", HTTP " + std::to_string(d["http_status"].GetInt64());
  }
  if (state == "sent") {
    h.status = HopStatus::kPass;
    h.evidence = "sent after " + attempts + http;
  } else if (state == "failed" && finished) {
    h.status = HopStatus::kFail;
    h.evidence = "failed after " + attempts + http + ": " + Str(d, "error");
  } else {
    h.status = HopStatus::kUnknown;
    h.evidence = "not delivered yet (" + state +
                 (Str(d, "error").empty() ? "" : ": " + Str(d, "error")) + ")";
  }
  return h;
}

class Drill {
 public:
  Drill(const DrillOptions& o, HttpClient& client, AwsCredentialsProvider& credentials,
        const AwsEndpoint& cloudwatch, const AwsEndpoint& sns, const AwsEndpoint& logs,
        DrillReport& report)
      : o_(o),
        client_(client),
        credentials_(credentials),
        cw_(client, credentials, cloudwatch),
        sns_(sns),
        logs_(logs),
        r_(report) {}

  void Run() {
    std::optional<AlarmInfo> alarm = FindAlarm();
    if (!alarm) return;
    std::vector<std::string> topics = CheckActions(*alarm);
    const auto start = std::chrono::system_clock::now() - seconds(2);
    const std::string reason = "[DRILL] root-responder drill id=" + r_.drill_id +
                               ": proving the root alarm chain; no action needed";
    const bool changed = ChangeState(reason);
    if (changed) {
      if (o_.simulate_action) {
        Simulate(*alarm, topics, reason);
      } else {
        ReadHistory(topics, start);
      }
      CheckResponder();
    } else {
      Add("responder received", HopStatus::kUnknown, "not reached: the alarm state did not change");
    }
    ResetToOk();
  }

 private:
  void Add(std::string name, HopStatus status, std::string evidence) {
    r_.hops.push_back({std::move(name), status, std::move(evidence)});
  }

  std::optional<AlarmInfo> FindAlarm() {
    Result<std::optional<AlarmInfo>> found = cw_.DescribeAlarm(o_.alarm_name);
    if (!found.ok()) {
      Add("alarm found", HopStatus::kFail, "DescribeAlarms: " + found.status().message());
      return std::nullopt;
    }
    if (!*found) {
      Add("alarm found", HopStatus::kFail,
          "no metric or composite alarm named " + o_.alarm_name + " in " + r_.region);
      return std::nullopt;
    }
    const AlarmInfo& a = **found;
    std::string what = a.composite ? "composite alarm" : "metric alarm";
    if (!a.metric_name.empty()) what += " on " + a.namespace_ + "/" + a.metric_name;
    Add("alarm found", HopStatus::kPass, what + ", state " + a.state_value);
    return *found;
  }

  std::vector<std::string> CheckActions(const AlarmInfo& a) {
    std::vector<std::string> topics;
    for (const std::string& action : a.alarm_actions) {
      if (action.find(":sns:") != std::string::npos) topics.push_back(action);
    }
    if (!a.actions_enabled) {
      Add("actions enabled", HopStatus::kFail,
          "ActionsEnabled is false: CloudWatch sends no notification when it fires");
    } else if (topics.empty()) {
      Add("actions enabled", HopStatus::kFail, "AlarmActions name no SNS topic");
    } else {
      std::string list;
      for (const std::string& t : topics) list += (list.empty() ? "" : ", ") + t;
      Add("actions enabled", HopStatus::kPass, "AlarmActions: " + list);
    }
    return topics;
  }

  bool ChangeState(const std::string& reason) {
    Status reset = cw_.SetAlarmState(
        o_.alarm_name, "OK", "root-responder drill id=" + r_.drill_id + ": OK before the drill");
    Status fire = reset.ok() ? cw_.SetAlarmState(o_.alarm_name, "ALARM", reason) : reset;
    set_ = true;
    if (!fire.ok()) {
      Add("state changed", HopStatus::kFail, "SetAlarmState: " + fire.message());
      return false;
    }
    Result<std::optional<AlarmInfo>> now = cw_.DescribeAlarm(o_.alarm_name);
    std::string seen = now.ok() && *now ? (*now)->state_value : "unknown";
    Add("state changed", HopStatus::kPass,
        "OK -> ALARM with the drill id in StateReason (now " + seen + ")");
    return true;
  }

  void Simulate(const AlarmInfo& a, const std::vector<std::string>& topics,
                const std::string& reason) {
    AlarmFacts facts{a.name, a.arn, r_.region, a.namespace_, a.metric_name, a.alarm_actions};
    AlarmNotification n =
        SimulatedAlarmNotification(facts, reason, std::chrono::system_clock::now());
    for (const std::string& topic : topics) {
      Result<std::string> id = SnsPublish(client_, credentials_, sns_, topic, n.subject, n.message);
      if (id.ok()) {
        Add(PublishHop(topic), HopStatus::kSimulated,
            "CloudWatch does not run alarm actions here: the drill published the alarm message "
            "itself (--simulate-action), MessageId " +
                *id);
      } else {
        Add(PublishHop(topic), HopStatus::kFail,
            "Publish to " + topic + ": " + id.status().message());
      }
    }
  }

  void ReadHistory(const std::vector<std::string>& topics,
                   std::chrono::system_clock::time_point start) {
    std::map<std::string, Hop> by_topic;
    std::string unsupported;
    PollUntil(o_.wait, milliseconds(2000), [&] {
      Result<std::vector<AlarmHistoryItem>> items = cw_.DescribeAlarmHistory(o_.alarm_name, start);
      if (!items.ok()) {
        unsupported = items.status().message();
        return true;
      }
      for (const AlarmHistoryItem& item : *items) {
        if (item.type != "Action") continue;
        std::optional<ActionResult> action = ParseActionHistory(item);
        if (!action || by_topic.count(action->resource)) continue;
        by_topic[action->resource] =
            action->succeeded
                ? Hop{"", HopStatus::kPass, item.summary}
                : Hop{"", HopStatus::kFail,
                      item.summary + (action->error.empty() ? "" : " (" + action->error + ")")};
      }
      return by_topic.size() >= topics.size();
    });
    for (const std::string& topic : topics) {
      const std::string name = PublishHop(topic);
      auto it = by_topic.find(topic);
      if (it != by_topic.end()) {
        Add(name, it->second.status, it->second.evidence);
      } else if (!unsupported.empty()) {
        Add(name, HopStatus::kUnknown,
            "DescribeAlarmHistory: " + unsupported +
                " (add --simulate-action on an emulator whose alarms never run actions)");
      } else {
        Add(name, HopStatus::kUnknown,
            "no Action item in the alarm history within " + std::to_string(o_.wait.count()) + " s");
      }
    }
  }

  void CheckResponder() {
    if (!o_.responder_url.empty()) return AskDaemon();
    if (!o_.log_group.empty()) return ReadLambdaLogs();
    Add("responder received", HopStatus::kUnknown,
        "give --responder-url (serve) or --log-group (Lambda) to check the responder and its "
        "channels");
  }

  void AskDaemon() {
    JsonDocument doc;
    bool finished = false;
    std::string error;
    PollUntil(o_.wait, milliseconds(250), [&] {
      HttpRequest get;
      get.method = "GET";
      get.url = o_.responder_url + "/drills/" + r_.drill_id;
      HttpResponse r = client_.Send(get);
      if (!r.transport_ok() || r.status != 200) {
        error = r.transport_ok() ? "HTTP " + std::to_string(r.status) : r.error;
        return false;
      }
      error.clear();
      if (!ParseJson(r.body, JsonLimits{}, "drill report", &doc).ok() || !doc.IsObject() ||
          !doc.HasMember("alerts") || !doc["alerts"].IsArray() || doc["alerts"].Empty()) {
        return false;
      }
      finished = !Str(doc["alerts"][0], "outcome").empty();
      return finished;
    });
    if (!doc.IsObject() || !doc.HasMember("alerts") || !doc["alerts"].IsArray() ||
        doc["alerts"].Empty()) {
      Add("responder received", HopStatus::kFail,
          error.empty() ? "the responder at " + o_.responder_url + " has no alert with drill id " +
                              r_.drill_id + " after " + std::to_string(o_.wait.count()) + " s"
                        : "asking " + o_.responder_url + ": " + error);
      return;
    }
    const JsonValue& alert = doc["alerts"][0];
    Add("responder received", HopStatus::kPass,
        "alert " + std::to_string(alert["alert_id"].GetInt64()) + " accepted at " +
            Str(alert, "accepted_at") +
            (finished ? ", " + Str(alert, "outcome") : ", in progress"));
    for (const JsonValue& d : alert["deliveries"].GetArray())
      r_.hops.push_back(ChannelHop(d, finished));
  }

  void ReadLambdaLogs() {
    JsonDocument outcome;
    std::string error;
    PollUntil(o_.wait, milliseconds(3000), [&] {
      Result<std::vector<std::string>> lines =
          FilterLogEvents(client_, credentials_, logs_, o_.log_group, "\"" + r_.drill_id + "\"",
                          std::chrono::system_clock::now() - std::chrono::minutes(5));
      if (!lines.ok()) {
        error = lines.status().message();
        return false;
      }
      for (const std::string& line : *lines) {
        size_t at = line.find("{\"outcome\"");
        if (at == std::string::npos) continue;
        if (ParseJson(std::string_view(line).substr(at), JsonLimits{}, "outcome", &outcome).ok()) {
          return true;
        }
      }
      return false;
    });
    if (!outcome.IsObject()) {
      Add("responder received", error.empty() ? HopStatus::kFail : HopStatus::kUnknown,
          error.empty() ? "no outcome line with drill id " + r_.drill_id + " in " + o_.log_group +
                              " after " + std::to_string(o_.wait.count()) + " s"
                        : "FilterLogEvents: " + error);
      return;
    }
    Add("responder received", HopStatus::kPass,
        "outcome " + Str(outcome, "outcome") + " logged in " + o_.log_group);
    if (outcome.HasMember("deliveries") && outcome["deliveries"].IsArray()) {
      for (const JsonValue& d : outcome["deliveries"].GetArray())
        r_.hops.push_back(ChannelHop(d, true));
    }
  }

  void ResetToOk() {
    if (!set_) return;
    Status s = cw_.SetAlarmState(o_.alarm_name, "OK",
                                 "root-responder drill id=" + r_.drill_id + ": done, back to OK");
    Add("alarm back to OK", s.ok() ? HopStatus::kPass : HopStatus::kFail,
        s.ok() ? "SetAlarmState OK"
               : "SetAlarmState: " + s.message() +
                     " (set it by hand: aws cloudwatch set-alarm-state)");
  }

  const DrillOptions& o_;
  HttpClient& client_;
  AwsCredentialsProvider& credentials_;
  CloudWatchApi cw_;
  AwsEndpoint sns_;
  AwsEndpoint logs_;
  DrillReport& r_;
  bool set_ = false;
};

}  // namespace

int RunDrill(const DrillOptions& options, const GetEnv& env, std::ostream& out, std::ostream& err) {
  if (options.alarm_name.empty()) {
    err << "root-responder drill: --alarm-name is required\n";
    return kExitUsage;
  }
  Result<std::string> region = ResolveAwsRegion(env, options.region, options.profile);
  if (!region.ok()) {
    err << "root-responder drill: " << region.status().message() << "\n";
    return kExitUsage;
  }
  Result<AwsEndpoint> cloudwatch =
      ResolveAwsEndpoint(kCloudWatchService, *region, env, options.endpoint_url);
  Result<AwsEndpoint> sns = ResolveAwsEndpoint(kSnsService, *region, env, options.endpoint_url);
  Result<AwsEndpoint> logs = ResolveAwsEndpoint(kLogsService, *region, env, options.endpoint_url);
  for (const Result<AwsEndpoint>* e : {&cloudwatch, &sns, &logs}) {
    if (!e->ok()) {
      err << "root-responder drill: " << e->status().message() << "\n";
      return kExitUsage;
    }
  }
  AwsCredentialChainOptions chain;
  chain.profile = options.profile;
  AwsCredentialChain credentials(SystemClock(), env, chain);
  HttpClient client;

  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  struct sigaction previous {};
  sigaction(SIGINT, &action, &previous);

  DrillReport report;
  report.alarm_name = options.alarm_name;
  report.region = *region;
  report.drill_id = NewDrillId(SystemClock(), SystemRandom());
  LOG(INFO) << "drill id=" << report.drill_id << " alarm=" << options.alarm_name
            << " region=" << *region;
  Drill(options, client, credentials, *cloudwatch, *sns, *logs, report).Run();
  report.interrupted = g_interrupted.load();
  sigaction(SIGINT, &previous, nullptr);
  out << (options.json ? ChecklistJson(report) + "\n" : ChecklistText(report));
  return DrillExitCode(report);
}

}  // namespace rr
