// Which parsed alerts are acted on: alarms only in the states the config lists.
#pragma once

#include <optional>
#include <string>

#include "alarm/alert.h"
#include "responder/config.h"

namespace rr {

// Why `alert` is not to be sent, or nullopt when it is.
std::optional<std::string> IgnoreReason(const Config& config, const Alert& alert);

}  // namespace rr
