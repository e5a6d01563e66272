// Launchers for the SIMT test kernels (sync_kernels.cu, memory_kernels.cu). The .cu files are plain
// CUDA: the same source compiles with nvcc; here kernels_add_simt_library builds them for the emulator.
// All pointers are device pointers; every launcher goes through kernels::cuda::launch.
#pragma once

#include <cstdint>

#include "kernels/cuda_platform.h"

namespace simt_test {

// ---- sync_kernels.cu ------------------------------------------------------------------------------
// block_sums[b] = sum of the block's input values, b the block's linear index, reduced as a tree in
// shared memory with one __syncthreads per level. Works for any block shape (not only powers of two).
void block_sum(const float* input, float* block_sums, dim3 grid, dim3 block, cudaStream_t stream);

enum class ShuffleKind { index, up, down, xor_ };
// out[t] = the shuffle of value(t) = 7 * t + 3 over one block of `threads` threads (1-D).
void shuffle(ShuffleKind kind, int argument, int width, int threads, int* out);

// out[t] = the sum of value(u) = u + 1 over the lanes u of t's warp (shuffle tree, then broadcast).
void warp_sum(int threads, int* out);

// Per thread t of one 1-D block: ballots[t] = __ballot_sync(full, predicates[t]), any/all likewise,
// active[t] = __activemask() after a __syncwarp. Threads with t >= exit_from return at once.
void votes(const int* predicates, int threads, int exit_from, unsigned* ballots, int* any, int* all,
           unsigned* active);

// Per block: counts[3 * b + i] = __syncthreads_count / _and / _or of (threadIdx.x % modulus == 0).
void barrier_predicates(int modulus, int threads, int blocks, int* counts);

// Broken on purpose; each must make the launch throw simt::DeadlockError (not hang).
void half_block_skips_barrier(int threads);
void divergent_barriers(int threads);
void warp_lanes_disagree();
void syncwarp_against_syncthreads();  // lane 0 at __syncwarp, the rest of its warp at __syncthreads

// A race: each thread writes t + salt to its shared slot, then reads its neighbour's slot without a
// barrier: out[t] = shared[(t + 1) % threads] - salt, which is (t + 1) % threads only if the neighbour
// already wrote. The result depends on the order in which threads run.
void racy_neighbour_read(int salt, int threads, int* out);

// 1,000 blocks x 256 threads, 2 barriers each (the emulator's benchmark). out[b] = block b's sum of
// its thread ids, i.e. 256 * 255 / 2.
void two_barrier_blocks(int blocks, int* out);

// ---- memory_kernels.cu ------------------------------------------------------------------------------
// out[i] = input[block_start + blockDim.x - 1 - threadIdx.x] through dynamic shared memory.
void reverse_in_blocks(const float* input, float* out, int n, int threads_per_block, std::size_t shared_bytes);
// Raises the dynamic shared memory limit of the reverse_in_blocks kernel (cudaFuncSetAttribute).
void raise_reverse_shared_limit(int bytes);

struct AtomicTotals {
  int int_sum;
  unsigned unsigned_sum;
  unsigned long long ull_sum;
  float float_sum;
  double double_sum;
  int max;
  int min;
  int cas_count;
  int exchanged;
};
// Every thread i of `blocks` x `threads` adds value(i) = i % 13 - 6 to all totals (and its max/min).
void atomics(int blocks, int threads, AtomicTotals* totals);

struct ThreadCoordinates {
  uint3 thread;
  uint3 block;
  dim3 block_dim;
  dim3 grid_dim;
};
// out[global linear id] = the built-ins seen by that thread; the id is computed from the same
// built-ins, so the test checks that every id is written exactly once with consistent values.
void coordinates(dim3 grid, dim3 block, ThreadCoordinates* out);

// Thread `thrower` of block `thrower_block` throws std::runtime_error("kernel exception") (SIMT only;
// under nvcc the kernel writes -1 instead). Others increment *counter.
void throwing(int blocks, int threads, int thrower_block, int thrower, int* counter);

// Launch with an explicit configuration, to test the helper's and the emulator's configuration checks.
void configured_noop(dim3 grid, dim3 block, std::size_t shared_bytes, int* flag);

}  // namespace simt_test
