// The single launch helper that every CUDA launcher uses (instead of a raw <<<>>>): it validates the
// configuration, launches (nvcc) or runs the kernel through the SIMT emulator (KERNELS_SIMT), and
// turns a failed launch into kernels::CudaError. g++ cannot parse <<<>>>, hence the kernel is passed
// as an ordinary argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "kernels/check.h"
#include "kernels/cuda_platform.h"

namespace kernels::cuda {

inline constexpr std::int64_t kMaxThreadsPerBlock = 1024;
inline constexpr std::int64_t kMaxGridX = 2147483647;  // 2^31 - 1 blocks along x

// Number of blocks of threads_per_block threads that cover n items (ceil-div); 0 when n == 0.
inline unsigned blocks_for(std::int64_t n, int threads_per_block) {
  KERNELS_REQUIRE(n >= 0, "n=", n);
  KERNELS_REQUIRE(threads_per_block > 0 && threads_per_block <= kMaxThreadsPerBlock,
                  "threads_per_block=", threads_per_block);
  // Written without n + threads_per_block - 1 so that it cannot overflow for n near INT64_MAX.
  const std::int64_t blocks = n / threads_per_block + (n % threads_per_block != 0 ? 1 : 0);
  KERNELS_REQUIRE(blocks <= kMaxGridX, "n=", n, " needs ", blocks, " blocks of ", threads_per_block,
                  " threads, more than the grid limit ", kMaxGridX);
  return static_cast<unsigned>(blocks);
}

// launch(grid, block, shared_bytes, stream, my_kernel<float>, args...) runs
// my_kernel<<<grid, block, shared_bytes, stream>>>(args...). An empty grid or block launches nothing
// (so callers need not special-case n == 0); a block over 1024 threads is a caller bug (kernels::Error);
// any other launch failure throws kernels::CudaError.
template <typename Kernel, typename... Args>
void launch(dim3 grid, dim3 block, std::size_t shared_bytes, cudaStream_t stream, Kernel kernel, Args&&... args) {
  const std::int64_t block_threads = std::int64_t{block.x} * block.y * block.z;
  const std::int64_t grid_blocks = std::int64_t{grid.x} * grid.y * grid.z;
  if (block_threads == 0 || grid_blocks == 0) return;
  KERNELS_REQUIRE(block_threads <= kMaxThreadsPerBlock,
                  "block ", block.x, 'x', block.y, 'x', block.z, " has ", block_threads, " threads, more than ",
                  kMaxThreadsPerBlock);
#if defined(KERNELS_SIMT)
  // Runs every block to completion before returning; records configuration errors like cudart does.
  ::simt::launch(grid, block, shared_bytes, stream, kernel, std::forward<Args>(args)...);
#else
  kernel<<<grid, block, shared_bytes, stream>>>(std::forward<Args>(args)...);
#endif
  KERNELS_CUDA_CHECK(cudaGetLastError());
}

}  // namespace kernels::cuda
