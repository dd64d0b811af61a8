// Finding the payloads under testdata/ and the configuration they are checked against.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "responder/setup.h"

namespace rr::testing {

// The source tree's testdata/ directory.
std::string TestdataDir();

// Every payload that has a sibling <name>.expect.json, as paths relative to testdata/,
// sorted, e.g. "sns/root-alert-alarm.json".
std::vector<std::string> PayloadsWithExpectations();

std::string ReadFile(const std::string& path);

// The fake secrets testdata/config.json refers to (env:RR_TEST_...). Tests grep for them.
inline constexpr char kDoorayHookUrl[] =
    "https://hook.dooray.com/services/3036349505739914786/3817528466113489025/Tq0Xk2PlantedHookTok";
inline constexpr char kDoorayToken[] = "Tq0Xk2PlantedHookTok";
inline constexpr char kTelegramToken[] = "7012345678:AAPlantedBotTokenDoNotLeak_xyz";
inline constexpr char kSmsAppKey[] = "PlantedAppKeyQ7w";
inline constexpr char kSmsSecretKey[] = "PlantedSecretKeyZ9x";
inline constexpr char kRecipientPhone[] = "01012345678";
GetEnv TestdataEnv();

// testdata/config.json loaded with TestdataEnv().
Setup LoadTestdataSetup();

}  // namespace rr::testing
