#include "alarm/parsed.h"

namespace rr {

std::string PrintableReason(std::string reason) {
  constexpr size_t kMaxBytes = 600;
  if (reason.size() > kMaxBytes) {
    size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
    reason.resize(cut);
    reason += "...";
  }
  for (char& c : reason) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = '?';
  }
  return reason;
}

}  // namespace rr
