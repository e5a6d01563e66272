// 64-bit CSR offsets -> 32-bit, for the cuSPARSE descriptors (one index type for offsets and indices).
#include "kernels/cuda_launch.cuh"
#include "kernels/vendor.h"

namespace kernels::vendor {
namespace {

__global__ void narrow_offsets_kernel(const offset_t* __restrict__ in, std::int32_t* __restrict__ out,
                                      std::int64_t n) {
  const std::int64_t i = std::int64_t{blockIdx.x} * blockDim.x + threadIdx.x;
  if (i < n) out[i] = static_cast<std::int32_t>(in[i]);
}

}  // namespace

void narrow_offsets(const offset_t* in, std::int32_t* out, std::int64_t n, cudaStream_t stream) {
  constexpr int kThreads = 256;
  cuda::launch(dim3(cuda::blocks_for(n, kThreads)), dim3(kThreads), 0, stream, narrow_offsets_kernel, in, out, n);
}

}  // namespace kernels::vendor
