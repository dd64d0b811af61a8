#include "responder/config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "alarm/json.h"
#include "responder/loopback_host.h"

namespace rr {
namespace {

enum class Kind { kString, kUrl, kSecretUrl, kSecret, kChatId, kPhone, kPhoneList, kInteger };

struct SettingSpec {
  std::string_view key;
  Kind kind;
  bool required;
};

struct ChannelSchema {
  std::string_view type;
  std::vector<SettingSpec> settings;
};

const std::vector<ChannelSchema>& ChannelSchemas() {
  static const std::vector<ChannelSchema> kSchemas = {
      {"dooray",
       {{"url", Kind::kSecretUrl, true},
        {"bot_name", Kind::kString, false},
        {"bot_icon", Kind::kUrl, false}}},
      {"telegram",
       {{"api_base", Kind::kUrl, false},
        {"bot_token", Kind::kSecret, true},
        {"chat_id", Kind::kChatId, true},
        {"message_thread_id", Kind::kInteger, false}}},
      {"nhn_sms",
       {{"api_base", Kind::kUrl, false},
        {"app_key", Kind::kSecret, true},
        {"secret_key", Kind::kSecret, true},
        {"send_no", Kind::kPhone, true},
        {"recipients", Kind::kPhoneList, true}}},
  };
  return kSchemas;
}

const ChannelSchema* FindSchema(std::string_view type) {
  for (const auto& schema : ChannelSchemas()) {
    if (schema.type == type) return &schema;
  }
  return nullptr;
}

std::string TypeList() {
  std::string out;
  for (const auto& schema : ChannelSchemas()) {
    if (!out.empty()) out += ", ";
    out += schema.type;
  }
  return out;
}

// A literal loopback address, parsed; "127.0.0.1.evil.example" must not pass.
// https, or http to a loopback address (the fake providers in tests, a local gateway).
std::optional<std::string> UrlProblem(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
    std::string_view host = rest.substr(0, rest.find_first_of(":/"));
    if (host.starts_with("[")) host = rest.substr(0, rest.find(']') + 1);
    if (!IsLoopbackAddress(host)) return "must use https (plain http is allowed only to loopback)";
  } else {
    return "must be an https:// URL";
  }
  if (rest.empty() || rest.front() == '/') return "has no host";
  return std::nullopt;
}

std::string NormalisePhone(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '-' && c != ' ') out.push_back(c);
  }
  return out;
}

bool IsPhone(std::string_view text) {
  if (text.size() < 3 || text.size() > 20) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsChatId(std::string_view text) {
  if (text.starts_with("@")) return text.size() > 1;
  std::string_view digits = text.starts_with("-") ? text.substr(1) : text;
  return !digits.empty() && digits.size() <= 19 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ReadSecretFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *ok = false;
    return {};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string value = buffer.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
  *ok = true;
  return value;
}

// An SSM parameter name, path or ARN, with an optional ":version" or ":label".
bool IsSsmName(std::string_view name) {
  return !name.empty() && name.size() <= 2048 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
           c == '/' || c == ':';
  });
}

class ConfigParser {
 public:
  ConfigParser(const GetEnv& env, const SecretResolver& ssm, ConfigReport* report)
      : env_(env), ssm_(ssm), report_(report) {}

  void Parse(const JsonValue& root) {
    if (!root.IsObject()) {
      Problem("",
              "the configuration must be a JSON object, got " + std::string(JsonTypeName(root)));
      return;
    }
    static const std::set<std::string_view> kKnown = {"timezone",      "accounts", "subjects",
                                                      "notify_states", "channels", "escalation",
                                                      "ack",           "retry",    "http"};
    for (auto it = root.MemberBegin(); it != root.MemberEnd(); ++it) {
      std::string_view key = AsView(it->name);
      if (!kKnown.count(key)) {
        Problem(std::string(key),
                "unknown key (known: timezone, accounts, subjects, "
                "notify_states, channels, escalation, ack, retry, http)");
      }
    }
    Config& c = report_->config;
    if (const JsonValue* v = Member(root, "timezone")) {
      if (ExpectString(*v, "timezone")) c.timezone = std::string(AsView(*v));
    }
    if (const JsonValue* v = Member(root, "accounts")) Accounts(*v);
    if (const JsonValue* v = Member(root, "subjects")) Subjects(*v);
    if (const JsonValue* v = Member(root, "notify_states")) NotifyStates(*v);
    // http first: the SSM lookup goes through its CA bundle and proxy.
    if (const JsonValue* v = Member(root, "http")) Http(*v);
    if (const JsonValue* v = Member(root, "channels")) {
      LookUpSsmReferences(*v, Member(root, "ack"));
      Channels(*v);
    } else {
      Problem("channels", "missing: configure at least one channel");
    }
    if (const JsonValue* v = Member(root, "retry")) Retry(*v);
    if (const JsonValue* v = Member(root, "escalation")) {
      Escalation(*v);
    } else {
      DefaultTiers();
    }
    if (const JsonValue* v = Member(root, "ack")) Ack(*v);
  }

