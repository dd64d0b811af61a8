#include "responder/acknowledgement.h"

#include "responder/ack_link.h"

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

}  // namespace rr
