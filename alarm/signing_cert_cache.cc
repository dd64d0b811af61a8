#include "alarm/signing_cert_cache.h"

#include <utility>

namespace rr {

SigningCertCache::SigningCertCache(size_t capacity) : capacity_(capacity) {}

std::shared_ptr<const SigningCert> SigningCertCache::Find(const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_url_.find(url);
  if (it == by_url_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->second;
}

void SigningCertCache::Insert(const std::string& url, std::shared_ptr<const SigningCert> cert) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = by_url_.find(url); it != by_url_.end()) {
    it->second->second = std::move(cert);
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  if (order_.size() >= capacity_) {
    by_url_.erase(order_.back().first);
    order_.pop_back();
  }
  order_.emplace_front(url, std::move(cert));
  by_url_[url] = order_.begin();
}

size_t SigningCertCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return order_.size();
}

}  // namespace rr
