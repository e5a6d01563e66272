// Helpers for running one computation on Device::cuda() and Device::cpu() and comparing the results:
// random operands built once on the host and placed on both devices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/cuda.h"
#include "engine/sparse_matrix.h"
#include "engine/tensor.h"
#include "testsupport/catch_close.h"

namespace twin {

inline const engine::Device kCuda = engine::Device::cuda();
inline const engine::Device kCpu = engine::Device::cpu();

// Uniform floats in [low, high) from a fixed-seed LCG: the same numbers on every platform.
inline std::vector<float> random_values(std::int64_t n, std::uint64_t seed, float low = -1.0f, float high = 1.0f) {
  std::vector<float> values(static_cast<std::size_t>(n));
  std::uint64_t state = seed * 2862933555777941757ull + 3037000493ull;
  for (float& v : values) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    v = low + (high - low) * static_cast<float>(state >> 40) / static_cast<float>(1ull << 24);
  }
  return values;
}

// A rows x cols matrix with each entry present with probability `density`, values in [1, 5].
inline engine::SparseMatrix random_sparse(int rows, int cols, double density, std::uint64_t seed,
                                          engine::Device device) {
  engine::CooTriplets triplets;
  const std::vector<float> draws = random_values(std::int64_t{rows} * cols * 2, seed, 0.0f, 1.0f);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      const std::size_t at = 2 * (static_cast<std::size_t>(i) * cols + j);
      if (draws[at] >= density) continue;
      triplets.rows.push_back(i);
      triplets.cols.push_back(j);
      triplets.values.push_back(1.0f + 4.0f * draws[at + 1]);
    }
  }
  return engine::SparseMatrix::from_coo(rows, cols, triplets, engine::DuplicatePolicy::Error, device);
}

inline engine::Tensor random_tensor(std::int64_t rows, std::int64_t cols, std::uint64_t seed, engine::Device device) {
  return engine::Tensor::from_host(rows, cols, random_values(rows * cols, seed), device);
}

inline std::vector<double> widen(const std::vector<float>& values) { return {values.begin(), values.end()}; }

// The emulated kernels and the CPU kernels sum in different orders: a float sum of `terms`
// products of magnitude up to `magnitude` may differ by a few ulps of the running sum.
inline testsupport::Tolerance sum_tolerance(std::int64_t terms, double magnitude) {
  return testsupport::fp32_sum_tolerance(terms, magnitude);
}

// The CUDA kernel selections this build can run: ours always; on a real GPU build also the cuSPARSE
// SpMM algorithms (the sparse ops and the AutoRec layers must agree with the CPU under each).
inline std::vector<std::string> selectable_kernel_specs() {
  std::vector<std::string> specs{"own"};
  if (engine::vendor_kernels_available()) {
    specs.emplace_back("vendor,alg2");
    specs.emplace_back("vendor,alg3");
  }
  return specs;
}

// Selects CUDA kernels for one scope and restores the previous selection (it is process-wide).
class KernelSelection {
 public:
  explicit KernelSelection(const std::string& spec) : previous_(engine::cuda_kernels()) {
    engine::set_cuda_kernels(spec);
  }
  ~KernelSelection() {
    try {
      engine::set_cuda_kernels(previous_);
    } catch (...) {  // the previous selection was valid when it was read; nothing sensible to do
    }
  }
  KernelSelection(const KernelSelection&) = delete;
  KernelSelection& operator=(const KernelSelection&) = delete;

 private:
  engine::CudaKernelSelection previous_;
};

}  // namespace twin
