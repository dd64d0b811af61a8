// Golden renders: for every testdata payload that produces an alert, what each channel would
// send is pinned in testdata/golden/. A change to a render is a reviewed change to its golden
// file: run `UPDATE_GOLDEN=1 build/unit_tests --gtest_filter='*GoldenRender*'` and read the diff.
#include <cctype>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "responder/outcome.h"
#include "tests/support/golden.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using testing::GoldenFile;
using testing::kGoldenMissingHint;
using testing::LoadTestdataSetup;
using testing::PayloadsWithExpectations;
using testing::PrettyRequests;
using testing::ReadFile;
using testing::TestdataDir;

class GoldenRenderTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenRenderTest, MatchesGoldenFiles) {
  static rr::Setup setup = LoadTestdataSetup();
  ASSERT_TRUE(setup.report.ok());
  std::vector<Outcome> outcomes =
      setup.dispatcher->DryRun(ReadFile(TestdataDir() + "/" + GetParam()));
  std::string stem = GetParam().substr(0, GetParam().size() - 5);
  int checked = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    for (const Delivery& d : outcomes[i].deliveries) {
      std::string suffix = outcomes.size() > 1 ? "." + std::to_string(i) : "";
      std::string path = TestdataDir() + "/golden/" + stem + suffix + "." + d.type + ".json";
      std::string rendered = PrettyRequests(d.requests);
      std::optional<std::string> golden = GoldenFile(path, rendered);
      ASSERT_TRUE(golden) << path << kGoldenMissingHint;
      EXPECT_EQ(*golden, rendered) << "render changed: " << path;
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
