// The functions of kernels/cpu.h that no engine op reaches (the kernel-level API of code that calls
// kernels:: directly, and of bench_kernels): the op table runs them straight from their kernels, the
// kernels::cpu function on the CPU and its kernels::cuda twin on a CUDA device (the SIMT emulation in
// test_ops_simt, a GPU in test_ops_gpu and bench_ops). Host vectors in and out; the optimizer steps
// update `params` and their state in place.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/optimizer_rules.h"

namespace opcases::kernel_level {

// Which twin to run: the CPU kernel, or the CUDA kernel on the current CUDA device.
enum class Twin { Cpu, Cuda };

// Returns sum (x - y)^2; grad = x - y.
double squared_error(Twin twin, const std::vector<float>& x, const std::vector<float>& y, std::vector<float>& grad);
std::vector<float> dropout_values(Twin twin, const std::vector<float>& in, float p, std::uint64_t seed);
void sgd_update(Twin twin, std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                const kernels::SgdParams& p);
void adam_update(Twin twin, std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                 std::vector<float>& v, const kernels::AdamParams& p);
void rprop_update(Twin twin, std::vector<float>& params, const std::vector<float>& grads,
                  std::vector<float>& previous_grads, std::vector<float>& step_sizes, const kernels::RpropParams& p);

// The CUDA twins: kernel_level_cuda.cpp (built on kernels_cuda or kernels_simt), or in a program
// without CUDA kernels kernel_level_no_cuda.cpp, whose functions throw.
namespace cuda_twin {
double squared_error(const std::vector<float>& x, const std::vector<float>& y, std::vector<float>& grad);
std::vector<float> dropout_values(const std::vector<float>& in, float p, std::uint64_t seed);
void sgd_update(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& velocity,
                const kernels::SgdParams& p);
void adam_update(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& m,
                 std::vector<float>& v, const kernels::AdamParams& p);
void rprop_update(std::vector<float>& params, const std::vector<float>& grads, std::vector<float>& previous_grads,
                  std::vector<float>& step_sizes, const kernels::RpropParams& p);
}  // namespace cuda_twin

}  // namespace opcases::kernel_level
