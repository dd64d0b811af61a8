// Region codes, partitions and console hosts: alarm messages name the region for people
// ("Asia Pacific (Seoul)"); everything downstream needs the code ("ap-northeast-2").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rr {

struct ArnParts {
  std::string partition;  // aws, aws-cn, aws-us-gov
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};

// "arn:aws:cloudwatch:ap-northeast-2:111122223333:alarm:root-alert" -> its parts.
std::optional<ArnParts> ParseArn(std::string_view arn);

// "Asia Pacific (Seoul)", "EU (Milan)", "US - N. Virginia" -> the region code.
std::optional<std::string> RegionFromDisplayName(std::string_view name);

// "ap-northeast-2" -> "Asia Pacific (Seoul)", as CloudWatch names it in alarm messages.
std::optional<std::string> DisplayNameOfRegion(std::string_view code);

// The AWS console host for the partition a region belongs to.
std::string_view ConsoleHostForRegion(std::string_view region);

}  // namespace rr
