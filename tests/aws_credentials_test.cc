// The credential chain against real files and loopback fakes of the ECS container endpoint and
// EC2 IMDSv2, with a fake clock deciding when temporary credentials are refreshed.
#include "responder/aws_credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "alarm/aws_time.h"
#include "tests/fakes/fake_clock.h"
#include "tests/fakes/fake_providers.h"
#include "tests/support/map_env.h"

namespace rr {
namespace {

using std::chrono::minutes;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kEnvKeyId[] = "AKIAENVIRONMENT00001";
constexpr char kEnvSecret[] = "envSecretKey/planted+0000000000000000001";

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

// Temporary credentials as the container endpoint and IMDS send them, numbered so a refresh is
// visible: ASIA...0001, then ...0002.
std::string TemporaryCredentialsJson(int serial, std::chrono::system_clock::time_point expiration,
                                     bool imds) {
  const std::string n = std::to_string(1000 + serial);
  const int64_t epoch =
      std::chrono::duration_cast<std::chrono::seconds>(expiration.time_since_epoch()).count();
  std::string json = "{";
  if (imds) json += R"("Code":"Success","LastUpdated":"2026-09-01T03:00:00Z","Type":"AWS-HMAC",)";
  json += R"("AccessKeyId":"ASIATEMPORARY000)" + n + R"(","SecretAccessKey":"tempSecret/)" + n +
          R"(+planted","Token":"tempSessionToken)" + n + R"(planted==","Expiration":")" +
          FormatUtc(epoch) + R"("})";
  return json;
}

// EC2 instance metadata, version 2 only: PUT /latest/api/token (with the TTL header) gives a
// token; every metadata GET without that token gets 401.
class FakeImds : public FakeHttpServer {
 public:
  explicit FakeImds(Clock& clock) : clock_(clock) {}
  ~FakeImds() override { Stop(); }

  static constexpr char kToken[] = "AQAEAImdsSessionTokenPlanted_0123456789==";
  static constexpr char kRole[] = "root-responder-role";

  std::string endpoint() const { return base_url(); }
  int credential_fetches() const { return fetches_; }

 protected:
  ScriptedReply Answer(const RecordedRequest& r) override {
    const HttpHeaders text = {{"Content-Type", "text/plain"}};
    if (r.path == "/latest/api/token") {
      if (r.method != "PUT") return ScriptedReply::Answer(405, "", text);
      if (r.header("x-aws-ec2-metadata-token-ttl-seconds") == nullptr) {
        return ScriptedReply::Answer(400, "", text);
      }
      return ScriptedReply::Answer(200, kToken, text);
    }
    const std::string* token = r.header("x-aws-ec2-metadata-token");
    if (token == nullptr || *token != kToken) return ScriptedReply::Answer(401, "", text);
    const std::string roles = "/latest/meta-data/iam/security-credentials/";
    if (r.path == roles) return ScriptedReply::Answer(200, kRole, text);
    if (r.path == roles + kRole) {
      ++fetches_;
      return ScriptedReply::Answer(
          200, TemporaryCredentialsJson(fetches_, clock_.WallNow() + lifetime_, true), text);
    }
    return ScriptedReply::Answer(404, "", text);
  }

 private:
  Clock& clock_;
  std::atomic<int> fetches_{0};
  const std::chrono::seconds lifetime_ = std::chrono::hours(1);
};

// The ECS / EKS container credentials endpoint: GET <path> with an optional Authorization.
class FakeContainerEndpoint : public FakeHttpServer {
 public:
  FakeContainerEndpoint(Clock& clock, std::string path, std::string token = "")
      : clock_(clock), path_(std::move(path)), token_(std::move(token)) {}
  ~FakeContainerEndpoint() override { Stop(); }

 protected:
  ScriptedReply Answer(const RecordedRequest& r) override {
    if (r.path != path_) return ScriptedReply::Answer(404, R"({"message":"not found"})");
    const std::string* auth = r.header("authorization");
    if (!token_.empty() && (auth == nullptr || *auth != token_)) {
      return ScriptedReply::Answer(401, R"({"message":"unauthorized"})");
    }
    ++fetches_;
    return ScriptedReply::Answer(
        200, TemporaryCredentialsJson(fetches_, clock_.WallNow() + std::chrono::hours(6), false));
  }

 private:
  Clock& clock_;
  std::string path_;
  std::string token_;
  int fetches_ = 0;
};

class AwsCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/rr_aws_credentials_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/.aws");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  // An environment where nothing is configured (HOME empty, IMDS switched off), plus `vars`.
  std::map<std::string, std::string> Base(std::map<std::string, std::string> vars = {}) {
    vars.emplace("HOME", dir_);
    vars.emplace("AWS_EC2_METADATA_DISABLED", "true");
    return vars;
  }

  Result<AwsCredentials> Lookup(std::map<std::string, std::string> vars,
                                AwsCredentialChainOptions options = {}) {
    AwsCredentialChain chain(clock_, Env(std::move(vars)), options);
    return chain.Get();
  }

  std::string dir_;
  FakeClock clock_;
};

// ---- environment and files -----------------------------------------------------------------

TEST_F(AwsCredentialsTest, EnvironmentComesFirst) {
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n");
  Result<AwsCredentials> c = Lookup(Base({{"AWS_ACCESS_KEY_ID", kEnvKeyId},
                                          {"AWS_SECRET_ACCESS_KEY", kEnvSecret},
                                          {"AWS_SESSION_TOKEN", "envSessionToken"}}));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, kEnvKeyId);
  EXPECT_EQ(c->secret_access_key, kEnvSecret);
  EXPECT_EQ(c->session_token, "envSessionToken");
  EXPECT_EQ(c->source, "environment");
  EXPECT_FALSE(c->expiration.has_value());
}

TEST_F(AwsCredentialsTest, AHalfSetEnvironmentStopsTheChainWithoutShowingTheKey) {
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = f\n");
  Result<AwsCredentials> c = Lookup(Base({{"AWS_ACCESS_KEY_ID", kEnvKeyId}}));
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr("environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
  EXPECT_THAT(c.status().message(), Not(HasSubstr(kEnvKeyId)));
}

TEST_F(AwsCredentialsTest, SharedCredentialsFileWithTwoProfiles) {
  const std::string file = Write("creds.ini", R"(# comment
[default]
aws_access_key_id = AKIADEFAULTPROFILE01
aws_secret_access_key = defaultSecret/0001

[ dev ]
; another comment
aws_access_key_id=AKIADEVPROFILE000001
aws_secret_access_key=devSecret/0002
aws_session_token = devToken
s3 =
  max_concurrent_requests = 20
)");
  auto vars = Base({{"AWS_SHARED_CREDENTIALS_FILE", file}});
  Result<AwsCredentials> by_default = Lookup(vars);
  ASSERT_TRUE(by_default.ok()) << by_default.status().message();
  EXPECT_EQ(by_default->access_key_id, "AKIADEFAULTPROFILE01");
  EXPECT_EQ(by_default->secret_access_key, "defaultSecret/0001");
  EXPECT_EQ(by_default->source, "profile default (" + file + ")");

  vars["AWS_PROFILE"] = "dev";
  Result<AwsCredentials> dev = Lookup(vars);
  ASSERT_TRUE(dev.ok()) << dev.status().message();
  EXPECT_EQ(dev->access_key_id, "AKIADEVPROFILE000001");
  EXPECT_EQ(dev->secret_access_key, "devSecret/0002");
  EXPECT_EQ(dev->session_token, "devToken");

  AwsCredentialChainOptions flag;
  flag.profile = "default";  // a --profile flag beats AWS_PROFILE
  Result<AwsCredentials> flagged = Lookup(vars, flag);
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->access_key_id, "AKIADEFAULTPROFILE01");
}

TEST_F(AwsCredentialsTest, ConfigFileProfilesWithStaticKeysUnderHome) {
  Write(".aws/config", R"([default]
region = ap-northeast-2

[profile ops]
region = us-west-2
aws_access_key_id = AKIACONFIGPROFILE001
aws_secret_access_key = opsSecret
)");
  Write(".aws/credentials", "[other]\naws_access_key_id = A\naws_secret_access_key = B\n");
  Result<AwsCredentials> ops = Lookup(Base({{"AWS_PROFILE", "ops"}}));
  ASSERT_TRUE(ops.ok()) << ops.status().message();
  EXPECT_EQ(ops->access_key_id, "AKIACONFIGPROFILE001");
  EXPECT_EQ(ops->source, "profile ops (" + dir_ + "/.aws/config)");

  // [default] only holds a region: not credentials, so the chain goes on (and finds nothing).
  Result<AwsCredentials> none = Lookup(Base());
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("profile \"default\" has no aws_access_key_id"));
}

