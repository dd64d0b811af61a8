// A test suite with one moto_server (it takes a second to start) shared by its tests and reset
// before each of them, so no queue, topic, alarm or parameter leaks from one test to the next.
// A suite derives from it, and its own SetUp() starts with MotoSuiteTest::SetUp().
#pragma once

#include <gtest/gtest.h>

#include "alarm/status.h"
#include "tests/fakes/moto_server.h"

namespace rr::testing {

class MotoSuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  // Fails the test (fatally) when moto did not start; otherwise resets it.
  void SetUp() override;

  static MotoServer* moto_;

 private:
  static Status* start_status_;
};

}  // namespace rr::testing
