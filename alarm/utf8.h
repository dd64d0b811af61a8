// Well-formed UTF-8, one sequence at a time: what the JSON pre-scan checks payloads with and
// what the channels' text cleaning decodes with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rr {

// Length in bytes of the well-formed UTF-8 sequence at the start of `text` (1-4), or 0 when the
// first byte does not start one (stray continuation, overlong form, surrogate, > U+10FFFF,
// truncated sequence). Empty text gives 0.
size_t Utf8SequenceLength(std::string_view text);

// The code point of the `length`-byte sequence at the start of `text`, which
// Utf8SequenceLength found well-formed.
uint32_t DecodeUtf8(std::string_view text, size_t length);

}  // namespace rr
