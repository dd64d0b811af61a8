// The EUC-KR byte budget of Korean SMS (NHN Cloud counts SMS 90 / LMS 2000 / title 40 bytes in
// EUC-KR: ASCII 1 byte, KS X 1001 Hangul and symbols 2). Conversion is glibc iconv "EUC-KR".
//
// All three functions see the text as it would be sent: every character EUC-KR cannot carry
// (emoji, the 8,822 Hangul syllables outside KS X 1001 such as 똠, accented Latin) and every
// ill-formed UTF-8 byte becomes '?'.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rr {

// EUC-KR length of ReplaceNonEucKr(utf8).
size_t EucKrBytes(std::string_view utf8);

// `utf8` with each character that EUC-KR cannot represent, and each ill-formed byte, replaced
// by '?'. The result is UTF-8 and converts to EUC-KR without error.
std::string ReplaceNonEucKr(std::string_view utf8);

// The longest prefix of ReplaceNonEucKr(utf8) whose EUC-KR length is at most `max_bytes`; never
// ends inside a character.
std::string TruncateToEucKrBytes(std::string_view utf8, size_t max_bytes);

// False when iconv has no EUC-KR converter (a stripped image without gconv modules). The
// functions then keep every BMP character as 2 bytes and replace only astral ones, which is
// exact for KS X 1001 text but lets rare syllables through.
bool EucKrConverterAvailable();

}  // namespace rr
