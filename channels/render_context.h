// What every renderer needs besides the alert: the time zone people read times in.
#pragma once

#include "channels/display_zone.h"

namespace rr {

struct RenderContext {
  DisplayZone time_zone;
};

}  // namespace rr
