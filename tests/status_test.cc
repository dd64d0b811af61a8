#include "alarm/status.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::InvalidArgument("Trigger.Period: expected number, got string");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid argument: Trigger.Period: expected number, got string");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Status::NotFound("no such alarm");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "no such alarm");
}

}  // namespace
}  // namespace rr
