// libFuzzer target: any bytes as an SNS body through the signature check, without ParsePayload:
// ParseJson, ReadSnsEnvelope, then SnsVerifier::Verify with the fixture certificate pinned for
// every URL (so a mutated fixture reaches the RSA check), plus the SigningCertURL policy and the
// PEM reader on the raw bytes. It must never crash, hang or leak, and no reason may carry a
// control character.
//
// Seeds: testdata/sns-signed/*.json. Needs RR_SOURCE_DIR (the source tree) to find the
// certificate; see the report of the snssig branch for the build line.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "alarm/field_reader.h"
#include "alarm/json.h"
#include "alarm/signing_cert.h"
#include "alarm/signing_cert_url.h"
#include "alarm/sns_envelope.h"
#include "alarm/sns_verifier.h"

#ifndef RR_SOURCE_DIR
#define RR_SOURCE_DIR "."
#endif

namespace {

std::string ReadCertOrDie() {
  const std::string path =
      std::string(RR_SOURCE_DIR) + "/testdata/sns-signed/test-signing-cert.pem";
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().empty()) {
    std::fprintf(stderr, "sns_verify_fuzzer: cannot read %s\n", path.c_str());
    std::abort();
  }
  return text.str();
}

const rr::SnsVerifier& VerifierOnce() {
  static const rr::SnsVerifier* verifier = [] {
    rr::SnsVerifierOptions options;
    options.allowed_topic_arns = {"*"};
    options.pinned_cert_for_any_url = ReadCertOrDie();
    options.cert_urls.extra_hosts = {{"127.0.0.1:4566", true}};
    auto created = rr::SnsVerifier::Create(std::move(options), nullptr);
    if (!created.ok()) {
      std::fprintf(stderr, "sns_verify_fuzzer: %s\n", created.status().message().c_str());
      std::abort();
    }
    return std::move(created).value().release();
  }();
  return *verifier;
}

// Reasons go to logs: a control character from the input there is a bug.
void CheckPrintable(const rr::Status& status) {
  for (char c : status.message()) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // 2026-06-01T00:00:00Z, inside the fixture certificate's validity.
  const auto now = std::chrono::system_clock::from_time_t(1780272000);

  CheckPrintable(rr::CheckSigningCertUrl(bytes, rr::CertUrlPolicy{}));
  (void)rr::SigningCert::FromPem(bytes);

  rr::JsonDocument doc;
  if (!rr::ParseJson(bytes, {}, "fuzz", &doc).ok() || !doc.IsObject()) return 0;
  rr::Status error;
  rr::FieldReader reader(doc, "", &error);
  if (!rr::LooksLikeSnsEnvelope(reader)) return 0;
  const rr::SnsEnvelope envelope = rr::ReadSnsEnvelope(reader);
  if (!error.ok()) return 0;
  CheckPrintable(VerifierOnce().Verify(envelope, now));
  return 0;
}
