// The three channels every end-to-end bench tool sends to: the loopback fakes of Dooray,
// Telegram and NHN SMS, named in the config by env: references so their secrets stay out of it.
#pragma once

#include <map>
#include <string>

#include "tests/fakes/fake_providers.h"

namespace rr::bench {

// The config's "channels" array.
inline constexpr const char* kThreeChannels = R"([
      {"name": "dooray", "type": "dooray", "url": "env:HOOK"},
      {"name": "telegram", "type": "telegram", "api_base": "env:TG_BASE", "bot_token": "env:TG",
       "chat_id": "-1001234567890"},
      {"name": "nhn_sms", "type": "nhn_sms", "api_base": "env:SMS_BASE", "app_key": "env:APP",
       "secret_key": "env:SECRET", "send_no": "0212345678", "recipients": ["01012345678"]}])";

// The environment those references read.
inline std::map<std::string, std::string> ThreeChannelsEnv(const FakeDooray& dooray,
                                                           const FakeTelegram& telegram,
                                                           const FakeNhnSms& sms) {
  return {{"HOOK", dooray.hook_url()},      {"TG", telegram.token()},
          {"TG_BASE", telegram.api_base()}, {"APP", sms.app_key()},
          {"SECRET", sms.secret_key()},     {"SMS_BASE", sms.api_base()}};
}

}  // namespace rr::bench
