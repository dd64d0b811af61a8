// SNS message signatures (aws-formats.md §3.3): the string to sign, the signature and its
// version, the certificate, and the verifier that puts them together with the topic allow-list,
// the SigningCertURL policy, pinned certificates and the certificate cache.
//
// The fixtures in testdata/sns-signed/ were signed by tests/tools/make_sns_fixtures.py with a
// throwaway key (test-signing-key.pem, certificate test-signing-cert.pem); the string to sign is
// built there independently of alarm/, so each implementation checks the other.
#include "alarm/sns_signature.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "alarm/field_reader.h"
#include "alarm/json.h"
#include "alarm/signing_cert.h"
#include "alarm/signing_cert_cache.h"
#include "alarm/sns_envelope.h"
#include "alarm/sns_verifier.h"
#include "tests/support/testdata.h"

namespace rr {
namespace {

using std::chrono::system_clock;

constexpr char kAlarmTopic[] = "arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic";
constexpr char kActivityTopic[] = "arn:aws:sns:us-east-1:111122223333:root-activity";
constexpr char kSeoulCertUrl[] =
    "https://sns.ap-northeast-2.amazonaws.com/"
    "SimpleNotificationService-6aad65c2f9911b05cd53efda11f913f9.pem";
constexpr char kVirginiaCertUrl[] =
    "https://sns.us-east-1.amazonaws.com/"
    "SimpleNotificationService-6aad65c2f9911b05cd53efda11f913f9.pem";

// A fixed "now" inside the test certificate's validity (2024-01-01 .. 2124-01-01).
const system_clock::time_point kNow = std::chrono::sys_days{std::chrono::year{2026} / 6 / 1};

std::string FixturePath(const std::string& name) {
  return testing::TestdataDir() + "/sns-signed/" + name;
}

std::string Fixture(const std::string& name) {
  std::string text = testing::ReadFile(FixturePath(name));
  EXPECT_FALSE(text.empty()) << "missing fixture " << name;
  return text;
}

// The envelope of an HTTP body, or of the first record of a Lambda event.
SnsEnvelope EnvelopeOf(const std::string& body) {
  JsonDocument doc;
  Status parsed = ParseJson(body, {}, "fixture", &doc);
  EXPECT_TRUE(parsed.ok()) << parsed.message();
  const JsonValue* sns = &doc;
  if (doc.IsObject() && doc.HasMember("Records")) sns = &doc["Records"][0]["Sns"];
  Status error;
  FieldReader reader(*sns, "", &error);
  SnsEnvelope envelope = ReadSnsEnvelope(reader);
  EXPECT_TRUE(error.ok()) << error.message();
  return envelope;
}

SnsEnvelope FixtureEnvelope(const std::string& name) { return EnvelopeOf(Fixture(name)); }

std::shared_ptr<const SigningCert> CertFixture(const std::string& name) {
  Result<std::shared_ptr<const SigningCert>> cert = SigningCert::FromPem(Fixture(name));
  EXPECT_TRUE(cert.ok()) << name << ": " << cert.status().message();
  return cert.ok() ? *cert : nullptr;
}

// A fetcher that serves one PEM for every URL and remembers what it was asked for.
struct FakeFetch {
  std::string pem;
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::vector<std::string>> urls = std::make_shared<std::vector<std::string>>();

