#include "responder/ack_http.h"

#include <glog/logging.h>

#include <cctype>
#include <cstdint>
#include <optional>

#include "alarm/aws_time.h"
#include "alarm/quote_input.h"
#include "alarm/status.h"
#include "channels/display_time.h"
#include "channels/html_escape.h"
#include "channels/utf16_length.h"
#include "responder/ack_link.h"

namespace rr {
namespace {

constexpr std::string_view kDefaultName = "link";

// ---- the form's "name" ----

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte. A '%' not followed by
// two hex digits stays as it is (browsers never send one; nothing is gained by refusing it).
std::string FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// The decoded value of the first `key` field of a form body.
std::optional<std::string> FormField(std::string_view body, std::string_view key) {
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    size_t eq = pair.find('=');
    if (FormDecode(pair.substr(0, eq)) != key) continue;
    return eq == std::string_view::npos ? std::string() : FormDecode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

// The next code point of valid UTF-8 at `*i` (advancing past it), or nullopt for an invalid
// sequence (advancing one byte): overlong forms, surrogates and values past U+10FFFF included.
std::optional<uint32_t> NextCodePoint(std::string_view text, size_t* i) {
  const size_t length = Utf8SequenceLength(text.substr(*i));
  if (length == 0) {
    ++*i;
    return std::nullopt;
  }
  const uint32_t cp = DecodeUtf8(text.substr(*i), length);
  *i += length;
  return cp;
}

bool IsSpace(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
         cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Characters that show nothing or change how the text around them shows: controls, and the
// invisible and bidirectional formatting characters that could make "alice" read as another
// name in the acknowledged notice.
bool IsHidden(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB);
}

std::string CleanName(std::string_view raw) {
  std::string out;
  size_t chars = 0;
  bool pending_space = false;
  for (size_t i = 0; i < raw.size() && chars < kMaxAckNameChars;) {
    const size_t start = i;
    std::optional<uint32_t> cp = NextCodePoint(raw, &i);
    if (!cp) continue;  // invalid UTF-8 is dropped, never passed on
    if (IsSpace(*cp)) {
      pending_space = !out.empty();  // runs of spaces become one; leading ones go
      continue;
    }
    if (IsHidden(*cp)) continue;
    if (pending_space) {
      if (chars + 1 >= kMaxAckNameChars) break;  // a name never ends in the space before a cut
      out.push_back(' ');
      ++chars;
      pending_space = false;
    }
    out.append(raw.substr(start, i - start));
    ++chars;
  }
  return out;
}

// ---- pages ----

std::string TimeText(std::chrono::system_clock::time_point at, const DisplayZone& zone) {
  if (at == std::chrono::system_clock::time_point()) return "-";
  int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  return FormatLongTime(FormatUtc(seconds), zone);
}

// A Korean paragraph and its English twin (both escaped here).
std::string Para(std::string_view ko, std::string_view en) {
  std::string html = "<p>";
  AppendHtmlEscaped(ko, &html);
  html += "</p>\n<p class=\"en\" lang=\"en\">";
  AppendHtmlEscaped(en, &html);
  html += "</p>\n";
  return html;
}

std::string SubjectHtml(const std::string& subject, int64_t incident_id) {
  std::string html = "<p class=\"subject\">";
  AppendHtmlEscaped(subject.empty() ? std::string("-") : subject, &html);
  html += " <span class=\"id\">#" + std::to_string(incident_id) + "</span></p>\n";
  return html;
}

std::string WhoWhenHtml(const std::string& by, std::chrono::system_clock::time_point at,
                        const DisplayZone& zone) {
  std::string html = "<dl>\n<dt>확인한 사람 <span lang=\"en\">Acknowledged by</span></dt><dd>";
  AppendHtmlEscaped(by.empty() ? "-" : by, &html);
  html += "</dd>\n<dt>시각 <span lang=\"en\">At</span></dt><dd>";
  AppendHtmlEscaped(TimeText(at, zone), &html);
  html += "</dd>\n</dl>\n";
  return html;
}

// The whole document: one self-contained page, readable on a phone, no script.
std::string Document(std::string_view title_ko, std::string_view title_en,
                     const std::string& inner) {
  std::string html =
      "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  AppendHtmlEscaped(title_ko, &html);
  html += " · ";
  AppendHtmlEscaped(title_en, &html);
  html +=
      "</title>\n<style>\n"
      "body{font-family:system-ui,-apple-system,\"Apple SD Gothic Neo\",\"Malgun Gothic\","
      "sans-serif;max-width:34rem;margin:0 auto;padding:1.25rem;line-height:1.5;color:#111}\n"
      "h1{font-size:1.4rem;margin:0 0 .25rem}h1+.en{margin-top:0;font-size:1.1rem}\n"
      ".en{color:#555}.subject{font-weight:600;font-size:1.1rem}.id{color:#777;font-weight:400}\n"
      "dt{color:#555}dd{margin:0 0 .5rem}\n"
      "label{display:block;margin:.75rem 0 .25rem}\n"
      "input,button{font:inherit;box-sizing:border-box;width:100%;padding:.7rem;"
      "border-radius:.4rem}\n"
      "input{border:1px solid #999}\n"
      "button{margin-top:.75rem;border:0;background:#c62828;color:#fff;font-weight:600}\n"
      "</style>\n</head>\n<body>\n<main>\n<h1>";
  AppendHtmlEscaped(title_ko, &html);
  html += "</h1>\n<p class=\"en\" lang=\"en\">";
  AppendHtmlEscaped(title_en, &html);
  html += "</p>\n";
  html += inner;
  html += "</main>\n</body>\n</html>\n";
  return html;
}

AckHttpAnswer Answer(int status, std::string_view title_ko, std::string_view title_en,
                     const std::string& inner) {
  AckHttpAnswer answer;
  answer.status = status;
  answer.content_type = "text/html; charset=utf-8";
  answer.body = Document(title_ko, title_en, inner);
  // The URL is the capability: nothing may keep it, pass it on, frame it or index it.
  answer.headers = {
      {"Cache-Control", "no-store"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Robots-Tag", "noindex, nofollow"},
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'"},
      {"X-Frame-Options", "DENY"},
  };
  return answer;
}

AckHttpAnswer Unavailable() {
  AckHttpAnswer answer = Answer(503, "지금은 처리할 수 없습니다", "Unavailable right now",
                                Para("잠시 후 다시 시도하세요.", "Please try again in a moment."));
  answer.headers.emplace_back("Retry-After", "10");
  return answer;
}

AckHttpAnswer UnknownIncident(int64_t incident_id) {
  const std::string id = "#" + std::to_string(incident_id);
  return Answer(
      404, "사건을 찾을 수 없습니다", "Unknown incident",
      Para("사건 " + id + "은(는) 이 응답기에 없습니다. 오래되어 지워졌을 수 있습니다.",
           "Incident " + id + " is not known to this responder; it may be old and removed."));
}

AckHttpAnswer BadToken(const Status& status, std::string_view secret, std::string_view token,
                       const DisplayZone& zone) {
  switch (status.code()) {
    case Status::Code::kDeadlineExceeded: {
      // The token is authentic (the signature is checked first): read its expiry back by
      // verifying it at the earliest time there is.
      Result<AckClaim> claim =
          VerifyAckToken(secret, token, std::chrono::system_clock::time_point::min());
      const std::string when = claim.ok() ? TimeText(claim->expires_at, zone) : "-";
      return Answer(410, "만료된 링크입니다", "This link has expired",
                    Para(when + "에 만료되었습니다. 최근 알림 메시지의 링크를 쓰세요.",
                         "It expired at " + when + ". Use the link of a more recent alert."));
    }
    case Status::Code::kNotFound:
      return Answer(403, "서명이 맞지 않는 링크입니다", "This link's signature does not match",
                    Para("이 응답기가 만든 링크가 아니거나, 주소가 바뀌었거나, 비밀 키를 바꾸기 "
                         "전에 만든 링크입니다.",
                         "It was not made by this responder, it was altered, or it was made "
                         "before the secret was changed."));
    default:
      return Answer(404, "올바르지 않은 링크입니다", "This link is not valid",
                    Para("주소가 잘렸거나 바뀌었을 수 있습니다. 알림 메시지의 링크를 그대로 "
                         "여세요.",
                         "The address may have been cut short or changed. Open the link from "
                         "the alert message as it is."));
  }
}

bool Acknowledged(const AckResult& result) {
  return result.state == AckState::kAlreadyAcknowledged || !result.by.empty();
}

AckHttpAnswer ConfirmationPage(int64_t incident_id, const AckClaim& claim, const AckResult& found,
                               const DisplayZone& zone) {
  if (Acknowledged(found)) {
    return Answer(200, "이미 확인된 사건입니다", "Already acknowledged",
                  SubjectHtml(found.subject, incident_id) + WhoWhenHtml(found.by, found.at, zone));
  }
  const std::string until = TimeText(claim.expires_at, zone);
  std::string inner = SubjectHtml(found.subject, incident_id);
  inner += Para(
      "확인하면 이 사건의 다음 단계 알림(SMS 등)을 보내지 않습니다. 링크를 연 것만으로는 "
      "확인되지 않습니다.",
      "Acknowledging stops this incident's next escalation steps (such as SMS). "
      "Opening this link alone acknowledges nothing.");
  // No action attribute: the form posts to this very URL, so the page never repeats the token.
  inner +=
      "<form method=\"post\">\n"
      "<label for=\"name\">이름 (선택) <span lang=\"en\">Name (optional)</span></label>\n"
      "<input id=\"name\" name=\"name\" maxlength=\"" +
      std::to_string(kMaxAckNameChars) +
      "\" autocomplete=\"name\">\n"
      "<button type=\"submit\">확인했습니다 · Acknowledge</button>\n"
      "</form>\n";
  inner +=
      Para("이 링크는 " + until + "까지 쓸 수 있습니다.", "This link works until " + until + ".");
  return Answer(200, "알림 확인", "Acknowledge alert", inner);
}

AckHttpAnswer ResultPage(int64_t incident_id, const AckResult& result, const std::string& name,
                         std::chrono::system_clock::time_point now, const DisplayZone& zone) {
  switch (result.state) {
    case AckState::kAcknowledged:
      return Answer(
          200, "확인되었습니다", "Acknowledged",
          SubjectHtml(result.subject, incident_id) +
              WhoWhenHtml(result.by.empty() ? name : result.by,
                          result.at == std::chrono::system_clock::time_point() ? now : result.at,
                          zone) +
              Para("이 사건의 다음 단계 알림은 보내지 않습니다.",
                   "This incident's next escalation steps will not be sent."));
    case AckState::kAlreadyAcknowledged:
      return Answer(
          200, "이미 확인된 사건입니다", "Already acknowledged",
          SubjectHtml(result.subject, incident_id) + WhoWhenHtml(result.by, result.at, zone));
    case AckState::kUnknownIncident:
      return UnknownIncident(incident_id);
    case AckState::kUnavailable:
      break;
  }
  return Unavailable();
}

bool IsForm(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  if (media.size() != kForm.size()) return false;
  for (size_t i = 0; i < media.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[i])) != kForm[i]) return false;
  }
  return true;
}

// QuoteInput, with '"' escaped too, for a value logged between double quotes.
std::string LogQuoted(std::string_view text) {
  std::string quoted;
  for (char c : QuoteInput(text, 80)) {
    if (c == '"') quoted += '\\';
    quoted += c;
  }
  return quoted;
}

const char* ReasonWord(const Status& status) {
  switch (status.code()) {
    case Status::Code::kDeadlineExceeded:
      return "expired";
    case Status::Code::kNotFound:
      return "bad_signature";
    default:
      return "malformed";
  }
}

}  // namespace

