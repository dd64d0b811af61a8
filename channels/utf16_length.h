// Text lengths as Telegram counts them: UTF-16 code units (Bot API, "text ... after entities
// parsing"; entity offsets are UTF-16 too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "alarm/utf8.h"  // Utf8SequenceLength, DecodeUtf8: the channels use them with these

namespace rr {

// UTF-16 code units needed for `utf8`: 1 per BMP character, 2 per astral one (most emoji).
// Each byte of an ill-formed sequence counts 1, as the U+FFFD that replaces it would.
size_t Utf16Length(std::string_view utf8);

// The longest prefix of `utf8` that, with "…" appended when anything was cut, fits in
// `max_units` UTF-16 units. Never splits a code point; text that fits is returned unchanged.
std::string TruncateUtf16(std::string_view utf8, size_t max_units);

}  // namespace rr