  CertFetcher Fetcher() const {
    return [pem = pem, calls = calls, urls = urls](const std::string& url) -> Result<std::string> {
      urls->push_back(url);  // only read by single-threaded tests
      ++*calls;
      return pem;
    };
  }
};

SnsVerifierOptions FixtureOptions() {
  SnsVerifierOptions options;
  options.allowed_topic_arns = {kAlarmTopic, kActivityTopic};
  return options;
}

std::unique_ptr<SnsVerifier> MakeVerifier(SnsVerifierOptions options, CertFetcher fetch) {
  Result<std::unique_ptr<SnsVerifier>> verifier =
      SnsVerifier::Create(std::move(options), std::move(fetch));
  EXPECT_TRUE(verifier.ok()) << verifier.status().message();
  return verifier.ok() ? std::move(verifier).value() : nullptr;
}

SnsEnvelope SampleNotification() {
  SnsEnvelope e;
  e.type = "Notification";
  e.message_id = "m-1";
  e.topic_arn = "arn:aws:sns:us-east-1:111122223333:t";
  e.subject = "ALARM: \"root-alert\" in US East (N. Virginia)";
  e.message = "line one\nline two";
  e.timestamp = "2026-03-02T09:45:31.140Z";
  e.signature_version = "2";
  e.signature = "c2ln";
  e.signing_cert_url = kVirginiaCertUrl;
  e.unsubscribe_url = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe";
  return e;
}

SnsEnvelope SampleConfirmation(const std::string& type) {
  SnsEnvelope e;
  e.type = type;
  e.message_id = "m-2";
  e.topic_arn = "arn:aws:sns:us-east-1:111122223333:t";
  e.message = "You have chosen to subscribe.\nVisit the SubscribeURL.";
  e.subscribe_url = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=tok";
  e.timestamp = "2026-03-02T09:00:00.000Z";
  e.token = "tok";
  e.signature_version = "1";
  e.signature = "c2ln";
  e.signing_cert_url = kVirginiaCertUrl;
  return e;
}

// --- The string to sign -------------------------------------------------------------------

TEST(SnsStringToSignTest, NotificationWithSubject) {
  Result<std::string> text = SnsStringToSign(SampleNotification());
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text,
            "Message\nline one\nline two\n"
            "MessageId\nm-1\n"
            "Subject\nALARM: \"root-alert\" in US East (N. Virginia)\n"
            "Timestamp\n2026-03-02T09:45:31.140Z\n"
            "TopicArn\narn:aws:sns:us-east-1:111122223333:t\n"
            "Type\nNotification\n");
}

TEST(SnsStringToSignTest, NotificationWithoutSubjectSkipsTheKey) {
  SnsEnvelope e = SampleNotification();
  e.subject.reset();
  Result<std::string> text = SnsStringToSign(e);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "Message\nline one\nline two\n"
            "MessageId\nm-1\n"
            "Timestamp\n2026-03-02T09:45:31.140Z\n"
            "TopicArn\narn:aws:sns:us-east-1:111122223333:t\n"
            "Type\nNotification\n");
}

TEST(SnsStringToSignTest, AnEmptySubjectIsStillSigned) {
  SnsEnvelope e = SampleNotification();
  e.subject = "";
  Result<std::string> text = SnsStringToSign(e);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("MessageId\nm-1\nSubject\n\nTimestamp\n"), std::string::npos) << *text;
}

TEST(SnsStringToSignTest, NotificationNeverSignsTokenOrSubscribeUrl) {
  SnsEnvelope e = SampleNotification();
  e.token = "tok";
  e.subscribe_url = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription";
  Result<std::string> with_extras = SnsStringToSign(e);
  Result<std::string> plain = SnsStringToSign(SampleNotification());
  ASSERT_TRUE(with_extras.ok() && plain.ok());
  EXPECT_EQ(*with_extras, *plain);
}

TEST(SnsStringToSignTest, SubscriptionAndUnsubscribeConfirmation) {
  for (const std::string type : {"SubscriptionConfirmation", "UnsubscribeConfirmation"}) {
    SnsEnvelope e = SampleConfirmation(type);
    e.subject = "never signed for a confirmation";
    Result<std::string> text = SnsStringToSign(e);
    ASSERT_TRUE(text.ok()) << text.status().message();
    EXPECT_EQ(*text,
              "Message\nYou have chosen to subscribe.\nVisit the SubscribeURL.\n"
              "MessageId\nm-2\n"
              "SubscribeURL\nhttps://sns.us-east-1.amazonaws.com/"
              "?Action=ConfirmSubscription&Token=tok\n"
              "Timestamp\n2026-03-02T09:00:00.000Z\n"
              "Token\ntok\n"
              "TopicArn\narn:aws:sns:us-east-1:111122223333:t\n"
              "Type\n" +
                  type + "\n");
  }
}

TEST(SnsStringToSignTest, MissingSignedFieldsAreNamed) {
  SnsEnvelope e = SampleNotification();
  e.timestamp.reset();
  EXPECT_EQ(SnsStringToSign(e).status().message(), "SNS Notification has no Timestamp");
  e = SampleNotification();
  e.message.reset();
  EXPECT_EQ(SnsStringToSign(e).status().message(), "SNS Notification has no Message");
  e = SampleNotification();
  e.message_id.clear();
  EXPECT_EQ(SnsStringToSign(e).status().message(), "SNS Notification has no MessageId");
  SnsEnvelope c = SampleConfirmation("SubscriptionConfirmation");
  c.token.reset();
  EXPECT_EQ(SnsStringToSign(c).status().message(), "SNS SubscriptionConfirmation has no Token");
  c = SampleConfirmation("UnsubscribeConfirmation");
  c.subscribe_url.reset();
  EXPECT_EQ(SnsStringToSign(c).status().message(),
            "SNS UnsubscribeConfirmation has no SubscribeURL");
}

