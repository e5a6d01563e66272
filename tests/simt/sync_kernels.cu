// Test kernels for barriers, warp shuffles and votes (see test_kernels.h for what each computes).
#include "kernels/cuda_launch.cuh"
#include "test_kernels.h"

namespace simt_test {
namespace {

constexpr unsigned kFullMask = 0xffffffffU;

__device__ unsigned linear_thread_id() {
  return threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
}
__device__ unsigned threads_per_block() { return blockDim.x * blockDim.y * blockDim.z; }
__device__ unsigned linear_block_id() { return blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z); }

__global__ void block_sum_kernel(const float* __restrict__ input, float* __restrict__ block_sums) {
  __shared__ float partial[1024];
  const unsigned tid = linear_thread_id();
  const unsigned n = threads_per_block();
  partial[tid] = input[linear_block_id() * n + tid];
  __syncthreads();
  unsigned stride = 1;
  while (stride < n) stride *= 2;
  for (stride /= 2; stride > 0; stride /= 2) {  // tree over the next power of two, guarded
    if (tid < stride && tid + stride < n) partial[tid] += partial[tid + stride];
    __syncthreads();
  }
  if (tid == 0) block_sums[linear_block_id()] = partial[0];
}

__device__ int shuffle_value(unsigned tid) { return static_cast<int>(7 * tid + 3); }

__global__ void shuffle_kernel(ShuffleKind kind, int argument, int width, int* out) {
  const int value = shuffle_value(threadIdx.x);
  int result = 0;
  switch (kind) {
    case ShuffleKind::index:
      result = __shfl_sync(kFullMask, value, argument, width);
      break;
    case ShuffleKind::up:
      result = __shfl_up_sync(kFullMask, value, static_cast<unsigned>(argument), width);
      break;
    case ShuffleKind::down:
      result = __shfl_down_sync(kFullMask, value, static_cast<unsigned>(argument), width);
      break;
    case ShuffleKind::xor_:
      result = __shfl_xor_sync(kFullMask, value, argument, width);
      break;
  }
  out[threadIdx.x] = result;
}

__global__ void warp_sum_kernel(int* out) {
  const unsigned lane = threadIdx.x % warpSize;
  const unsigned lanes_here = min(32U, blockDim.x - (threadIdx.x - lane));
  int sum = static_cast<int>(threadIdx.x) + 1;
  // Tree sum into lane 0; a lane whose partner is past the end of a partial warp adds nothing.
  for (unsigned offset = 16; offset > 0; offset /= 2) {
    const int other = __shfl_down_sync(kFullMask, sum, offset);
    if (lane + offset < lanes_here) sum += other;
  }
  out[threadIdx.x] = __shfl_sync(kFullMask, sum, 0);
}

__global__ void vote_kernel(const int* predicates, int exit_from, unsigned* ballots, int* any, int* all,
                            unsigned* active) {
  const int t = static_cast<int>(threadIdx.x);
  if (t >= exit_from) return;  // exited lanes are excused from the collectives below
  __syncwarp();                // every lane of the warp has now either arrived here or exited
  active[t] = __activemask();
  const int predicate = predicates[t];
  ballots[t] = __ballot_sync(kFullMask, predicate);
  any[t] = __any_sync(kFullMask, predicate);
  all[t] = __all_sync(kFullMask, predicate);
}

__global__ void barrier_predicate_kernel(int modulus, int* counts) {
  const int predicate = threadIdx.x % modulus == 0;
  const int count = __syncthreads_count(predicate);
  const int all = __syncthreads_and(predicate);
  const int any = __syncthreads_or(predicate);
  if (threadIdx.x == 0) {
    counts[3 * blockIdx.x] = count;
    counts[3 * blockIdx.x + 1] = all;
    counts[3 * blockIdx.x + 2] = any;
  }
}

__global__ void half_skip_kernel() {
  if (threadIdx.x < blockDim.x / 2) __syncthreads();
}

__global__ void divergent_barrier_kernel() {
  if (threadIdx.x % 2 == 0) {
    __syncthreads();
  } else {
    __syncthreads();
  }
}

__global__ void lanes_disagree_kernel() {
  if (threadIdx.x == 0) {
    __syncwarp();
  } else {
    __shfl_sync(kFullMask, 1, 0);
  }
}

__global__ void syncwarp_vs_syncthreads_kernel() {
  if (threadIdx.x == 0) {
    __syncwarp();
  } else {
    __syncthreads();
  }
}

__global__ void racy_kernel(int salt, int* out) {
  __shared__ int slots[1024];
  slots[threadIdx.x] = static_cast<int>(threadIdx.x) + salt;
  out[threadIdx.x] = slots[(threadIdx.x + 1) % blockDim.x] - salt;  // missing __syncthreads: a race
}

__global__ void two_barrier_kernel(int* out) {
  __shared__ int ids[256];
  ids[threadIdx.x] = static_cast<int>(threadIdx.x);
  __syncthreads();
  if (threadIdx.x == 0) {
    int sum = 0;
    for (int i = 0; i < 256; ++i) sum += ids[i];
    ids[0] = sum;
  }
  __syncthreads();
  if (threadIdx.x == 0) out[blockIdx.x] = ids[0];
}

}  // namespace

void block_sum(const float* input, float* block_sums, dim3 grid, dim3 block, cudaStream_t stream) {
  kernels::cuda::launch(grid, block, 0, stream, block_sum_kernel, input, block_sums);
}

void shuffle(ShuffleKind kind, int argument, int width, int threads, int* out) {
  kernels::cuda::launch(1, threads, 0, nullptr, shuffle_kernel, kind, argument, width, out);
}

void warp_sum(int threads, int* out) { kernels::cuda::launch(1, threads, 0, nullptr, warp_sum_kernel, out); }

void votes(const int* predicates, int threads, int exit_from, unsigned* ballots, int* any, int* all,
           unsigned* active) {
  kernels::cuda::launch(1, threads, 0, nullptr, vote_kernel, predicates, exit_from, ballots, any, all, active);
}

void barrier_predicates(int modulus, int threads, int blocks, int* counts) {
  kernels::cuda::launch(blocks, threads, 0, nullptr, barrier_predicate_kernel, modulus, counts);
}

void half_block_skips_barrier(int threads) { kernels::cuda::launch(2, threads, 0, nullptr, half_skip_kernel); }
void divergent_barriers(int threads) { kernels::cuda::launch(1, threads, 0, nullptr, divergent_barrier_kernel); }
void warp_lanes_disagree() { kernels::cuda::launch(1, 32, 0, nullptr, lanes_disagree_kernel); }
void syncwarp_against_syncthreads() { kernels::cuda::launch(1, 64, 0, nullptr, syncwarp_vs_syncthreads_kernel); }

void racy_neighbour_read(int salt, int threads, int* out) {
  kernels::cuda::launch(1, threads, 0, nullptr, racy_kernel, salt, out);
}

void two_barrier_blocks(int blocks, int* out) { kernels::cuda::launch(blocks, 256, 0, nullptr, two_barrier_kernel, out); }

}  // namespace simt_test
