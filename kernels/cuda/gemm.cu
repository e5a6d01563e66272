// Dense SGEMM: C (m x n) = alpha * op(A) (m x k) . op(B) (k x n) + beta * C, row-major, op = X or X^T.
// Used by dense hidden layers and for decoding full rows when ranking; training's sparse layers never
// call it (and a real deployment could route it to cuBLAS; this one keeps the backend self-contained).
//
// Tiling. A block of 256 threads computes a 64 x 64 tile of C, marching along k in steps of 16: each
// step stages a 64 x 16 slice of op(A) and a 16 x 64 slice of op(B) in shared memory, then every
// thread accumulates a 4 x 4 register block of C from them (8 shared loads per 16 FMAs). The register
// block is strided (rows ty + 16 i, columns tx + 16 j) so that a warp's shared reads of op(B) hit 16
// consecutive banks and its stores to C are coalesced.
// Loads. The transpose flags are template arguments; each selects which dimension consecutive threads
// walk when loading a slice, so that global reads are always along the contiguous dimension. The
// tiles are padded by one column, which keeps the transposing shared stores free of bank conflicts.
// Bounds are checked per element (zero fill), so any shape and leading dimension is correct.
#include "common.cuh"
#include "kernels/cuda.h"

namespace kernels::cuda {
namespace {

constexpr int kTile = 64;      // rows and columns of C per block
constexpr int kTileDepth = 16;  // k per shared-memory step
constexpr int kMicro = 4;       // register block: kMicro x kMicro outputs per thread
constexpr int kThreadsPerSide = kTile / kMicro;
constexpr int kGemmThreads = kThreadsPerSide * kThreadsPerSide;

struct GemmParams {
  const float* __restrict__ a;
  const float* __restrict__ b;
  float* __restrict__ c;
  std::int64_t lda;
  std::int64_t ldb;
  std::int64_t ldc;
  std::int64_t m;
  std::int64_t n;
  std::int64_t k;
  float alpha;
  float beta;
};

using Tile = float[kTileDepth][kTile + 1];

// tile[d][r] = X'(first + r, k0 + d), zero outside X' (extent x depth), where X'(r, d) is stored at
// x[d * ld + r] when kAlongRows (r is the contiguous dimension) and at x[r * ld + d] otherwise.
template <bool kAlongRows>
__device__ __forceinline__ void load_tile(const float* __restrict__ x, std::int64_t ld, std::int64_t extent,
                                          std::int64_t depth, std::int64_t first, std::int64_t k0, Tile& tile) {
  for (int e = static_cast<int>(threadIdx.x); e < kTile * kTileDepth; e += kGemmThreads) {
    const int r = kAlongRows ? e % kTile : e / kTileDepth;
    const int d = kAlongRows ? e / kTile : e % kTileDepth;
    const std::int64_t row = first + r;
    const std::int64_t inner = k0 + d;
    float value = 0.0f;
    if (row < extent && inner < depth) value = __ldg(kAlongRows ? x + inner * ld + row : x + row * ld + inner);
    tile[d][r] = value;
  }
}

template <bool kTransA, bool kTransB>
__global__ void __launch_bounds__(kGemmThreads) gemm_kernel(const GemmParams p) {
  __shared__ Tile a_tile;  // a_tile[d][r] = op(A)(row0 + r, k0 + d)
  __shared__ Tile b_tile;  // b_tile[d][c] = op(B)(k0 + d, col0 + c)
  const std::int64_t row0 = std::int64_t{blockIdx.y} * kTile;
  const std::int64_t col0 = std::int64_t{blockIdx.x} * kTile;
  const int tx = static_cast<int>(threadIdx.x) % kThreadsPerSide;
  const int ty = static_cast<int>(threadIdx.x) / kThreadsPerSide;
  float acc[kMicro][kMicro] = {};
  for (std::int64_t k0 = 0; k0 < p.k; k0 += kTileDepth) {
    // op(A)(r, d) is A(r, d) (contiguous along d) or A(d, r) (contiguous along r); op(B)(d, c) is
    // B(d, c) (contiguous along c) or B(c, d) (contiguous along d).
    load_tile<kTransA>(p.a, p.lda, p.m, p.k, row0, k0, a_tile);
    load_tile<!kTransB>(p.b, p.ldb, p.n, p.k, col0, k0, b_tile);
    __syncthreads();
    KERNELS_UNROLL(16)
    for (int d = 0; d < kTileDepth; ++d) {
      float a[kMicro];
      float b[kMicro];
      for (int i = 0; i < kMicro; ++i) a[i] = a_tile[d][ty + kThreadsPerSide * i];
      for (int j = 0; j < kMicro; ++j) b[j] = b_tile[d][tx + kThreadsPerSide * j];
      for (int i = 0; i < kMicro; ++i) {
        for (int j = 0; j < kMicro; ++j) acc[i][j] += a[i] * b[j];
      }
    }
    __syncthreads();  // the tiles are overwritten by the next step
  }
  for (int i = 0; i < kMicro; ++i) {
    const std::int64_t row = row0 + ty + kThreadsPerSide * i;
    for (int j = 0; j < kMicro; ++j) {
      const std::int64_t col = col0 + tx + kThreadsPerSide * j;
      if (row < p.m && col < p.n) {
        float* out = p.c + row * p.ldc + col;
        *out = detail::blend(acc[i][j], p.alpha, p.beta, out);
      }
    }
  }
}

}  // namespace

void gemm(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a, MatrixView<const float> b,
          float beta, MatrixView<float> c, cudaStream_t stream) {
  const auto [m, n, k] = detail::require_gemm_operands(transpose_a, transpose_b, a, b, c);
  const unsigned grid_y = blocks_for(m, kTile);
  KERNELS_REQUIRE(grid_y <= 65535, "m=", m, " needs more than 65535 row tiles");
  const GemmParams p{a.data, b.data, c.data, a.ld, b.ld, c.ld, m, n, k, alpha, beta};
  const dim3 grid(blocks_for(n, kTile), grid_y);
  const dim3 block(kGemmThreads);
  if (transpose_a) {
    if (transpose_b) return cuda::launch(grid, block, 0, stream, gemm_kernel<true, true>, p);
    return cuda::launch(grid, block, 0, stream, gemm_kernel<true, false>, p);
  }
  if (transpose_b) return cuda::launch(grid, block, 0, stream, gemm_kernel<false, true>, p);
  cuda::launch(grid, block, 0, stream, gemm_kernel<false, false>, p);
}

}  // namespace kernels::cuda
