// Telegram Bot API sendMessage with parse_mode HTML.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"

namespace rr {

struct TelegramConfig {
  std::string name;
  std::string api_base = "https://api.telegram.org";
  std::string bot_token;
  std::string chat_id;  // "-1001234567890" (sent as a number) or "@channel" (sent as a string)
  std::optional<int64_t> message_thread_id;  // forum topic
};

// Telegram's limit: 4096 characters after entity parsing, counted in UTF-16 units.
inline constexpr size_t kTelegramMaxTextUnits = 4096;
// Room kept free in every continuation message for its "(계속 2/3)" header line.
inline constexpr size_t kTelegramContinuationReserve = 32;
// No single line may be longer than this, so every line fits in any message.
inline constexpr size_t kTelegramMaxLineUnits =
    kTelegramMaxTextUnits - kTelegramContinuationReserve;

// The chat id as Telegram wants it: an int64 when it is a decimal number, else nullopt (send
// the string, e.g. "@channel").
std::optional<int64_t> NumericChatId(std::string_view chat_id);

// callback_data must be 1-64 bytes; Telegram refuses the whole message otherwise.
inline constexpr size_t kTelegramMaxCallbackDataBytes = 64;

// The HTML texts of the messages for `alert`, in order. Each is made of whole lines, every tag
// closed on the line that opens it, and shows at most kTelegramMaxTextUnits UTF-16 units.
std::vector<std::string> TelegramTexts(const Alert& alert, const RenderContext& ctx);

// The same for a page: under the headline why it goes now and the incident; after the console
// link the related alerts (at most kMaxRelatedShown) and the ack link. Same limits and split;
// with PageExtras{} it is TelegramTexts.
std::vector<std::string> TelegramPageTexts(const Alert& alert, const RenderContext& ctx,
                                           const PageExtras& extras);

// A notice: one bold line, then for a resolved alarm its reason when short. Always one message.
std::string TelegramNoticeText(const Notice& notice, const RenderContext& ctx);

class TelegramChannel : public Channel {
 public:
  explicit TelegramChannel(TelegramConfig config);

  const std::string& name() const override { return config_.name; }
  std::string_view type() const override { return "telegram"; }

  // One sendMessage POST per text from TelegramTexts.
  std::vector<HttpRequest> Render(const Alert& alert, const RenderContext& ctx) const override;
  // One POST per text from TelegramPageTexts; the last one carries the inline "확인" button
  // when ack_callback_data is 1-64 bytes (else no button: a refused message would lose the
  // page). The ack URL is listed as a secret: whoever has it can stop the escalation.
  std::vector<HttpRequest> RenderPage(const Alert& alert, const RenderContext& ctx,
                                      const PageExtras& extras) const override;
  // One POST with disable_notification: the room sees it, nobody's phone rings for it.
  std::vector<HttpRequest> RenderNotice(const Notice& notice,
                                        const RenderContext& ctx) const override;

 protected:
  Classification ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                std::chrono::system_clock::time_point now) const override;

 private:
  // A sendMessage request; `ack_data` adds the inline button, `silent` disable_notification.
  HttpRequest SendMessage(const std::string& text, const std::optional<std::string>& ack_data,
                          bool silent, const std::vector<std::string>& extra_secrets) const;

  TelegramConfig config_;
  std::string url_;
  std::optional<int64_t> numeric_chat_id_;
};

}  // namespace rr