TEST_F(AwsCredentialsTest, CredentialsFileOverridesTheConfigFileForTheSameProfile) {
  Write(".aws/config", "[profile p]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n");
  Write(".aws/credentials",
        "[p]\naws_access_key_id = AKIACREDENTIALS\naws_secret_access_key = k\n");
  Result<AwsCredentials> c = Lookup(Base({{"AWS_PROFILE", "p"}}));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "AKIACREDENTIALS");
  EXPECT_EQ(c->secret_access_key, "k");
}

TEST_F(AwsCredentialsTest, ANamedProfileThatDoesNotExistIsAnErrorNotAFallThrough) {
  Write(".aws/credentials", "[default]\naws_access_key_id = AKIAX\naws_secret_access_key = y\n");
  FakeImds imds(clock_);
  ASSERT_TRUE(imds.Start().ok());
  auto vars =
      Base({{"AWS_PROFILE", "prod"}, {"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()}});
  vars.erase("AWS_EC2_METADATA_DISABLED");
  Result<AwsCredentials> c = Lookup(vars);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_THAT(c.status().message(),
              HasSubstr("shared files: profile \"prod\" (from AWS_PROFILE) is in neither " + dir_ +
                        "/.aws/credentials nor " + dir_ + "/.aws/config (not readable)"));
  EXPECT_EQ(imds.request_count(), 0u);
}

TEST_F(AwsCredentialsTest, ProfilesThatNeedUnsupportedProvidersAreExplained) {
  Write(".aws/config",
        "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\nsource_profile = d\n"
        "[profile half]\naws_access_key_id = AKIAHALF\n");
  Result<AwsCredentials> admin = Lookup(Base({{"AWS_PROFILE", "admin"}}));
  ASSERT_FALSE(admin.ok());
  EXPECT_THAT(admin.status().message(),
              HasSubstr("profile \"admin\" (from AWS_PROFILE) uses "
                        "role_arn, which root-responder does not support"));
  Result<AwsCredentials> half = Lookup(Base({{"AWS_PROFILE", "half"}}));
  ASSERT_FALSE(half.ok());
  EXPECT_THAT(half.status().message(),
              HasSubstr("has aws_access_key_id but no aws_secret_access_key"));
  EXPECT_THAT(half.status().message(), Not(HasSubstr("AKIAHALF")));
}

// ---- container endpoint --------------------------------------------------------------------

TEST_F(AwsCredentialsTest, ContainerRelativeUri) {
  const std::string path = "/v2/credentials/4f3c1e2a-0000-4bd5-9e1a-planted";
  FakeContainerEndpoint ecs(clock_, path);
  ASSERT_TRUE(ecs.Start().ok());
  AwsCredentialChainOptions options;
  options.container_host = ecs.base_url();  // stands in for 169.254.170.2
  Result<AwsCredentials> c =
      Lookup(Base({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", path}}), options);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIATEMPORARY0001001");
  EXPECT_EQ(c->secret_access_key, "tempSecret/1001+planted");
  EXPECT_EQ(c->session_token, "tempSessionToken1001planted==");
  EXPECT_EQ(c->source, "container endpoint");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(*c->expiration - clock_.WallNow()),
            std::chrono::hours(6));
  EXPECT_EQ(ecs.requests().at(0).method, "GET");
}

TEST_F(AwsCredentialsTest, ContainerFullUriWithATokenFile) {
  const std::string token = "eksPodIdentityTokenPlanted.0123456789";
  FakeContainerEndpoint eks(clock_, "/v1/credentials", token);
  ASSERT_TRUE(eks.Start().ok());
  const std::string token_file = Write("token", token + "\n");
  Result<AwsCredentials> c =
      Lookup(Base({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", eks.base_url() + "/v1/credentials"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignoredWhenTheFileIsSet"}}));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIATEMPORARY0001001");
  EXPECT_EQ(*eks.requests().at(0).header("authorization"), token);

  // A wrong token: the endpoint refuses, the chain stops, and the token is not quoted.
  Result<AwsCredentials> refused =
      Lookup(Base({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", eks.base_url() + "/v1/credentials"},
                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrongTokenPlanted0001"}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(),
              HasSubstr("container endpoint: 127.0.0.1 gave no credentials: HTTP 401"));
  EXPECT_THAT(refused.status().message(), Not(HasSubstr("wrongTokenPlanted0001")));
}

TEST_F(AwsCredentialsTest, ContainerFullUriOnlyToLoopbackOrTheEcsAddresses) {
  for (const std::string uri :
       {"http://169.254.169.254/latest/meta-data/", "https://credentials.example.com/creds",
        "http://127.0.0.1.evil.example/creds", "file:///etc/passwd"}) {
    Result<AwsCredentials> c = Lookup(Base({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}));
    ASSERT_FALSE(c.ok()) << uri;
    EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument) << uri;
    EXPECT_THAT(c.status().message(), HasSubstr("AWS_CONTAINER_CREDENTIALS_FULL_URI")) << uri;
  }
}

// ---- EC2 instance metadata (IMDSv2) ------------------------------------------------------

TEST_F(AwsCredentialsTest, ImdsV2TokenThenRoleThenCredentials) {
  FakeImds imds(clock_);
  ASSERT_TRUE(imds.Start().ok());
  // The fake really requires the token: a plain GET is refused.
  HttpClient plain;
  HttpRequest unauthenticated;
  unauthenticated.method = "GET";
  unauthenticated.url = imds.endpoint() + "/latest/meta-data/iam/security-credentials/";
  EXPECT_EQ(plain.Send(unauthenticated).status, 401);

  auto vars = Base({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint() + "/"}});
  vars.erase("AWS_EC2_METADATA_DISABLED");
  Result<AwsCredentials> c = Lookup(vars);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->access_key_id, "ASIATEMPORARY0001001");
  EXPECT_EQ(c->source, "EC2 instance role root-responder-role");
  std::vector<RecordedRequest> requests = imds.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].path, "/latest/api/token");
  EXPECT_EQ(*requests[1].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[2].path, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[3].path, "/latest/meta-data/iam/security-credentials/root-responder-role");
  EXPECT_EQ(*requests[3].header("x-aws-ec2-metadata-token"), FakeImds::kToken);
}

