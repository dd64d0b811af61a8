// glibc malloc settings for the long-running daemon.
#pragma once

namespace rr {

// Keeps freed memory in the process instead of returning it to the kernel after every burst.
// With dozens of threads, glibc gives each its own arena and trims it (madvise) whenever its
// free top passes a threshold that adapts to the largest block freed; under load the madvise
// calls alone took about 8% of the daemon's CPU, before the page faults that follow them
// (perf, bench/load_serve).
// Fixed thresholds stop the adapting: blocks from 1 MiB up are mapped and unmapped on their
// own, and an arena gives memory back once 32 MiB of it is free. Call once, before threads start.
void TuneMallocForDaemon();

}  // namespace rr
