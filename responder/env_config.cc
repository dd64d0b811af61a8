// The environment-only configuration: the variable names that existing Lambda handlers use,
// turned into an equivalent configuration document so that the file's validation applies.
#include "alarm/json.h"
#include "responder/config.h"

namespace rr {
namespace {

bool IsSet(const GetEnv& env, const std::string& name) {
  std::optional<std::string> v = env(name);
  return v && !v->empty();
}

void EnvRef(JsonWriter& w, const char* key, const std::string& variable) {
  WriteString(w, key, "env:" + variable);
}

}  // namespace

ConfigReport ConfigFromEnvironment(const GetEnv& env, const SecretResolver& ssm) {
  std::vector<std::string> problems;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("subjects");
  w.StartObject();
  w.Key("root-alert");
  w.StartObject();
  WriteString(w, "subject", "root 계정");
  WriteString(w, "severity", "critical");
  w.EndObject();
  w.EndObject();
  w.Key("channels");
  w.StartArray();
  if (IsSet(env, "DOORAY_HOOK_URL")) {
    w.StartObject();
    WriteString(w, "name", "dooray");
    WriteString(w, "type", "dooray");
    EnvRef(w, "url", "DOORAY_HOOK_URL");
    if (IsSet(env, "DEFAULT_BOT_NAME")) EnvRef(w, "bot_name", "DEFAULT_BOT_NAME");
    if (IsSet(env, "DEFAULT_BOT_ICON")) EnvRef(w, "bot_icon", "DEFAULT_BOT_ICON");
    w.EndObject();
  }
  bool token = IsSet(env, "TELEGRAM_BOT_TOKEN");
  bool chat = IsSet(env, "TELEGRAM_CHAT_ID");
  if (token && chat) {
    w.StartObject();
    WriteString(w, "name", "telegram");
    WriteString(w, "type", "telegram");
    EnvRef(w, "bot_token", "TELEGRAM_BOT_TOKEN");
    EnvRef(w, "chat_id", "TELEGRAM_CHAT_ID");
    if (IsSet(env, "TELEGRAM_API_BASE")) EnvRef(w, "api_base", "TELEGRAM_API_BASE");
    w.EndObject();
  } else if (token != chat) {
    problems.push_back(token ? "TELEGRAM_BOT_TOKEN is set but TELEGRAM_CHAT_ID is not"
                             : "TELEGRAM_CHAT_ID is set but TELEGRAM_BOT_TOKEN is not");
  }
  const char* kSms[] = {"SMS_APP_KEY", "SMS_SECRET_KEY", "SMS_SEND_NO"};
  int sms_set = 0;
  for (const char* name : kSms) sms_set += IsSet(env, name);
  if (sms_set == 3) {
    w.StartObject();
    WriteString(w, "name", "nhn_sms");
    WriteString(w, "type", "nhn_sms");
    EnvRef(w, "app_key", "SMS_APP_KEY");
    EnvRef(w, "secret_key", "SMS_SECRET_KEY");
    EnvRef(w, "send_no", "SMS_SEND_NO");
    if (IsSet(env, "SMS_API_BASE")) EnvRef(w, "api_base", "SMS_API_BASE");
    w.Key("recipients");
    w.StartArray();
    // Without SMS_RECIPIENTS the message goes to the sender number, as the old handlers did.
    std::string list = IsSet(env, "SMS_RECIPIENTS") ? *env("SMS_RECIPIENTS") : *env("SMS_SEND_NO");
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (!item.empty()) w.String(item.c_str());
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    w.EndArray();
    w.EndObject();
  } else if (sms_set > 0) {
    problems.push_back(
        "SMS needs all of SMS_APP_KEY, SMS_SECRET_KEY and SMS_SEND_NO; some are not set");
  }
  w.EndArray();
  w.EndObject();

  ConfigReport report =
      ParseConfig(std::string_view(buffer.GetString(), buffer.GetSize()), "environment", env, ssm);
  if (report.config.channels.empty()) {
    report.problems.clear();
    report.problems.push_back(
        "no channel configured: pass --config=FILE, or set DOORAY_HOOK_URL, "
        "TELEGRAM_BOT_TOKEN with TELEGRAM_CHAT_ID, or SMS_APP_KEY, SMS_SECRET_KEY and "
        "SMS_SEND_NO");
  }
  report.problems.insert(report.problems.end(), problems.begin(), problems.end());
  return report;
}

}  // namespace rr