TEST_F(AwsCredentialsTest, ImdsCanBeSwitchedOff) {
  FakeImds imds(clock_);
  ASSERT_TRUE(imds.Start().ok());
  Result<AwsCredentials> c = Lookup(Base({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()},
                                          {"AWS_EC2_METADATA_DISABLED", "TRUE"}}));
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(imds.request_count(), 0u);
}

TEST_F(AwsCredentialsTest, AnImdsThatRefusesTokensCountsAsNoImds) {
  FakeHttpServer refusing;  // what an instance with IMDS turned off (or a non-EC2 host) says
  ASSERT_TRUE(refusing.Start().ok());
  refusing.Script({ScriptedReply::Answer(403, "")});
  auto vars = Base({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", refusing.base_url()}});
  vars.erase("AWS_EC2_METADATA_DISABLED");
  Result<AwsCredentials> c = Lookup(vars);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kNotFound);
  EXPECT_THAT(c.status().message(), HasSubstr("no AWS credentials found: environment: "));
  EXPECT_THAT(c.status().message(), HasSubstr("; EC2 instance metadata: IMDSv2 token request to " +
                                              refusing.base_url() + " answered HTTP 403"));
  EXPECT_EQ(refusing.request_count(), 1u);
}

TEST_F(AwsCredentialsTest, NothingFoundNamesEverySourceAndWhy) {
  Result<AwsCredentials> c = Lookup(Base());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kNotFound);
  const std::string& m = c.status().message();
  EXPECT_THAT(m, HasSubstr("no AWS credentials found: environment: AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY are not set; shared files: profile \"default\" "
                           "is in neither "));
  EXPECT_THAT(m, HasSubstr("; container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
                           "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set"));
  EXPECT_THAT(m, HasSubstr("; EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED"));
}

