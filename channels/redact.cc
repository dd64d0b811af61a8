#include "channels/redact.h"

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <shared_mutex>

namespace rr {
namespace {

constexpr size_t kMinSecretLength = 4;
constexpr size_t kMinPhoneDigits = 5;  // with four digits kept, shorter numbers hide nothing

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads one byte written as `hex_digits` hex digits at text[pos], or -1.
int HexByte(std::string_view text, size_t pos, size_t hex_digits) {
  if (pos + hex_digits > text.size()) return -1;
  int value = 0;
  for (size_t i = 0; i < hex_digits; ++i) {
    int h = HexValue(text[pos + i]);
    if (h < 0) return -1;
    value = value * 16 + h;
  }
  return value;
}

// Length of the text at `pos` that spells `secret`, each byte either literally or in one of its
// encoded forms (%XX, '+' for space, JSON escapes); 0 when it does not. Backtracks, because a
// literal '%', '+' or '\' in a secret can also start an encoded form.
size_t MatchSecret(std::string_view text, size_t pos, std::string_view secret) {
  if (secret.empty()) return 0;
  const auto want = static_cast<unsigned char>(secret.front());
  auto rest = [&](size_t consumed) -> size_t {
    if (secret.size() == 1) return consumed;
    size_t tail = MatchSecret(text, pos + consumed, secret.substr(1));
    return tail == 0 ? 0 : consumed + tail;
  };
  if (pos >= text.size()) return 0;
  const char c = text[pos];
  if (static_cast<unsigned char>(c) == want) {
    if (size_t n = rest(1)) return n;
  }
  if (c == '%' && HexByte(text, pos + 1, 2) == want) {
    if (size_t n = rest(3)) return n;
  }
  if (c == '+' && want == ' ') {
    if (size_t n = rest(1)) return n;
  }
  if (c == '\\' && pos + 1 < text.size()) {
    const char e = text[pos + 1];
    bool escaped = (e == '"' && want == '"') || (e == '\\' && want == '\\') ||
                   (e == '/' && want == '/') || (e == 'n' && want == '\n') ||
                   (e == 'r' && want == '\r') || (e == 't' && want == '\t');
    if (escaped) {
      if (size_t n = rest(2)) return n;
    }
    if (e == 'u' && HexByte(text, pos + 2, 4) == want) {
      if (size_t n = rest(6)) return n;
    }
  }
  return 0;
}

std::string RedactSecrets(std::string_view text, std::vector<std::string_view> secrets) {
  secrets.erase(std::remove_if(secrets.begin(), secrets.end(),
                               [](std::string_view s) { return s.size() < kMinSecretLength; }),
                secrets.end());
  if (secrets.empty()) return std::string(text);
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t matched = 0;
    for (std::string_view secret : secrets) {
      matched = MatchSecret(text, i, secret);
      if (matched > 0) break;
    }
    if (matched > 0) {
      out += kRedacted;
      i += matched;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string DigitsOf(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (IsDigit(c)) digits += c;
  }
  return digits;
}

// The digit strings a phone number is written as: as given, without the trunk zero (after a
// "+82"), and with "82" swapped for the trunk zero.
std::vector<std::string> PhoneDigitForms(std::string_view phone_number) {
  std::vector<std::string> forms;
  std::string digits = DigitsOf(phone_number);
  if (digits.size() < kMinPhoneDigits) return forms;
  forms.push_back(digits);
  if (digits.front() == '0' && digits.size() - 1 >= kMinPhoneDigits) {
    forms.push_back(digits.substr(1));
  }
  if (digits.rfind("82", 0) == 0 && digits.size() - 2 >= kMinPhoneDigits - 1) {
    forms.push_back("0" + digits.substr(2));
  }
  return forms;
}

bool IsPhoneSeparator(char c) { return c == '-' || c == ' ' || c == '.' || c == '(' || c == ')'; }

// Length of the text at `pos` that spells `digits` with separators allowed between digits.
size_t MatchPhone(std::string_view text, size_t pos, std::string_view digits) {
  size_t i = pos;
  for (size_t d = 0; d < digits.size(); ++d) {
    if (d > 0) {
      size_t separators = 0;
      while (i < text.size() && IsPhoneSeparator(text[i]) && separators < 2) {
        ++i;
        ++separators;
      }
    }
    if (i >= text.size() || text[i] != digits[d]) return 0;
    ++i;
  }
  return i - pos;
}

std::string RedactPhones(std::string_view text, const std::vector<std::string>& phone_numbers) {
  std::vector<std::string> forms;
  for (const std::string& phone : phone_numbers) {
    for (std::string& form : PhoneDigitForms(phone)) forms.push_back(std::move(form));
  }
  if (forms.empty()) return std::string(text);
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t matched = 0;
    if (IsDigit(text[i])) {
      for (const std::string& form : forms) {
        matched = MatchPhone(text, i, form);
        if (matched > 0) break;
      }
    }
    if (matched > 0) {
      out += MaskPhoneNumber(text.substr(i, matched));
      i += matched;
    } else {
      out += text[i++];
    }
  }
  return out;
}

bool StartsWithIgnoreCase(std::string_view text, size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[pos + i]) != Lower(prefix[i])) return false;
  }
  return true;
}

