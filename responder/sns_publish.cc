#include "responder/sns_publish.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdint>
#include <cstdlib>

#include "channels/redact.h"
#include "responder/aws_json_call.h"

namespace rr {
namespace {

constexpr size_t kMaxMessageBytes = 256 * 1024;
constexpr size_t kMaxSubjectChars = 99;
constexpr size_t kMaxQuotedMessage = 512;

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// "&lt;a&gt; &amp; &#233;" -> "<a> & é". An entity it does not know stays as written.
std::string XmlUnescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      out.push_back(text[i++]);
      continue;
    }
    const size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back(text[i++]);
      continue;
    }
    std::string_view name = text.substr(i + 1, semi - i - 1);
    if (name == "lt") {
      out.push_back('<');
    } else if (name == "gt") {
      out.push_back('>');
    } else if (name == "amp") {
      out.push_back('&');
    } else if (name == "quot") {
      out.push_back('"');
    } else if (name == "apos") {
      out.push_back('\'');
    } else if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long code = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (digits.empty() || *end != '\0' || code == 0 || code > 0x10FFFF ||
          (code >= 0xD800 && code <= 0xDFFF)) {
        out.append(text.substr(i, semi - i + 1));
      } else {
        AppendUtf8(static_cast<uint32_t>(code), &out);
      }
    } else {
      out.append(text.substr(i, semi - i + 1));
    }
    i = semi + 1;
  }
  return out;
}

Status CheckInput(const std::string& topic_arn, const std::string& subject,
                  const std::string& message) {
  if (!topic_arn.starts_with("arn:") || topic_arn.find(":sns:") == std::string::npos) {
    return Status::InvalidArgument("SNS Publish: topic \"" + topic_arn +
                                   "\" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
  }
  if (message.empty()) return Status::InvalidArgument("SNS Publish: the message is empty");
  if (message.size() > kMaxMessageBytes) {
    return Status::InvalidArgument("SNS Publish: the message is " + std::to_string(message.size()) +
                                   " bytes; SNS allows at most 262144");
  }
  if (subject.size() > kMaxSubjectChars) {
    return Status::InvalidArgument("SNS Publish: the subject is " + std::to_string(subject.size()) +
                                   " characters; SNS allows at most 99");
  }
  for (char c : subject) {
    if (c < 0x20 || c > 0x7E) {
      return Status::InvalidArgument(
          "SNS Publish: the subject must be printable ASCII without line breaks");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string AwsFormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::optional<std::string> XmlElementText(std::string_view xml, std::string_view tag,
                                          std::string_view within) {
  if (!within.empty()) {
    const std::string open = "<" + std::string(within) + ">";
    size_t at = xml.find(open);
    if (at == std::string_view::npos) {
      at = xml.find("<" + std::string(within) + " ");
      if (at == std::string_view::npos) return std::nullopt;
    }
    xml = xml.substr(at);
  }
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  const size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  const size_t end = xml.find(close, start + open.size());
  if (end == std::string_view::npos) return std::nullopt;
  return XmlUnescape(xml.substr(start + open.size(), end - start - open.size()));
}

Result<std::string> SnsPublish(HttpClient& client, AwsCredentialsProvider& credentials,
                               const AwsEndpoint& sns, const std::string& topic_arn,
                               const std::string& subject, const std::string& message) {
  if (Status s = CheckInput(topic_arn, subject, message); !s.ok()) return s;
  Result<AwsCredentials> current = credentials.Get();
  if (!current.ok()) return current.status();

  const std::string what = "SNS Publish to " + topic_arn + " at " + sns.url;
  HttpRequest request;
  request.url = sns.url + "/";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  request.body = "Action=Publish&Version=2010-03-31&TopicArn=" + AwsFormEncode(topic_arn);
  if (!subject.empty()) request.body += "&Subject=" + AwsFormEncode(subject);
  request.body += "&Message=" + AwsFormEncode(message);
  // Query-protocol recipe for libcurl 7.88: POST, parameters in the body, no query string.
  request.aws_sigv4 = current->SigV4(sns.region, sns.signing_name);
  HttpResponse r = client.Send(request);

  const std::vector<std::string> secrets = {current->secret_access_key, current->session_token};
  if (!r.transport_ok()) {
    const std::string text = what + ": no answer: " + RedactKnown(r.error, secrets);
    if (r.curl_code == CURLE_OPERATION_TIMEDOUT) return Status::DeadlineExceeded(text);
    return Status::Unavailable(text);
  }
  if (r.status == 200) {
    std::optional<std::string> id = XmlElementText(r.body, "MessageId", "PublishResult");
    if (!id || id->empty()) {
      return Status::Internal(what + ": HTTP 200 without a PublishResult MessageId");
    }
    return *id;
  }

  const std::string code = XmlElementText(r.body, "Code", "Error").value_or("");
  std::string detail = XmlElementText(r.body, "Message", "Error").value_or("");
  if (detail.size() > kMaxQuotedMessage) {
    detail.resize(kMaxQuotedMessage);
    detail += "...";
  }
  std::string text = what + ": HTTP " + std::to_string(r.status);
  if (!code.empty()) text += " " + code;
  if (!detail.empty()) text += ": " + detail;
  text = RedactKnown(text, secrets);
  if (IsRetryableAwsError(r.status, code)) return Status::Unavailable(text);
  if (r.status == 404 || code == "NotFound") return Status::NotFound(text);
  return Status::InvalidArgument(text);
}

}  // namespace rr
