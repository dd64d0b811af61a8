#include "tests/support/moto_suite.h"

namespace rr::testing {

MotoServer* MotoSuiteTest::moto_ = nullptr;
Status* MotoSuiteTest::start_status_ = nullptr;

void MotoSuiteTest::SetUpTestSuite() {
  moto_ = new MotoServer();
  start_status_ = new Status(moto_->Start());
}

void MotoSuiteTest::TearDownTestSuite() {
  delete moto_;
  delete start_status_;
  moto_ = nullptr;
  start_status_ = nullptr;
}

void MotoSuiteTest::SetUp() {
  ASSERT_TRUE(start_status_ && start_status_->ok())
      << (start_status_ ? start_status_->message() : "moto_server was not started");
  ASSERT_TRUE(moto_->Reset().ok());
}

}  // namespace rr::testing
