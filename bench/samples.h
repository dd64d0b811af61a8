// What the cold-start tools share: the median they print, and the samples file bench/run.sh
// reads (one figure a line: NAME V1 V2 ...; run.sh computes its own medians and spread).
#pragma once

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace rr::bench {

// The middle value, or the mean of the two middle ones; 0 for no values.
inline double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t mid = v.size() / 2;
  return v.size() % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

inline double Max(const std::vector<double>& v) {
  return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}

class SamplesFile {
 public:
  explicit SamplesFile(const std::string& path) : out_(path, std::ios::trunc) {}
  void Put(const std::string& name, const std::vector<double>& values) {
    out_ << name;
    for (double v : values) out_ << ' ' << v;
    out_ << '\n';
  }

 private:
  std::ofstream out_;
};

}  // namespace rr::bench