TEST(SnsStringToSignTest, OtherTypesAreRefusedAndQuotedSafely) {
  SnsEnvelope e = SampleNotification();
  e.type = "notification";
  EXPECT_EQ(SnsStringToSign(e).status().message(),
            "Type notification is not a signed SNS message type");
  e.type = "Noti\x1b[31mfication\nforged=1";
  Status s = SnsStringToSign(e).status();
  EXPECT_EQ(s.message(),
            "Type Noti\\x1b[31mfication\\x0aforged=1 is not a signed SNS message type");
}

// --- SignatureVersion and the Base64 signature -------------------------------------------

TEST(SnsSignatureVersionTest, OneIsSha1AndTwoIsSha256) {
  EXPECT_EQ(*DigestForSignatureVersion("1"), SignatureDigest::kSha1);
  EXPECT_EQ(*DigestForSignatureVersion("2"), SignatureDigest::kSha256);
}

TEST(SnsSignatureVersionTest, AnythingElseIsRefusedByName) {
  EXPECT_EQ(DigestForSignatureVersion("3").status().message(),
            "SignatureVersion 3 is not supported");
  EXPECT_EQ(DigestForSignatureVersion("").status().message(), "SignatureVersion  is not supported");
  EXPECT_EQ(DigestForSignatureVersion(" 1").status().message(),
            "SignatureVersion  1 is not supported");
  EXPECT_EQ(DigestForSignatureVersion("1\n").status().message(),
            "SignatureVersion 1\\x0a is not supported");
  EXPECT_EQ(DigestForSignatureVersion("01").status().message(),
            "SignatureVersion 01 is not supported");
  EXPECT_EQ(DigestForSignatureVersion(std::nullopt).status().message(),
            "SignatureVersion is missing");
}

TEST(SnsSignatureDecodeTest, DecodesStrictBase64) {
  EXPECT_EQ(*DecodeSnsSignature("c2lnbmF0dXJl"), "signature");
  EXPECT_EQ(*DecodeSnsSignature("c2lnbg=="), "sign");
  EXPECT_EQ(*DecodeSnsSignature("c2lnbmE="), "signa");
  EXPECT_EQ(*DecodeSnsSignature("+/+/"), "\xfb\xff\xbf");
  const std::string nul_bytes = *DecodeSnsSignature("AAAA");
  EXPECT_EQ(nul_bytes, std::string(3, '\0'));
}

TEST(SnsSignatureDecodeTest, RefusesAnythingLoose) {
  for (const char* bad :
       {"c2lnbg", "c2lnbg=", "c2ln bmF0", "c2ln\nbmF0", "c2l=bmF0", "c2lnbmF0dXJl====", "c2ln-mF0",
        "c2ln_mF0", "====", "c2lnbmF0!XJl", "A===", "Zm9v\r\n"}) {
    Result<std::string> decoded = DecodeSnsSignature(std::string(bad));
    EXPECT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().message(), "Signature is not valid base64") << bad;
  }
  EXPECT_EQ(DecodeSnsSignature(std::nullopt).status().message(), "Signature is missing");
  EXPECT_EQ(DecodeSnsSignature("").status().message(), "Signature is missing");
}

// --- The certificate ------------------------------------------------------------------------

TEST(SigningCertTest, ReadsTheFixtureCertificate) {
  auto cert = CertFixture("test-signing-cert.pem");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->key_bits(), 2048);
  EXPECT_EQ(cert->signature_bytes(), 256u);
}

TEST(SigningCertTest, RefusesWhatIsNotAnRsaCertificate) {
  EXPECT_EQ(SigningCert::FromPem("").status().message(),
            "certificate is not a PEM X.509 certificate");
  EXPECT_EQ(SigningCert::FromPem("<html>503 Service Unavailable</html>").status().message(),
            "certificate is not a PEM X.509 certificate");
  // A private key is PEM, but not a certificate.
  EXPECT_EQ(SigningCert::FromPem(Fixture("test-signing-key.pem")).status().message(),
            "certificate is not a PEM X.509 certificate");
  std::string cut = Fixture("test-signing-cert.pem");
  cut.resize(cut.size() / 2);
  EXPECT_EQ(SigningCert::FromPem(cut).status().message(),
            "certificate is not a PEM X.509 certificate");
  EXPECT_EQ(SigningCert::FromPem(Fixture("ec-signing-cert.pem")).status().message(),
            "certificate key is EC, not RSA");
  EXPECT_EQ(SigningCert::FromPem(Fixture("rsa1024-signing-cert.pem")).status().message(),
            "certificate RSA key has 1024 bits, fewer than 2048");
}

