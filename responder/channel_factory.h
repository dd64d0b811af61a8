// Turns validated channel entries of the configuration into channel objects.
#pragma once

#include <memory>
#include <vector>

#include "channels/channel.h"
#include "channels/telegram.h"
#include "responder/config.h"

namespace rr {

std::unique_ptr<Channel> BuildChannel(const ChannelEntry& entry);
// The Telegram settings of a channel of type "telegram" (the ack poller uses its bot).
TelegramConfig TelegramConfigOf(const ChannelEntry& entry);
std::vector<std::unique_ptr<Channel>> BuildChannels(const Config& config);

}  // namespace rr
