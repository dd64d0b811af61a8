#include "responder/channel_factory.h"

#include "channels/dooray.h"
#include "channels/nhn_sms.h"
#include "channels/telegram.h"

namespace rr {
namespace {

// Copies a setting only when the configuration gave it, so the channel's default stands.
void Set(const ChannelEntry& e, const std::string& key, std::string* target) {
  auto it = e.settings.find(key);
  if (it != e.settings.end()) *target = it->second;
}

}  // namespace

TelegramConfig TelegramConfigOf(const ChannelEntry& e) {
  TelegramConfig c;
  c.name = e.name;
  Set(e, "api_base", &c.api_base);
  Set(e, "bot_token", &c.bot_token);
  Set(e, "chat_id", &c.chat_id);
  if (auto it = e.settings.find("message_thread_id"); it != e.settings.end()) {
    c.message_thread_id = std::stoll(it->second);
  }
  return c;
}

std::unique_ptr<Channel> BuildChannel(const ChannelEntry& e) {
  if (e.type == "dooray") {
    DoorayConfig c;
    c.name = e.name;
    Set(e, "url", &c.url);
    Set(e, "bot_name", &c.bot_name);
    Set(e, "bot_icon", &c.bot_icon);
    return std::make_unique<DoorayChannel>(std::move(c));
  }
  if (e.type == "telegram") {
    return std::make_unique<TelegramChannel>(TelegramConfigOf(e));
  }
  if (e.type == "nhn_sms") {
    NhnSmsConfig c;
    c.name = e.name;
    Set(e, "api_base", &c.api_base);
    Set(e, "app_key", &c.app_key);
    Set(e, "secret_key", &c.secret_key);
    Set(e, "send_no", &c.send_no);
    if (auto it = e.lists.find("recipients"); it != e.lists.end()) c.recipients = it->second;
    return std::make_unique<NhnSmsChannel>(std::move(c));
  }
  return nullptr;  // config validation admits only the types above
}

std::vector<std::unique_ptr<Channel>> BuildChannels(const Config& config) {
  std::vector<std::unique_ptr<Channel>> channels;
  for (const ChannelEntry& entry : config.channels) {
    if (auto channel = BuildChannel(entry)) channels.push_back(std::move(channel));
  }
  return channels;
}

}  // namespace rr