TEST(SigningCertTest, ValidOnlyBetweenNotBeforeAndNotAfter) {
  auto cert = CertFixture("test-signing-cert.pem");
  ASSERT_NE(cert, nullptr);
  using std::chrono::sys_days;
  using std::chrono::year;
  EXPECT_TRUE(cert->CheckValidAt(kNow).ok());
  EXPECT_TRUE(cert->CheckValidAt(sys_days{year{2024} / 1 / 1}).ok());
  EXPECT_EQ(cert->CheckValidAt(sys_days{year{2023} / 12 / 31}).message(),
            "certificate is not valid before 2024-01-01T00:00:00Z");
  EXPECT_EQ(cert->CheckValidAt(sys_days{year{2124} / 1 / 2}).message(),
            "certificate expired at 2124-01-01T00:00:00Z");
  auto expired = CertFixture("expired-signing-cert.pem");
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->CheckValidAt(kNow).message(), "certificate expired at 2021-01-01T00:00:00Z");
}

TEST(SigningCertTest, ChecksTheFixtureSignaturesDirectly) {
  auto cert = CertFixture("test-signing-cert.pem");
  auto other = CertFixture("other-signing-cert.pem");
  ASSERT_TRUE(cert && other);
  for (const char* name : {"notification-v1-subject.json", "notification-v2-subject.json",
                           "subscription-confirmation.json", "unsubscribe-confirmation.json"}) {
    Result<SnsSignedParts> parts = PrepareSnsSignature(FixtureEnvelope(name));
    ASSERT_TRUE(parts.ok()) << name << ": " << parts.status().message();
    EXPECT_TRUE(CheckSnsSignature(*parts, *cert).ok()) << name;
    EXPECT_EQ(CheckSnsSignature(*parts, *other).message(), "signature does not match") << name;
  }
}

// --- Every fixture through the verifier ---------------------------------------------------

struct FixtureCase {
  const char* name;
  const char* reason;  // empty: verifies
};

constexpr FixtureCase kFixtureCases[] = {
    {"notification-v1-subject.json", ""},
    {"notification-v2-subject.json", ""},
    {"notification-v1-no-subject.json", ""},
    {"notification-v2-no-subject.json", ""},
    {"subscription-confirmation.json", ""},
    {"unsubscribe-confirmation.json", ""},
    {"lambda-notification-v1.json", ""},
    {"moto-no-subject.json", ""},
    {"tampered-message.json", "signature does not match"},
    {"tampered-subject.json", "signature does not match"},
    {"subject-added.json", "signature does not match"},
    {"tampered-subscribe-url.json", "signature does not match"},
    // Signed with SHA-256 but labelled "1": the label, not a guess, picks the digest.
    {"version-mismatch.json", "signature does not match"},
    // moto 5.2.1 signs a string WITHOUT the Subject (its bug, aws-formats.md §8), so a correct
    // verifier refuses every moto notification that has a Subject, which is every CloudWatch
    // alarm. Against moto, publish without a Subject, or do not verify.
    {"moto-subject.json", "signature does not match"},
    {"signature-version-3.json", "SignatureVersion 3 is not supported"},
    {"truncated-signature.json",
     "Signature is 150 bytes; the certificate's 2048-bit key makes 256"},
    {"bad-base64.json", "Signature is not valid base64"},
    {"wrong-host.json",
     "SigningCertURL host sns.ap-northeast-2.amazonaws.com.evil.com is not an SNS host"},
    {"http-cert-url.json", "SigningCertURL scheme http is not https"},
    {"unknown-topic.json",
     "topic arn:aws:sns:ap-northeast-2:444455556666:root-alert-topic is not allowed"},
};

TEST(SnsVerifierTest, EveryFixtureVerifiesOrIsRefusedWithItsReason) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  for (const FixtureCase& c : kFixtureCases) {
    Status s = verifier->Verify(FixtureEnvelope(c.name), kNow);
    if (*c.reason == '\0') {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.message();
    } else {
      EXPECT_EQ(s.code(), Status::Code::kInvalidArgument) << c.name;
      EXPECT_EQ(s.message(), c.reason) << c.name;
    }
  }
}

TEST(SnsVerifierTest, EveryFixtureFileHasACase) {
  std::set<std::string> listed;
  for (const FixtureCase& c : kFixtureCases) listed.insert(c.name);
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::TestdataDir() + "/sns-signed")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json") continue;
    EXPECT_TRUE(listed.count(name)) << name << " is not in kFixtureCases";
  }
}

