// libFuzzer target: any bytes through the same path `once --dry-run` takes (parse, filter,
// enrich, render for Dooray, Telegram and NHN SMS). It must never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "responder/channel_factory.h"
#include "responder/setup.h"

namespace {

rr::Setup* LoadSetupOnce() {
  static rr::Setup* setup = [] {
    auto env = [](const std::string& name) -> std::optional<std::string> {
      if (name == "FUZZ_HOOK") return "https://hook.dooray.com/services/1/2/fuzzfuzzfuzz";
      if (name == "FUZZ_TOKEN") return "123:fuzz";
      if (name == "FUZZ_KEY") return "fuzzkey";
      return std::nullopt;
    };
    const char* kConfig = R"({
      "accounts": {"111122223333": "prod"},
      "subjects": {"root-alert": {"subject": "root 계정", "severity": "critical"}},
      "notify_states": ["ALARM", "OK", "INSUFFICIENT_DATA"],
      "channels": [
        {"name": "d", "type": "dooray", "url": "env:FUZZ_HOOK"},
        {"name": "t", "type": "telegram", "bot_token": "env:FUZZ_TOKEN", "chat_id": "-100"},
        {"name": "s", "type": "nhn_sms", "app_key": "env:FUZZ_KEY", "secret_key": "env:FUZZ_KEY",
         "send_no": "0212345678", "recipients": ["01012345678"]}]})";
    auto* s = new rr::Setup();
    s->report = rr::ParseConfig(kConfig, "fuzz", env);
    rr::RenderContext ctx;
    ctx.time_zone = *rr::FindTimeZone("Asia/Seoul");
    s->dispatcher = std::make_unique<rr::Dispatcher>(s->report.config,
                                                     rr::BuildChannels(s->report.config), ctx);
    return s;
  }();
  return setup;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rr::Setup* setup = LoadSetupOnce();
  auto outcomes =
      setup->dispatcher->DryRun(std::string_view(reinterpret_cast<const char*>(data), size));
  for (const auto& o : outcomes) (void)rr::OutcomeToJson(o);
  return 0;
}
