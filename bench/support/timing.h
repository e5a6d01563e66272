// Host-side timing helpers: a steady_clock stopwatch and the median of repeated measurements.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

namespace bench {

double median(std::vector<double> samples);

// Milliseconds taken by each of `repeats` calls of fn(i), after `warmup` untimed calls; i counts all
// calls so callers can rotate their input buffers with it.
std::vector<double> time_host_ms(int warmup, int repeats, const std::function<void(int)>& fn);

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace bench
