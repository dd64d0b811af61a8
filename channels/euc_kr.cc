#include "channels/euc_kr.h"

#include <iconv.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "channels/utf16_length.h"

namespace rr {
namespace {

// One iconv descriptor per thread: iconv_open loads a gconv module and is far more costly than
// a conversion, and a descriptor must not be shared between threads.
class EucKrConverter {
 public:
  EucKrConverter() : cd_(iconv_open("EUC-KR", "UTF-8")) {}
  ~EucKrConverter() {
    if (available()) iconv_close(cd_);
  }
  EucKrConverter(const EucKrConverter&) = delete;
  EucKrConverter& operator=(const EucKrConverter&) = delete;

  bool available() const { return cd_ != reinterpret_cast<iconv_t>(-1); }

  // Back to the initial shift state, so a failure in one call cannot leak into the next.
  void Reset() {
    if (available()) iconv(cd_, nullptr, nullptr, nullptr, nullptr);
  }

  // EUC-KR bytes for one well-formed non-ASCII character, or 0 when it has no EUC-KR form.
  // Answers are remembered: an SMS asks about the same few Hangul syllables several times
  // (length, replacement, cut), and iconv was most of its render.
  size_t Bytes(std::string_view ch) {
    uint32_t key = 0;
    std::memcpy(&key, ch.data(), ch.size());  // well-formed: 2 to 4 bytes, none of them 0
    Remembered& slot = remembered_[(key ^ (key >> 13)) % kRemembered];
    if (slot.key != key) slot = Remembered{key, static_cast<uint8_t>(Convert(ch))};
    return slot.bytes;
  }

 private:
  struct Remembered {
    uint32_t key = 0;  // the character's UTF-8 bytes; 0 is no character
    uint8_t bytes = 0;
  };
  static constexpr size_t kRemembered = 256;

  size_t Convert(std::string_view ch) {
    if (!available()) return ch.size() == 4 ? 0 : 2;
    char out[8];
    char* in_ptr = const_cast<char*>(ch.data());
    size_t in_left = ch.size();
    char* out_ptr = out;
    size_t out_left = sizeof(out);
    if (iconv(cd_, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<size_t>(-1) ||
        in_left != 0) {
      Reset();
      return 0;
    }
    return sizeof(out) - out_left;
  }

  iconv_t cd_;
  std::array<Remembered, kRemembered> remembered_{};
};

EucKrConverter& Converter() {
  thread_local EucKrConverter converter;
  return converter;
}

// Calls fn(piece, euc_kr_bytes) for each character as it will be sent: the character itself, or
// "?" in its place. Stops early when fn returns false.
template <typename Fn>
void ForEachSendable(std::string_view utf8, Fn fn) {
  EucKrConverter& conv = Converter();
  conv.Reset();
  size_t i = 0;
  while (i < utf8.size()) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {  // ASCII is EUC-KR as is
      if (!fn(utf8.substr(i, 1), 1)) return;
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(utf8.substr(i));
    if (len == 0) {  // ill-formed byte: replace it alone and resynchronise on the next one
      if (!fn(std::string_view("?"), 1)) return;
      ++i;
      continue;
    }
    std::string_view ch = utf8.substr(i, len);
    size_t bytes = conv.Bytes(ch);
    if (!(bytes == 0 ? fn(std::string_view("?"), 1) : fn(ch, bytes))) return;
    i += len;
  }
}

}  // namespace

size_t EucKrBytes(std::string_view utf8) {
  size_t total = 0;
  ForEachSendable(utf8, [&](std::string_view, size_t bytes) {
    total += bytes;
    return true;
  });
  return total;
}

std::string ReplaceNonEucKr(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  ForEachSendable(utf8, [&](std::string_view piece, size_t) {
    out.append(piece);
    return true;
  });
  return out;
}

std::string TruncateToEucKrBytes(std::string_view utf8, size_t max_bytes) {
  std::string out;
  size_t used = 0;
  ForEachSendable(utf8, [&](std::string_view piece, size_t bytes) {
    if (used + bytes > max_bytes) return false;
    used += bytes;
    out.append(piece);
    return true;
  });
  return out;
}

bool EucKrConverterAvailable() { return Converter().available(); }

}  // namespace rr
