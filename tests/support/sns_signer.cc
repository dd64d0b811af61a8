#include "tests/support/sns_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>

#include "alarm/sns_envelope.h"
#include "alarm/sns_signature.h"
#include "tests/support/testdata.h"

namespace rr::testing {
namespace {

constexpr char kCertUrl[] =
    "https://sns.ap-northeast-2.amazonaws.com/SimpleNotificationService-0000test.pem";

struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Sign(const std::string& text) {
  static const std::string pem = ReadFile(TestdataDir() + "/sns-signed/test-signing-key.pem");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), (int)pem.size()),
                                                BIO_free);
  std::unique_ptr<EVP_PKEY, KeyDeleter> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return "";
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  size_t length = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length,
                     reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1) {
    return "";
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(text.data()), text.size()) != 1) {
    return "";
  }
  signature.resize(length);
  return signature;
}

}  // namespace

std::string TestSigningCertPath() { return TestdataDir() + "/sns-signed/test-signing-cert.pem"; }

std::string SignedNotificationBody(const SnsNotification& n) {
  SnsEnvelope e;
  e.type = "Notification";
  e.message_id = n.message_id;
  e.topic_arn = n.topic_arn;
  e.subject = n.subject;
  e.message = n.message;
  e.timestamp = n.timestamp;
  e.unsubscribe_url =
      "https://sns.ap-northeast-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" +
      n.topic_arn + ":0000test";
  return SignedEnvelopeBody(std::move(e));
}

std::string SignedEnvelopeBody(SnsEnvelope e) {
  e.signature_version = "2";
  e.signing_cert_url = kCertUrl;
  Result<std::string> to_sign = SnsStringToSign(e);
  if (!to_sign.ok()) return "";
  const std::string signature = Sign(*to_sign);
  if (signature.empty()) return "";

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* key, const std::optional<std::string>& value) {
    if (!value) return;
    w.Key(key);
    w.String(value->data(), static_cast<rapidjson::SizeType>(value->size()));
  };
  w.StartObject();  // keys in the order SNS sends them (aws-formats.md §3.2)
  field("Type", e.type);
  field("MessageId", e.message_id);
  field("Token", e.token);
  field("TopicArn", e.topic_arn);
  field("Subject", e.subject);
  field("Message", e.message);
  field("SubscribeURL", e.subscribe_url);
  field("Timestamp", e.timestamp);
  field("SignatureVersion", e.signature_version);
  field("Signature", Base64(signature));
  field("SigningCertURL", e.signing_cert_url);
  field("UnsubscribeURL", e.unsubscribe_url);
  w.EndObject();
  return buffer.GetString();
}

std::string AlarmMessage(const std::string& alarm_name, const std::string& state,
                         const std::string& reason) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  field("AlarmName", alarm_name);
  field("AlarmDescription", "root account usage (CIS 4.3)");
  field("AWSAccountId", "111122223333");
  field("AlarmConfigurationUpdatedTimestamp", "2026-03-01T00:00:00.000+0000");
  field("NewStateValue", state);
  field("NewStateReason", reason);
  field("StateChangeTime", "2026-03-02T09:45:31.093+0000");
  field("Region", "Asia Pacific (Seoul)");
  field("AlarmArn", "arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:" + alarm_name);
  field("OldStateValue", state == "ALARM" ? "OK" : "ALARM");
  w.Key("OKActions");
  w.StartArray();
  w.EndArray();
  w.Key("AlarmActions");
  w.StartArray();
  w.String("arn:aws:sns:ap-northeast-2:111122223333:root-alert-topic");
  w.EndArray();
  w.Key("InsufficientDataActions");
  w.StartArray();
  w.EndArray();
  w.Key("Trigger");
  w.StartObject();
  field("MetricName", "RootAccountUsageCount");
  field("Namespace", "CloudTrailMetrics");
  field("StatisticType", "Statistic");
  field("Statistic", "SUM");
  w.Key("Unit");
  w.Null();
  w.Key("Dimensions");
  w.StartArray();
  w.EndArray();
  w.Key("Period");
  w.Int(300);
  w.Key("EvaluationPeriods");
  w.Int(1);
  field("ComparisonOperator", "GreaterThanOrEqualToThreshold");
  w.Key("Threshold");
  w.Double(1.0);
  field("TreatMissingData", "notBreaching");
  field("EvaluateLowSampleCountPercentile", "");
  w.EndObject();
  w.EndObject();
  return buffer.GetString();
}

}  // namespace rr::testing
