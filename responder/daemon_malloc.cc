#include "responder/daemon_malloc.h"

#include <malloc.h>

namespace rr {

void TuneMallocForDaemon() {
  // Failure leaves glibc's defaults, which are correct, only slower: nothing to report.
  ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

}  // namespace rr