TEST(SnsVerifierTest, ReasonsNeverRepeatTheSignatureOrTheToken) {
  FakeFetch fetch{Fixture("other-signing-cert.pem")};  // every signature fails to match
  SnsVerifierOptions options = FixtureOptions();
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  for (const FixtureCase& c : kFixtureCases) {
    SnsEnvelope e = FixtureEnvelope(c.name);
    Status s = verifier->Verify(e, kNow);
    ASSERT_FALSE(s.ok()) << c.name;
    const std::string text = s.ToString();
    if (e.signature && e.signature->size() > 16) {
      EXPECT_EQ(text.find(e.signature->substr(0, 16)), std::string::npos) << c.name;
      EXPECT_EQ(text.find(e.signature->substr(e.signature->size() - 16)), std::string::npos);
    }
    if (e.token) {
      EXPECT_EQ(text.find(*e.token), std::string::npos) << c.name;
    }
  }
}

TEST(SnsVerifierTest, ReasonsCarryNoControlCharactersFromInput) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  SnsVerifierOptions options = FixtureOptions();
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  std::vector<SnsEnvelope> hostile;
  SnsEnvelope e = FixtureEnvelope("notification-v2-subject.json");
  e.topic_arn = std::string(kAlarmTopic) + "\r\nlevel=ERROR forged=1\x1b[2J";
  hostile.push_back(e);
  e = FixtureEnvelope("notification-v2-subject.json");
  e.signature_version = "2\n\t\x7f";
  hostile.push_back(e);
  e = FixtureEnvelope("notification-v2-subject.json");
  e.type = std::string("Notification\0\n", 14);
  hostile.push_back(e);
  e = FixtureEnvelope("notification-v2-subject.json");
  e.signing_cert_url = "https://sns.ap-northeast-2.amazonaws.com/x.pem\r\nforged: 1";
  hostile.push_back(e);
  for (const SnsEnvelope& h : hostile) {
    Status s = verifier->Verify(h, kNow);
    ASSERT_FALSE(s.ok());
    for (char c : s.message()) {
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7f) << s.message();
    }
  }
  EXPECT_EQ(fetch.calls->load(), 0);
}

TEST(SnsVerifierTest, MissingPartsAreNamed) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  SnsEnvelope e = FixtureEnvelope("notification-v1-subject.json");
  e.signing_cert_url.reset();
  EXPECT_EQ(verifier->Verify(e, kNow).message(), "SigningCertURL is missing");
  e = FixtureEnvelope("notification-v1-subject.json");
  e.signature.reset();
  EXPECT_EQ(verifier->Verify(e, kNow).message(), "Signature is missing");
  e = FixtureEnvelope("notification-v1-subject.json");
  e.signature_version.reset();
  EXPECT_EQ(verifier->Verify(e, kNow).message(), "SignatureVersion is missing");
  e = FixtureEnvelope("notification-v1-subject.json");
  e.topic_arn.clear();
  EXPECT_EQ(verifier->Verify(e, kNow).message(), "SNS message has no TopicArn");
  EXPECT_EQ(fetch.calls->load(), 0);
}

// --- Topics -----------------------------------------------------------------------------------

TEST(SnsVerifierTest, TopicsAreComparedExactly) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  SnsVerifierOptions options;
  options.allowed_topic_arns = {"arn:aws:sns:ap-northeast-2:111122223333:root-alert"};
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  Status s = verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow);
  EXPECT_EQ(s.message(),
            "topic arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic is not allowed");

  // Topic names are case-sensitive.
  options.allowed_topic_arns = {"arn:aws:sns:ap-northeast-2:111122223333:Root-Alert-Topic"};
  verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  EXPECT_FALSE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
  EXPECT_EQ(fetch.calls->load(), 0);
}

TEST(SnsVerifierTest, NoAllowedTopicsAcceptsNone) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  auto verifier = MakeVerifier(SnsVerifierOptions{}, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  EXPECT_EQ(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).message(),
            "topic arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic is not allowed");
}

TEST(SnsVerifierTest, StarAcceptsAnyTopicOnlyWhenListed) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  SnsVerifierOptions options;
  options.allowed_topic_arns = {"*"};
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("unknown-topic.json"), kNow).ok());
  // Signed for its own topic: still refused when the body claims another.
  SnsEnvelope moved = FixtureEnvelope("notification-v1-subject.json");
  moved.topic_arn = "arn:aws:sns:ap-northeast-2:444455556666:root-alert-topic";
  EXPECT_EQ(verifier->Verify(moved, kNow).message(), "signature does not match");
}

