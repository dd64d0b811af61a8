// How a person acknowledges an incident in the daemon (config "ack"): the signed link every
// chat page carries, the /ack/<token> page behind it, and the Telegram button. Each path ends
// in AlertPipeline::Acknowledge; this file only connects them.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "channels/clock.h"
#include "channels/render_context.h"
#include "responder/ack_http.h"
#include "responder/alert_pipeline.h"
#include "responder/config.h"

namespace rr {

// Fills in options.ack_url and options.ack_button_data from config.ack (left unset when links
// or the button are not configured). Links expire link_ttl_seconds after the page is drawn.
void AttachAckMakers(const AckConfig& ack, Clock& clock, PipelineOptions& options);

// The daemon's /ack/<token> route (DaemonRoutes::ack).
using AckRoute = std::function<AckHttpAnswer(std::string_view method, std::string_view token,
                                             std::string_view content_type, std::string_view body)>;
AckRoute MakeAckRoute(const AckConfig& ack, AlertPipeline& pipeline, Clock& clock,
                      const RenderContext& ctx);

// Acknowledges through the pipeline and answers in AckResult terms; `by` as shown in notices.
AckResult AcknowledgeIncident(AlertPipeline& pipeline, int64_t incident_id, const std::string& by);

}  // namespace rr