bool EndsUrlSegment(char c, bool slash_ends) {
  return (slash_ends && c == '/') || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '?' ||
         c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '&';
}

// Replaces what follows each `prefix` in a URL path (up to the end of the segment, or of the
// path when `whole_path`) with "<redacted>", when `starts_secret` accepts its first character.
std::string RedactPathAfter(std::string_view text, std::string_view prefix, bool whole_path,
                            bool (*starts_secret)(char)) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (StartsWithIgnoreCase(text, i, prefix) && i + prefix.size() < text.size() &&
        starts_secret(text[i + prefix.size()])) {
      out.append(text.substr(i, prefix.size()));
      i += prefix.size();
      while (i < text.size() && !EndsUrlSegment(text[i], !whole_path)) ++i;
      out += kRedacted;
    } else {
      out += text[i++];
    }
  }
  return out;
}

bool StartsTelegramToken(char c) { return IsDigit(c); }  // tokens are "<bot id>:<secret>"
bool StartsPathSecret(char c) { return IsAlnum(c) || c == '%' || c == '-' || c == '_'; }

// Header values that are credentials, as "Name: value" lines or JSON "Name":"value" pairs.
std::string RedactCredentialHeaders(std::string_view text) {
  static constexpr std::string_view kNames[] = {"x-secret-key",        "proxy-authorization",
                                                "x-nhn-authorization", "authorization",
                                                "set-cookie",          "cookie"};
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    bool at_word_start = i == 0 || !(IsAlnum(text[i - 1]) || text[i - 1] == '-');
    std::string_view name;
    if (at_word_start) {
      for (std::string_view candidate : kNames) {
        if (StartsWithIgnoreCase(text, i, candidate)) {
          name = candidate;
          break;
        }
      }
    }
    size_t j = i + name.size();
    if (!name.empty() && j < text.size() && text[j] == '"') ++j;
    if (name.empty() || j >= text.size() || text[j] != ':') {
      out += text[i++];
      continue;
    }
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '"')) ++j;
    size_t value_end = j;
    while (value_end < text.size() && text[value_end] != '\r' && text[value_end] != '\n' &&
           text[value_end] != '"') {
      ++value_end;
    }
    out.append(text.substr(i, j - i));
    if (value_end > j) out += kRedacted;
    i = value_end;
  }
  return out;
}

std::string RedactStructure(std::string_view text) {
  std::string out = RedactPathAfter(text, "/bot", false, StartsTelegramToken);
  out = RedactPathAfter(out, "/services/", true, StartsPathSecret);
  out = RedactPathAfter(out, "/appKeys/", false, StartsPathSecret);
  return RedactCredentialHeaders(out);
}

struct Registry {
  std::shared_mutex mu;
  std::vector<std::string> secrets;
  std::vector<std::string> phone_numbers;
};

Registry& GetRegistry() {
  static Registry* registry = new Registry();  // never destroyed: usable during static teardown
  return *registry;
}

void AddUnique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.emplace_back(value);
}

std::string RedactWith(std::string_view text, const std::vector<std::string>& secrets_a,
                       const std::vector<std::string>& secrets_b,
                       const std::vector<std::string>& phones) {
  std::vector<std::string_view> secrets(secrets_a.begin(), secrets_a.end());
  secrets.insert(secrets.end(), secrets_b.begin(), secrets_b.end());
  // Secrets first: they may contain digits that the phone pass would otherwise half-mask.
  std::string out = RedactSecrets(text, std::move(secrets));
  out = RedactPhones(out, phones);
  return RedactStructure(out);
}

}  // namespace

std::string Redact(std::string_view text, const std::vector<std::string>& secrets,
                   const std::vector<std::string>& phone_numbers) {
  return RedactWith(text, secrets, {}, phone_numbers);
}

void RegisterSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  Registry& registry = GetRegistry();
  std::unique_lock lock(registry.mu);
  AddUnique(registry.secrets, secret);
}

void RegisterPhoneNumber(std::string_view phone_number) {
  if (DigitsOf(phone_number).size() < kMinPhoneDigits) return;
  Registry& registry = GetRegistry();
  std::unique_lock lock(registry.mu);
  AddUnique(registry.phone_numbers, phone_number);
}

std::string RedactKnown(std::string_view text, const std::vector<std::string>& extra_secrets,
                        const std::vector<std::string>& extra_phone_numbers) {
  Registry& registry = GetRegistry();
  std::shared_lock lock(registry.mu);
  std::vector<std::string> phones = registry.phone_numbers;
  phones.insert(phones.end(), extra_phone_numbers.begin(), extra_phone_numbers.end());
  return RedactWith(text, registry.secrets, extra_secrets, phones);
}

std::string MaskPhoneNumber(std::string_view phone_number) {
  size_t digits = 0;
  for (char c : phone_number) digits += IsDigit(c) ? 1 : 0;
  std::string out(phone_number);
  size_t seen = 0;
  for (char& c : out) {
    if (IsDigit(c) && seen++ + 4 < digits) c = '*';
  }
  return out;
}

}  // namespace rr
