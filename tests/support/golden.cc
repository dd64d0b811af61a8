#include "tests/support/golden.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <rapidjson/prettywriter.h>

#include "alarm/json.h"
#include "responder/outcome.h"
#include "tests/support/testdata.h"

namespace rr::testing {

std::string PrettyRequests(const std::vector<HttpRequest>& requests) {
  // Through OutcomeToJson, so the golden file shows exactly what a dry run would.
  Delivery d;
  d.requests = requests;
  Outcome one;
  one.kind = OutcomeKind::kDryRun;
  one.deliveries = {d};
  JsonDocument doc;
  std::string json = OutcomeToJson(one);
  doc.Parse(json.c_str());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  const JsonValue& delivery = doc["deliveries"][0];
  w.StartArray();
  if (delivery.HasMember("request")) delivery["request"].Accept(w);
  if (delivery.HasMember("more_requests")) {
    for (const auto& r : delivery["more_requests"].GetArray()) r.Accept(w);
  }
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::optional<std::string> GoldenFile(const std::string& path, const std::string& rendered) {
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << rendered;
  }
  if (!std::filesystem::exists(path)) return std::nullopt;
  return ReadFile(path);
}

}  // namespace rr::testing
