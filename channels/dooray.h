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

class DoorayChannel : public Channel {
 public:
  explicit DoorayChannel(DoorayConfig config);

  const std::string& name() const override { return config_.name; }
  std::string_view type() const override { return "dooray"; }

  // One POST: text = headline; attachment 1 = subject linked to the console, the reason (alarms)
  // or a one-line summary (events), coloured; attachment 2 = the detail fields.
  std::vector<HttpRequest> Render(const Alert& alert, const RenderContext& ctx) const override;

 protected:
  Classification ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                std::chrono::system_clock::time_point now) const override;

 private:
  DoorayConfig config_;
  std::vector<std::string> secrets_;
};

}  // namespace rr
