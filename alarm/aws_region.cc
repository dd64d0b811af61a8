#include "alarm/aws_region.h"

#include <utility>

namespace rr {

std::optional<ArnParts> ParseArn(std::string_view arn) {
  // arn:partition:service:region:account:resource (the resource may hold more colons)
  ArnParts parts;
  std::string* fields[] = {nullptr, &parts.partition, &parts.service, &parts.region,
                           &parts.account};
  size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view field = arn.substr(pos, colon - pos);
    if (i == 0 && field != "arn") return std::nullopt;
    if (fields[i]) *fields[i] = std::string(field);
    pos = colon + 1;
  }
  parts.resource = std::string(arn.substr(pos));
  if (parts.partition.empty() || parts.service.empty()) return std::nullopt;
  return parts;
}

namespace {

// Display names as CloudWatch writes them; the first for each code is today's.
constexpr std::pair<std::string_view, std::string_view> kNames[] = {
    {"US East (N. Virginia)", "us-east-1"},
    {"US - N. Virginia", "us-east-1"},
    {"US East (Ohio)", "us-east-2"},
    {"US West (N. California)", "us-west-1"},
    {"US - N. California", "us-west-1"},
    {"US West (Oregon)", "us-west-2"},
    {"US - Oregon", "us-west-2"},
    {"Africa (Cape Town)", "af-south-1"},
    {"Asia Pacific (Hong Kong)", "ap-east-1"},
    {"Asia Pacific (Taipei)", "ap-east-2"},
    {"Asia Pacific (Mumbai)", "ap-south-1"},
    {"Asia Pacific (Hyderabad)", "ap-south-2"},
    {"Asia Pacific (Tokyo)", "ap-northeast-1"},
    {"Asia Pacific (Seoul)", "ap-northeast-2"},
    {"Asia Pacific (Osaka)", "ap-northeast-3"},
    {"Asia Pacific (Osaka-Local)", "ap-northeast-3"},
    {"Asia Pacific (Singapore)", "ap-southeast-1"},
    {"Asia Pacific (Sydney)", "ap-southeast-2"},
    {"Asia Pacific (Jakarta)", "ap-southeast-3"},
    {"Asia Pacific (Melbourne)", "ap-southeast-4"},
    {"Asia Pacific (Malaysia)", "ap-southeast-5"},
    {"Asia Pacific (New Zealand)", "ap-southeast-6"},
    {"Asia Pacific (Thailand)", "ap-southeast-7"},
    {"Canada (Central)", "ca-central-1"},
    {"Canada West (Calgary)", "ca-west-1"},
    {"Europe (Frankfurt)", "eu-central-1"},
    {"Europe (Zurich)", "eu-central-2"},
    {"Europe (Ireland)", "eu-west-1"},
    {"Europe (London)", "eu-west-2"},
    {"Europe (Paris)", "eu-west-3"},
    {"Europe (Milan)", "eu-south-1"},
    {"Europe (Spain)", "eu-south-2"},
    {"Europe (Stockholm)", "eu-north-1"},
    {"Israel (Tel Aviv)", "il-central-1"},
    {"Mexico (Central)", "mx-central-1"},
    {"Middle East (Bahrain)", "me-south-1"},
    {"Middle East (UAE)", "me-central-1"},
    {"South America (Sao Paulo)", "sa-east-1"},
    {"South America (São Paulo)", "sa-east-1"},
    {"AWS GovCloud (US-West)", "us-gov-west-1"},
    {"AWS GovCloud (US)", "us-gov-west-1"},
    {"AWS GovCloud (US-East)", "us-gov-east-1"},
    {"China (Beijing)", "cn-north-1"},
    {"China (Ningxia)", "cn-northwest-1"},
    {"EU (Frankfurt)", "eu-central-1"},
    {"EU (Ireland)", "eu-west-1"},
    {"EU (London)", "eu-west-2"},
    {"EU (Paris)", "eu-west-3"},
    {"EU (Milan)", "eu-south-1"},
    {"EU (Stockholm)", "eu-north-1"},
};

}  // namespace

std::optional<std::string> RegionFromDisplayName(std::string_view name) {
  for (const auto& [display, code] : kNames) {
    if (display == name) return std::string(code);
  }
  // Messages from before 2018 wrote "EU - Ireland" for "EU (Ireland)".
  size_t dash = name.find(" - ");
  if (dash != std::string_view::npos) {
    std::string bracketed =
        std::string(name.substr(0, dash)) + " (" + std::string(name.substr(dash + 3)) + ")";
    for (const auto& [display, code] : kNames) {
      if (display == bracketed) return std::string(code);
    }
  }
  return std::nullopt;
}

std::optional<std::string> DisplayNameOfRegion(std::string_view code) {
  for (const auto& [display, region] : kNames) {
    if (region == code) return std::string(display);
  }
  return std::nullopt;
}

std::string_view ConsoleHostForRegion(std::string_view region) {
  if (region.starts_with("cn-")) return "console.amazonaws.cn";
  if (region.starts_with("us-gov-")) return "console.amazonaws-us-gov.com";
  return "console.aws.amazon.com";
}

}  // namespace rr
