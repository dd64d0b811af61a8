#include "responder/telegram_ack_poller.h"

#include <glog/logging.h>

#include <algorithm>
#include <sstream>
#include <utility>

#include "channels/redact.h"

namespace rr {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// How often a sleeping poller looks at the stop flag.
constexpr milliseconds kStopCheckStep{250};
// An empty answer faster than this (a proxy that ignores the long poll) is followed by a pause,
// so the loop never spins hot.
constexpr milliseconds kMinEmptyPoll{1000};
// Stop's getUpdates answers at once (timeout 0); it gets this long, and is sent at most this
// many times (the poll it must end may start just after one).
constexpr milliseconds kKickTimeout{2000};
constexpr int kKicks = 3;
constexpr milliseconds kKickWait{1000};

int64_t Ms(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<milliseconds>(d).count();
}

}  // namespace

TelegramAckPoller::TelegramAckPoller(TelegramConfig config, std::set<int64_t> allowed_user_ids,
                                     HttpClient& client, Clock& clock, TelegramAckHandler handler,
                                     TelegramAckPollerOptions options)
    : config_(std::move(config)),
      allowed_(std::move(allowed_user_ids)),
      client_(client),
      clock_(clock),
      handler_(std::move(handler)),
      options_(options) {}

TelegramAckPoller::~TelegramAckPoller() { Stop(); }

Status TelegramAckPoller::Start() {
  if (thread_.joinable() || stop_.load()) {
    return Status::InvalidArgument("telegram ack poller " + config_.name + " already started");
  }
  if (config_.bot_token.empty()) {
    return Status::InvalidArgument("telegram ack poller " + config_.name + ": no bot token");
  }
  if (!handler_) {
    return Status::InvalidArgument("telegram ack poller " + config_.name + ": no handler");
  }
  if (allowed_.empty()) {
    return Status::InvalidArgument("telegram ack poller " + config_.name +
                                   ": no user may acknowledge (the allow-list is empty)");
  }
  if (options_.poll_timeout < seconds(1)) {
    // A zero timeout is short polling: an answer at once, every time, in a tight loop.
    return Status::InvalidArgument("telegram ack poller " + config_.name +
                                   ": poll timeout must be at least 1 s");
  }
  thread_ = std::thread([this] { Run(); });
  LOG(INFO) << "telegram_ack_poller_started channel=" << config_.name
            << " allowed_users=" << allowed_.size()
            << " poll_timeout_s=" << options_.poll_timeout.count();
  return Status::Ok();
}

void TelegramAckPoller::Stop() {
  if (!thread_.joinable()) return;
  stop_.store(true);
  for (int i = 0; i < kKicks; ++i) {
    Kick();
    std::unique_lock<std::mutex> lock(exit_mu_);
    if (exit_cv_.wait_for(lock, kKickWait, [&] { return exited_; })) break;
  }
  thread_.join();  // at worst, the poll that started after the last kick runs out
  // A press may have finished after the kick went out: confirm it too, or the next poller
  // handles it again.
  if (offset_.load() > sent_offset_.load()) Kick();
  const TelegramAckCounters c = counters();
  LOG(INFO) << "telegram_ack_poller_stopped channel=" << config_.name << " offset=" << offset()
            << " handled=" << c.handled << " refused=" << c.refused << " errors=" << c.errors;
}

TelegramAckCounters TelegramAckPoller::counters() const {
  return {handled_.load(), refused_.load(), noop_.load(), errors_.load()};
}

void TelegramAckPoller::Kick() {
  const int64_t offset = offset_.load();
  sent_offset_.store(offset);
  HttpRequest request = TelegramGetUpdatesRequest(config_, offset, seconds(0));
  request.timeout = kKickTimeout;
  const HttpResponse response = client_.Send(request);
  const TelegramReply reply = ReadTelegramReply(request, response);
  if (!reply.ok()) {
    VLOG(1) << "telegram_ack_stop_poll channel=" << config_.name << " error=\""
            << RedactKnown(reply.status.message(), request.secrets) << "\"";
  }
}

void TelegramAckPoller::Run() {
  seconds backoff = options_.error_backoff;
  while (!stop_.load()) {
    const int64_t offset = offset_.load();
    sent_offset_.store(offset);
    const HttpRequest request = TelegramGetUpdatesRequest(config_, offset, options_.poll_timeout);
    const HttpResponse response = client_.Send(request);
    if (stop_.load()) break;  // most likely Stop's own getUpdates ended this one
    const TelegramUpdates updates = ParseTelegramUpdates(request, response);
    if (!updates.reply.ok()) {
      ++errors_;
      SleepUnlessStopped(OnPollFailure(updates.reply, backoff));
      continue;
    }
    backoff = options_.error_backoff;
    bool all_handled = true;
    for (const TelegramCallbackPress& press : updates.presses) {
      if (stop_.load()) {
        all_handled = false;  // the rest go to the next poller
        break;
      }
      Handle(press);
      offset_.store(std::max(offset_.load(), press.update_id + 1));
    }
    // Updates of other types and unusable ones are confirmed with the batch.
    if (all_handled && updates.next_offset) {
      offset_.store(std::max(offset_.load(), *updates.next_offset));
    }
    if (updates.presses.empty() && updates.skipped == 0 && response.elapsed < kMinEmptyPoll) {
      SleepUnlessStopped(kMinEmptyPoll - response.elapsed);
    }
  }
  std::lock_guard<std::mutex> lock(exit_mu_);
  exited_ = true;
  exit_cv_.notify_all();
}

