#include "testsupport/batching.h"

#include <numeric>

namespace testsupport {
namespace {

// `count` row ids from a seeded shuffle of [0, rows), optionally with a row repeated.
std::vector<kernels::index_t> shuffled(std::int32_t rows, std::int32_t count, std::uint64_t seed) {
  std::vector<kernels::index_t> order(static_cast<std::size_t>(rows));
  std::iota(order.begin(), order.end(), 0);
  std::uint64_t s = seed;
  for (std::size_t i = order.size(); i > 1; --i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    std::swap(order[i - 1], order[(s >> 33) % i]);
  }
  order.resize(static_cast<std::size_t>(count));
  return order;
}

std::vector<BatchingProblem> make_problems() {
  // 600 items x 9,000 users, heavy-tailed, 5 % empty rows and columns: three scan tiles.
  const HostCsr items = HostCsr::random({600, 9000, 0.01, RowLengths::HeavyTailed, 0.05, true, false, 61});
  // Dense enough that batch columns hold more than 32 entries (the per-column sort of the CUDA scatter).
  const HostCsr dense = HostCsr::random({300, 200, 0.4, RowLengths::Uniform, 0.0, false, false, 62});
  std::vector<kernels::index_t> repeated = shuffled(300, 100, 7);
  repeated.push_back(repeated.front());  // a row twice: a batch may repeat rows
  return {
      {"256 of 600 heavy-tailed rows, 9,000 columns (3 scan tiles)", items, shuffled(600, 256, 1)},
      {"all 600 rows in a shuffled order", items, shuffled(600, 600, 2)},
      {"columns of up to ~100 batch entries, a repeated row", dense, repeated},
      {"one row", dense, {17}},
      {"an empty batch", dense, {}},
  };
}

}  // namespace

const std::vector<BatchingProblem>& batching_problems() {
  static const std::vector<BatchingProblem> problems = make_problems();
  return problems;
}

HostCsr expected_batch(const BatchingProblem& problem) {
  std::vector<Triplet> triplets;
  const HostCsr& m = problem.matrix;
  for (std::size_t r = 0; r < problem.rows.size(); ++r) {
    const auto row = static_cast<std::size_t>(problem.rows[r]);
    for (auto p = m.offsets[row]; p < m.offsets[row + 1]; ++p) {
      triplets.push_back({static_cast<std::int32_t>(r), m.indices[static_cast<std::size_t>(p)],
                          m.values[static_cast<std::size_t>(p)]});
    }
  }
  return HostCsr::from_triplets(static_cast<std::int32_t>(problem.rows.size()), m.cols(), std::move(triplets));
}

}  // namespace testsupport
