// Every payload under testdata/ gives the outcome its .expect.json says, through the same
// Dispatcher `once --dry-run` uses.
#include <gtest/gtest.h>

#include <string>

#include "alarm/json.h"
#include "responder/outcome.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using testing::LoadTestdataSetup;
using testing::PayloadsWithExpectations;
using testing::ReadFile;
using testing::TestdataDir;

void ExpectOutcome(const JsonValue& want, const Outcome& got, const std::string& where) {
  SCOPED_TRACE(where);
  JsonDocument got_doc;
  std::string got_json = OutcomeToJson(got);
  ASSERT_FALSE(got_doc.Parse(got_json.c_str()).HasParseError()) << got_json;
  ASSERT_TRUE(want.HasMember("outcome")) << "the expectation names no outcome";
  EXPECT_EQ(std::string(AsView(want["outcome"])), std::string(ToString(got.kind)))
      << "reason: " << got.reason;
  if (want.HasMember("reason_contains") && want["reason_contains"].IsString()) {
    std::string needle(AsView(want["reason_contains"]));
    EXPECT_NE(got.reason.find(needle), std::string::npos)
        << "reason \"" << got.reason << "\" does not contain \"" << needle << "\"";
  }
  if (got.kind == OutcomeKind::kIgnored || got.kind == OutcomeKind::kRejected) {
    EXPECT_FALSE(got.reason.empty()) << "an ignored or rejected outcome must say why";
  }
  if (!want.HasMember("alert") || want["alert"].IsNull()) return;
  ASSERT_TRUE(got_doc.HasMember("alert")) << "no alert in " << got_json;
  const JsonValue& alert = got_doc["alert"];
  for (auto it = want["alert"].MemberBegin(); it != want["alert"].MemberEnd(); ++it) {
    std::string key(AsView(it->name));
    ASSERT_TRUE(alert.HasMember(it->name)) << "the alert has no field " << key;
    EXPECT_EQ(ToJsonText(alert[it->name]), ToJsonText(it->value)) << "alert." << key;
  }
}

class TestdataOutcomeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TestdataOutcomeTest, MatchesExpectation) {
  static rr::Setup setup = LoadTestdataSetup();
  ASSERT_TRUE(setup.report.ok()) << setup.report.problems.front();
  const std::string payload_path = TestdataDir() + "/" + GetParam();
  std::string expect_path = payload_path.substr(0, payload_path.size() - 5) + ".expect.json";
  JsonDocument want;
  std::string expect_text = ReadFile(expect_path);
  ASSERT_FALSE(want.Parse(expect_text.c_str()).HasParseError()) << expect_path;

  std::vector<Outcome> outcomes = setup.dispatcher->DryRun(ReadFile(payload_path));
  if (want.HasMember("outcomes")) {
    const JsonValue& list = want["outcomes"];
    ASSERT_EQ(outcomes.size(), list.Size());
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      ExpectOutcome(list[i], outcomes[i], "record " + std::to_string(i));
    }
  } else {
    ASSERT_EQ(outcomes.size(), 1u);
    ExpectOutcome(want, outcomes[0], "the only record");
  }
  if (want.HasMember("exit_code")) {
    EXPECT_EQ(ExitCodeFor(outcomes), want["exit_code"].GetInt());
  }
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(0, info.param.size() - 5)) {
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Payloads, TestdataOutcomeTest,
                         ::testing::ValuesIn(PayloadsWithExpectations()), TestName);

TEST(TestdataTest, HasAtLeastTwentyFivePayloads) {
  EXPECT_GE(PayloadsWithExpectations().size(), 25u);
}

}  // namespace
}  // namespace rr
