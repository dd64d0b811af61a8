// Which channels already delivered which alert, for a day: a Lambda retry of an invocation
// (or SNS delivering the same message again) must not page the channels that got through.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>

namespace rr {

class SentCache {
 public:
  explicit SentCache(std::chrono::seconds ttl = std::chrono::hours(24)) : ttl_(ttl) {}

  std::set<std::string> SentChannels(const std::string& dedup_key,
                                     std::chrono::steady_clock::time_point now);
  void RecordSent(const std::string& dedup_key, const std::string& channel,
                  std::chrono::steady_clock::time_point now);
  size_t size() const;

 private:
  struct Entry {
    std::set<std::string> channels;
    std::chrono::steady_clock::time_point first_seen;
  };
  void Expire(std::chrono::steady_clock::time_point now);

  std::chrono::seconds ttl_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace rr
