// What every renderer needs besides the alert: the time zone people read times in.
#pragma once

namespace date {
class time_zone;
}

namespace rr {

struct RenderContext {
  const date::time_zone* time_zone = nullptr;  // never null once built by the responder
};

}  // namespace rr
