// Received text inside error reasons: printable ASCII as is, everything else escaped, long text
// cut, so a message cannot forge a log line or a field.
#include "alarm/quote_input.h"

#include <string>

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(QuoteInputTest, PrintableAsciiStaysAsItIs) {
  EXPECT_EQ(QuoteInput("arn:aws:sns:us-east-1:111122223333:t"),
            "arn:aws:sns:us-east-1:111122223333:t");
  EXPECT_EQ(QuoteInput(" ~!\"{}"), " ~!\"{}");
  EXPECT_EQ(QuoteInput(""), "");
}

TEST(QuoteInputTest, ControlsDelAndNonAsciiBecomeHexEscapes) {
  EXPECT_EQ(QuoteInput("a\r\nb"), "a\\x0d\\x0ab");
  EXPECT_EQ(QuoteInput(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(QuoteInput("\x1b[31m\x7f"), "\\x1b[31m\\x7f");
  EXPECT_EQ(QuoteInput("\xeb\xa3\xa8"), "\\xeb\\xa3\\xa8");  // "루"
  EXPECT_EQ(QuoteInput("\xc2\x85"), "\\xc2\\x85");           // U+0085 NEXT LINE
}

TEST(QuoteInputTest, BackslashesAreDoubledSoEscapesCannotBeForged) {
  EXPECT_EQ(QuoteInput("\\x0a"), "\\\\x0a");
  EXPECT_NE(QuoteInput("\\x0a"), QuoteInput("\n"));
}

TEST(QuoteInputTest, LongTextIsCut) {
  EXPECT_EQ(QuoteInput(std::string(200, 'a')), std::string(160, 'a') + "...");
  EXPECT_EQ(QuoteInput("abcdef", 3), "abc...");
  EXPECT_EQ(QuoteInput("abc", 3), "abc");
  EXPECT_EQ(QuoteInput("\n\n\n\n", 2), "\\x0a\\x0a...");
}

}  // namespace
}  // namespace rr
