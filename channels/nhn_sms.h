// NHN Cloud Notification SMS v3.0: SMS when the text fits 90 EUC-KR bytes, else LMS (the
// /sender/mms endpoint without attachments) with a title.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/channel.h"

namespace rr {

struct NhnSmsConfig {
  std::string name;
  std::string api_base = "https://sms.api.nhncloudservice.com";
  std::string app_key;
  std::string secret_key;
  std::string send_no;                  // pre-registered sender number
  std::vector<std::string> recipients;  // empty: the sender number itself
};

// Limits in EUC-KR bytes (NHN counts Hangul as 2, ASCII as 1).
inline constexpr size_t kNhnSmsMaxBytes = 90;
inline constexpr size_t kNhnMmsMaxBytes = 2000;
inline constexpr size_t kNhnMmsTitleMaxBytes = 40;
inline constexpr size_t kNhnGroupingKeyMaxChars = 100;

struct NhnSmsMessage {
  bool mms = false;   // true: /sender/mms with a title
  std::string title;  // mms only
  std::string body;   // UTF-8 whose characters all exist in EUC-KR
};

// The compact text, most important first, e.g.
//   "[AWS경보] root 계정 ALARM prod-main 03-02 18:45"
//   "[AWS경보] root 콘솔 로그인 Success 111122223333 198.51.100.23 MFA:N 03-02 18:40"
// prefixed by "[DRILL] " for drills, with characters EUC-KR lacks replaced by '?'.
std::string NhnSmsText(const Alert& alert, const RenderContext& ctx);

// Picks SMS or MMS for NhnSmsText and applies the byte limits.
NhnSmsMessage ComposeNhnSms(const Alert& alert, const RenderContext& ctx);

// A page: PageTag after the tag ("[AWS경보] [미확인 5분] root 계정 ALARM prod-main 03-02 18:45"),
// then " #12" for the incident when that keeps an SMS an SMS. Related alerts (at most
// kMaxRelatedShown) follow one a line, as many as fit an LMS. No ack link: an SMS cannot answer.
// With PageExtras{} it is ComposeNhnSms.
NhnSmsMessage ComposeNhnSmsPage(const Alert& alert, const RenderContext& ctx,
                                const PageExtras& extras);

// A notice, e.g. "[AWS경보] 확인됨 root 계정 @alice (Telegram) 03-02 18:50 #12" (who, cut to
// kNhnShownNameMaxBytes) or "[AWS경보] 해소됨 root 계정 OK prod-main 03-02 19:05 #12".
inline constexpr size_t kNhnShownNameMaxBytes = 24;
NhnSmsMessage ComposeNhnSmsNotice(const Notice& notice, const RenderContext& ctx);

class NhnSmsChannel : public Channel {
 public:
  explicit NhnSmsChannel(NhnSmsConfig config);

  const std::string& name() const override { return config_.name; }
  std::string_view type() const override { return "nhn_sms"; }

  // One POST to .../sender/sms or .../sender/mms for all recipients.
  std::vector<HttpRequest> Render(const Alert& alert, const RenderContext& ctx) const override;
  // The same for ComposeNhnSmsPage. A repeat's senderGroupingKey gets "#repeat-N", so a lookup
  // by key tells the repeats apart.
  std::vector<HttpRequest> RenderPage(const Alert& alert, const RenderContext& ctx,
                                      const PageExtras& extras) const override;
  // The same for ComposeNhnSmsNotice; senderGroupingKey gets "#ack" or "#resolved".
  std::vector<HttpRequest> RenderNotice(const Notice& notice,
                                        const RenderContext& ctx) const override;

 protected:
  Classification ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                std::chrono::system_clock::time_point now) const override;

 private:
  // The POST for `msg`; `grouping_key` is the alert's dedup key with `key_suffix`.
  HttpRequest Request(const NhnSmsMessage& msg, const std::optional<std::string>& grouping_key,
                      std::string_view key_suffix) const;

  NhnSmsConfig config_;
  std::string base_;  // api_base without a trailing '/'
};

}  // namespace rr
