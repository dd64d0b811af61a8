// Subject, severity and account name: what the configuration adds to a parsed alert.
#pragma once

#include "alarm/alert.h"
#include "responder/config.h"

namespace rr {

void Enrich(const Config& config, Alert& alert);

}  // namespace rr
