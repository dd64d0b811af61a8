#include "channels/utf16_length.h"

#include <string>

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(Utf16LengthTest, CountsCodeUnits) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("ALARM"), 5u);
  EXPECT_EQ(Utf16Length("계정"), 2u);                // 6 UTF-8 bytes, BMP
  EXPECT_EQ(Utf16Length("\u2014\u2192\u2026"), 3u);  // — → …
  EXPECT_EQ(Utf16Length("🚨"), 2u);                   // astral: a surrogate pair
  EXPECT_EQ(Utf16Length("\u26A0\uFE0F"), 2u);        // ⚠️ is two BMP code points
  EXPECT_EQ(Utf16Length("🇰🇷"), 4u);                  // a flag is two astral code points
  EXPECT_EQ(Utf16Length("🚨 [CRITICAL] root 계정"), 21u);
}

TEST(Utf16LengthTest, IllFormedBytesCountOneEach) {
  EXPECT_EQ(Utf16Length("a\xFF"
                        "b"),
            3u);
  EXPECT_EQ(Utf16Length("\xC0\x80"), 2u);          // overlong NUL
  EXPECT_EQ(Utf16Length("\xED\xA0\x80"), 3u);      // UTF-8 encoded surrogate
  EXPECT_EQ(Utf16Length("\xF0\x9F\x9A"), 3u);      // emoji cut short
  EXPECT_EQ(Utf16Length("\x80\x80\x80\x80"), 4u);  // stray continuations
}

TEST(Utf16Utf8SequenceTest, AcceptsOnlyWellFormedSequences) {
  EXPECT_EQ(Utf8SequenceLength(""), 0u);
  EXPECT_EQ(Utf8SequenceLength("a"), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9"), 2u);  // é
  EXPECT_EQ(Utf8SequenceLength("가나"), 3u);
  EXPECT_EQ(Utf8SequenceLength("🚨"), 4u);
  EXPECT_EQ(Utf8SequenceLength("\xF4\x8F\xBF\xBF"), 4u);  // U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xE0\x80\x80"), 0u);      // overlong
  EXPECT_EQ(Utf8SequenceLength("\xED\xBF\xBF"), 0u);      // surrogate
  EXPECT_EQ(Utf8SequenceLength("\xC3"), 0u);              // truncated
  EXPECT_EQ(Utf8SequenceLength("\xC3"
                               "a"),
            0u);  // bad continuation
}

TEST(Utf16TruncateTest, TextThatFitsIsUnchanged) {
  EXPECT_EQ(TruncateUtf16("", 0), "");
  EXPECT_EQ(TruncateUtf16("abc", 3), "abc");
  EXPECT_EQ(TruncateUtf16("a🚨", 3), "a🚨");
  EXPECT_EQ(TruncateUtf16("계정", 100), "계정");
}

TEST(Utf16TruncateTest, CutTextEndsWithEllipsisAndFits) {
  EXPECT_EQ(TruncateUtf16("abcdef", 4), "abc\u2026");
  EXPECT_EQ(TruncateUtf16("가나다라", 3), "가나\u2026");
  EXPECT_EQ(Utf16Length(TruncateUtf16("abcdef", 4)), 4u);
}

TEST(Utf16TruncateTest, NeverSplitsASurrogatePair) {
  // 3 units of room before the ellipsis: "ab" (2) + 🚨 (2) would need 4.
  EXPECT_EQ(TruncateUtf16("ab🚨cd", 4), "ab\u2026");
  EXPECT_EQ(TruncateUtf16("ab🚨cd", 5), "ab🚨\u2026");
  EXPECT_EQ(TruncateUtf16("🚨🚨🚨", 2), "\u2026");
}

TEST(Utf16TruncateTest, TinyLimits) {
  EXPECT_EQ(TruncateUtf16("abc", 0), "");
  EXPECT_EQ(TruncateUtf16("abc", 1), "\u2026");
}

TEST(Utf16TruncateTest, LongMixedText) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "a<&😀";  // 5 units per round
  ASSERT_EQ(Utf16Length(text), 10000u);
  for (size_t limit : {4096u, 4095u, 4094u, 4093u, 100u}) {
    std::string cut = TruncateUtf16(text, limit);
    EXPECT_LE(Utf16Length(cut), limit);
    EXPECT_GE(Utf16Length(cut), limit - 1);  // at most one unit lost to a pair boundary
    EXPECT_EQ(cut.substr(cut.size() - 3), "\u2026");
    EXPECT_EQ(text.compare(0, cut.size() - 3, cut, 0, cut.size() - 3), 0);  // a true prefix
  }
}

}  // namespace
}  // namespace rr
