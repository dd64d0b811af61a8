// Received text quoted inside an error reason. A reason goes to logs and to the outcome JSON, so
// text an attacker chose must not be able to break a line, forge a field or hide what follows.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rr {

// Printable ASCII stays as it is; every other byte (controls, DEL, UTF-8 sequences, NUL) becomes
// "\xNN", and a backslash becomes "\\" so the escapes cannot be forged. Input longer than
// `max_bytes` is cut there and "..." appended.
std::string QuoteInput(std::string_view text, size_t max_bytes = 160);

}  // namespace rr
