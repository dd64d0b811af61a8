#include "channels/redact.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace rr {
namespace {

// Planted secrets, shaped like the real ones.
const std::string kDoorayToken = "aB3dE5fG7hI9jK1lM3nO5q";
const std::string kBotToken = "7712345678:AAH-xYz_0123456789abcdefGHIJKLMNOPQ";
const std::string kNhnSecret = "Sk+9/Qx=Zr2";  // with characters that URL-encoding changes
const std::string kPhone = "01012345678";

std::vector<std::string> Secrets() { return {kDoorayToken, kBotToken, kNhnSecret}; }
std::vector<std::string> Phones() { return {kPhone}; }

// True when `text` shows no planted secret in any spelling, nor the phone's hidden digits.
void ExpectClean(const std::string& text) {
  for (const std::string& needle :
       {kDoorayToken, kBotToken, kNhnSecret, std::string("AAH-xYz_0123456789"),
        std::string("7712345678%3A"), std::string("Sk%2B9"), std::string("Sk+9"),
        std::string("0101234"), std::string("010-1234"), std::string("1012345678")}) {
    EXPECT_EQ(text.find(needle), std::string::npos) << "'" << needle << "' in: " << text;
  }
}

TEST(RedactTest, ReplacesSecretsInPlainText) {
  std::string out =
      Redact("hook token " + kDoorayToken + " and bot " + kBotToken + ".", Secrets(), Phones());
  EXPECT_EQ(out, "hook token <redacted> and bot <redacted>.");
}

TEST(RedactTest, ReplacesUrlEncodedSecretsInEitherHexCaseAndPartlyEncoded) {
  const std::string upper = "secret=Sk%2B9%2FQx%3DZr2&x=1";
  const std::string lower = "secret=Sk%2b9%2fQx%3dZr2&x=1";
  const std::string partly = "secret=Sk%2B9/Qx=Zr2&x=1";
  const std::string bot = "GET /bot7712345678%3AAAH-xYz_0123456789abcdefGHIJKLMNOPQ/getMe";
  EXPECT_EQ(Redact(upper, Secrets(), {}), "secret=<redacted>&x=1");
  EXPECT_EQ(Redact(lower, Secrets(), {}), "secret=<redacted>&x=1");
  EXPECT_EQ(Redact(partly, Secrets(), {}), "secret=<redacted>&x=1");
  EXPECT_EQ(Redact(bot, Secrets(), {}), "GET /bot<redacted>/getMe");
}

TEST(RedactTest, ReplacesJsonEscapedSecrets) {
  const std::string secret = "pa\"ss/wo\\rd";
  EXPECT_EQ(Redact(R"({"key":"pa\"ss\/wo\\rd"})", {secret}, {}), R"({"key":"<redacted>"})");
  EXPECT_EQ(Redact(R"({"key":"pa\u0022ss/wo\\rd"})", {secret}, {}), R"({"key":"<redacted>"})");
}

TEST(RedactTest, FormEncodedSpaceIsMatched) {
  EXPECT_EQ(Redact("k=my+long+secret&z", {"my long secret"}, {}), "k=<redacted>&z");
}

TEST(RedactTest, LongerSecretWinsOverOneItContains) {
  EXPECT_EQ(Redact("x abcdefgh y abcd z", {"abcd", "abcdefgh"}, {}), "x <redacted> y <redacted> z");
}

TEST(RedactTest, IgnoresEmptyAndShortSecrets) {
  EXPECT_EQ(Redact("a bc abc the text", {"", "a", "bc", "abc"}, {}), "a bc abc the text");
}

TEST(RedactTest, SecretsThatLookLikeThePlaceholderDoNotLoop) {
  EXPECT_EQ(Redact("dact redacted", {"dact", "redacted"}, {}), "<redacted> <redacted>");
}

TEST(RedactTest, MasksPhoneNumbersKeepingTheLastFourDigits) {
  EXPECT_EQ(MaskPhoneNumber("01012345678"), "*******5678");
  EXPECT_EQ(Redact("to 01012345678.", {}, Phones()), "to *******5678.");
  EXPECT_EQ(Redact("to 010-1234-5678.", {}, Phones()), "to ***-****-5678.");
  EXPECT_EQ(Redact("to 010 1234 5678.", {}, Phones()), "to *** **** 5678.");
  EXPECT_EQ(Redact("to +82 10-1234-5678.", {}, Phones()), "to +82 **-****-5678.");
  EXPECT_EQ(Redact("to 821012345678.", {}, Phones()), "to 82******5678.");
  EXPECT_EQ(Redact(R"({"recipientNo":"01012345678"})", {}, Phones()),
            R"({"recipientNo":"*******5678"})");
}

TEST(RedactTest, PhoneRegisteredWithCountryCodeAlsoMatchesTheDomesticForm) {
  EXPECT_EQ(Redact("01012345678", {}, {"+82-10-1234-5678"}), "*******5678");
}

TEST(RedactTest, ShortPhoneNumbersAreIgnored) {
  EXPECT_EQ(Redact("call 1234 now", {}, {"1234"}), "call 1234 now");
  EXPECT_EQ(MaskPhoneNumber("123"), "123");
}

TEST(RedactTest, StructuralTelegramPath) {
  EXPECT_EQ(Redact("POST https://api.telegram.org/bot999:unknown_token/sendMessage", {}, {}),
            "POST https://api.telegram.org/bot<redacted>/sendMessage");
  EXPECT_EQ(Redact("/bot999%3Aunknown", {}, {}), "/bot<redacted>");
  // Not a token: "/bottom" and the placeholder itself are left alone.
  EXPECT_EQ(Redact("/bottom /bot<redacted>/x", {}, {}), "/bottom /bot<redacted>/x");
}

TEST(RedactTest, StructuralDoorayAndSlackHookPaths) {
  EXPECT_EQ(Redact("url=https://hook.dooray.com/services/111/222/SeCrEt?x", {}, {}),
            "url=https://hook.dooray.com/services/<redacted>?x");
  EXPECT_EQ(Redact("\"https://nhnent.dooray.com/services/1/2/tok\"", {}, {}),
            "\"https://nhnent.dooray.com/services/<redacted>\"");
  EXPECT_EQ(Redact("> POST /services/1/2/tok HTTP/1.1", {}, {}),
            "> POST /services/<redacted> HTTP/1.1");
}

TEST(RedactTest, StructuralNhnAppKeyPath) {
  EXPECT_EQ(Redact("POST /sms/v3.0/appKeys/UnknownKey123/sender/sms", {}, {}),
            "POST /sms/v3.0/appKeys/<redacted>/sender/sms");
}

TEST(RedactTest, CredentialHeaderValues) {
  EXPECT_EQ(Redact("> X-Secret-Key: unknown-secret\r\n> Accept: */*", {}, {}),
            "> X-Secret-Key: <redacted>\r\n> Accept: */*");
  EXPECT_EQ(Redact("authorization: Bearer abc.def", {}, {}), "authorization: <redacted>");
  EXPECT_EQ(Redact(R"({"X-Secret-Key":"abc","n":1})", {}, {}),
            R"({"X-Secret-Key":"<redacted>","n":1})");
  EXPECT_EQ(Redact("Authorization failed: bad key", {}, {}), "Authorization failed: bad key");
  EXPECT_EQ(Redact("x-secret-keys: 1", {}, {}), "x-secret-keys: 1");
}

TEST(RedactTest, EverySpellingOfEveryPlantedSecretIsGone) {
  const std::string url_dooray = "https://hook.dooray.com/services/1/2/" + kDoorayToken;
  const std::string url_bot = "https://api.telegram.org/bot" + kBotToken + "/sendMessage";
  const std::string text = "* Connected\n> POST /bot" + kBotToken +
                           "/sendMessage HTTP/1.1\n> X-Secret-Key: " + kNhnSecret +
                           "\n>> {\"recipientNo\":\"" + kPhone + "\",\"url\":\"" + url_dooray +
                           "\"}\nerror: " + url_bot +
                           " failed; secret=Sk%2B9%2FQx%3DZr2; to 010-1234-5678";
  ExpectClean(Redact(text, Secrets(), Phones()));
}

TEST(RedactTest, RegistryAppliesToRedactKnown) {
  // Unique per run, so the "not yet registered" check holds under --gtest_repeat.
  static int run = 0;
  ++run;
  const std::string secret = "registry-only-secret-" + std::to_string(run) + "-end";
  const std::string phone = "0109999" + std::to_string(1000 + run);
  const std::string masked = "*******" + std::to_string(1000 + run);
  EXPECT_EQ(RedactKnown(secret + " " + phone), secret + " " + phone);
  RegisterSecret(secret);
  RegisterPhoneNumber(phone);
  RegisterSecret("");     // ignored
  RegisterSecret("abc");  // too short: ignored
  EXPECT_EQ(RedactKnown(secret + " " + phone + " abc"), "<redacted> " + masked + " abc");
  // Extra lists add to the registry.
  EXPECT_EQ(RedactKnown(secret + " extra-secret-1", {"extra-secret-1"}), "<redacted> <redacted>");
}

TEST(RedactTest, RegistryIsThreadSafe) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        const std::string secret = "thread-secret-" + std::to_string(t) + "-" + std::to_string(i);
        RegisterSecret(secret);
        EXPECT_EQ(RedactKnown("[" + secret + "]"), "[<redacted>]");
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

}  // namespace
}  // namespace rr
