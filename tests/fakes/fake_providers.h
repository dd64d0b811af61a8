// Loopback fakes of Dooray hooks, the Telegram Bot API and NHN Cloud SMS v3.0 that answer the
// way the real services do (shared/reference/channels.md sections 1-3), over real sockets, and
// that can be scripted to fail in every documented way.
//
// The HTTP/1.1 server underneath is small and written on plain sockets (plus OpenSSL for the
// TLS variant) rather than cpp-httplib: Debian's cpp-httplib is a compiled library that the
// test target does not link, and raw sockets make "close without answering" and counting
// connections (to prove keep-alive reuse) exact.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "alarm/status.h"
#include "channels/http_request.h"

namespace rr {

struct RecordedRequest {
  std::string method;
  std::string target;   // as on the request line: path and query
  std::string path;     // target without the query
  HttpHeaders headers;  // names lower-cased, in order
  std::string body;
  int connection = 0;  // 1-based number of the TCP connection it came on

  // The first value of header `lower_case_name`, or null.
  const std::string* header(std::string_view lower_case_name) const;
};

// One answer for one request.
struct ScriptedReply {
  enum class Kind {
    kAnswer,  // send status, headers and body as given
    kNormal,  // answer as the fake service normally would
    kDrop,    // read the request, then close the connection without a word
  };
  Kind kind = Kind::kAnswer;
  int status = 200;
  HttpHeaders headers;  // Content-Type defaults to application/json; charset=utf-8
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering (or dropping)

  static ScriptedReply Answer(int status, std::string body, HttpHeaders headers = {});
  static ScriptedReply Normal();
  static ScriptedReply Drop();
  // `reply`, sent after `delay`.
  static ScriptedReply Slow(std::chrono::milliseconds delay, ScriptedReply reply = Normal());
};

// PEM files of a throwaway self-signed certificate for 127.0.0.1 and localhost.
struct TlsFiles {
  std::string cert_path;  // also the CA bundle that makes clients trust it
  std::string key_path;
};

// Generates a fresh EC P-256 key and a self-signed certificate (valid for a day) into `dir`
// (created if missing), for the names in `subject_alt_names` (OpenSSL syntax).
Result<TlsFiles> MakeSelfSignedCertificate(
    const std::string& dir, const std::string& subject_alt_names = "IP:127.0.0.1,DNS:localhost");

// A loopback HTTP/1.1 server on 127.0.0.1 with an ephemeral port. Keeps connections alive,
// records every request, plays scripted replies first and otherwise calls Answer().
class FakeHttpServer {
 public:
  // With `tls`, speaks HTTPS only (no ALPN, so clients fall back to HTTP/1.1).
  explicit FakeHttpServer(std::optional<TlsFiles> tls = std::nullopt);
  virtual ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  Status Start();
  // Closes the listener and every connection (waking any delayed reply); idempotent. Derived
  // classes call it in their destructors, before their state goes away.
  void Stop();

  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT" (https with TLS)

  // Replies for the next requests, in order, before normal behaviour resumes.
  void Script(std::vector<ScriptedReply> replies);
  std::size_t scripted_left() const;

  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  int connections_accepted() const;
  // Waits (really) until at least `n` requests have arrived; false on timeout.
  bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

 protected:
  // The fake service's normal answer. Called on connection threads, one request at a time
  // unless set_concurrent_answers(true). The reply it returns is played like a scripted one:
  // Drop() closes the connection without a word, and a delay is waited out before sending.
  virtual ScriptedReply Answer(const RecordedRequest& request);
  // Lets Answer() run for several connections at once, for a fake whose Answer() blocks (the
  // Lambda Runtime API's long-polled `next`); such a fake guards its own state. Call it before
  // Start().
  void set_concurrent_answers(bool on) { concurrent_answers_ = on; }

 private:
  struct Connection;
  void AcceptLoop();
  void Serve(int fd, int number);
  // Waits `delay` unless Stop() comes first; false when stopping.
  bool Pause(std::chrono::milliseconds delay);

  std::optional<TlsFiles> tls_;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*, kept opaque so tests need no OpenSSL headers
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // signals new requests and stopping
  std::deque<ScriptedReply> script_;
  std::vector<RecordedRequest> requests_;
  std::vector<int> open_fds_;
  std::vector<std::thread> connection_threads_;
  int connections_ = 0;
  std::mutex answer_mu_;             // Answer() sees one request at a time
  bool concurrent_answers_ = false;  // ... unless this is set
};

// Dooray incoming hook: POST /services/{tenant}/{hook}/{token}.
// 200 with {"header":{"isSuccessful":true,...}} for the right path and a JSON body with "text";
// 404 for any other path; 400 for a body that is not a JSON object with "text"; 405 for GET.
class FakeDooray : public FakeHttpServer {
 public:
  explicit FakeDooray(std::string token = "dXNlLXRoaXMtaW4tdGVzdHMx",
                      std::optional<TlsFiles> tls = std::nullopt);
  ~FakeDooray() override;

