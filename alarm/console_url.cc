#include "alarm/console_url.h"

#include "alarm/aws_region.h"

namespace rr {

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string AlarmConsoleUrl(std::string_view region, std::string_view alarm_name) {
  std::string url = "https://";
  url += ConsoleHostForRegion(region);
  url += "/cloudwatch/home?region=";
  url += PercentEncode(region);
  url += "#alarmsV2:alarm/";
  url += PercentEncode(alarm_name);
  return url;
}

std::string CloudTrailEventConsoleUrl(std::string_view region, std::string_view event_id) {
  std::string url = "https://";
  url += ConsoleHostForRegion(region);
  url += "/cloudtrail/home?region=";
  url += PercentEncode(region);
  url += "#/events/";
  url += PercentEncode(event_id);
  return url;
}

}  // namespace rr
