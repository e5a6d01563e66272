#include "block_makespan.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace bench::geometry {

double makespan(const std::vector<double>& block_bytes, const GpuSpec& gpu, double bandwidth) {
  std::priority_queue<double, std::vector<double>, std::greater<>> loads;
  for (int s = 0; s < gpu.sms; ++s) loads.push(0.0);
  double longest = 0.0;
  for (const double bytes : block_bytes) {
    const double load = loads.top() + bytes;
    loads.pop();
    loads.push(load);
    longest = std::max(longest, load);
  }
  return longest / (bandwidth / gpu.sms);
}

double gather_bandwidth(const GpuSpec& gpu, double table_bytes) {
  return table_bytes <= 0.7 * gpu.l2_bytes ? gpu.l2_bytes_per_second : gpu.dram_bytes_per_second;
}

std::vector<double> sparse_rows_blocks(const std::vector<std::int64_t>& lengths, std::int64_t k, bool split,
                                       double per_nonzero_extra, double element_bytes) {
  const std::int64_t tiles = (k + kTileColumns - 1) / kTileColumns;
  const double per_nonzero = kTileColumns * element_bytes + per_nonzero_extra;
  const auto rows = static_cast<std::int64_t>(lengths.size());
  std::vector<double> blocks;
  for (std::int64_t tile = 0; tile < tiles; ++tile) {
    for (std::int64_t first = 0; first < rows; first += kRowsPerBlock) {
      double bytes = 0.0;
      for (std::int64_t r = first; r < std::min(rows, first + kRowsPerBlock); ++r) {
        const std::int64_t length = lengths[static_cast<std::size_t>(r)];
        if (split && length > kLongRow) {
          for (std::int64_t done = 0; done < length; done += kLongSegment) {
            blocks.push_back(static_cast<double>(std::min(kLongSegment, length - done)) * per_nonzero +
                             2 * kTileColumns * kFloat);
          }
        } else {
          bytes += static_cast<double>(length) * per_nonzero + kTileColumns * kFloat;
        }
      }
      blocks.push_back(bytes);
    }
  }
  return blocks;
}

}  // namespace bench::geometry