  void Problem(const std::string& path, const std::string& what) {
    report_->problems.push_back(path.empty() ? what : path + ": " + what);
  }

 private:
  static const JsonValue* Member(const JsonValue& object, const char* key) {
    auto it = object.FindMember(key);
    return it == object.MemberEnd() ? nullptr : &it->value;
  }

  bool ExpectString(const JsonValue& v, const std::string& path) {
    if (v.IsString()) return true;
    Problem(path, "expected string, got " + std::string(JsonTypeName(v)));
    return false;
  }

  bool ExpectObject(const JsonValue& v, const std::string& path) {
    if (v.IsObject()) return true;
    Problem(path, "expected object, got " + std::string(JsonTypeName(v)));
    return false;
  }

  void Accounts(const JsonValue& v) {
    if (!ExpectObject(v, "accounts")) return;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string id(AsView(it->name));
      std::string path = "accounts." + id;
      if (id.size() != 12 || !std::all_of(id.begin(), id.end(), ::isdigit)) {
        Problem(path, "an account id has 12 digits");
      }
      if (ExpectString(it->value, path)) report_->config.accounts[id] = AsView(it->value);
    }
  }

  void Subjects(const JsonValue& v) {
    if (!ExpectObject(v, "subjects")) return;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string name(AsView(it->name));
      std::string path = "subjects." + name;
      SubjectRule rule;
      if (it->value.IsString()) {  // shorthand: "root-alert": "root 계정"
        rule.subject = AsView(it->value);
        report_->config.subjects[name] = rule;
        continue;
      }
      if (!ExpectObject(it->value, path)) continue;
      for (auto f = it->value.MemberBegin(); f != it->value.MemberEnd(); ++f) {
        std::string_view key = AsView(f->name);
        std::string fpath = path + "." + std::string(key);
        if (key == "subject") {
          if (ExpectString(f->value, fpath)) rule.subject = AsView(f->value);
        } else if (key == "severity") {
          if (!ExpectString(f->value, fpath)) continue;
          rule.severity = SeverityFromString(AsView(f->value));
          if (!rule.severity) Problem(fpath, "must be critical, high, warning or info");
        } else if (key == "escalate_immediately") {
          if (f->value.IsBool()) {
            rule.escalate_immediately = f->value.GetBool();
          } else {
            Problem(fpath, "expected true or false, got " + std::string(JsonTypeName(f->value)));
          }
        } else {
          Problem(fpath, "unknown key (known: subject, severity, escalate_immediately)");
        }
      }
      if (rule.subject.empty()) rule.subject = name;
      report_->config.subjects[name] = rule;
    }
  }

  void NotifyStates(const JsonValue& v) {
    if (!v.IsArray()) {
      Problem("notify_states", "expected array, got " + std::string(JsonTypeName(v)));
      return;
    }
    std::vector<std::string> states;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string path = "notify_states[" + std::to_string(i) + "]";
      if (!ExpectString(v[i], path)) continue;
      std::string state(AsView(v[i]));
      if (state != "ALARM" && state != "OK" && state != "INSUFFICIENT_DATA") {
        Problem(path, "must be ALARM, OK or INSUFFICIENT_DATA");
      }
      states.push_back(state);
    }
    report_->config.notify_states = states;
  }

  // The SSM parameter name a value refers to: "ssm:NAME", or "env:VAR" with VAR="ssm:NAME".
  std::optional<std::string> SsmReference(std::string_view raw) const {
    if (raw.starts_with("ssm:")) return std::string(raw.substr(4));
    if (raw.starts_with("env:")) {
      std::optional<std::string> value = env_(std::string(raw.substr(4)));
      if (value && value->starts_with("ssm:")) return value->substr(4);
    }
    return std::nullopt;
  }

  void CollectSsmNames(const JsonValue& v, std::set<std::string>* names) const {
    if (v.IsString()) {
      std::optional<std::string> name = SsmReference(AsView(v));
      if (name && IsSsmName(*name)) names->insert(*name);
    } else if (v.IsArray()) {
      for (const JsonValue& item : v.GetArray()) CollectSsmNames(item, names);
    } else if (v.IsObject()) {
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) CollectSsmNames(it->value, names);
    }
  }

  // One lookup for every ssm: reference among the channels (and the ack secret), before any is
  // needed.
  void LookUpSsmReferences(const JsonValue& channels, const JsonValue* ack) {
    std::set<std::string> names;
    CollectSsmNames(channels, &names);
    if (ack) CollectSsmNames(*ack, &names);
    if (names.empty() || !ssm_) return;
    ssm_found_ = ssm_(std::vector<std::string>(names.begin(), names.end()), report_->config.http);
  }

  std::optional<std::string> ResolveSsm(const std::string& name, const std::string& path) {
    if (!IsSsmName(name)) {
      Problem(path, "\"ssm:" + name +
                        "\" does not name an SSM parameter (e.g. "
                        "ssm:/root-responder/telegram-bot-token)");
      return std::nullopt;
    }
    if (!ssm_) {
      Problem(path, "ssm:" + name + " cannot be resolved here (no SSM access)");
      return std::nullopt;
    }
    if (auto it = ssm_found_.values.find(name); it != ssm_found_.values.end()) {
      if (it->second.empty()) {
        Problem(path, "SSM parameter " + name + " is empty");
        return std::nullopt;
      }
      return it->second;
    }
    auto missing = ssm_found_.missing.find(name);
    Problem(path, "SSM parameter " + name + " " +
                      (missing != ssm_found_.missing.end() ? missing->second
                       : ssm_found_.failure.empty()        ? std::string("was not returned")
                                                    : "could not be read: " + ssm_found_.failure));
    return std::nullopt;
  }

  // "env:NAME", "file:/path", "ssm:NAME" or a literal. Literal secrets work, with a warning.
  std::optional<std::string> Resolve(const std::string& raw, const std::string& path, bool secret) {
    if (raw.starts_with("env:")) {
      std::string name = raw.substr(4);
      std::optional<std::string> value = env_(name);
      if (!value || value->empty()) {
        Problem(path, "environment variable " + name + " is not set");
        return std::nullopt;
      }
      if (value->starts_with("ssm:")) return ResolveSsm(value->substr(4), path);
      return value;
    }
    if (raw.starts_with("ssm:")) return ResolveSsm(raw.substr(4), path);
    if (raw.starts_with("file:")) {
      bool ok = false;
      std::string value = ReadSecretFile(raw.substr(5), &ok);
      if (!ok) {
        Problem(path, "cannot read " + raw.substr(5));
        return std::nullopt;
      }
      if (value.empty()) {
        Problem(path, raw.substr(5) + " is empty");
        return std::nullopt;
      }
      return value;
    }
    if (secret) {
      report_->warnings.push_back(path +
                                  ": a literal secret in the configuration file; prefer "
                                  "\"env:NAME\" or \"file:/path\"");
    }
    return raw;
  }

  void Channels(const JsonValue& v) {
    if (!v.IsArray()) {
      Problem("channels", "expected array, got " + std::string(JsonTypeName(v)));
      return;
    }
    if (v.Empty()) Problem("channels", "empty: configure at least one channel");
    std::set<std::string> names;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string path = "channels[" + std::to_string(i) + "]";
      if (!ExpectObject(v[i], path)) continue;
      ChannelEntry entry;
      const JsonValue* name = Member(v[i], "name");
      const JsonValue* type = Member(v[i], "type");
      if (!name) {
        Problem(path + ".name", "missing");
      } else if (ExpectString(*name, path + ".name")) {
        entry.name = AsView(*name);
        if (!names.insert(entry.name).second) {
          Problem(path + ".name", "\"" + entry.name + "\" is used by another channel");
        }
      }
      const ChannelSchema* schema = nullptr;
      if (!type) {
        Problem(path + ".type", "missing (one of " + TypeList() + ")");
      } else if (ExpectString(*type, path + ".type")) {
        entry.type = AsView(*type);
        schema = FindSchema(entry.type);
        if (!schema)
          Problem(path + ".type",
                  "unknown type \"" + entry.type + "\" (one of " + TypeList() + ")");
      }
      if (schema) ChannelSettings(v[i], *schema, path, &entry);
      report_->config.channels.push_back(std::move(entry));
    }
  }

  void ChannelSettings(const JsonValue& object, const ChannelSchema& schema,
                       const std::string& path, ChannelEntry* entry) {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      std::string_view key = AsView(it->name);
      if (key == "name" || key == "type") continue;
      bool known = std::any_of(schema.settings.begin(), schema.settings.end(),
                               [&](const SettingSpec& s) { return s.key == key; });
      if (!known) {
        std::string list;
        for (const auto& s : schema.settings)
          list += (list.empty() ? "" : ", ") + std::string(s.key);
        Problem(path + "." + std::string(key),
                "unknown key for a " + entry->type + " channel (known: " + list + ")");
      }
    }
    for (const SettingSpec& spec : schema.settings) {
      std::string key(spec.key);
      std::string spath = path + "." + key;
      const JsonValue* v = Member(object, key.c_str());
      if (!v || v->IsNull()) {
        if (spec.required) Problem(spath, "missing");
        continue;
      }
      if (spec.kind == Kind::kInteger) {
        if (!v->IsInt64()) {
          Problem(spath, "expected integer, got " + std::string(JsonTypeName(*v)));
        } else {
          entry->settings[key] = std::to_string(v->GetInt64());
        }
        continue;
      }
      if (spec.kind == Kind::kPhoneList) {
        PhoneList(*v, spath, key, entry);
        continue;
      }
      if (spec.kind == Kind::kChatId && v->IsInt64()) {  // chat ids are often written as numbers
        entry->settings[key] = std::to_string(v->GetInt64());
        continue;
      }
      if (!ExpectString(*v, spath)) continue;
      bool secret = spec.kind == Kind::kSecret || spec.kind == Kind::kSecretUrl;
      std::optional<std::string> value = Resolve(std::string(AsView(*v)), spath, secret);
      if (!value) continue;
      switch (spec.kind) {
        case Kind::kUrl:
        case Kind::kSecretUrl:
          if (auto problem = UrlProblem(*value)) {
            Problem(spath, *problem);
            continue;
          }
          break;
        case Kind::kChatId:
          if (!IsChatId(*value)) {
            Problem(spath, "must be a numeric chat id (e.g. -1001234567890) or @channelname");
            continue;
          }
          break;
        case Kind::kPhone:
          *value = NormalisePhone(*value);
          if (!IsPhone(*value)) {
            Problem(spath, "must be a phone number of digits (dashes allowed)");
            continue;
          }
          entry->phone_numbers.push_back(*value);
          break;
        default:
          break;
      }
      if (secret) entry->secrets.push_back(*value);
      if (spec.kind == Kind::kSecretUrl) {
        // The token at the end of a hook URL is quoted alone in errors and logs.
        std::string_view url = *value;
        while (!url.empty() && url.back() == '/') url.remove_suffix(1);
        std::string_view last = url.substr(url.rfind('/') + 1);
        if (last.size() >= 8) entry->secrets.emplace_back(last);
      }
      entry->settings[key] = *value;
    }
  }

  void PhoneList(const JsonValue& v, const std::string& path, const std::string& key,
                 ChannelEntry* entry) {
    if (!v.IsArray()) {
      Problem(path, "expected array of phone numbers, got " + std::string(JsonTypeName(v)));
      return;
    }
    if (v.Empty()) Problem(path, "empty: list at least one phone number");
    std::vector<std::string>& out = entry->lists[key];
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string ipath = path + "[" + std::to_string(i) + "]";
      if (!ExpectString(v[i], ipath)) continue;
      std::optional<std::string> value = Resolve(std::string(AsView(v[i])), ipath, false);
      if (!value) continue;
      std::string phone = NormalisePhone(*value);
      if (!IsPhone(phone)) {
        Problem(ipath, "must be a phone number of digits (dashes allowed)");
        continue;
      }
      entry->phone_numbers.push_back(phone);
      out.push_back(phone);
    }
  }

  void Retry(const JsonValue& v) {
    if (!ExpectObject(v, "retry")) return;
    RetryConfig& r = report_->config.retry;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key = AsView(it->name);
      std::string path = "retry." + std::string(key);
      const JsonValue& value = it->value;
      if (key == "max_attempts") {
        if (!value.IsInt() || value.GetInt() < 1 || value.GetInt() > 20) {
          Problem(path, "must be an integer from 1 to 20");
        } else {
          r.max_attempts = value.GetInt();
        }
        continue;
      }
      double* target = key == "base_seconds"       ? &r.base_seconds
                       : key == "cap_seconds"      ? &r.cap_seconds
                       : key == "deadline_seconds" ? &r.deadline_seconds
                                                   : nullptr;
      if (!target) {
        Problem(path,
                "unknown key (known: base_seconds, cap_seconds, max_attempts, "
                "deadline_seconds)");
      } else if (!value.IsNumber() || value.GetDouble() <= 0 || value.GetDouble() > 3600) {
        Problem(path, "must be a number of seconds above 0 and at most 3600");
      } else {
        *target = value.GetDouble();
      }
    }
    if (r.cap_seconds < r.base_seconds) Problem("retry.cap_seconds", "is below base_seconds");
  }

  void Http(const JsonValue& v) {
    if (!ExpectObject(v, "http")) return;
    HttpConfig& h = report_->config.http;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key = AsView(it->name);
      std::string path = "http." + std::string(key);
      const JsonValue& value = it->value;
      if (key == "ca_bundle" || key == "proxy") {
        if (!ExpectString(value, path)) continue;
        std::string text(AsView(value));
        if (key == "ca_bundle") {
          bool readable = false;
          ReadSecretFile(text, &readable);
          if (!readable) Problem(path, "cannot read " + text);
          h.ca_bundle = text;
        } else {
          h.proxy = text;
        }
      } else if (key == "connect_timeout_seconds" || key == "timeout_seconds") {
        if (!value.IsNumber() || value.GetDouble() <= 0 || value.GetDouble() > 300) {
          Problem(path, "must be a number of seconds above 0 and at most 300");
        } else {
          (key == "timeout_seconds" ? h.timeout_seconds : h.connect_timeout_seconds) =
              value.GetDouble();
        }
      } else {
        Problem(path,
                "unknown key (known: ca_bundle, proxy, connect_timeout_seconds, "
                "timeout_seconds)");
      }
    }
  }

  // A whole number in [min, max], or a problem naming the path.
  std::optional<int> IntIn(const JsonValue& v, const std::string& path, int min, int max) {
    if (!v.IsInt() || v.GetInt() < min || v.GetInt() > max) {
      Problem(path,
              "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return v.GetInt();
  }

  std::optional<bool> Bool(const JsonValue& v, const std::string& path) {
    if (v.IsBool()) return v.GetBool();
    Problem(path, "expected true or false, got " + std::string(JsonTypeName(v)));
    return std::nullopt;
  }

  void Escalation(const JsonValue& v) {
    if (!ExpectObject(v, "escalation")) return;
    const JsonValue* tiers = nullptr;
    EscalationSettings& e = report_->config.escalation;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key = AsView(it->name);
      const std::string path = "escalation." + std::string(key);
      const JsonValue& value = it->value;
      if (key == "tiers") {
        tiers = &value;
      } else if (key == "repeat_seconds") {
        // Under a minute would be a storm; a week is as good as never.
        if (value.IsInt() && value.GetInt() == 0) {
          e.repeat_seconds = 0;
        } else if (auto n = IntIn(value, path + " (or 0 for no repeats)", 60, 7 * 24 * 3600)) {
          e.repeat_seconds = *n;
        }
      } else if (key == "max_repeats") {
        if (auto n = IntIn(value, path, 0, 20)) e.max_repeats = *n;
      } else if (key == "correlation_window_seconds") {
        if (auto n = IntIn(value, path, 0, 24 * 3600)) e.correlation_window_seconds = *n;
      } else if (key == "root_alarms") {
        if (!value.IsArray()) {
          Problem(path, "expected array of alarm names, got " + std::string(JsonTypeName(value)));
          continue;
        }
        e.root_alarms.clear();
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
          if (ExpectString(value[i], path + "[" + std::to_string(i) + "]")) {
            e.root_alarms.emplace_back(AsView(value[i]));
          }
        }
      } else if (key == "resolved_to_sms") {
        if (auto b = Bool(value, path)) e.resolved_to_sms = *b;
      } else if (key == "lambda_delayed_tiers") {
        if (value.IsString() && (AsView(value) == "send" || AsView(value) == "skip")) {
          e.lambda_sends_delayed_tiers = AsView(value) == "send";
        } else {
          Problem(path, "must be \"send\" (every tier at once) or \"skip\" (tier 0 only)");
        }
      } else {
        Problem(path,
                "unknown key (known: tiers, repeat_seconds, max_repeats, "
                "correlation_window_seconds, root_alarms, resolved_to_sms, "
                "lambda_delayed_tiers)");
      }
    }
    if (!tiers) {
      DefaultTiers();
      return;
    }
    if (!tiers->IsArray() || tiers->Empty()) {
      Problem("escalation.tiers", "expected a non-empty array of {channels, after_seconds}");
      return;
    }
    std::set<std::string> placed;
    for (rapidjson::SizeType i = 0; i < tiers->Size(); ++i) {
      std::string path = "escalation.tiers[" + std::to_string(i) + "]";
      const JsonValue& t = (*tiers)[i];
      if (!ExpectObject(t, path)) continue;
      EscalationTier tier;
      for (auto it = t.MemberBegin(); it != t.MemberEnd(); ++it) {
        std::string_view key = AsView(it->name);
        std::string kpath = path + "." + std::string(key);
        if (key == "after_seconds") {
          if (!it->value.IsInt() || it->value.GetInt() < 0) {
            Problem(kpath, "must be a whole number of seconds, 0 or more");
          } else {
            tier.after_seconds = it->value.GetInt();
          }
        } else if (key == "channels") {
          if (!it->value.IsArray()) {
            Problem(kpath, "expected array of channel names");
            continue;
          }
          for (rapidjson::SizeType j = 0; j < it->value.Size(); ++j) {
            std::string cpath = kpath + "[" + std::to_string(j) + "]";
            if (!ExpectString(it->value[j], cpath)) continue;
            std::string name(AsView(it->value[j]));
            if (!HasChannel(name)) Problem(cpath, "no channel is named \"" + name + "\"");
            if (!placed.insert(name).second) Problem(cpath, "\"" + name + "\" is in two tiers");
            tier.channels.push_back(name);
          }
        } else {
          Problem(kpath, "unknown key (known: channels, after_seconds)");
        }
      }
      report_->config.tiers.push_back(std::move(tier));
    }
    for (const ChannelEntry& c : report_->config.channels) {
      if (!c.name.empty() && !placed.count(c.name)) {
        Problem("escalation.tiers", "channel \"" + c.name + "\" is in no tier");
      }
    }
  }

  bool HasChannel(const std::string& name) const {
    const auto& channels = report_->config.channels;
    return std::any_of(channels.begin(), channels.end(),
                       [&](const ChannelEntry& c) { return c.name == name; });
  }

  void Ack(const JsonValue& v) {
    if (!ExpectObject(v, "ack")) return;
    AckConfig& a = report_->config.ack;
    bool has_secret = false;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string_view key = AsView(it->name);
      const std::string path = "ack." + std::string(key);
      const JsonValue& value = it->value;
      if (key == "base_url") {
        if (!ExpectString(value, path)) continue;
        std::string url(AsView(value));
        while (url.ends_with("/")) url.pop_back();
        if (auto why = UrlProblem(url)) {
          Problem(path, *why);
        } else {
          a.base_url = url;
        }
      } else if (key == "secret") {
        has_secret = true;
        if (!ExpectString(value, path)) continue;
        std::optional<std::string> secret = Resolve(std::string(AsView(value)), path, true);
        if (!secret) continue;
        // HMAC-SHA256 keys shorter than the hash weaken it; ask for 32 bytes or more.
        if (secret->size() < 32) {
          Problem(path, "too short: use at least 32 random bytes (e.g. openssl rand -hex 32)");
          continue;
        }
        a.secret = *secret;
      } else if (key == "link_ttl_seconds") {
        if (auto n = IntIn(value, path, 300, 30 * 24 * 3600)) a.link_ttl_seconds = *n;
      } else if (key == "telegram_user_ids") {
        if (!value.IsArray()) {
          Problem(path, "expected array of Telegram user ids (numbers), got " +
                            std::string(JsonTypeName(value)));
          continue;
        }
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
          if (value[i].IsInt64() && value[i].GetInt64() > 0) {
            a.telegram_user_ids.push_back(value[i].GetInt64());
          } else {
            Problem(path + "[" + std::to_string(i) + "]", "must be a Telegram user id (a number)");
          }
        }
      } else {
        Problem(path, "unknown key (known: base_url, secret, link_ttl_seconds, telegram_user_ids)");
      }
    }
    if (!has_secret && (!a.base_url.empty() || !a.telegram_user_ids.empty())) {
      Problem("ack.secret",
              "missing: links and buttons are signed with it (e.g. \"env:ACK_SECRET\")");
    }
    if (!a.telegram_user_ids.empty() &&
        std::none_of(report_->config.channels.begin(), report_->config.channels.end(),
                     [](const ChannelEntry& c) { return c.type == "telegram"; })) {
      Problem("ack.telegram_user_ids", "set, but no channel is of type telegram");
    }
  }

  // Chat at once, SMS five minutes later when nobody has acknowledged (issue "Escalation").
  void DefaultTiers() {
    EscalationTier chat, sms;
    sms.after_seconds = 300;
    for (const ChannelEntry& c : report_->config.channels) {
      (c.IsChat() ? chat : sms).channels.push_back(c.name);
    }
    auto& tiers = report_->config.tiers;
    tiers.clear();
    if (!chat.channels.empty()) tiers.push_back(chat);
    if (!sms.channels.empty()) tiers.push_back(sms);
  }

  const GetEnv& env_;
  const SecretResolver& ssm_;
  SecretLookup ssm_found_;
  ConfigReport* report_;
};

}  // namespace