TEST(SnsVerifierTest, CreateRefusesBadOptionsByName) {
  struct BadOptions {
    SnsVerifierOptions options;
    std::string reason;
  };
  std::vector<BadOptions> cases;
  cases.push_back({{}, "allowed topic root-alert-topic is not an SNS topic ARN"});
  cases.back().options.allowed_topic_arns = {"root-alert-topic"};
  cases.push_back({{}, "allowed topic arn:aws:s3:::bucket is not an SNS topic ARN"});
  cases.back().options.allowed_topic_arns = {kAlarmTopic, "arn:aws:s3:::bucket"};
  cases.push_back({{},
                   "allowed topic arn:aws:sns:*:111122223333:t has a wildcard; only \"*\" on its "
                   "own accepts any topic"});
  cases.back().options.allowed_topic_arns = {"arn:aws:sns:*:111122223333:t"};
  cases.push_back({{}, "allowed topic arn:aws:sns:us-east-1:1111:t is not an SNS topic ARN"});
  cases.back().options.allowed_topic_arns = {"arn:aws:sns:us-east-1:1111:t"};
  cases.push_back({{},
                   "allowed topic arn:aws:sns:us-east-1:111122223333:t:sub-id is not an SNS "
                   "topic ARN"});
  cases.back().options.allowed_topic_arns = {"arn:aws:sns:us-east-1:111122223333:t:sub-id"};
  cases.push_back({{},
                   "trusted certificate host certs.example.internal allows http but is not "
                   "a loopback host"});
  cases.back().options.cert_urls.extra_hosts = {{"certs.example.internal", true}};
  cases.push_back({{}, "trusted certificate host http://127.0.0.1:4566 is not a host[:port]"});
  cases.back().options.cert_urls.extra_hosts = {{"http://127.0.0.1:4566", true}};
  cases.push_back({{},
                   "pinned certificate URL can never match: SigningCertURL host evil.com is "
                   "not an SNS host"});
  cases.back().options.pinned_certs = {
      {"https://evil.com/x.pem", Fixture("test-signing-cert.pem")}};
  cases.push_back({{},
                   "pinned certificate is not a PEM X.509 certificate (for "
                   "https://sns.us-east-1.amazonaws.com/x.pem)"});
  cases.back().options.pinned_certs = {{"https://sns.us-east-1.amazonaws.com/x.pem", "nonsense"}};
  cases.push_back({{}, "pinned certificate key is EC, not RSA (for any URL)"});
  cases.back().options.pinned_cert_for_any_url = Fixture("ec-signing-cert.pem");
  for (BadOptions& c : cases) {
    Result<std::unique_ptr<SnsVerifier>> v = SnsVerifier::Create(std::move(c.options), nullptr);
    EXPECT_FALSE(v.ok()) << c.reason;
    EXPECT_EQ(v.status().message(), c.reason);
  }
  // "*" and a real ARN together are fine; IPv6 and localhost may allow http.
  SnsVerifierOptions fine;
  fine.allowed_topic_arns = {"*", kAlarmTopic};
  fine.cert_urls.extra_hosts = {
      {"[::1]:8443", true}, {"LocalHost:5055", true}, {"127.0.0.1", true}};
  EXPECT_TRUE(SnsVerifier::Create(fine, nullptr).ok());
}

// --- Fetching and caching certificates -------------------------------------------------------

TEST(SnsVerifierTest, FetchesOncePerCertificateUrl) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  // Two Seoul messages share one certificate URL; the Virginia ones share another.
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v2-subject.json"), kNow).ok());
  EXPECT_EQ(fetch.calls->load(), 1);
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-no-subject.json"), kNow).ok());
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("lambda-notification-v1.json"), kNow).ok());
  EXPECT_EQ(fetch.calls->load(), 2);
  EXPECT_EQ(*fetch.urls, (std::vector<std::string>{kSeoulCertUrl, kVirginiaCertUrl}));
  // A refused signature does not throw the good certificate away.
  EXPECT_FALSE(verifier->Verify(FixtureEnvelope("tampered-message.json"), kNow).ok());
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
  EXPECT_EQ(fetch.calls->load(), 2);
}

TEST(SnsVerifierTest, AFailedFetchIsNotCachedAndIsRetriedNextTime) {
  auto calls = std::make_shared<int>(0);
  const std::string pem = Fixture("test-signing-cert.pem");
  CertFetcher flaky = [calls, pem](const std::string& url) -> Result<std::string> {
    if (++*calls == 1) return Status::Unavailable("HTTP 503 from sns.ap-northeast-2");
    return pem;
  };
  auto verifier = MakeVerifier(FixtureOptions(), flaky);
  ASSERT_NE(verifier, nullptr);
  Status first = verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow);
  EXPECT_EQ(first.code(), Status::Code::kUnavailable);
  EXPECT_EQ(first.message(), std::string("could not fetch the certificate ") + kSeoulCertUrl +
                                 ": HTTP 503 from sns.ap-northeast-2");
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v2-subject.json"), kNow).ok());
  EXPECT_EQ(*calls, 2);
}

