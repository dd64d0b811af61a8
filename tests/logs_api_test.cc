// FilterLogEvents against moto_server (a real log group with events) and against a loopback
// fake for paging and errors moto does not produce.
#include "responder/logs_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "alarm/json.h"
#include "responder/aws_json_call.h"
#include "tests/fakes/fake_providers.h"
#include "tests/fakes/moto_server.h"
#include "tests/support/map_env.h"
#include "tests/support/moto_suite.h"

namespace rr {
namespace {

using std::chrono::system_clock;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kRegion[] = "ap-northeast-2";
constexpr char kSecret[] = "logsApiSecret/planted+000000000000000001";
constexpr char kToken[] = "logsApiSessionTokenPlanted00000000001";
constexpr char kGroup[] = "/aws/lambda/root-responder";

AwsCredentials PlantedCredentials() {
  AwsCredentials c;
  c.access_key_id = "AKIALOGSAPITEST00001";
  c.secret_access_key = kSecret;
  c.session_token = kToken;
  c.source = "test";
  return c;
}

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

int64_t Millis(system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

class LogsApiMotoTest : public testing::MotoSuiteTest {
 protected:
  void SetUp() override {
    MotoSuiteTest::SetUp();
    if (HasFatalFailure()) return;
    Result<AwsEndpoint> e =
        ResolveAwsEndpoint(kLogsService, kRegion, Env(moto_->Environment(kRegion)));
    ASSERT_TRUE(e.ok()) << e.status().message();
    logs_ = *e;
  }

  void Call(const std::string& operation, const std::string& body) {
    AwsJsonReply r = AwsJsonCall(client_, credentials_, logs_, "Logs_20140328." + operation, body);
    ASSERT_TRUE(r.ok()) << operation << ": " << r.status.message();
  }

  // A group with one stream and `lines`, `at` the given times.
  void PutLines(const std::vector<std::pair<system_clock::time_point, std::string>>& lines) {
    Call("CreateLogGroup", std::string(R"({"logGroupName":")") + kGroup + "\"}");
    Call("CreateLogStream",
         std::string(R"({"logGroupName":")") + kGroup + R"(","logStreamName":"2026/03/02/a"})");
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    WriteString(w, "logGroupName", kGroup);
    WriteString(w, "logStreamName", "2026/03/02/a");
    w.Key("logEvents");
    w.StartArray();
    for (const auto& [when, text] : lines) {
      w.StartObject();
      w.Key("timestamp");
      w.Int64(Millis(when));
      WriteString(w, "message", text);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    Call("PutLogEvents", std::string(buffer.GetString(), buffer.GetSize()));
  }

  HttpClient client_;
  StaticAwsCredentials credentials_{PlantedCredentials()};
  AwsEndpoint logs_;
};

TEST_F(LogsApiMotoTest, FindsTheDrillLineSinceStart) {
  const system_clock::time_point now = system_clock::now();
  PutLines({
      {now - std::chrono::minutes(30), "outcome=delivered drill_id=rrd-20260302-old"},
      {now - std::chrono::seconds(20), "invocation start"},
      {now - std::chrono::seconds(10), "outcome=delivered drill_id=rrd-20260302-0945-ab12"},
      {now - std::chrono::seconds(5), "outcome=delivered drill_id=rrd-20260302-other"},
  });
  Result<std::vector<std::string>> r =
      FilterLogEvents(client_, credentials_, logs_, kGroup, "\"rrd-20260302-0945-ab12\"",
                      now - std::chrono::minutes(1));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(*r, ElementsAre("outcome=delivered drill_id=rrd-20260302-0945-ab12"));

  // The start time counts: the old drill line is before it.
  Result<std::vector<std::string>> recent = FilterLogEvents(
      client_, credentials_, logs_, kGroup, "\"drill_id\"", now - std::chrono::minutes(1));
  ASSERT_TRUE(recent.ok()) << recent.status().message();
  EXPECT_EQ(recent->size(), 2u);
  Result<std::vector<std::string>> everything =
      FilterLogEvents(client_, credentials_, logs_, kGroup, "", now - std::chrono::hours(1));
  ASSERT_TRUE(everything.ok()) << everything.status().message();
  EXPECT_EQ(everything->size(), 4u);
}

TEST_F(LogsApiMotoTest, MaxEventsPagesThroughMoto) {
  const system_clock::time_point now = system_clock::now();
  std::vector<std::pair<system_clock::time_point, std::string>> lines;
  for (int i = 0; i < 5; ++i) {
    lines.emplace_back(now - std::chrono::seconds(10 - i), "line " + std::to_string(i));
  }
  PutLines(lines);
  Result<std::vector<std::string>> r =
      FilterLogEvents(client_, credentials_, logs_, kGroup, "", now - std::chrono::minutes(1), 3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(*r, ElementsAre("line 0", "line 1", "line 2"));
}

TEST_F(LogsApiMotoTest, MissingGroupIsNotFound) {
  Result<std::vector<std::string>> r =
      FilterLogEvents(client_, credentials_, logs_, "/no/such/group", "\"x\"", system_clock::now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound) << r.status().message();
  EXPECT_THAT(r.status().message(), HasSubstr("log group \"/no/such/group\" does not exist"));
  EXPECT_THAT(r.status().message(), Not(HasSubstr(kSecret)));
  EXPECT_THAT(r.status().message(), Not(HasSubstr(kToken)));
}

// ---- loopback fake ----------------------------------------------------------------------------

class LogsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    Result<AwsEndpoint> e = ResolveAwsEndpoint(
        kLogsService, kRegion, Env({{"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", server_.base_url()}}));
    ASSERT_TRUE(e.ok()) << e.status().message();
    logs_ = *e;
  }
  static ScriptedReply Page(const std::vector<std::string>& messages, const std::string& token) {
    std::string body = R"({"events":[)";
    for (size_t i = 0; i < messages.size(); ++i) {
      if (i) body += ",";
      body += R"({"logStreamName":"s","timestamp":1,"message":")" + messages[i] + "\"}";
    }
    body += "]";
    if (!token.empty()) body += R"(,"nextToken":")" + token + "\"";
    body += R"(,"searchedLogStreams":[]})";
    return ScriptedReply::Answer(200, body, {{"Content-Type", "application/x-amz-json-1.1"}});
  }
  Result<std::vector<std::string>> Filter(size_t max_events = 100) {
    return FilterLogEvents(client_, credentials_, logs_, kGroup, "\"rrd-1\"",
                           system_clock::time_point(std::chrono::milliseconds(1767225600123)),
                           max_events);
  }

  FakeHttpServer server_;
  HttpClient client_;
  StaticAwsCredentials credentials_{PlantedCredentials()};
  AwsEndpoint logs_;
};

TEST_F(LogsApiTest, SendsTheJson11ShapeAndFollowsNextToken) {
  // AWS may answer empty pages with a token while it searches on.
  server_.Script({Page({"a rrd-1"}, "t1"), Page({}, "t2"), Page({"b rrd-1"}, "")});
  Result<std::vector<std::string>> r = Filter();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(*r, ElementsAre("a rrd-1", "b rrd-1"));
  const std::vector<RecordedRequest> sent = server_.requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(*sent[0].header("x-amz-target"), "Logs_20140328.FilterLogEvents");
  EXPECT_EQ(*sent[0].header("content-type"), "application/x-amz-json-1.1");
  EXPECT_THAT(*sent[0].header("authorization"), HasSubstr("/ap-northeast-2/logs/aws4_request"));
  EXPECT_EQ(sent[0].body, R"({"logGroupName":"/aws/lambda/root-responder",)"
                          R"("filterPattern":"\"rrd-1\"","startTime":1767225600123,"limit":100})");
  EXPECT_THAT(sent[1].body, HasSubstr(R"("limit":99,"nextToken":"t1")"));
  EXPECT_THAT(sent[2].body, HasSubstr(R"("nextToken":"t2")"));
}

TEST_F(LogsApiTest, StopsAtMaxEvents) {
  server_.Script({Page({"1", "2"}, "t1"), Page({"3", "4"}, "t2")});
  Result<std::vector<std::string>> r = Filter(3);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(*r, ElementsAre("1", "2", "3"));
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_F(LogsApiTest, ARepeatedTokenEndsTheSearch) {
  server_.Script({Page({"1"}, "same"), Page({"2"}, "same"), Page({"3"}, "same")});
  Result<std::vector<std::string>> r = Filter();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_THAT(*r, ElementsAre("1", "2"));
  EXPECT_EQ(server_.request_count(), 2u);
}

TEST_F(LogsApiTest, ErrorsAndBadAnswers) {
  const HttpHeaders json = {{"Content-Type", "application/x-amz-json-1.1"}};
  server_.Script({ScriptedReply::Answer(
      400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})", json)});
  Result<std::vector<std::string>> throttled = Filter();
  EXPECT_EQ(throttled.status().code(), Status::Code::kUnavailable);
  EXPECT_THAT(throttled.status().message(), HasSubstr("ThrottlingException"));

  server_.Script({ScriptedReply::Answer(200, R"({"events":{}})", json)});
  Result<std::vector<std::string>> bad = Filter();
  EXPECT_EQ(bad.status().code(), Status::Code::kInternal);
  EXPECT_THAT(bad.status().message(), HasSubstr("events is not a list"));

  server_.Script({ScriptedReply::Answer(
      400,
      std::string(R"({"__type":"ResourceNotFoundException","message":"no group; you are )") +
          kSecret + " " + kToken + "\"}",
      json)});
  Result<std::vector<std::string>> quoting = Filter();
  EXPECT_EQ(quoting.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(quoting.status().message(), HasSubstr("you are <redacted> <redacted>"));

  // A fresh client: curl quietly resends a request whose kept-alive connection was closed.
  HttpClient fresh;
  server_.Script({ScriptedReply::Drop()});
  Result<std::vector<std::string>> dropped =
      FilterLogEvents(fresh, credentials_, logs_, kGroup, "x", system_clock::now());
  EXPECT_EQ(dropped.status().code(), Status::Code::kUnavailable);
  for (const Status& s : {throttled.status(), bad.status(), dropped.status(), quoting.status()}) {
    EXPECT_THAT(s.message(), Not(HasSubstr(kSecret)));
    EXPECT_THAT(s.message(), Not(HasSubstr(kToken)));
  }
}

TEST_F(LogsApiTest, BadInputIsRefusedBeforeSending) {
  Result<std::vector<std::string>> empty =
      FilterLogEvents(client_, credentials_, logs_, "", "x", system_clock::now());
  EXPECT_EQ(empty.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("log group name"));
  Result<std::vector<std::string>> long_pattern = FilterLogEvents(
      client_, credentials_, logs_, kGroup, std::string(1025, 'x'), system_clock::now());
  EXPECT_EQ(long_pattern.status().code(), Status::Code::kInvalidArgument);
  Result<std::vector<std::string>> none =
      FilterLogEvents(client_, credentials_, logs_, kGroup, "x", system_clock::now(), 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(server_.request_count(), 0u);
}

}  // namespace
}  // namespace rr
