// Escaping for Telegram's HTML parse mode. Telegram knows only the entities &lt; &gt; &amp;
// &quot; (plus numeric ones), so those are the only ones produced.
#pragma once

#include <string>
#include <string_view>

namespace rr {

// Escapes `&` (first, so nothing is escaped twice), `<`, `>` and `"`. Safe both as element text
// and inside a double-quoted attribute value such as href="...".
std::string HtmlEscape(std::string_view text);
void AppendHtmlEscaped(std::string_view text, std::string* out);

// The text Telegram shows for `html`: tags removed, the four named entities and numeric
// entities (&#NNN; &#xHH;) decoded; anything else is kept literally. Used to count a message's
// length the way Telegram does and as the plain-text fallback when HTML is refused.
std::string StripHtml(std::string_view html);

}  // namespace rr
