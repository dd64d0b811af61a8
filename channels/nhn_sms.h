// NHN Cloud Notification SMS v3.0: SMS when the text fits 90 EUC-KR bytes, else LMS (the
// /sender/mms endpoint without attachments) with a title.
#pragma once

#include <cstddef>
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

class NhnSmsChannel : public Channel {
 public:
  explicit NhnSmsChannel(NhnSmsConfig config);

  const std::string& name() const override { return config_.name; }
  std::string_view type() const override { return "nhn_sms"; }

  // One POST to .../sender/sms or .../sender/mms for all recipients.
  std::vector<HttpRequest> Render(const Alert& alert, const RenderContext& ctx) const override;

 protected:
  Classification ClassifyAnswer(const HttpRequest& sent, const HttpResponse& response,
                                std::chrono::system_clock::time_point now) const override;

 private:
  NhnSmsConfig config_;
  std::string base_;  // api_base without a trailing '/'
};

}  // namespace rr