TEST(SnsVerifierTest, AFetchedBodyThatIsNoCertificateIsNotCached) {
  auto calls = std::make_shared<int>(0);
  const std::string pem = Fixture("test-signing-cert.pem");
  CertFetcher fetch = [calls, pem](const std::string& url) -> Result<std::string> {
    if (++*calls == 1) return std::string("<html>captive portal</html>");
    return pem;
  };
  auto verifier = MakeVerifier(FixtureOptions(), fetch);
  ASSERT_NE(verifier, nullptr);
  Status first = verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow);
  EXPECT_EQ(first.message(),
            std::string("certificate is not a PEM X.509 certificate (from ") + kSeoulCertUrl + ")");
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
  EXPECT_EQ(*calls, 2);
}

TEST(SnsVerifierTest, AnOversizedCertificateIsRefused) {
  FakeFetch fetch{Fixture("test-signing-cert.pem") + std::string(20000, '\n')};
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  Status s = verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow);
  EXPECT_EQ(s.message(), std::string("certificate at ") + kSeoulCertUrl + " is " +
                             std::to_string(fetch.pem.size()) +
                             " bytes, more than the limit of 10240");
}

TEST(SnsVerifierTest, TheCacheIsBounded) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  SnsVerifierOptions options = FixtureOptions();
  options.cert_cache_entries = 1;
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
    EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-no-subject.json"), kNow).ok());
  }
  EXPECT_EQ(fetch.calls->load(), 4);  // each URL pushed the other out
}

TEST(SnsVerifierTest, NeverFetchesWhenACheapCheckAlreadyFailed) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  for (const char* name : {"wrong-host.json", "http-cert-url.json", "unknown-topic.json",
                           "signature-version-3.json", "bad-base64.json"}) {
    EXPECT_FALSE(verifier->Verify(FixtureEnvelope(name), kNow).ok()) << name;
  }
  // A topic that is not allowed is refused before its (attacker-chosen) URL is even looked at.
  SnsEnvelope e = FixtureEnvelope("unknown-topic.json");
  e.signing_cert_url = "https://sns.us-east-1.amazonaws.com/attacker-chosen.pem";
  EXPECT_FALSE(verifier->Verify(e, kNow).ok());
  EXPECT_EQ(fetch.calls->load(), 0);
}

TEST(SnsVerifierTest, AnExpiredCertificateIsRefused) {
  FakeFetch fetch{Fixture("expired-signing-cert.pem")};  // same key, validity 2020..2021
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  Status s = verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s.message(),
            std::string("certificate expired at 2021-01-01T00:00:00Z (") + kSeoulCertUrl + ")");
  // The good certificate, once `now` is past its end.
  FakeFetch good{Fixture("test-signing-cert.pem")};
  verifier = MakeVerifier(FixtureOptions(), good.Fetcher());
  ASSERT_NE(verifier, nullptr);
  const auto later = std::chrono::sys_days{std::chrono::year{2124} / 6 / 1};
  EXPECT_EQ(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), later).message(),
            std::string("certificate expired at 2124-01-01T00:00:00Z (") + kSeoulCertUrl + ")");
}

TEST(SnsVerifierTest, ACertificateFromAnotherKeyDoesNotMatch) {
  FakeFetch fetch{Fixture("other-signing-cert.pem")};
  auto verifier = MakeVerifier(FixtureOptions(), fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  EXPECT_EQ(verifier->Verify(FixtureEnvelope("notification-v2-subject.json"), kNow).message(),
            "signature does not match");
}

TEST(SnsVerifierTest, WithoutAFetcherUnpinnedUrlsAreRefused) {
  auto verifier = MakeVerifier(FixtureOptions(), nullptr);
  ASSERT_NE(verifier, nullptr);
  EXPECT_EQ(
      verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).message(),
      std::string("no certificate is pinned for ") + kSeoulCertUrl + " and none can be fetched");
}

// --- Pinned certificates and extra hosts (tests, emulators) ----------------------------------

