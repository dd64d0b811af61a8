// Eight bytes at a time in a 64-bit word ("SIMD within a register"), for the scans that look
// for a few special bytes in long runs of plain text: the payload pre-scan and the JSON body
// writer. Each test sets the top bit of every byte that matches; the lowest set bit is exact
// (higher ones may be false after a match), so std::countr_zero(result) / 8 is the first match.
#pragma once

#include <cstdint>
#include <cstring>

namespace rr::swar {

constexpr uint64_t kOnes = 0x0101010101010101;
constexpr uint64_t kHigh = 0x8080808080808080;

inline uint64_t Load(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Bytes that are 0.
inline uint64_t Zero(uint64_t v) { return (v - kOnes) & ~v & kHigh; }
// Bytes equal to `c`.
inline uint64_t Equal(uint64_t v, char c) {
  return Zero(v ^ (kOnes * static_cast<unsigned char>(c)));
}
// Bytes below `limit` (at most 0x80); bytes from 0x80 up never match.
inline uint64_t Below(uint64_t v, unsigned char limit) { return (v - kOnes * limit) & ~v & kHigh; }
// Bytes from 0x80 up.
inline uint64_t NonAscii(uint64_t v) { return v & kHigh; }

}  // namespace rr::swar
