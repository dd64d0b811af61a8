#include "responder/sent_cache.h"

namespace rr {

void SentCache::Expire(std::chrono::steady_clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = now - it->second.first_seen >= ttl_ ? entries_.erase(it) : std::next(it);
  }
}

std::set<std::string> SentCache::SentChannels(const std::string& dedup_key,
                                              std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  Expire(now);
  auto it = entries_.find(dedup_key);
  return it == entries_.end() ? std::set<std::string>() : it->second.channels;
}

void SentCache::RecordSent(const std::string& dedup_key, const std::string& channel,
                           std::chrono::steady_clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = entries_.try_emplace(dedup_key);
  if (inserted) it->second.first_seen = now;
  it->second.channels.insert(channel);
}

size_t SentCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace rr
