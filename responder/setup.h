// From a --config path (or the environment) to a ready Dispatcher, with every problem found on
// the way reported at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "channels/display_zone.h"
#include "responder/config.h"
#include "responder/dispatcher.h"

namespace rr {

struct Setup {
  ConfigReport report;  // problems here mean `dispatcher` is null
  std::unique_ptr<Dispatcher> dispatcher;
  std::string source;  // the file, or "environment"
};

// `config_path` empty means the environment-only mode. Registers every secret and phone number
// with the redaction registry before anything can log them. "ssm:NAME" values are read from SSM
// Parameter Store with the AWS credentials and region found through `env`.
Setup LoadSetup(const std::string& config_path, const GetEnv& env);
// The same with `ssm` resolving the ssm: references (tests; null: ssm: is a problem).
Setup LoadSetup(const std::string& config_path, const GetEnv& env, const SecretResolver& ssm);

// The zone for rendering times: the system tzdb's, else, for a zone that keeps no daylight
// saving time (Asia/Seoul, Asia/Tokyo, UTC, ...), its fixed offset; nullopt when neither.
std::optional<DisplayZone> FindTimeZone(const std::string& name);

}  // namespace rr
