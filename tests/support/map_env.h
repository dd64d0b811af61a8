// An environment for tests: exactly these variables, nothing from the test process.
#pragma once

#include <map>
#include <string>

#include "responder/config.h"

namespace rr::testing {

GetEnv MapEnv(std::map<std::string, std::string> vars);

}  // namespace rr::testing
