// Golden renders: for every testdata payload that produces an alert, what each channel would
// send is pinned in testdata/golden/. A change to a render is a reviewed change to its golden
// file: run `UPDATE_GOLDEN=1 build/unit_tests --gtest_filter='Golden*'` and read the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <rapidjson/prettywriter.h>

#include "alarm/json.h"
#include "responder/outcome.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using testing::LoadTestdataSetup;
using testing::PayloadsWithExpectations;
using testing::ReadFile;
using testing::TestdataDir;

// The redacted request as the dry-run outcome shows it, pretty-printed for reading in review.
std::string PrettyRequests(const Outcome& single_delivery_outcome) {
  JsonDocument doc;
  std::string json = OutcomeToJson(single_delivery_outcome);
  doc.Parse(json.c_str());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  const JsonValue& d = doc["deliveries"][0];
  w.StartArray();
  d["request"].Accept(w);
  if (d.HasMember("more_requests")) {
    for (const auto& r : d["more_requests"].GetArray()) r.Accept(w);
  }
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

class GoldenRenderTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenRenderTest, MatchesGoldenFiles) {
  static rr::Setup setup = LoadTestdataSetup();
  ASSERT_TRUE(setup.report.ok());
  std::vector<Outcome> outcomes =
      setup.dispatcher->DryRun(ReadFile(TestdataDir() + "/" + GetParam()));
  const bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  std::string stem = GetParam().substr(0, GetParam().size() - 5);
  int checked = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    for (const Delivery& d : outcomes[i].deliveries) {
      Outcome one = outcomes[i];
      one.deliveries = {d};
      std::string suffix = outcomes.size() > 1 ? "." + std::to_string(i) : "";
      std::string path = TestdataDir() + "/golden/" + stem + suffix + "." + d.type + ".json";
      std::string rendered = PrettyRequests(one);
      if (update) {
        std::filesystem::create_directories(std::filesystem::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << rendered;
      }
      ASSERT_TRUE(std::filesystem::exists(path))
          << path << " is missing; run with UPDATE_GOLDEN=1 and review it";
      EXPECT_EQ(ReadFile(path), rendered) << "render changed: " << path;
      ++checked;
    }
  }
  if (checked == 0) GTEST_SUCCEED() << "no alert to render for this payload";
}

std::vector<std::string> PayloadsThatAlert() {
  rr::Setup setup = LoadTestdataSetup();
  std::vector<std::string> out;
  for (const std::string& p : PayloadsWithExpectations()) {
    for (const Outcome& o : setup.dispatcher->DryRun(ReadFile(TestdataDir() + "/" + p))) {
      if (o.kind == OutcomeKind::kDryRun) {
        out.push_back(p);
        break;
      }
    }
  }
  return out;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(0, info.param.size() - 5)) {
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Payloads, GoldenRenderTest, ::testing::ValuesIn(PayloadsThatAlert()),
                         TestName);

}  // namespace
}  // namespace rr