TEST_F(AwsCredentialsTest, AnImdsThatDoesNotAnswerIsReportedAfterTheTimeout) {
  auto vars = Base({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"}});
  vars.erase("AWS_EC2_METADATA_DISABLED");
  Result<AwsCredentials> c = Lookup(vars);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(),
              HasSubstr("EC2 instance metadata: no answer from http://127.0.0.1:1 (not on EC2?)"));
}

// ---- caching and refresh -------------------------------------------------------------------

TEST_F(AwsCredentialsTest, TemporaryCredentialsAreCachedAndRefreshedBeforeTheyExpire) {
  FakeImds imds(clock_);
  ASSERT_TRUE(imds.Start().ok());
  auto vars = Base({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()}});
  vars.erase("AWS_EC2_METADATA_DISABLED");
  AwsCredentialChain chain(clock_, Env(vars));  // refreshes 5 minutes before expiry

  Result<AwsCredentials> first = chain.Get();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->access_key_id, "ASIATEMPORARY0001001");
  clock_.Advance(minutes(30));
  EXPECT_EQ(chain.Get()->access_key_id, "ASIATEMPORARY0001001");
  clock_.Advance(minutes(24));  // 54 minutes in: 6 left
  EXPECT_EQ(chain.Get()->access_key_id, "ASIATEMPORARY0001001");
  EXPECT_EQ(imds.credential_fetches(), 1);

  clock_.Advance(minutes(2));  // 56 minutes in: 4 left, inside the refresh window
  Result<AwsCredentials> second = chain.Get();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->access_key_id, "ASIATEMPORARY0001002");
  EXPECT_EQ(second->secret_access_key, "tempSecret/1002+planted");
  EXPECT_EQ(imds.credential_fetches(), 2);
  EXPECT_EQ(chain.Get()->access_key_id, "ASIATEMPORARY0001002");
  EXPECT_EQ(imds.credential_fetches(), 2);
}

TEST_F(AwsCredentialsTest, AFailedRefreshKeepsCredentialsThatStillWorkThenGivesUp) {
  FakeImds imds(clock_);
  ASSERT_TRUE(imds.Start().ok());
  auto vars = Base({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()}});
  vars.erase("AWS_EC2_METADATA_DISABLED");
  AwsCredentialChain chain(clock_, Env(vars));
  ASSERT_TRUE(chain.Get().ok());

  std::vector<ScriptedReply> failures(20, ScriptedReply::Answer(503, "", {}));
  imds.Script(failures);
  clock_.Advance(minutes(56));
  Result<AwsCredentials> kept = chain.Get();  // refresh fails; 4 minutes of validity left
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(kept->access_key_id, "ASIATEMPORARY0001001");
  const size_t after_failure = imds.request_count();
  clock_.Advance(std::chrono::seconds(10));  // within the 30 s pause between refresh tries
  ASSERT_TRUE(chain.Get().ok());
  EXPECT_EQ(imds.request_count(), after_failure);

  clock_.Advance(minutes(5));  // expired now, and IMDS still failing
  Result<AwsCredentials> gone = chain.Get();
  ASSERT_FALSE(gone.ok());
  EXPECT_THAT(gone.status().message(),
              HasSubstr("EC2 instance metadata: IMDSv2 token request answered HTTP 503"));
  EXPECT_THAT(gone.status().message(), Not(HasSubstr("tempSecret")));
}

// ---- region --------------------------------------------------------------------------------

TEST_F(AwsCredentialsTest, RegionFromFlagThenEnvironmentThenProfile) {
  Write(".aws/config", "[default]\nregion = eu-west-1\n[profile kr]\nregion = ap-northeast-2\n");
  auto vars = Base({{"AWS_REGION", "us-east-1"}, {"AWS_DEFAULT_REGION", "us-west-2"}});
  EXPECT_EQ(*ResolveAwsRegion(Env(vars), "ap-southeast-1"), "ap-southeast-1");
  EXPECT_EQ(*ResolveAwsRegion(Env(vars)), "us-east-1");
  vars.erase("AWS_REGION");
  EXPECT_EQ(*ResolveAwsRegion(Env(vars)), "us-west-2");
  vars.erase("AWS_DEFAULT_REGION");
  EXPECT_EQ(*ResolveAwsRegion(Env(vars)), "eu-west-1");
  vars["AWS_PROFILE"] = "kr";
  EXPECT_EQ(*ResolveAwsRegion(Env(vars)), "ap-northeast-2");
  EXPECT_EQ(*ResolveAwsRegion(Env(vars), "", "default"), "eu-west-1");
}

TEST_F(AwsCredentialsTest, RegionProblemsSayWhatIsWrong) {
  Result<std::string> bad = ResolveAwsRegion(Env(Base({{"AWS_REGION", "Seoul Region"}})));
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("AWS_REGION \"Seoul Region\" is not an AWS region code"));
  Result<std::string> none = ResolveAwsRegion(Env(Base()));
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(none.status().message(),
              HasSubstr("no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION"));
}

}  // namespace
}  // namespace rr
