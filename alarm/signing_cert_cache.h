// Signing certificates by SigningCertURL, so a busy topic costs one fetch, not one per message.
// Bounded (the least recently used URL goes first) and safe to use from any thread.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "alarm/signing_cert.h"

namespace rr {

class SigningCertCache {
 public:
  explicit SigningCertCache(size_t capacity);

  // The certificate cached for `url`, or null. A hit makes `url` the most recently used.
  std::shared_ptr<const SigningCert> Find(const std::string& url);
  // Caches `cert` for `url` (replacing what was there), evicting the least recently used URL
  // when full. A capacity of 0 caches nothing.
  void Insert(const std::string& url, std::shared_ptr<const SigningCert> cert);
  size_t size() const;

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const SigningCert>>;

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_url_;
};

}  // namespace rr