TEST(SnsVerifierTest, APinnedCertificateForAnyUrlReplacesFetching) {
  SnsVerifierOptions options = FixtureOptions();
  options.pinned_cert_for_any_url = Fixture("test-signing-cert.pem");
  FakeFetch fetch{"never used"};
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("moto-no-subject.json"), kNow).ok());
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-no-subject.json"), kNow).ok());
  EXPECT_EQ(verifier->Verify(FixtureEnvelope("moto-subject.json"), kNow).message(),
            "signature does not match");
  // Pinning replaces the fetch, never the URL check.
  EXPECT_EQ(verifier->Verify(FixtureEnvelope("wrong-host.json"), kNow).message(),
            "SigningCertURL host sns.ap-northeast-2.amazonaws.com.evil.com is not an SNS host");
  EXPECT_EQ(fetch.calls->load(), 0);
}

TEST(SnsVerifierTest, APinnedCertificatePerUrlIsUsedForThatUrlOnly) {
  SnsVerifierOptions options = FixtureOptions();
  options.pinned_certs = {{kSeoulCertUrl, Fixture("test-signing-cert.pem")}};
  FakeFetch fetch{Fixture("other-signing-cert.pem")};
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  EXPECT_TRUE(verifier->Verify(FixtureEnvelope("notification-v1-subject.json"), kNow).ok());
  EXPECT_EQ(fetch.calls->load(), 0);
  EXPECT_EQ(verifier->Verify(FixtureEnvelope("notification-v1-no-subject.json"), kNow).message(),
            "signature does not match");  // Virginia's URL was fetched: the other key
  EXPECT_EQ(fetch.calls->load(), 1);
}

TEST(SnsVerifierTest, AnExtraLoopbackHostMayServeOverHttp) {
  SnsVerifierOptions options = FixtureOptions();
  options.cert_urls.extra_hosts = {{"127.0.0.1:4566", true}};
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  auto verifier = MakeVerifier(options, fetch.Fetcher());
  ASSERT_NE(verifier, nullptr);
  // The URL is not part of the signed string, so a genuine message can be pointed elsewhere.
  SnsEnvelope e = FixtureEnvelope("notification-v2-subject.json");
  e.signing_cert_url = "http://127.0.0.1:4566/_aws/sns/SimpleNotificationService-1.pem";
  EXPECT_TRUE(verifier->Verify(e, kNow).ok());
  EXPECT_EQ(*fetch.urls, std::vector<std::string>{*e.signing_cert_url});
  e.signing_cert_url = "http://127.0.0.1:4567/_aws/sns/SimpleNotificationService-1.pem";
  EXPECT_EQ(verifier->Verify(e, kNow).message(),
            "SigningCertURL host 127.0.0.1 is not an SNS host");
}

// --- Threads ----------------------------------------------------------------------------------

TEST(SnsVerifierTest, ManyThreadsShareOneVerifier) {
  FakeFetch fetch{Fixture("test-signing-cert.pem")};
  // The fake's URL list is not thread-safe; count only.
  CertFetcher counting = [pem = fetch.pem, calls = fetch.calls](const std::string&) {
    ++*calls;
    return Result<std::string>(pem);
  };
  auto verifier = MakeVerifier(FixtureOptions(), counting);
  ASSERT_NE(verifier, nullptr);
  const std::vector<SnsEnvelope> good = {
      FixtureEnvelope("notification-v1-subject.json"),
      FixtureEnvelope("notification-v2-no-subject.json"),
      FixtureEnvelope("subscription-confirmation.json"),
  };
  const SnsEnvelope bad = FixtureEnvelope("tampered-message.json");
  constexpr int kThreads = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) {
        for (const SnsEnvelope& e : good) {
          if (!verifier->Verify(e, kNow).ok()) ++failures;
        }
        if (verifier->Verify(bad, kNow).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  // Two URLs; threads that miss at the same moment may each fetch once.
  EXPECT_GE(fetch.calls->load(), 2);
  EXPECT_LE(fetch.calls->load(), 2 * kThreads);
}

// --- The cache on its own --------------------------------------------------------------------

TEST(SigningCertCacheTest, EvictsTheLeastRecentlyUsed) {
  auto a = CertFixture("test-signing-cert.pem");
  auto b = CertFixture("other-signing-cert.pem");
  SigningCertCache cache(2);
  cache.Insert("a", a);
  cache.Insert("b", b);
  EXPECT_EQ(cache.Find("a"), a);  // "a" is now the most recent
  cache.Insert("c", b);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("a"), a);
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_EQ(cache.Find("c"), b);
  cache.Insert("a", b);  // replaces in place
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("a"), b);
}

TEST(SigningCertCacheTest, CapacityZeroCachesNothing) {
  SigningCertCache cache(0);
  cache.Insert("a", CertFixture("test-signing-cert.pem"));
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find("a"), nullptr);
}

}  // namespace
}  // namespace rr