std::string ChannelEntry::Setting(const std::string& key) const {
  auto it = settings.find(key);
  return it == settings.end() ? std::string() : it->second;
}

const ChannelEntry* Config::FindChannel(const std::string& name) const {
  for (const ChannelEntry& c : channels) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

int Config::TierOf(const std::string& channel_name) const {
  for (size_t i = 0; i < tiers.size(); ++i) {
    const auto& names = tiers[i].channels;
    if (std::find(names.begin(), names.end(), channel_name) != names.end()) {
      return static_cast<int>(i);
    }
  }
  return 0;
}

GetEnv ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

ConfigReport ParseConfig(std::string_view text, const std::string& source, const GetEnv& env,
                         const SecretResolver& ssm) {
  ConfigReport report;
  JsonDocument doc;
  JsonLimits limits;
  limits.max_bytes = 1024 * 1024;
  Status status = ParseJson(text, limits, source, &doc);
  if (!status.ok()) {
    report.problems.push_back(status.message());
    return report;
  }
  ConfigParser(env, ssm, &report).Parse(doc);
  return report;
}

ConfigReport LoadConfigFile(const std::string& path, const GetEnv& env, const SecretResolver& ssm) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ConfigReport report;
    report.problems.push_back(path + ": cannot open the configuration file");
    return report;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseConfig(buffer.str(), path, env, ssm);
}

}  // namespace rr
