#include "responder/aws_endpoint.h"
#include "responder/loopback_host.h"
#include "tests/support/map_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace rr {
namespace {

using ::testing::HasSubstr;

GetEnv Env(std::map<std::string, std::string> vars) { return testing::MapEnv(std::move(vars)); }

TEST(AwsEndpointTest, PublicEndpointsByRegionAndPartition) {
  Result<AwsEndpoint> sqs = ResolveAwsEndpoint(kSqsService, "ap-northeast-2", Env({}));
  ASSERT_TRUE(sqs.ok()) << sqs.status().message();
  EXPECT_EQ(sqs->url, "https://sqs.ap-northeast-2.amazonaws.com");
  EXPECT_EQ(sqs->SigV4Provider(), "aws:amz:ap-northeast-2:sqs");
  EXPECT_EQ(sqs->json_version, "1.0");
  EXPECT_EQ(sqs->origin, "default");

  Result<AwsEndpoint> ssm = ResolveAwsEndpoint(kSsmService, "cn-north-1", Env({}));
  ASSERT_TRUE(ssm.ok());
  EXPECT_EQ(ssm->url, "https://ssm.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(ssm->json_version, "1.1");

  // CloudWatch's host and signing name are "monitoring", not "cloudwatch".
  Result<AwsEndpoint> cw = ResolveAwsEndpoint(kCloudWatchService, "us-east-1", Env({}));
  ASSERT_TRUE(cw.ok());
  EXPECT_EQ(cw->url, "https://monitoring.us-east-1.amazonaws.com");
  EXPECT_EQ(cw->SigV4Provider(), "aws:amz:us-east-1:monitoring");
}

TEST(AwsEndpointTest, OverridesAsTheSdksTakeThem) {
  auto env = Env({{"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:4566/"},
                  {"AWS_ENDPOINT_URL", "http://localhost:5000"},
                  {"AWS_ENDPOINT_URL_CLOUDWATCH", "https://monitoring.vpce.example.internal"}});
  Result<AwsEndpoint> sqs = ResolveAwsEndpoint(kSqsService, "ap-northeast-2", env);
  ASSERT_TRUE(sqs.ok()) << sqs.status().message();
  EXPECT_EQ(sqs->url, "http://127.0.0.1:4566");
  EXPECT_EQ(sqs->origin, "AWS_ENDPOINT_URL_SQS");
  EXPECT_EQ(sqs->region, "ap-northeast-2");  // the signature scope keeps the region

  Result<AwsEndpoint> ssm = ResolveAwsEndpoint(kSsmService, "ap-northeast-2", env);
  ASSERT_TRUE(ssm.ok());
  EXPECT_EQ(ssm->url, "http://localhost:5000");
  EXPECT_EQ(ssm->origin, "AWS_ENDPOINT_URL");

  Result<AwsEndpoint> cw = ResolveAwsEndpoint(kCloudWatchService, "ap-northeast-2", env);
  ASSERT_TRUE(cw.ok());
  EXPECT_EQ(cw->url, "https://monitoring.vpce.example.internal");

  Result<AwsEndpoint> explicit_url =
      ResolveAwsEndpoint(kSqsService, "ap-northeast-2", env, "http://[::1]:9324");
  ASSERT_TRUE(explicit_url.ok());
  EXPECT_EQ(explicit_url->url, "http://[::1]:9324");
  EXPECT_EQ(explicit_url->origin, "explicit");

  auto ignored = Env({{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"},
                      {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}});
  EXPECT_EQ(ResolveAwsEndpoint(kSqsService, "eu-west-1", ignored)->url,
            "https://sqs.eu-west-1.amazonaws.com");
}

TEST(AwsEndpointTest, BadOverridesAndRegionsAreNamed) {
  struct Case {
    std::string url;
    std::string problem;
  };
  for (const Case& c : {
           Case{"http://sqs.example.com", "plain http is allowed only to a loopback address"},
           Case{"http://127.0.0.1.evil.example:80", "plain http is allowed only to a loopback"},
           Case{"ftp://127.0.0.1", "must be an https:// URL"},
           Case{"https://sqs.example.com/prefix", "without a path"},
           Case{"https://sqs.example.com/?a=b", "without a query"},
           Case{"https://user@sqs.example.com", "must not carry a user name"},
           Case{"https://", "has no host"},
       }) {
    Result<AwsEndpoint> e =
        ResolveAwsEndpoint(kSqsService, "ap-northeast-2", Env({{"AWS_ENDPOINT_URL_SQS", c.url}}));
    ASSERT_FALSE(e.ok()) << c.url;
    EXPECT_THAT(e.status().message(), HasSubstr("AWS_ENDPOINT_URL_SQS endpoint \"" + c.url + "\""));
    EXPECT_THAT(e.status().message(), HasSubstr(c.problem)) << c.url;
  }
  for (const std::string region : {"", "Seoul", "ap-northeast-2.evil.com", "ap--x", "us-east-1-"}) {
    Result<AwsEndpoint> e = ResolveAwsEndpoint(kSqsService, region, Env({}));
    ASSERT_FALSE(e.ok()) << region;
    EXPECT_THAT(e.status().message(), HasSubstr("is not a region code")) << region;
  }
}

TEST(AwsEndpointTest, HostsAndLoopback) {
  EXPECT_EQ(UrlHost("http://127.0.0.1:5000/x"), "127.0.0.1");
  EXPECT_EQ(UrlHost("https://[::1]:443"), "[::1]");
  EXPECT_EQ(UrlHost("https://u:p@h.example/x"), "h.example");
  EXPECT_EQ(UrlHost("no scheme"), "");
  EXPECT_TRUE(IsLoopbackAddress("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackAddress("localhost"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]"));
  EXPECT_FALSE(IsLoopbackAddress("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.nip.io"));
  EXPECT_TRUE(IsValidAwsRegion("us-gov-west-1"));
  EXPECT_FALSE(IsValidAwsRegion("-us-east-1"));
}

}  // namespace
}  // namespace rr