std::string AckNameFromForm(std::string_view body) {
  std::optional<std::string> raw = FormField(body, "name");
  std::string name = raw ? CleanName(*raw) : std::string();
  return name.empty() ? std::string(kDefaultName) : name;
}

AckHttpAnswer HandleAckHttp(std::string_view method, std::string_view token,
                            std::string_view content_type, std::string_view body,
                            std::string_view secret, std::chrono::system_clock::time_point now,
                            const AckLookup& lookup, const AckAction& act,
                            const DisplayZone& zone) {
  const bool is_post = method == "POST";
  if (!is_post && method != "GET" && method != "HEAD") {
    AckHttpAnswer answer =
        Answer(405, "허용되지 않는 요청입니다", "Method not allowed",
               Para("이 주소는 열어 보기(GET)와 확인 양식(POST)만 받습니다.",
                    "This address takes only GET (the page) and POST (its form)."));
    answer.headers.emplace_back("Allow", "GET, HEAD, POST");
    return answer;
  }
  if (secret.empty()) {
    LOG(WARNING) << "ack refused method=" << method << " reason=no_secret_configured";
    return Unavailable();
  }
  Result<AckClaim> claim = VerifyAckToken(secret, token, now);
  if (!claim.ok()) {
    // The token itself is never logged: a valid one is a capability, an invalid one is noise.
    LOG(WARNING) << "ack refused method=" << method << " reason=" << ReasonWord(claim.status());
    return BadToken(claim.status(), secret, token, zone);
  }
  const int64_t incident = claim->incident_id;

  if (!is_post) {
    AckResult found = lookup ? lookup(incident) : AckResult{};
    LOG(INFO) << "ack page method=" << method << " incident=" << incident << " state="
              << (found.state == AckState::kUnknownIncident ? "unknown"
                  : found.state == AckState::kUnavailable   ? "unavailable"
                  : Acknowledged(found)                     ? "acknowledged"
                                                            : "open");
    if (found.state == AckState::kUnknownIncident) return UnknownIncident(incident);
    if (found.state == AckState::kUnavailable) return Unavailable();
    return ConfirmationPage(incident, *claim, found, zone);
  }

  if (body.size() > kMaxAckBodyBytes) {
    return Answer(413, "요청이 너무 큽니다", "Request too large",
                  Para("확인 양식만 보내 주세요.", "Send only the acknowledgement form."));
  }
  if (!IsForm(content_type)) {
    return Answer(415, "양식으로 보내 주세요", "Send the form",
                  Para("확인은 이 페이지의 양식으로만 받습니다.",
                       "Acknowledgements come only as this page's form "
                       "(application/x-www-form-urlencoded)."));
  }
  const std::string name = AckNameFromForm(body);
  AckResult result = act ? act(incident, name) : AckResult{};
  // The name is the client's text: quoted, and last, so it cannot pose as another field.
  LOG(INFO) << "ack incident=" << incident << " result="
            << (result.state == AckState::kAcknowledged          ? "acknowledged"
                : result.state == AckState::kAlreadyAcknowledged ? "already_acknowledged"
                : result.state == AckState::kUnknownIncident     ? "unknown_incident"
                                                                 : "unavailable")
            << " by=\"" << LogQuoted(name) << "\"";
  return ResultPage(incident, result, name, now, zone);
}

}  // namespace rr
