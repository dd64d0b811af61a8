// The entry point of alarm/: the bytes of one delivery, in any supported shape, to one Parsed
// per alert-bearing record (a Lambda event may carry several).
#pragma once

#include <string_view>
#include <vector>

#include "alarm/json.h"
#include "alarm/parsed.h"

namespace rr {

struct PayloadLimits {
  JsonLimits json;
  size_t max_records = 100;  // SNS gives 1 record, SQS batches at most 10 (100 with a window)
};

std::vector<Parsed> ParsePayload(std::string_view bytes, const PayloadLimits& limits = {});

}  // namespace rr
