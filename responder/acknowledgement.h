// How a person acknowledges an incident in the daemon (config "ack"): the signed link every
// chat page carries, the /ack/<token> page behind it, and the Telegram button. Each path ends
// in AlertPipeline::Acknowledge; this file only connects them.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channels/clock.h"
#include "channels/render_context.h"
#include "responder/ack_http.h"
#include "responder/alert_pipeline.h"
#include "responder/config.h"
#include "responder/telegram_ack_poller.h"

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

// What a press of the Telegram button does: checks the signed button data, acknowledges as
// "@user (Telegram)", answers the presser and relabels the button with who and when.
TelegramAckHandler MakeTelegramAckHandler(const AckConfig& ack, AlertPipeline& pipeline,
                                          const RenderContext& ctx);

// One started poller per distinct Telegram bot among the channels, when the button is
// configured (ack.telegram_user_ids); none otherwise. Errors name the channel.
Result<std::vector<std::unique_ptr<TelegramAckPoller>>> StartTelegramAckPollers(
    const Config& config, HttpClient& client, Clock& clock, AlertPipeline& pipeline,
    const RenderContext& ctx);

}  // namespace rr
