// The Bot API calls behind the "Acknowledge" button (shared/reference/channels.md, "Ack button
// facts"): getUpdates long-polled for callback queries, answerCallbackQuery to stop the
// presser's spinner, editMessageReplyMarkup to show who acknowledged. Requests and answers as
// plain data; the sending and the loop are responder/telegram_ack_poller's.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alarm/status.h"
#include "channels/http_client.h"
#include "channels/http_request.h"
#include "channels/telegram.h"

namespace rr {

// answerCallbackQuery's text: 0-200 characters.
inline constexpr size_t kTelegramMaxAnswerUnits = 200;
// A getUpdates request may take this much longer than its long-poll timeout before the client
// gives up on it: the server answers at the timeout, plus the network's round trip.
inline constexpr std::chrono::seconds kTelegramPollGrace{10};
// The callback_data of the button that replaces an acknowledged one: pressing it does nothing.
inline constexpr std::string_view kTelegramNoopData = "noop";

// One press of an inline keyboard button (an Update carrying a callback_query).
struct TelegramCallbackPress {
  int64_t update_id = 0;
  std::string callback_query_id;  // for answerCallbackQuery
  int64_t from_user_id = 0;       // 0 when the update names nobody (never on the allow-list)
  // "@username", else first and last name, else "user <id>"; control characters removed and
  // cut to 64 UTF-16 units, since the user chooses it and it lands in logs and button labels.
  std::string from_display;
  // The button's callback_data: client-supplied, up to 64 bytes. Absent for game buttons.
  std::optional<std::string> data;
  // The message the button was on; both absent for a message sent in inline mode.
  std::optional<int64_t> chat_id;
  std::optional<int64_t> message_id;
  // The message is too old or otherwise out of the bot's reach (Bot API 7.0
  // InaccessibleMessage, date 0): its keyboard cannot be edited.
  bool message_inaccessible = false;
};

// Why a Bot API call failed, in the terms a poller acts on.
enum class TelegramFailure {
  kNone,
  kNetwork,       // no HTTP answer: connect, TLS, timeout, reset
  kConflict,      // 409: another getUpdates poller for this bot, or a webhook is set
  kUnauthorized,  // 401: the token is wrong or revoked
  kRateLimited,   // 429: retry_after says when
  kServerError,   // 5xx (and 408, 425)
  kBadAnswer,     // not JSON, no ok:true, or a result of the wrong shape
  kRejected,      // any other error (400 Bad Request, 403, 404)
};

std::string_view TelegramFailureName(TelegramFailure failure);

// The verdict on one Bot API answer.
struct TelegramReply {
  // Ok, or why not in words that name the method, the status and the cause, e.g. "telegram
  // getUpdates: HTTP 409: Conflict: terminated by other getUpdates request; ...: another
  // getUpdates poller or a webhook is set for this bot". Redacted with the request's secrets.
  Status status;
  TelegramFailure failure = TelegramFailure::kNone;
  long http_status = 0;
  std::optional<std::chrono::seconds> retry_after;  // parameters.retry_after, 429 only

  bool ok() const { return status.ok(); }
};

// A getUpdates answer, read.
struct TelegramUpdates {
  TelegramReply reply;  // when not ok, nothing below is set
  std::vector<TelegramCallbackPress> presses;
  // Last update_id + 1 over every update in the answer, of any type and usable or not: the
  // offset that confirms them all. Absent when the answer held no update.
  std::optional<int64_t> next_offset;
  size_t skipped = 0;  // updates that were not usable callback queries
};

// POST {api_base}/bot{token}/getUpdates {"offset":N,"timeout":S,"allowed_updates":
// ["callback_query"]}. `offset` confirms every update below it (0: none). The request's own
// time limit is `poll_timeout` + kTelegramPollGrace.
HttpRequest TelegramGetUpdatesRequest(const TelegramConfig& config, int64_t offset,
                                      std::chrono::seconds poll_timeout);

// POST .../answerCallbackQuery {"callback_query_id":ID,"text":TEXT}; TEXT cut to
// kTelegramMaxAnswerUnits on a character boundary, and left out when empty.
HttpRequest TelegramAnswerCallbackRequest(const TelegramConfig& config,
                                          std::string_view callback_query_id,
                                          std::string_view text);

// POST .../editMessageReplyMarkup: the keyboard of (chat_id, message_id) becomes one button
// showing `label` (e.g. "✅ @kim 14:03 확인") whose callback_data is kTelegramNoopData.
HttpRequest TelegramEditButtonRequest(const TelegramConfig& config, int64_t chat_id,
                                      int64_t message_id, std::string_view label);

// The verdict on the answer to any Bot API request `sent`: ok only for HTTP 2xx with ok:true.
TelegramReply ReadTelegramReply(const HttpRequest& sent, const HttpResponse& response);

// The answer to a getUpdates request `sent`. Updates of other types, callback queries without
// an id and fields of the wrong type are skipped or left unset, never an error; only an answer
// that is not a Bot API success with an array result is.
TelegramUpdates ParseTelegramUpdates(const HttpRequest& sent, const HttpResponse& response);

}  // namespace rr
