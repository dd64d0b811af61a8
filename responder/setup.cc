#include "responder/setup.h"

#include <date/tz.h>

#include "channels/redact.h"
#include "responder/channel_factory.h"
#include "responder/ssm_secrets.h"

namespace rr {

std::optional<DisplayZone> FindTimeZone(const std::string& name) {
  try {
    return DisplayZone(date::locate_zone(name));
  } catch (const std::exception&) {
    // The tz library reports an unknown zone, or a system without tzdb, by throwing.
  }
  using std::chrono::hours;
  static const struct {
    const char* name;
    hours offset;
    const char* abbrev;
  } kFixed[] = {
      {"UTC", hours(0), "UTC"},           {"Etc/UTC", hours(0), "UTC"},
      {"Asia/Seoul", hours(9), "KST"},    {"Asia/Tokyo", hours(9), "JST"},
      {"Asia/Shanghai", hours(8), "CST"}, {"Asia/Singapore", hours(8), "+08"},
  };
  for (const auto& zone : kFixed) {
    if (name == zone.name) return DisplayZone(zone.offset, zone.abbrev);
  }
  return std::nullopt;
}

Setup LoadSetup(const std::string& config_path, const GetEnv& env) {
  return LoadSetup(config_path, env, MakeSsmSecretResolver(env));
}

Setup LoadSetup(const std::string& config_path, const GetEnv& env, const SecretResolver& ssm) {
  Setup setup;
  setup.source = config_path.empty() ? "environment" : config_path;
  setup.report =
      config_path.empty() ? ConfigFromEnvironment(env, ssm) : LoadConfigFile(config_path, env, ssm);
  for (const ChannelEntry& c : setup.report.config.channels) {
    for (const std::string& s : c.secrets) RegisterSecret(s);
    for (const std::string& p : c.phone_numbers) RegisterPhoneNumber(p);
  }
  if (!setup.report.config.ack.secret.empty()) RegisterSecret(setup.report.config.ack.secret);
  std::optional<DisplayZone> tz = FindTimeZone(setup.report.config.timezone);
  if (!tz) {
    setup.report.problems.push_back("timezone: \"" + setup.report.config.timezone +
                                    "\" is not an IANA time zone name known to this system "
                                    "(e.g. Asia/Seoul, UTC)");
  }
  if (!setup.report.ok()) return setup;
  RenderContext ctx;
  ctx.time_zone = *tz;
  setup.dispatcher =
      std::make_unique<Dispatcher>(setup.report.config, BuildChannels(setup.report.config), ctx);
  return setup;
}

}  // namespace rr
