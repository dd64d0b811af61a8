#include "channels/euc_kr.h"

#include <iconv.h>

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace rr {
namespace {

// Independent check: what glibc itself makes of the text; nullopt when it refuses.
std::optional<std::string> ToEucKr(const std::string& utf8) {
  iconv_t cd = iconv_open("EUC-KR", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(utf8.size() * 2 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* o = out.data();
  size_t o_left = out.size();
  size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) return std::nullopt;
  out.resize(out.size() - o_left);
  return out;
}

TEST(EucKrTest, ConverterIsAvailable) { EXPECT_TRUE(EucKrConverterAvailable()); }

TEST(EucKrTest, CountsBytes) {
  EXPECT_EQ(EucKrBytes(""), 0u);
  EXPECT_EQ(EucKrBytes("ALARM 03-02 18:45"), 17u);
  EXPECT_EQ(EucKrBytes("가"), 2u);
  EXPECT_EQ(EucKrBytes("[AWS경보]"), 9u);
  EXPECT_EQ(EucKrBytes("root 계정 ALARM"), 15u);
  EXPECT_EQ(EucKrBytes("\u2026\u2192\u00B7\u20A9"), 8u);  // … → · ₩ are KS X 1001 symbols
}

TEST(EucKrTest, UnrepresentableCharactersCountAsTheirReplacement) {
  EXPECT_EQ(EucKrBytes("똠"), 1u);            // Hangul syllable outside KS X 1001
  EXPECT_EQ(EucKrBytes("🚨"), 1u);             // emoji
  EXPECT_EQ(EucKrBytes("\u2014"), 1u);        // em dash is not in EUC-KR
  EXPECT_EQ(EucKrBytes("\u26A0\uFE0F"), 2u);  // ⚠ and the variation selector, one '?' each
}

TEST(EucKrTest, ReplacesWhatEucKrCannotCarry) {
  EXPECT_EQ(ReplaceNonEucKr("root 계정 🚨 똠방각하 caf\u00E9 \u2014 OK"),
            "root 계정 ? ?방각하 caf? ? OK");
  EXPECT_EQ(ReplaceNonEucKr("가나다 abc"), "가나다 abc");
}

TEST(EucKrTest, ReplacedTextConvertsAndMatchesTheCount) {
  const std::string text = "[DRILL] [AWS경보] 똠 🚨🇰🇷 root 계정 ALARM ①™ 햏 \u00E9";
  ASSERT_FALSE(ToEucKr(text).has_value());  // glibc refuses the raw text
  std::string replaced = ReplaceNonEucKr(text);
  std::optional<std::string> encoded = ToEucKr(replaced);
  ASSERT_TRUE(encoded.has_value());
  EXPECT_EQ(encoded->size(), EucKrBytes(text));
  EXPECT_EQ(EucKrBytes(replaced), EucKrBytes(text));
}

TEST(EucKrTest, IllFormedBytesBecomeQuestionMarksWithoutLooping) {
  EXPECT_EQ(ReplaceNonEucKr("a\xFF"
                            "b"),
            "a?b");
  EXPECT_EQ(ReplaceNonEucKr("\xE2\x82"), "??");           // truncated sequence at the end
  EXPECT_EQ(ReplaceNonEucKr("\xED\xA0\x80가"), "???가");  // encoded surrogate
  EXPECT_EQ(ReplaceNonEucKr(std::string("x\0y", 3)), std::string("x\0y", 3));
  EXPECT_EQ(EucKrBytes("\xC3\x28"), 2u);
  EXPECT_EQ(TruncateToEucKrBytes("\xFF\xFF\xFF", 2), "??");
}

TEST(EucKrTest, TruncatesOnCharacterBoundaries) {
  EXPECT_EQ(TruncateToEucKrBytes("가나다", 6), "가나다");
  EXPECT_EQ(TruncateToEucKrBytes("가나다", 5), "가나");  // no half of 다
  EXPECT_EQ(TruncateToEucKrBytes("가나다", 4), "가나");
  EXPECT_EQ(TruncateToEucKrBytes("가나다", 1), "");
  EXPECT_EQ(TruncateToEucKrBytes("a가b", 2), "a");
  EXPECT_EQ(TruncateToEucKrBytes("a가b", 3), "a가");
  EXPECT_EQ(TruncateToEucKrBytes("🚨가", 1), "?");
  EXPECT_EQ(TruncateToEucKrBytes("abc", 0), "");
}

TEST(EucKrTest, LongInput) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "똠가a🚨";
  EXPECT_EQ(EucKrBytes(text), 5000u * 5);
  std::string cut = TruncateToEucKrBytes(text, 2000);
  EXPECT_EQ(EucKrBytes(cut), 2000u);
  EXPECT_EQ(cut.substr(0, 12), "?가a??가a?");
}

TEST(EucKrTest, EachThreadGetsItsOwnConverter) {
  const std::string text = "root 계정 🚨 똠 ALARM";
  const std::string expected = "root 계정 ? ? ALARM";
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      int good = 0;
      for (int i = 0; i < 500; ++i)
        good += ReplaceNonEucKr(text) == expected && EucKrBytes(text) == 19;
      ok[t] = good;
    });
  }
  for (std::thread& th : threads) th.join();
  for (int good : ok) EXPECT_EQ(good, 500);
}

}  // namespace
}  // namespace rr
