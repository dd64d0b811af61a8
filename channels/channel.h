// One messaging service. After Alertmanager's notify.Notifier: a channel renders an Alert
// into HTTP requests and judges each answer; the retry stage (deliver.h) does the sending.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "alarm/alert.h"
#include "channels/classification.h"
#include "channels/http_request.h"
#include "channels/page_extras.h"
#include "channels/render_context.h"

namespace rr {

class Channel {
 public:
  virtual ~Channel() = default;

  // The configured name ("dooray-sec") and the service type ("dooray").
  virtual const std::string& name() const = 0;
  virtual std::string_view type() const = 0;

  // The requests that deliver `alert`. Usually one; Telegram splits long text into several.
  virtual std::vector<HttpRequest> Render(const Alert& alert, const RenderContext& ctx) const = 0;
  // The same page with what escalation adds: why it goes now, related alerts, the ack link or
  // button. Channels that draw none of it leave this to Render.
  virtual std::vector<HttpRequest> RenderPage(const Alert& alert, const RenderContext& ctx,
                                              const PageExtras& extras) const {
    (void)extras;
    return Render(alert, ctx);
  }
  // A short notice (acknowledged, resolved). Empty: the channel sends no notices.
  virtual std::vector<HttpRequest> RenderNotice(const Notice& notice,
                                                const RenderContext& ctx) const {
    (void)notice;
    (void)ctx;
    return {};
  }

  // The verdict on `response` to `sent`. `now` is wall-clock time, for Retry-After dates.
  // Services echo requests in their errors, so the detail and hint come back redacted.
  Classification Classify(const HttpRequest& sent, const HttpResponse& response,
                          std::chrono::system_clock::time_point now) const;

 protected:
  // The service's own judgement, before redaction.
  virtual Classification ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                        std::chrono::system_clock::time_point now) const = 0;
};

}  // namespace rr
