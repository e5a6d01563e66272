#include "touched_rows.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace bench {

TouchedRows touched_rows(const engine::SparseMatrix& train, std::int64_t batch_size, std::uint64_t seed) {
  const std::vector<engine::offset_t> offsets = train.csr_offsets_host();
  const std::vector<engine::index_t> indices = train.csr_indices_host();
  std::vector<engine::index_t> order(static_cast<std::size_t>(train.rows()));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  std::vector<std::int64_t> stamp(static_cast<std::size_t>(train.cols()), -1);  // last batch that touched a column
  TouchedRows result;
  result.batch_size = batch_size;
  result.min_fraction = 1.0;
  double sum = 0.0;
  for (std::size_t first = 0; first < order.size(); first += static_cast<std::size_t>(batch_size)) {
    const std::size_t last = std::min(order.size(), first + static_cast<std::size_t>(batch_size));
    std::int64_t touched = 0;
    for (std::size_t r = first; r < last; ++r) {
      const auto row = static_cast<std::size_t>(order[r]);
      for (auto p = offsets[row]; p < offsets[row + 1]; ++p) {
        std::int64_t& mark = stamp[static_cast<std::size_t>(indices[static_cast<std::size_t>(p)])];
        if (mark != result.batches) {
          mark = result.batches;
          ++touched;
        }
      }
    }
    const double fraction = train.cols() > 0 ? static_cast<double>(touched) / train.cols() : 0.0;
    sum += fraction;
    result.min_fraction = std::min(result.min_fraction, fraction);
    result.max_fraction = std::max(result.max_fraction, fraction);
    ++result.batches;
  }
  result.mean_fraction = result.batches > 0 ? sum / static_cast<double>(result.batches) : 0.0;
  return result;
}

}  // namespace bench
