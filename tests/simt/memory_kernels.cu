// Test kernels for dynamic shared memory, atomics, the index built-ins, exceptions and launch
// configuration (see test_kernels.h for what each computes).
#include <stdexcept>

#include "kernels/cuda_launch.cuh"
#include "test_kernels.h"

namespace simt_test {
namespace {

__global__ void reverse_kernel(const float* __restrict__ input, float* __restrict__ out, int n) {
  KERNELS_DYNAMIC_SHARED(float, tile);
  const int start = static_cast<int>(blockIdx.x * blockDim.x);
  const int t = static_cast<int>(threadIdx.x);
  const int width = min(static_cast<int>(blockDim.x), n - start);
  if (t < width) tile[t] = input[start + t];
  __syncthreads();
  if (t < width) out[start + t] = tile[width - 1 - t];
}

__global__ void atomics_kernel(AtomicTotals* totals) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  const int value = i % 13 - 6;
  atomicAdd(&totals->int_sum, value);
  atomicAdd(&totals->unsigned_sum, static_cast<unsigned>(value + 6));
  atomicAdd(&totals->ull_sum, static_cast<unsigned long long>(value + 6));
  atomicAdd(&totals->float_sum, static_cast<float>(value));
  atomicAdd(&totals->double_sum, static_cast<double>(value) * 0.5);
  atomicMax(&totals->max, value);
  atomicMin(&totals->min, value);
  // An increment written as a compare-and-swap loop, the way atomics without hardware support are built.
  int seen = totals->cas_count;
  int assumed = 0;
  do {
    assumed = seen;
    seen = atomicCAS(&totals->cas_count, assumed, assumed + 1);
  } while (seen != assumed);
  atomicExch(&totals->exchanged, 42);
}

__global__ void coordinates_kernel(ThreadCoordinates* out) {
  const unsigned block_linear = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  const unsigned thread_linear = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  const unsigned id = block_linear * (blockDim.x * blockDim.y * blockDim.z) + thread_linear;
  out[id] = ThreadCoordinates{threadIdx, blockIdx, blockDim, gridDim};
}

__global__ void throwing_kernel(int thrower_block, int thrower, int* counter) {
  if (static_cast<int>(blockIdx.x) == thrower_block && static_cast<int>(threadIdx.x) == thrower) {
#if defined(KERNELS_SIMT)
    throw std::runtime_error("kernel exception");
#else
    *counter = -1;
    return;
#endif
  }
  __syncthreads();  // the other threads of the throwing block are left waiting here
  atomicAdd(counter, 1);
}

__global__ void noop_kernel(int* flag) {
  if (threadIdx.x == 0 && blockIdx.x == 0) *flag = 1;
}

}  // namespace

void reverse_in_blocks(const float* input, float* out, int n, int threads_per_block, std::size_t shared_bytes) {
  kernels::cuda::launch(kernels::cuda::blocks_for(n, threads_per_block), threads_per_block, shared_bytes, nullptr,
                        reverse_kernel, input, out, n);
}

void raise_reverse_shared_limit(int bytes) {
  KERNELS_CUDA_CHECK(cudaFuncSetAttribute(reverse_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes));
}

void atomics(int blocks, int threads, AtomicTotals* totals) {
  kernels::cuda::launch(blocks, threads, 0, nullptr, atomics_kernel, totals);
}

void coordinates(dim3 grid, dim3 block, ThreadCoordinates* out) {
  kernels::cuda::launch(grid, block, 0, nullptr, coordinates_kernel, out);
}

void throwing(int blocks, int threads, int thrower_block, int thrower, int* counter) {
  kernels::cuda::launch(blocks, threads, 0, nullptr, throwing_kernel, thrower_block, thrower, counter);
}

void configured_noop(dim3 grid, dim3 block, std::size_t shared_bytes, int* flag) {
  kernels::cuda::launch(grid, block, shared_bytes, nullptr, noop_kernel, flag);
}

}  // namespace simt_test
