#include "tests/support/testdata.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace rr::testing {

std::string TestdataDir() { return std::string(RR_SOURCE_DIR) + "/testdata"; }

std::vector<std::string> PayloadsWithExpectations() {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  const fs::path root = TestdataDir();
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    const std::string suffix = ".expect.json";
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    fs::path payload =
        entry.path().parent_path() / (name.substr(0, name.size() - suffix.size()) + ".json");
    if (fs::exists(payload)) out.push_back(fs::relative(payload, root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

GetEnv TestdataEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    static const std::map<std::string, std::string> kVars = {
        {"RR_TEST_DOORAY_HOOK_URL", kDoorayHookUrl},
        {"RR_TEST_TELEGRAM_BOT_TOKEN", kTelegramToken},
        {"RR_TEST_SMS_APP_KEY", kSmsAppKey},
        {"RR_TEST_SMS_SECRET_KEY", kSmsSecretKey},
    };
    auto it = kVars.find(name);
    if (it == kVars.end()) return std::nullopt;
    return it->second;
  };
}

Setup LoadTestdataSetup() { return LoadSetup(TestdataDir() + "/config.json", TestdataEnv()); }

}  // namespace rr::testing
