#include "channels/channel.h"

#include "channels/redact.h"

namespace rr {

Classification Channel::Classify(const HttpRequest& sent, const HttpResponse& response,
                                 std::chrono::system_clock::time_point now) const {
  Classification c = ClassifyAnswer(sent, response, now);
  c.detail = RedactKnown(c.detail, sent.secrets, sent.phone_numbers);
  c.config_hint = RedactKnown(c.config_hint, sent.secrets, sent.phone_numbers);
  return c;
}

}  // namespace rr
