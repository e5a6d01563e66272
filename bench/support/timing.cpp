#include "timing.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bench {

double median(std::vector<double> samples) {
  if (samples.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(samples.begin(), samples.end());
  const std::size_t mid = samples.size() / 2;
  return samples.size() % 2 == 1 ? samples[mid] : 0.5 * (samples[mid - 1] + samples[mid]);
}

std::vector<double> time_host_ms(int warmup, int repeats, const std::function<void(int)>& fn) {
  int call = 0;
  for (int i = 0; i < warmup; ++i) fn(call++);
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(repeats));
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn(call++);
    ms.push_back(1e3 * seconds_since(start));
  }
  return ms;
}

}  // namespace bench
