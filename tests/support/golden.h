// Golden files: rendered requests pinned under testdata/golden/, compared byte for byte, and
// rewritten when UPDATE_GOLDEN is set (then `git diff testdata/golden` is the review).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "channels/http_request.h"

namespace rr::testing {

// The requests as a dry-run outcome shows them (secrets redacted), pretty-printed for reading in
// review: a JSON array of {method, url, body}.
std::string PrettyRequests(const std::vector<HttpRequest>& requests);

// The golden file at `path` (absolute), for comparing with `rendered`; with UPDATE_GOLDEN set,
// `rendered` is written there first. nullopt when the file does not exist.
std::optional<std::string> GoldenFile(const std::string& path, const std::string& rendered);

inline constexpr char kGoldenMissingHint[] = " is missing; run with UPDATE_GOLDEN=1 and review it";

}  // namespace rr::testing
