// Dooray! Messenger incoming hook: one JSON POST to the hook URL, which is itself the secret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"

namespace rr {

struct DoorayConfig {
  std::string name;
  std::string url;  // https://hook.dooray.com/services/{tenant}/{hook}/{token}
  std::string bot_name = "AWS Root Guard";
  std::string bot_icon = "https://static.dooray.com/static_images/dooray-bot.png";
};

// The parts of a hook URL that must be redacted: everything after "/services/" (or the whole
// path when the URL has another shape), and the token alone, since Dooray's error answers
// and any log line may quote it without the rest. Empty when there is nothing after the host.
std::vector<std::string> DoorayHookSecrets(std::string_view url);

// Attachment bar colour: "green" for an alarm back in OK, else by severity.
std::string_view DoorayColor(const Alert& alert);

// Text from outside (who acknowledged) as Dooray shows it. Dooray's messenger renders markdown,
// and its hook guide does not say whether hook text is rendered too, so `[`, `]`, `<` and `>`
// become their full-width forms: no link ([text](url), <url>) or mention can be forged, and the
// name still reads the same. Emphasis is left alone (harmless).
std::string DoorayInertText(std::string_view text);

class DoorayChannel : public Channel {
 public:
  explicit DoorayChannel(DoorayConfig config);

  const std::string& name() const override { return config_.name; }
  std::string_view type() const override { return "dooray"; }

  // One POST: text = headline; attachment 1 = subject linked to the console, the reason (alarms)
  // or a one-line summary (events), coloured; attachment 2 = the detail fields.
  std::vector<HttpRequest> Render(const Alert& alert, const RenderContext& ctx) const override;
  // Render, plus: why the page goes now as a second line of text; the ack link as an attachment
  // right under the first (hooks cannot have buttons); the incident as the first field; the
  // related alerts (at most kMaxRelatedShown) as a last attachment. The ack URL is listed as a
  // secret: whoever has it can stop the escalation.
  std::vector<HttpRequest> RenderPage(const Alert& alert, const RenderContext& ctx,
                                      const PageExtras& extras) const override;
  // text = the notice line; one attachment: the subject linked to the console and, for a
  // resolved alarm, its reason when short; blue for acknowledged, green for resolved.
  std::vector<HttpRequest> RenderNotice(const Notice& notice,
                                        const RenderContext& ctx) const override;

 protected:
  Classification ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                std::chrono::system_clock::time_point now) const override;

 private:
  HttpRequest Post(std::string body, std::vector<std::string> extra_secrets) const;

  DoorayConfig config_;
  std::vector<std::string> secrets_;
};

}  // namespace rr
