#include "channels/html_escape.h"

#include <gtest/gtest.h>

namespace rr {
namespace {

TEST(HtmlEscapeTest, EscapesTheFourSpecialCharacters) {
  EXPECT_EQ(HtmlEscape(R"(a&b<c>"d'e)"), "a&amp;b&lt;c&gt;&quot;d'e");
}

TEST(HtmlEscapeTest, EscapesAmpersandFirstSoNothingIsEscapedTwice) {
  // An input that already looks like an entity is text and must survive as such.
  EXPECT_EQ(HtmlEscape("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
  EXPECT_EQ(HtmlEscape("&&"), "&amp;&amp;");
}

TEST(HtmlEscapeTest, LeavesOtherTextAlone) {
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("root 계정 🚨 ALARM\n'single'"), "root 계정 🚨 ALARM\n'single'");
}

TEST(HtmlEscapeTest, IsSafeInsideADoubleQuotedAttribute) {
  std::string url = R"(https://x.example/?a=1&b="2"><script>)";
  std::string html = "<a href=\"" + HtmlEscape(url) + "\">x</a>";
  EXPECT_EQ(html, "<a href=\"https://x.example/?a=1&amp;b=&quot;2&quot;&gt;&lt;script&gt;\">x</a>");
  EXPECT_EQ(html.find('"', 9), html.find("\">x</a>"));  // the only quote closes the attribute
}

TEST(HtmlEscapeTest, AppendKeepsWhatIsThere) {
  std::string out = "<b>";
  AppendHtmlEscaped("1 < 2", &out);
  out += "</b>";
  EXPECT_EQ(out, "<b>1 &lt; 2</b>");
}

TEST(HtmlStripTest, RemovesTagsAndDecodesEntities) {
  EXPECT_EQ(StripHtml("<b>a &lt;b&gt; &amp; &quot;c&quot;</b>\n<a href=\"u?x=1&amp;y\">link</a>"),
            "a <b> & \"c\"\nlink");
}

TEST(HtmlStripTest, DecodesNumericEntities) {
  EXPECT_EQ(StripHtml("&#60;&#x3C;&#X3c;&#128680;&#xAC00;"), "<<<🚨가");
}

TEST(HtmlStripTest, KeepsUnknownOrBrokenEntitiesLiterally) {
  EXPECT_EQ(StripHtml("a & b &nbsp; &#xZZ; &#55296; &amp"), "a & b &nbsp; &#xZZ; &#55296; &amp");
}

TEST(HtmlStripTest, UndoesEscape) {
  const std::string tricky = "<&>\"' &amp; &lt; 계정 😀 \x01";
  EXPECT_EQ(StripHtml(HtmlEscape(tricky)), tricky);
}

TEST(HtmlStripTest, UnclosedTagIsKeptAsText) { EXPECT_EQ(StripHtml("a <b"), "a <b"); }

}  // namespace
}  // namespace rr
