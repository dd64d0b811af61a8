// SigningCertURL judged by its parsed parts (aws-formats.md §3.3 step 4): lookalike hosts,
// userinfo, ports, schemes, query and fragment tricks, percent-encoding, IDN, and the extra hosts
// that tests and emulators may be trusted with.
#include "alarm/signing_cert_url.h"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace rr {
namespace {

struct UrlCase {
  std::string_view url;
  std::string_view reason;  // empty: accepted
};

void ExpectAll(const std::vector<UrlCase>& cases, const CertUrlPolicy& policy = {}) {
  for (const UrlCase& c : cases) {
    Status s = CheckSigningCertUrl(c.url, policy);
    if (c.reason.empty()) {
      EXPECT_TRUE(s.ok()) << c.url << ": " << s.message();
    } else {
      EXPECT_FALSE(s.ok()) << c.url;
      EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.url;
      EXPECT_EQ(s.message(), c.reason) << c.url;
    }
  }
}

TEST(SigningCertUrlTest, AcceptsTheSnsHostsOfEveryPartition) {
  ExpectAll({
      {"https://sns.ap-northeast-2.amazonaws.com/"
       "SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem",
       ""},
      {"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem", ""},
      {"https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem", ""},
      {"https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem", ""},
      {"https://sns.cn-northwest-1.amazonaws.com.cn/SimpleNotificationService-abc.pem", ""},
      {"https://sns.ap-southeast-5.amazonaws.com/SimpleNotificationService-abc.pem", ""},
      {"https://sns.us-east-1.amazonaws.com:443/SimpleNotificationService-abc.pem", ""},
      // Scheme and host are case-insensitive (RFC 3986 §3.1, §3.2.2).
      {"HTTPS://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-abc.pem", ""},
      {"https://sns.us-east-1.amazonaws.com/certs/SimpleNotificationService-abc.pem", ""},
  });
}

TEST(SigningCertUrlTest, RefusesLookalikeHosts) {
  ExpectAll({
      {"https://sns.us-east-1.amazonaws.com.evil.com/x.pem",
       "SigningCertURL host sns.us-east-1.amazonaws.com.evil.com is not an SNS host"},
      {"https://evilsns.us-east-1.amazonaws.com/x.pem",
       "SigningCertURL host evilsns.us-east-1.amazonaws.com is not an SNS host"},
      {"https://evil.com/x.pem", "SigningCertURL host evil.com is not an SNS host"},
      {"https://sns.us-east-1.amazonaws.co/x.pem",
       "SigningCertURL host sns.us-east-1.amazonaws.co is not an SNS host"},
      {"https://sns.us-east-1.amazonaws.com./x.pem",
       "SigningCertURL host sns.us-east-1.amazonaws.com. is not an SNS host"},
      {"https://sns.us-east-1.evil.amazonaws.com/x.pem",
       "SigningCertURL host sns.us-east-1.evil.amazonaws.com is not an SNS host"},
      {"https://sns.amazonaws.com/x.pem",
       "SigningCertURL host sns.amazonaws.com is not an SNS host"},
      {"https://sns..amazonaws.com/x.pem",
       "SigningCertURL host sns..amazonaws.com is not an SNS host"},
      {"https://xsns.us-east-1.amazonaws.com/x.pem",
       "SigningCertURL host xsns.us-east-1.amazonaws.com is not an SNS host"},
      {"https://[::1]/x.pem", "SigningCertURL host [::1] is not an SNS host"},
      {"https://127.0.0.1/x.pem", "SigningCertURL host 127.0.0.1 is not an SNS host"},
  });
}

// Legacy S3 endpoints put a bucket named "sns" at exactly sns.<endpoint>.amazonaws.com, and
// anyone can own a bucket: the region must look like a region, not like [a-z0-9-]{3,}.
TEST(SigningCertUrlTest, RefusesS3BucketHostsThatLookLikeSns) {
  ExpectAll({
      {"https://sns.s3-us-west-2.amazonaws.com/x.pem",
       "SigningCertURL host sns.s3-us-west-2.amazonaws.com is not an SNS host"},
      {"https://sns.s3-external-1.amazonaws.com/x.pem",
       "SigningCertURL host sns.s3-external-1.amazonaws.com is not an SNS host"},
      {"https://sns.s3.amazonaws.com/x.pem",
       "SigningCertURL host sns.s3.amazonaws.com is not an SNS host"},
      {"https://sns.s3.us-west-2.amazonaws.com/x.pem",
       "SigningCertURL host sns.s3.us-west-2.amazonaws.com is not an SNS host"},
  });
}

TEST(SigningCertUrlTest, ChinaRegionsOnlyUnderAmazonawsComCn) {
  ExpectAll({
      {"https://sns.cn-north-1.amazonaws.com/x.pem",
       "SigningCertURL host sns.cn-north-1.amazonaws.com is not an SNS host"},
      {"https://sns.us-east-1.amazonaws.com.cn/x.pem",
       "SigningCertURL host sns.us-east-1.amazonaws.com.cn is not an SNS host"},
  });
}

TEST(SigningCertUrlTest, RefusesUserinfoWithoutRepeatingIt) {
  ExpectAll({
      {"https://sns.us-east-1.amazonaws.com@evil.com/x.pem", "SigningCertURL has userinfo"},
      {"https://evil.com@sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL has userinfo"},
      {"https://@sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL has userinfo"},
  });
  Status s = CheckSigningCertUrl("https://admin:Pl4ntedPassw0rd@sns.us-east-1.amazonaws.com/x.pem",
                                 CertUrlPolicy{});
  EXPECT_EQ(s.message(), "SigningCertURL has userinfo");
  EXPECT_EQ(s.ToString().find("Pl4ntedPassw0rd"), std::string::npos);
}

TEST(SigningCertUrlTest, RefusesPortsOtherThan443) {
  ExpectAll({
      {"https://sns.us-east-1.amazonaws.com:8443/x.pem", "SigningCertURL port 8443 is not 443"},
      {"https://sns.us-east-1.amazonaws.com:80/x.pem", "SigningCertURL port 80 is not 443"},
      {"https://sns.us-east-1.amazonaws.com:0443/x.pem", "SigningCertURL port 0443 is not 443"},
      {"https://sns.us-east-1.amazonaws.com:/x.pem", "SigningCertURL port  is not a port number"},
      {"https://sns.us-east-1.amazonaws.com:443abc/x.pem",
       "SigningCertURL port 443abc is not a port number"},
      {"https://sns.us-east-1.amazonaws.com:443:443/x.pem",
       "SigningCertURL port 443:443 is not a port number"},
      {"https://sns.us-east-1.amazonaws.com:99999999/x.pem",
       "SigningCertURL port 99999999 is not a port number"},
  });
}

TEST(SigningCertUrlTest, RefusesEverySchemeButHttps) {
  ExpectAll({
      {"http://sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL scheme http is not https"},
      {"ftp://sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL scheme ftp is not https"},
      {"file://sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL scheme file is not https"},
      {"//sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL is not an absolute URL"},
      {"https:/sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL is not an absolute URL"},
      {"sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL is not an absolute URL"},
      {"1https://sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL is not an absolute URL"},
      {"https://", "SigningCertURL has no host"},
      {"https:///x.pem", "SigningCertURL has no host"},
      {"", "SigningCertURL is empty"},
  });
}

TEST(SigningCertUrlTest, PathMustEndInPem) {
  ExpectAll({
      {"https://sns.us-east-1.amazonaws.com/x.txt",
       "SigningCertURL path /x.txt does not end in .pem"},
      {"https://sns.us-east-1.amazonaws.com/x.pem.txt",
       "SigningCertURL path /x.pem.txt does not end in .pem"},
      {"https://sns.us-east-1.amazonaws.com/x.PEM",
       "SigningCertURL path /x.PEM does not end in .pem"},
      {"https://sns.us-east-1.amazonaws.com/.pem",
       "SigningCertURL path /.pem does not end in .pem"},
      {"https://sns.us-east-1.amazonaws.com/", "SigningCertURL path does not end in .pem"},
      {"https://sns.us-east-1.amazonaws.com", "SigningCertURL path does not end in .pem"},
      {"https://sns.us-east-1.amazonaws.com/x.pem/",
       "SigningCertURL path /x.pem/ has an empty, . or .. segment"},
      {"https://sns.us-east-1.amazonaws.com/a/../x.pem",
       "SigningCertURL path /a/../x.pem has an empty, . or .. segment"},
      {"https://sns.us-east-1.amazonaws.com/./x.pem",
       "SigningCertURL path /./x.pem has an empty, . or .. segment"},
      {"https://sns.us-east-1.amazonaws.com//x.pem",
       "SigningCertURL path //x.pem has an empty, . or .. segment"},
      {"https://sns.us-east-1.amazonaws.com/a;b.pem",
       "SigningCertURL path /a;b.pem has the character ;"},
      {"https://sns.us-east-1.amazonaws.com/a@b.pem",
       "SigningCertURL path /a@b.pem has the character @"},
  });
}

TEST(SigningCertUrlTest, RefusesQueryAndFragmentTricks) {
  ExpectAll({
      {"https://sns.us-east-1.amazonaws.com/x.pem?x", "SigningCertURL has a query"},
      {"https://sns.us-east-1.amazonaws.com/x.pem?", "SigningCertURL has a query"},
      {"https://sns.us-east-1.amazonaws.com/x?.pem", "SigningCertURL has a query"},
      {"https://sns.us-east-1.amazonaws.com/x.pem#", "SigningCertURL has a fragment"},
      {"https://sns.us-east-1.amazonaws.com/x#.pem", "SigningCertURL has a fragment"},
      // The authority ends at '?' or '#': the host here is evil.com, as curl would connect.
      {"https://evil.com?@sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL has a query"},
      {"https://evil.com#@sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL has a fragment"},
      {"https://evil.com/?https://sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL has a query"},
      {"https://evil.com/sns.us-east-1.amazonaws.com/x.pem",
       "SigningCertURL host evil.com is not an SNS host"},
  });
}

TEST(SigningCertUrlTest, RefusesPercentEncodingAndBackslashes) {
  ExpectAll({
      {"https://sns.us-east-1.amazonaws.com%2eevil.com/x.pem",
       "SigningCertURL has percent-encoding"},
      {"https://sns.us-east-1.amazonaws.com/x%2epem", "SigningCertURL has percent-encoding"},
      {"https://sns.us-east-1.amazonaws.com/%2e%2e/x.pem", "SigningCertURL has percent-encoding"},
      {"https://sns%2Eus-east-1.amazonaws.com/x.pem", "SigningCertURL has percent-encoding"},
      {"https://sns.us-east-1.amazonaws.com/x.pem%3Fa", "SigningCertURL has percent-encoding"},
      {"https://evil.com\\@sns.us-east-1.amazonaws.com/x.pem", "SigningCertURL has a backslash"},
      {"https://sns.us-east-1.amazonaws.com\\@evil.com/x.pem", "SigningCertURL has a backslash"},
      {"https://sns.us-east-1.amazonaws.com\\x.pem", "SigningCertURL has a backslash"},
  });
}

TEST(SigningCertUrlTest, RefusesNonAsciiWhitespaceAndControlBytes) {
  ExpectAll({
      // Cyrillic "с" (U+0441) in place of the "c" of "com".
      {"https://sns.us-east-1.amazonaws.\xd1\x81om/x.pem",
       "SigningCertURL has a space, control or non-ASCII byte at byte 32"},
      // A zero-width space after "sns".
      {"https://sns\xe2\x80\x8b.us-east-1.amazonaws.com/x.pem",
       "SigningCertURL has a space, control or non-ASCII byte at byte 11"},
      {" https://sns.us-east-1.amazonaws.com/x.pem",
       "SigningCertURL has a space, control or non-ASCII byte at byte 0"},
      {"https://sns.us-east-1.amazonaws.com/x.pem\n",
       "SigningCertURL has a space, control or non-ASCII byte at byte 41"},
      {"https://sns.us-east-1.amazonaws.com/x .pem",
       "SigningCertURL has a space, control or non-ASCII byte at byte 37"},
      {std::string_view("https://sns.us-east-1.amazonaws.com\0.evil.com/x.pem", 51),
       "SigningCertURL has a space, control or non-ASCII byte at byte 35"},
      // Punycode is ASCII, but no region code starts with "xn--".
      {"https://sns.xn--us-east-1-xyz.amazonaws.com/x.pem",
       "SigningCertURL host sns.xn--us-east-1-xyz.amazonaws.com is not an SNS host"},
      {"https://xn--sns-abc.us-east-1.amazonaws.com/x.pem",
       "SigningCertURL host xn--sns-abc.us-east-1.amazonaws.com is not an SNS host"},
  });
}

TEST(SigningCertUrlTest, RefusesOverlongUrls) {
  const std::string url = "https://sns.us-east-1.amazonaws.com/" + std::string(3000, 'a') + ".pem";
  Status s = CheckSigningCertUrl(url, CertUrlPolicy{});
  EXPECT_EQ(s.message(),
            "SigningCertURL is " + std::to_string(url.size()) + " bytes, more than 2048");
}

TEST(SigningCertUrlTest, ExtraHostsMatchTheAuthorityExactly) {
  CertUrlPolicy policy;
  policy.extra_hosts = {{"127.0.0.1:4566", true},
                        {"[::1]:8443", true},
                        {"localhost:5055", false},
                        {"Certs.Example.Internal", false}};
  ExpectAll(
      {
          {"http://127.0.0.1:4566/_aws/sns/SimpleNotificationService-1.pem", ""},
          {"https://127.0.0.1:4566/x.pem", ""},
          {"http://[::1]:8443/x.pem", ""},
          {"https://localhost:5055/x.pem", ""},
          {"https://LOCALHOST:5055/x.pem", ""},
          {"https://certs.example.internal/x.pem", ""},
          {"http://localhost:5055/x.pem", "SigningCertURL scheme http is not https"},
          {"http://127.0.0.1:4567/x.pem", "SigningCertURL host 127.0.0.1 is not an SNS host"},
          {"http://127.0.0.1/x.pem", "SigningCertURL host 127.0.0.1 is not an SNS host"},
          {"https://certs.example.internal:443/x.pem",
           "SigningCertURL host certs.example.internal is not an SNS host"},
          {"http://127.0.0.1:4566/x.txt", "SigningCertURL path /x.txt does not end in .pem"},
          {"http://127.0.0.1:4566/x.pem?a=b", "SigningCertURL has a query"},
          {"http://user@127.0.0.1:4566/x.pem", "SigningCertURL has userinfo"},
          // The SNS hosts stay trusted alongside.
          {"https://sns.eu-west-1.amazonaws.com/x.pem", ""},
      },
      policy);
}

TEST(SigningCertUrlTest, HttpIsHonouredOnlyForLoopbackHosts) {
  CertUrlPolicy policy;
  policy.extra_hosts = {{"certs.example.internal", true}, {"10.0.0.5:8080", true}};
  ExpectAll(
      {
          {"http://certs.example.internal/x.pem",
           "SigningCertURL scheme http is allowed only for loopback hosts"},
          {"http://10.0.0.5:8080/x.pem",
           "SigningCertURL scheme http is allowed only for loopback hosts"},
          {"https://certs.example.internal/x.pem", ""},
      },
      policy);
}

TEST(SigningCertUrlTest, IsSnsHost) {
  EXPECT_TRUE(IsSnsHost("sns.ap-northeast-2.amazonaws.com"));
  EXPECT_TRUE(IsSnsHost("sns.us-gov-east-1.amazonaws.com"));
  EXPECT_TRUE(IsSnsHost("sns.cn-north-1.amazonaws.com.cn"));
  EXPECT_TRUE(IsSnsHost("sns.il-central-1.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.us-east-1a.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.us-east.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.us-1.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.us-east-123.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.us--east-1.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.us-east-1-.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("sns.abcde-east-1.amazonaws.com"));
  EXPECT_FALSE(IsSnsHost("SNS.US-EAST-1.AMAZONAWS.COM"));  // the parser lower-cases first
  EXPECT_FALSE(IsSnsHost(".amazonaws.com"));
  EXPECT_FALSE(IsSnsHost(""));
}

TEST(SigningCertUrlTest, IsLoopbackHost) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.2"));
  EXPECT_FALSE(IsLoopbackHost("localhost.evil.com"));
  EXPECT_FALSE(IsLoopbackHost("2130706433"));
  EXPECT_FALSE(IsLoopbackHost("::1"));
}

}  // namespace
}  // namespace rr
