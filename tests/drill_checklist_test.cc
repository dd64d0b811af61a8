#include "responder/drill_checklist.h"

#include <gtest/gtest.h>

#include "alarm/json.h"

namespace rr {
namespace {

DrillReport Report(std::vector<HopStatus> statuses) {
  DrillReport r{"rrd-1", "root-alert", "ap-northeast-2", {}, false};
  int i = 0;
  for (HopStatus s : statuses) r.hops.push_back({"hop " + std::to_string(++i), s, "evidence"});
  return r;
}

TEST(DrillChecklist, OnlyEveryHopPassedIsAPassedDrill) {
  EXPECT_EQ(DrillExitCode(Report({HopStatus::kPass, HopStatus::kPass})), 0);
  EXPECT_EQ(DrillExitCode(Report({HopStatus::kPass, HopStatus::kFail, HopStatus::kUnknown})), 1);
  EXPECT_EQ(DrillExitCode(Report({HopStatus::kPass, HopStatus::kUnknown})), 3);
  EXPECT_EQ(DrillExitCode(Report({HopStatus::kPass, HopStatus::kSimulated})), 3);
  EXPECT_EQ(DrillExitCode(Report({})), 3);
  DrillReport interrupted = Report({HopStatus::kPass});
  interrupted.interrupted = true;
  EXPECT_EQ(DrillExitCode(interrupted), 130);
}

TEST(DrillChecklist, TextHasALinePerHopAndTheResult) {
  DrillReport r = Report({HopStatus::kPass, HopStatus::kSimulated, HopStatus::kUnknown});
  r.hops[1].name = "SNS publish";
  r.hops[1].evidence = "published by the drill itself";
  const std::string text = ChecklistText(r);
  EXPECT_NE(text.find("drill rrd-1  alarm root-alert  region ap-northeast-2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  SIMULATED SNS publish  published by the drill itself\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("result: incomplete (1 passed, 0 failed, 1 unknown, 1 simulated)"),
            std::string::npos)
      << text;
}

TEST(DrillChecklist, JsonCarriesTheSameHops) {
  DrillReport r = Report({HopStatus::kPass, HopStatus::kFail});
  r.hops[1].evidence = "Received error: \"not authorized\"";
  JsonDocument doc;
  ASSERT_TRUE(ParseJson(ChecklistJson(r), JsonLimits{}, "checklist", &doc).ok());
  EXPECT_EQ(std::string(AsView(doc["result"])), "failed");
  ASSERT_EQ(doc["hops"].Size(), 2u);
  EXPECT_EQ(std::string(AsView(doc["hops"][1]["status"])), "fail");
  EXPECT_EQ(std::string(AsView(doc["hops"][1]["evidence"])), "Received error: \"not authorized\"");
}

}  // namespace
}  // namespace rr
