#include "alarm/drill_id.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(DrillId, FoundAfterTheWordDrill) {
  EXPECT_EQ(DrillIdIn("[DRILL] root-responder drill id=rrd-20261122T0915Z-4f2a: proving the chain"),
            "rrd-20261122T0915Z-4f2a");
  EXPECT_EQ(DrillIdIn("Drill ID=abc.DEF_1"), "abc.DEF_1");
}

TEST(DrillId, AbsentWithoutDrillOrId) {
  EXPECT_EQ(DrillIdIn("Threshold Crossed: 1 datapoint [1.0] was >= 1.0"), std::nullopt);
  EXPECT_EQ(DrillIdIn("id=abc before the word drill"), std::nullopt);
  EXPECT_EQ(DrillIdIn("drill id="), std::nullopt);
  EXPECT_EQ(DrillIdIn("drill id= spaced"), std::nullopt);
}

TEST(DrillId, LongerThan64CharactersIsNotAnId) {
  EXPECT_EQ(DrillIdIn("drill id=" + std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(DrillIdIn("drill id=" + std::string(65, 'a')), std::nullopt);
}

TEST(DrillId, StopsAtCharactersOutsideTheIdSet) {
  EXPECT_EQ(DrillIdIn("drill id=ab<script>"), "ab");
  EXPECT_EQ(DrillIdIn("drill id=ab\ncd"), "ab");
}

}  // namespace
}  // namespace rr
