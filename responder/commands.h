// The subcommands of the one binary. Each returns the process exit status (DESIGN.md).
#pragma once

#include <iosfwd>
#include <string>

#include "responder/config.h"

namespace rr {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitRejected = 2;
inline constexpr int kExitUsage = 64;

struct OnceOptions {
  std::string event_path;  // a file, or "-" for standard input
  std::string config_path;
  bool dry_run = false;
  bool verbose = false;  // curl's trace, redacted, in the log
};

int RunOnce(const OnceOptions& options, const GetEnv& env, std::istream& in, std::ostream& out,
            std::ostream& err);

int RunCheckConfig(const std::string& config_path, const GetEnv& env, std::ostream& out,
                   std::ostream& err);

// The Lambda custom runtime: the Runtime API loop at AWS_LAMBDA_RUNTIME_API. The config is
// the file ROOT_RESPONDER_CONFIG names, else the environment. Returns when the API is gone.
int RunLambda(const GetEnv& env);

// Sends a clearly marked test message through one channel and prints the outcome:
// 0 when it got through, 1 when not, 64 for a usage or configuration error.
int RunTestChannel(const std::string& config_path, const std::string& channel_name, bool verbose,
                   const GetEnv& env, std::ostream& out, std::ostream& err);

}  // namespace rr
