// Runs a program as a child process (posix_spawn) with exactly the environment given, feeds it
// standard input and captures its standard output, standard error and exit status. A child that
// outlives the timeout is killed, so a hung binary fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rr::testing {

struct BinaryRun {
  int exit_code = -1;       // the child's exit status; -1 when it did not exit normally
  int term_signal = 0;      // the signal that ended it, if one did
  bool timed_out = false;   // killed by RunBinary after the timeout
  std::string spawn_error;  // non-empty when the child could not be started
  std::string out;          // standard output
  std::string err;          // standard error
  std::chrono::milliseconds elapsed{0};

  // Everything above in a few lines, for test failure messages.
  std::string Describe() const;
};

struct BinaryInvocation {
  std::string path;
  std::vector<std::string> args;  // argv[1..]
  // The child's whole environment: nothing is inherited from the test process.
  std::map<std::string, std::string> env;
  std::string stdin_data;  // written to the child's standard input, which is then closed
  std::chrono::milliseconds timeout{20000};
};

BinaryRun RunBinary(const BinaryInvocation& invocation);

}  // namespace rr::testing
