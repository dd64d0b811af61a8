// Turns validated channel entries of the configuration into channel objects.
#pragma once

#include <memory>
#include <vector>

#include "channels/channel.h"
#include "responder/config.h"

namespace rr {

std::unique_ptr<Channel> BuildChannel(const ChannelEntry& entry);
std::vector<std::unique_ptr<Channel>> BuildChannels(const Config& config);

}  // namespace rr