seconds TelegramAckPoller::OnPollFailure(const TelegramReply& reply, seconds& backoff) {
  seconds wait = backoff;
  if (reply.failure == TelegramFailure::kRateLimited && reply.retry_after) {
    wait = std::max(*reply.retry_after, seconds(1));  // the server's word, not sooner
  } else {
    backoff = std::min(backoff * 2, options_.max_error_backoff);
  }
  // A conflict or a bad token will not mend itself: a person has to act.
  const bool needs_a_person = reply.failure == TelegramFailure::kConflict ||
                              reply.failure == TelegramFailure::kUnauthorized;
  std::ostringstream line;
  line << "telegram_poll_failed channel=" << config_.name
       << " reason=" << TelegramFailureName(reply.failure) << " status=" << reply.http_status
       << " retry_in_ms=" << Ms(wait) << " error=\"" << RedactKnown(reply.status.message()) << "\"";
  if (needs_a_person) {
    LOG(ERROR) << line.str();
  } else {
    LOG(WARNING) << line.str();
  }
  return wait;
}

void TelegramAckPoller::SleepUnlessStopped(std::chrono::nanoseconds duration) {
  while (duration > std::chrono::nanoseconds::zero() && !stop_.load()) {
    const std::chrono::nanoseconds step =
        std::min<std::chrono::nanoseconds>(duration, kStopCheckStep);
    clock_.SleepFor(step);
    duration -= step;
  }
}

void TelegramAckPoller::Handle(const TelegramCallbackPress& press) {
  if (!press.data || press.data->empty()) {
    ++noop_;
    LOG(WARNING) << "telegram_ack_ignored channel=" << config_.name
                 << " user_id=" << press.from_user_id << " reason=no_data";
    AnswerPress(press, kTelegramAckUnknownButton);
    return;
  }
  if (*press.data == kTelegramNoopData) {  // the button of an acknowledged alert
    ++noop_;
    AnswerPress(press, kTelegramAckAlreadyDone);
    return;
  }
  if (!allowed_.contains(press.from_user_id)) {
    ++refused_;
    LOG(WARNING) << "telegram_ack_refused channel=" << config_.name
                 << " user_id=" << press.from_user_id << " user=\"" << press.from_display
                 << "\" reason=not_on_allow_list";
    AnswerPress(press, kTelegramAckNotAllowed);
    return;
  }
  const TelegramAckActor actor{press.from_user_id, press.from_display};
  const TelegramAckReply reply = handler_(*press.data, actor);
  ++handled_;
  LOG(INFO) << "telegram_ack channel=" << config_.name << " user_id=" << press.from_user_id
            << " user=\"" << press.from_display << "\" relabel=" << (reply.button_label ? 1 : 0);
  AnswerPress(press, reply.answer_text);  // first: it stops the presser's spinner
  if (!reply.button_label) return;
  if (!press.chat_id || !press.message_id || press.message_inaccessible) {
    LOG(INFO) << "telegram_ack_relabel_skipped channel=" << config_.name
              << " reason=" << (press.message_inaccessible ? "message_inaccessible" : "no_message");
    return;
  }
  EditButton(press, *reply.button_label);
}

void TelegramAckPoller::AnswerPress(const TelegramCallbackPress& press, std::string_view text) {
  const HttpRequest request = TelegramAnswerCallbackRequest(config_, press.callback_query_id, text);
  const TelegramReply reply = ReadTelegramReply(request, client_.Send(request));
  if (!reply.ok()) {
    ++errors_;
    LOG(WARNING) << "telegram_answer_failed channel=" << config_.name
                 << " update_id=" << press.update_id
                 << " reason=" << TelegramFailureName(reply.failure) << " error=\""
                 << RedactKnown(reply.status.message()) << "\"";
  }
}

void TelegramAckPoller::EditButton(const TelegramCallbackPress& press, const std::string& label) {
  const HttpRequest request =
      TelegramEditButtonRequest(config_, *press.chat_id, *press.message_id, label);
  const TelegramReply reply = ReadTelegramReply(request, client_.Send(request));
  if (!reply.ok()) {
    ++errors_;
    LOG(WARNING) << "telegram_relabel_failed channel=" << config_.name
                 << " chat_id=" << *press.chat_id << " message_id=" << *press.message_id
                 << " reason=" << TelegramFailureName(reply.failure) << " error=\""
                 << RedactKnown(reply.status.message()) << "\"";
  }
}

}  // namespace rr