  std::string hook_url() const;  // the full hook URL, token included
  const std::string& token() const { return token_; }

  // HTTP 200 whose body says it failed: {"header":{"isSuccessful":false,...}}.
  static ScriptedReply HeaderFailure(int result_code = -400,
                                     std::string message = "Bad Request: invalid hook payload");
  // 429 with a Retry-After header (seconds).
  static ScriptedReply RateLimited(int retry_after_seconds);
  static ScriptedReply ServerError(int status = 500);

 protected:
  ScriptedReply Answer(const RecordedRequest& request) override;

 private:
  std::string tenant_ = "3570000000000000001";
  std::string hook_ = "3570000000000000002";
  std::string token_;
};

// One answerCallbackQuery the fake took (a valid one; refused calls are only in requests()).
struct TelegramCallbackAnswer {
  std::string callback_query_id;
  std::optional<std::string> text;
  bool show_alert = false;
};

// One editMessageReplyMarkup or editMessageText the fake took.
struct TelegramMessageEdit {
  std::string method;  // "editMessageReplyMarkup" or "editMessageText"
  int64_t chat_id = 0;
  int64_t message_id = 0;
  std::optional<std::string> text;          // editMessageText only
  std::optional<std::string> reply_markup;  // compact JSON as sent; absent: keyboard removed
};

// Telegram Bot API: POST /bot{token}/{method}. sendMessage with the right token returns
// {"ok":true,"result":{"message_id":N,...}}; a well-formed wrong token gets 401 Unauthorized,
// a malformed one (no ':') and unknown methods 404 Not Found. sendMessage checks the request
// like the server does: chat_id present, text 1-4096 UTF-16 units after entity parsing, and
// with parse_mode HTML only the supported tags and entities (else 400 "can't parse entities");
// a reply_markup must be an inline keyboard of buttons with a text and, when they have one,
// callback_data of 1-64 bytes (else 400 "Bad Request: BUTTON_DATA_INVALID").
//
// The "Acknowledge" button's side (shared/reference/channels.md, "Ack button facts"):
//   getUpdates {offset, timeout, limit} drops every update below a positive offset
//     (confirmed), then answers at once when an update is pending, else blocks up to `timeout`
//     seconds for one (a press from PressButton), then answers {"ok":true,"result":[...]}.
//     allowed_updates is not applied: the fake makes only the updates a test asks for. A getUpdates
//     that arrives while another one waits ends the waiting one with 409 "Conflict: terminated by
//     other getUpdates request; ..." as the Bot API server does; with a webhook set (SetWebhook)
//     every getUpdates gets 409 at once.
//   answerCallbackQuery {callback_query_id, text (0-200 characters), show_alert}:
//     {"ok":true,"result":true}; 400 for a missing, unknown or already answered query id or a
//     longer text.
//   editMessageReplyMarkup {chat_id, message_id, reply_markup} and editMessageText {chat_id,
//     message_id, text, reply_markup}: the edited message as the result; 400 for a missing
//     chat_id, message_id or text, a message the fake does not know (sent through it or
//     pressed on), an invalid keyboard, or a change that changes nothing ("message is not
//     modified").
// Answer() runs concurrently (a parked getUpdates must not hold up the other calls); all state
// is guarded by the fake's own lock.
class FakeTelegram : public FakeHttpServer {
 public:
  explicit FakeTelegram(std::string token = "7700112233:AAFakeBotTokenForTestsOnly_0123456",
                        std::optional<TlsFiles> tls = std::nullopt);
  ~FakeTelegram() override;

  // Wakes a parked getUpdates (its connection is closed without an answer), then stops the
  // server. Idempotent. Call this one, not FakeHttpServer::Stop(), which cannot wake it.
  void Stop();

  std::string api_base() const { return base_url(); }  // requests go to api_base/bot<token>/...
  const std::string& token() const { return token_; }

  // From now on, messages to `old_chat_id` get 400 with parameters.migrate_to_chat_id.
  void MigrateChat(int64_t old_chat_id, int64_t new_chat_id);

  // Queues the update a press of an inline button makes: a callback_query from user
  // `from_user_id` (with `username` unless empty; first_name "Tester"), carrying `data` (left
  // out when empty), on message `message_id` of chat `chat_id`. Wakes a parked getUpdates.
  // Returns the update_id; the callback query id is callback_query_id_of(update_id).
  int64_t PressButton(int64_t from_user_id, std::string username, std::string data, int64_t chat_id,
                      int64_t message_id);
  // Queues an update of any shape: `fields` is a JSON object text, to which the fake adds the
  // next update_id (e.g. R"({"message":{...}})"). Returns that update_id.
  int64_t PushRawUpdate(std::string_view fields);
  static std::string callback_query_id_of(int64_t update_id);
  // While active, getUpdates answers 409 "can't use getUpdates method while webhook is active".
  void SetWebhook(bool active);

