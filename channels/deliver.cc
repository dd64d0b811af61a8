#include "channels/deliver.h"

#include <sstream>

#include <glog/logging.h>

#include "channels/redact.h"

namespace rr {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

void LogAttempt(const Channel& channel, int attempt, const HttpResponse& response,
                const Classification& c, const HttpRequest& request,
                std::optional<milliseconds> retry_in, bool gave_up = false) {
  std::ostringstream line;
  line << "delivery channel=" << channel.name() << " type=" << channel.type()
       << " attempt=" << attempt << " status=" << response.status
       << " elapsed_ms=" << response.elapsed.count() << " result="
       << (c.success()     ? "sent"
           : c.retryable() ? "retryable"
                           : "permanent");
  if (!c.reason.empty()) line << " reason=" << c.reason;
  if (retry_in) line << " retry_in_ms=" << retry_in->count();
  if (!c.detail.empty()) {
    line << " detail=\"" << RedactKnown(c.detail, request.secrets, request.phone_numbers) << "\"";
  }
  if (c.success()) {
    LOG(INFO) << line.str();
  } else {
    LOG(WARNING) << line.str();
  }
}

}  // namespace

DeliveryReport Deliver(const Channel& channel, const std::vector<HttpRequest>& requests,
                       const DeliveryEnv& env) {
  DeliveryReport report;
  const auto start = env.clock->Now();
  auto elapsed = [&] { return duration_cast<milliseconds>(env.clock->Now() - start); };
  for (const HttpRequest& part : requests) {
    HttpRequest current = part;
    bool resent = false;
    int attempts_for_part = 0;
    while (true) {
      milliseconds left = env.policy.deadline - elapsed();
      if (left <= milliseconds(0)) {
        report.reason = "deadline";
        report.error = "deadline: " + std::to_string(env.policy.deadline.count()) +
                       " ms passed before the message got through";
        report.elapsed = elapsed();
        return report;
      }
      ++attempts_for_part;
      ++report.attempts;
      HttpResponse response = env.client->Send(current, left);
      Classification c = channel.Classify(current, response, env.clock->WallNow());
      if (response.status != 0) report.http_status = response.status;
      if (c.success()) {
        LogAttempt(channel, report.attempts, response, c, current, std::nullopt);
        break;
      }
      if (!c.config_hint.empty()) {
        LOG(WARNING) << "config_hint channel=" << channel.name() << " hint=\""
                     << RedactKnown(c.config_hint, current.secrets) << "\"";
        report.config_hint = c.config_hint;
      }
      if (c.resend && !resent) {  // one corrected re-send, no wait (Telegram migration, markup)
        LogAttempt(channel, report.attempts, response, c, current, milliseconds(0));
        current = std::move(*c.resend);
        resent = true;
        continue;
      }
      std::string detail = RedactKnown(c.detail, current.secrets, current.phone_numbers);
      if (!c.retryable()) {
        LogAttempt(channel, report.attempts, response, c, current, std::nullopt);
        report.reason = c.reason;
        report.error = c.reason + (detail.empty() ? "" : ": " + detail);
        report.elapsed = elapsed();
        return report;
      }
      RetryStep step =
          NextWait(env.policy, attempts_for_part, elapsed(), c.retry_after, *env.random);
      if (!step.retry()) {
        LogAttempt(channel, report.attempts, response, c, current, std::nullopt, /*gave_up=*/true);
        // The error starts with the reason the outcome reports: "deadline: server asked to
        // wait ...; last answer: rate_limited: HTTP 429" or "server_error: HTTP 503; ...".
        const bool deadline = step.give_up_reason == RetryStep::GiveUpReason::kDeadline;
        const std::string last = c.reason + (detail.empty() ? "" : ": " + detail);
        report.reason = deadline ? "deadline" : c.reason;
        report.error =
            deadline ? step.reason + "; last answer: " + last : last + "; gave up, " + step.reason;
        report.elapsed = elapsed();
        return report;
      }
      LogAttempt(channel, report.attempts, response, c, current, step.wait);
      env.clock->SleepFor(step.wait);
    }
  }
  report.sent = true;
  report.elapsed = elapsed();
  return report;
}

}  // namespace rr
