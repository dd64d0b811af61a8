#include "responder/acknowledgement.h"

#include <glog/logging.h>

#include <set>

#include "alarm/aws_time.h"
#include "channels/display_time.h"
#include "responder/ack_link.h"
#include "responder/channel_factory.h"

namespace rr {

void AttachAckMakers(const AckConfig& ack, Clock& clock, PipelineOptions& options) {
  if (ack.links()) {
    options.ack_url = [ack, &clock](int64_t incident_id) -> std::optional<std::string> {
      const auto expires = clock.WallNow() + std::chrono::seconds(ack.link_ttl_seconds);
      return AckUrl(ack.base_url, SignAckToken(ack.secret, incident_id, expires));
    };
  }
  if (ack.telegram_button()) {
    options.ack_button_data = [secret = ack.secret](int64_t incident_id) {
      return std::optional<std::string>(TelegramAckData(secret, incident_id));
    };
  }
}

AckResult AcknowledgeIncident(AlertPipeline& pipeline, int64_t incident_id, const std::string& by) {
  AckResult result;
  Result<AckAnswer> answer = pipeline.Acknowledge(incident_id, by);
  if (!answer.ok()) return result;  // kUnavailable
  result.by = answer->by;
  result.at = answer->at;
  switch (answer->kind) {
    case AckAnswer::Kind::kAcknowledged:
      result.state = AckState::kAcknowledged;
      break;
    case AckAnswer::Kind::kAlreadyAcknowledged:
      result.state = AckState::kAlreadyAcknowledged;
      break;
    case AckAnswer::Kind::kUnknownIncident:
      result.state = AckState::kUnknownIncident;
      break;
  }
  if (Result<std::optional<AlertPipeline::IncidentSummary>> summary =
          pipeline.Summarize(incident_id);
      summary.ok() && *summary) {
    result.subject = (*summary)->subject;
  }
  return result;
}

AckRoute MakeAckRoute(const AckConfig& ack, AlertPipeline& pipeline, Clock& clock,
                      const RenderContext& ctx) {
  AckLookup lookup = [&pipeline](int64_t incident_id) {
    AckResult result;
    Result<std::optional<AlertPipeline::IncidentSummary>> summary = pipeline.Summarize(incident_id);
    if (!summary.ok()) return result;  // kUnavailable
    if (!*summary) {
      result.state = AckState::kUnknownIncident;
      return result;
    }
    result.state = (*summary)->acked_by ? AckState::kAlreadyAcknowledged : AckState::kAcknowledged;
    result.by = (*summary)->acked_by.value_or("");
    result.at = (*summary)->acked_at;
    result.subject = (*summary)->subject;
    return result;
  };
  AckAction act = [&pipeline](int64_t incident_id, const std::string& name) {
    return AcknowledgeIncident(pipeline, incident_id, name + " (link)");
  };
  return [secret = ack.secret, lookup, act, &clock, zone = ctx.time_zone](
             std::string_view method, std::string_view token, std::string_view content_type,
             std::string_view body) {
    return HandleAckHttp(method, token, content_type, body, secret, clock.WallNow(), lookup, act,
                         zone);
  };
}

namespace {

std::string ShortTime(std::chrono::system_clock::time_point at, const DisplayZone& zone) {
  const int64_t seconds = std::chrono::floor<std::chrono::seconds>(at.time_since_epoch()).count();
  return FormatShortTime(FormatUtc(seconds), zone);
}

}  // namespace

TelegramAckHandler MakeTelegramAckHandler(const AckConfig& ack, AlertPipeline& pipeline,
                                          const RenderContext& ctx) {
  return [secret = ack.secret, &pipeline, zone = ctx.time_zone](std::string_view data,
                                                                const TelegramAckActor& actor) {
    TelegramAckReply reply;
    std::optional<int64_t> incident = IncidentOfTelegramAckData(secret, data);
    if (!incident) {
      reply.answer_text = std::string(kTelegramAckUnknownButton);
      return reply;
    }
    AckResult result = AcknowledgeIncident(pipeline, *incident, actor.display + " (Telegram)");
    switch (result.state) {
      case AckState::kAcknowledged:
        reply.answer_text = "확인했습니다. 남은 단계는 멈춥니다 (acknowledged)";
        break;
      case AckState::kAlreadyAcknowledged:
        reply.answer_text = "이미 " + result.by + " 님이 확인했습니다 (already acknowledged)";
        break;
      case AckState::kUnknownIncident:
        reply.answer_text = "알 수 없는 인시던트입니다 (unknown incident)";
        return reply;
      case AckState::kUnavailable:
        reply.answer_text = "지금은 확인할 수 없습니다. 다시 눌러 주세요 (try again)";
        return reply;
    }
    reply.button_label = "✅ " + result.by + " 확인 " + ShortTime(result.at, zone);
    return reply;
  };
}

Result<std::vector<std::unique_ptr<TelegramAckPoller>>> StartTelegramAckPollers(
    const Config& config, HttpClient& client, Clock& clock, AlertPipeline& pipeline,
    const RenderContext& ctx) {
  std::vector<std::unique_ptr<TelegramAckPoller>> pollers;
  if (!config.ack.telegram_button()) return pollers;
  const std::set<int64_t> allowed(config.ack.telegram_user_ids.begin(),
                                  config.ack.telegram_user_ids.end());
  std::set<std::string> bots;  // one getUpdates consumer per bot token, or Telegram answers 409
  for (const ChannelEntry& entry : config.channels) {
    if (entry.type != "telegram") continue;
    TelegramConfig telegram = TelegramConfigOf(entry);
    if (!bots.insert(telegram.api_base + " " + telegram.bot_token).second) continue;
    auto poller = std::make_unique<TelegramAckPoller>(
        telegram, allowed, client, clock, MakeTelegramAckHandler(config.ack, pipeline, ctx));
    if (Status s = poller->Start(); !s.ok()) {
      return Status::InvalidArgument("telegram ack button of channel " + entry.name + ": " +
                                     s.message());
    }
    LOG(INFO) << "telegram_ack_poller channel=" << entry.name
              << " allowed_users=" << allowed.size();
    pollers.push_back(std::move(poller));
  }
  return pollers;
}

}  // namespace rr