  // Updates queued and not yet confirmed by a getUpdates offset.
  std::size_t pending_updates() const;
  int get_updates_calls() const;
  // getUpdates calls ended with 409 because another one arrived.
  int conflicts() const;
  std::vector<TelegramCallbackAnswer> callback_answers() const;
  std::vector<TelegramMessageEdit> edits() const;
  // The message's current reply_markup (compact JSON), or nullopt when it has none or the fake
  // does not know it.
  std::optional<std::string> reply_markup_of(int64_t chat_id, int64_t message_id) const;
  // Wait (really) until at least `n` have arrived; false on timeout.
  bool WaitForCallbackAnswers(std::size_t n, std::chrono::milliseconds timeout) const;
  bool WaitForEdits(std::size_t n, std::chrono::milliseconds timeout) const;
  bool WaitForGetUpdatesCalls(int n, std::chrono::milliseconds timeout) const;

  // 429 with parameters.retry_after and a Retry-After header, as the Bot API server sends.
  static ScriptedReply Flood(int retry_after_seconds);
  static ScriptedReply Migrated(int64_t new_chat_id);
  static ScriptedReply CantParseEntities(int byte_offset = 0);
  static ScriptedReply BotBlocked();
  static ScriptedReply ChatNotFound();
  static ScriptedReply Unauthorized();
  // 409 as a getUpdates ended by another poller gets it.
  static ScriptedReply Conflict();
  // A gateway error as the front proxy sends it: HTML, not JSON.
  static ScriptedReply BadGateway(int status = 502);
  // {"ok":false,...} with the status as error_code, for anything else.
  static ScriptedReply Error(int status, std::string description);

 protected:
  ScriptedReply Answer(const RecordedRequest& request) override;

 private:
  struct Message {
    std::string text;
    std::optional<std::string> reply_markup;  // compact JSON
    bool edited = false;
  };
  struct Update {
    int64_t update_id = 0;
    std::string type;  // "callback_query", "message", ...: its first member
    std::string json;  // the whole update
  };

  ScriptedReply SendMessage(const RecordedRequest& request);
  ScriptedReply GetUpdates(const RecordedRequest& request);
  ScriptedReply AnswerCallbackQuery(const RecordedRequest& request);
  ScriptedReply EditMessage(const RecordedRequest& request, bool with_text);
  // The message as the Bot API returns it. Needs state_mu_.
  std::string MessageJson(int64_t chat_id, int64_t message_id, const Message& message) const;

  std::string token_;
  mutable std::mutex state_mu_;
  mutable std::condition_variable state_cv_;  // updates, answers, edits, polls, stop
  bool stopped_ = false;
  std::map<int64_t, int64_t> migrated_;
  int64_t next_message_id_ = 101;
  std::map<std::pair<int64_t, int64_t>, Message> messages_;  // by (chat_id, message_id)
  std::deque<Update> updates_;                               // not yet confirmed
  int64_t next_update_id_ = 800000001;
  std::map<std::string, bool> callback_queries_;  // id -> answered
  uint64_t poll_generation_ = 0;                  // the newest getUpdates; older ones end
  bool webhook_ = false;
  int get_updates_calls_ = 0;
  int conflicts_ = 0;
  std::vector<TelegramCallbackAnswer> answers_;
  std::vector<TelegramMessageEdit> edits_;
};

// NHN Cloud SMS v3.0: POST /sms/v3.0/appKeys/{appKey}/sender/{sms|mms} with X-Secret-Key.
// Always HTTP 200 (as clients observe), the verdict in header.isSuccessful/resultCode:
// -1000 for a wrong appKey or X-Secret-Key, -9995 for another API version, -9998 for an
// unknown API, -9996 for a non-JSON Content-Type, -9997 for invalid JSON, -2014 for an empty
// body (or mms title), -2312 for a sendNo that is not registered, -2001 for no recipients,
// -2018 for an empty recipientNo, -2023 for text that EUC-KR cannot hold (emoji). Success
// returns a requestId, statusCode "2" and one sendResultList entry per recipient.
class FakeNhnSms : public FakeHttpServer {
 public:
  explicit FakeNhnSms(std::string app_key = "FakeAppKey0123456789",
                      std::string secret_key = "FakeSecretKeyForTests",
                      std::vector<std::string> registered_send_numbers = {"0212345678"},
                      std::optional<TlsFiles> tls = std::nullopt);
  ~FakeNhnSms() override;

  std::string api_base() const { return base_url(); }
  const std::string& app_key() const { return app_key_; }
  const std::string& secret_key() const { return secret_key_; }

  // HTTP 200 with {"header":{"isSuccessful":false,"resultCode":code,...},"body":null}.
  static ScriptedReply Failure(int result_code, std::string message);
  static ScriptedReply SystemError();            // -9999, retryable
  static ScriptedReply QueueInsertFailed();      // -2021, retryable
  static ScriptedReply SendNoNotRegistered();    // -2312
  static ScriptedReply UnsupportedCharacters();  // -2023

 protected:
  ScriptedReply Answer(const RecordedRequest& request) override;

 private:
  std::string app_key_;
  std::string secret_key_;
  std::vector<std::string> send_numbers_;
  int next_request_ = 1;
};

}  // namespace rr
