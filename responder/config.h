// The configuration (DESIGN.md, "Configuration file"), from a JSON file or, without one, from
// the environment variables existing Lambda handlers use. Loading reports every problem at once.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alarm/alert.h"

namespace rr {

struct SubjectRule {
  std::string subject;
  std::optional<Severity> severity;
  bool escalate_immediately = false;  // every tier at once, without waiting for an ack
};

// One configured channel. Settings are already resolved (env:/file:/ssm: read); which keys exist
// depends on the type (see kChannelSchemas in config.cc).
struct ChannelEntry {
  std::string name;
  std::string type;  // dooray, telegram, nhn_sms
  std::map<std::string, std::string> settings;
  std::map<std::string, std::vector<std::string>> lists;  // nhn_sms recipients
  // Values that must never be shown, and phone numbers (shown by their last four digits).
  std::vector<std::string> secrets;
  std::vector<std::string> phone_numbers;

  std::string Setting(const std::string& key) const;
  bool IsChat() const { return type != "nhn_sms"; }
};

struct EscalationTier {
  std::vector<std::string> channels;
  int after_seconds = 0;
};

// What the daemon does around the tiers (the Lambda runtime and `once` keep no state between
// payloads, so only lambda_sends_delayed_tiers applies to them).
struct EscalationSettings {
  int repeat_seconds = 600;  // re-page the current tier while an alarm fires unacknowledged; 0: off
  int max_repeats = 3;
  // An alarm and a root event for one account this close together are one incident; 0: off.
  int correlation_window_seconds = 900;
  // Alarms that mean "root was used" and so correlate with root events, besides alarms on the
  // CIS metric RootAccountUsageCount.
  std::vector<std::string> root_alarms = {"root-alert"};
  bool resolved_to_sms = false;            // "resolved" notices go to chat only unless set
  bool lambda_sends_delayed_tiers = true;  // Lambda/once: tiers with a delay go at once, or not
};

// Acknowledgement: signed links in chat messages and a Telegram button (daemon only).
struct AckConfig {
  std::string base_url;  // where people reach the daemon's /ack/ route; empty: no links
  std::string secret;    // HMAC key for links and buttons; resolved like channel secrets
  int link_ttl_seconds = 24 * 3600;
  std::vector<int64_t> telegram_user_ids;  // who may press the button; empty: no button

  bool links() const { return !base_url.empty() && !secret.empty(); }
  bool telegram_button() const { return !telegram_user_ids.empty() && !secret.empty(); }
};

struct RetryConfig {
  double base_seconds = 1;
  double cap_seconds = 20;
  int max_attempts = 5;
  double deadline_seconds = 60;
};

// How the one HTTP client talks to the services. TLS verification is always on.
struct HttpConfig {
  std::string ca_bundle;  // PEM file of trusted CAs; empty: the system's bundle
  std::string proxy;      // explicit only; *_proxy environment variables are ignored
  double connect_timeout_seconds = 5;
  double timeout_seconds = 15;
};

struct Config {
  std::string timezone = "Asia/Seoul";
  std::map<std::string, std::string> accounts;
  std::map<std::string, SubjectRule> subjects;
  std::vector<std::string> notify_states = {"ALARM"};
  std::vector<ChannelEntry> channels;
  std::vector<EscalationTier> tiers;
  EscalationSettings escalation;
  AckConfig ack;
  RetryConfig retry;
  HttpConfig http;

  // The tier a channel belongs to (0 when tiers are not configured for it).
  int TierOf(const std::string& channel_name) const;
  const ChannelEntry* FindChannel(const std::string& name) const;
};

struct ConfigReport {
  Config config;
  std::vector<std::string> problems;  // any problem means the config must not be used
  std::vector<std::string> warnings;  // e.g. a literal secret in the file
  bool ok() const { return problems.empty(); }
};

using GetEnv = std::function<std::optional<std::string>(const std::string&)>;
GetEnv ProcessEnv();

// The answer to a batch of "ssm:NAME" references.
struct SecretLookup {
  std::map<std::string, std::string> values;   // name -> value
  std::map<std::string, std::string> missing;  // name -> why it has no value (never a value)
  std::string failure;  // why the whole lookup failed (no region, no credentials, ...)
};
// Looks up every "ssm:NAME" of a configuration at once, so start-up pays one round trip. Gets
// the configuration's http settings (CA bundle, proxy, timeouts) for its own client. Parsing
// stays pure: the real resolver (ssm_secrets.h) is wired in by LoadSetup.
using SecretResolver =
    std::function<SecretLookup(const std::vector<std::string>& names, const HttpConfig& http)>;

// Parses a configuration file's text. `source` names it in messages. Secret values may be
// "env:NAME", "file:/path", or "ssm:NAME" (an SSM parameter, looked up through `ssm`; also when
// an env: variable holds "ssm:NAME"). Without `ssm`, an ssm: reference is a problem.
ConfigReport ParseConfig(std::string_view text, const std::string& source, const GetEnv& env,
                         const SecretResolver& ssm = nullptr);
// Reads and parses the file at `path`.
ConfigReport LoadConfigFile(const std::string& path, const GetEnv& env,
                            const SecretResolver& ssm = nullptr);
// The environment-only mode: DOORAY_HOOK_URL, TELEGRAM_BOT_TOKEN, SMS_APP_KEY, ... Any of them
// may hold "ssm:NAME" (TELEGRAM_BOT_TOKEN=ssm:/root-responder/telegram-bot-token).
ConfigReport ConfigFromEnvironment(const GetEnv& env, const SecretResolver& ssm = nullptr);

}  // namespace rr
