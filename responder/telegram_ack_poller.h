// The receiving end of the Telegram "Acknowledge" button: a thread that long-polls getUpdates
// for one bot and hands each press to a handler (escalation's, which knows what the button's
// data means), then answers the press and, when the handler asks, replaces the button with a
// label saying who acknowledged.
//
// - Only users on the allow-list reach the handler: callback_data is client-supplied, and
//   anyone in the chat (or anyone who learns the bot) can press. Others are told so, and the
//   refusal is logged with their user id (an id is not a secret; the bot token is).
// - Every press is answered (answerCallbackQuery), or the presser's client keeps spinning.
// - Each press is confirmed (offset = update_id + 1) on the next getUpdates once handled, so a
//   restart re-handles at most the presses of the batch in progress: the handler must take a
//   second press of the same button calmly.
// - Failed polls wait error_backoff, doubling up to max_error_backoff (429: retry_after), on
//   the injected clock. A 409 means another poller or a webhook has this bot's updates, and is
//   logged as an error saying so.
// - Stop() ends the poll in flight with a getUpdates of its own (the Bot API answers the older
//   one 409 "terminated by other getUpdates request"), lets the press in hand finish, and
//   confirms what was handled; it returns within about a second, and never later than one poll
//   (its timeout plus kTelegramPollGrace) when a server does not end the older poll.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "alarm/status.h"
#include "channels/clock.h"
#include "channels/http_client.h"
#include "channels/telegram.h"
#include "channels/telegram_updates.h"

namespace rr {

// Who pressed.
struct TelegramAckActor {
  int64_t user_id = 0;
  std::string display;  // "@username", else the user's name (TelegramCallbackPress)
};

struct TelegramAckReply {
  std::string answer_text;                  // shown to the presser (answerCallbackQuery)
  std::optional<std::string> button_label;  // set: edit the message's button to this label
};

// Called on the poller's thread, one press at a time, for allow-listed users only; must not
// throw. The same press can come twice (after a restart mid-batch): acknowledging twice must be
// harmless.
using TelegramAckHandler =
    std::function<TelegramAckReply(std::string_view callback_data, const TelegramAckActor& actor)>;

struct TelegramAckPollerOptions {
  std::chrono::seconds poll_timeout{20};  // getUpdates long poll; at least 1 s
  std::chrono::seconds error_backoff{5};  // after a failed poll, doubling
  std::chrono::seconds max_error_backoff{300};
};

// What the poller did so far, for metrics and tests.
struct TelegramAckCounters {
  int64_t handled = 0;  // presses the handler took
  int64_t refused = 0;  // presses by users not on the allow-list
  int64_t noop = 0;     // presses of an acknowledged button ("noop") or without data
  int64_t errors = 0;   // failed Bot API calls: polls, answers, edits
};

// What a press is answered with when the handler is not asked.
inline constexpr std::string_view kTelegramAckNotAllowed =
    "확인 권한이 없습니다 (not on the allow-list)";
inline constexpr std::string_view kTelegramAckAlreadyDone =
    "이미 확인되었습니다 (already acknowledged)";
inline constexpr std::string_view kTelegramAckUnknownButton =
    "알 수 없는 버튼입니다 (unknown button)";

class TelegramAckPoller {
 public:
  // `client`, `clock` and the handler's captures must outlive the poller.
  TelegramAckPoller(TelegramConfig config, std::set<int64_t> allowed_user_ids, HttpClient& client,
                    Clock& clock, TelegramAckHandler handler,
                    TelegramAckPollerOptions options = {});
  ~TelegramAckPoller();  // Stop()
  TelegramAckPoller(const TelegramAckPoller&) = delete;
  TelegramAckPoller& operator=(const TelegramAckPoller&) = delete;

  // Starts the thread. InvalidArgument without a bot token, handler or allowed user, with a
  // poll timeout under 1 s, or when already started.
  Status Start();
  // Ends the thread (see above); idempotent. Presses in a batch not yet handled are left to
  // Telegram, which delivers them again to the next poller.
  void Stop();

  TelegramAckCounters counters() const;
  // The offset the next getUpdates sends: last handled update_id + 1 (0 before any).
  int64_t offset() const { return offset_.load(); }

 private:
  void Run();
  void Handle(const TelegramCallbackPress& press);
  void AnswerPress(const TelegramCallbackPress& press, std::string_view text);
  void EditButton(const TelegramCallbackPress& press, const std::string& label);
  // The wait before the next poll after `reply`, with the log line; updates `backoff`.
  std::chrono::seconds OnPollFailure(const TelegramReply& reply, std::chrono::seconds& backoff);
  // Sleeps on the clock in short steps, so Stop() is seen within one step.
  void SleepUnlessStopped(std::chrono::nanoseconds duration);
  // A getUpdates with timeout 0: ends the one in flight and confirms the handled presses.
  void Kick();

  const TelegramConfig config_;
  const std::set<int64_t> allowed_;
  HttpClient& client_;
  Clock& clock_;
  const TelegramAckHandler handler_;
  const TelegramAckPollerOptions options_;

  std::atomic<bool> stop_{false};
  std::atomic<int64_t> offset_{0};
  std::atomic<int64_t> sent_offset_{0};  // of the last getUpdates sent: what Telegram confirmed
  std::atomic<int64_t> handled_{0};
  std::atomic<int64_t> refused_{0};
  std::atomic<int64_t> noop_{0};
  std::atomic<int64_t> errors_{0};
  std::thread thread_;
  std::mutex exit_mu_;
  std::condition_variable exit_cv_;
  bool exited_ = false;
};

}  // namespace rr
