// The id a drill writes into the alarm's StateReason ("... drill id=rrd-20261122T0915Z-4f2a ..."),
// so the responder can be asked afterwards what it did with exactly that drill.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rr {

// The text after the first "id=" that follows the word "drill" (any case): 1 to 64 of
// [A-Za-z0-9._-]. nullopt when the reason carries none.
std::optional<std::string> DrillIdIn(std::string_view reason);

}  // namespace rr
