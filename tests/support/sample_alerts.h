// The alerts the renderer and delivery tests start from: a root console sign-in and the
// root-usage alarm, with every field a real one carries. Tests change what they examine.
#pragma once

#include "alarm/alert.h"

namespace rr::testing {

Alert SampleRootConsoleLogin();
Alert SampleRootAlarm();

}  // namespace rr::testing
