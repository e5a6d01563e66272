// Vendor baselines: the engine's sparse and dense products through cuSPARSE and cuBLAS, with the
// same operands and semantics as kernels/cuda.h, so that our kernels can be checked and timed
// against them. Only built with a real CUDA toolkit (the SIMT emulation cannot run these
// libraries). Unlike the rest of kernels/, these wrappers own device memory: the vendor libraries
// need workspaces, and 32-bit copies of our 64-bit row offsets (cuSPARSE wants offsets and
// indices of one index type). All of it is grow-only and reused, so a loop of calls with steady
// shapes allocates nothing after its first iteration.
//
// Layout mapping: our dense matrices are row-major with a padded leading dimension. cuSPARSE takes
// them as CUSPARSE_ORDER_ROW with that ld; cuBLAS is column-major, so C = op(A) op(B) is computed as
// C^T = op(B)^T op(A)^T on the same memory (operands swapped, no copies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include <cublas_v2.h>
#include <cusparse.h>

#include "kernels/cuda_platform.h"
#include "kernels/views.h"

namespace kernels::vendor {

enum class SpmmAlgorithm { CsrAlg2, CsrAlg3 };  // CUSPARSE_SPMM_CSR_ALG2 / CUSPARSE_SPMM_CSR_ALG3
enum class GemmPrecision { Fp32, Tf32 };         // CUBLAS_COMPUTE_32F / CUBLAS_COMPUTE_32F_FAST_TF32

// A cuSPARSE or cuBLAS call that did not return success: statement, file, line, status name.
class VendorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Grow-only device memory owned by a vendor wrapper (move-only; the destructor never throws).
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer&& other) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer();
  // At least `bytes` of device memory; reallocates (cudaMalloc) only when it must grow.
  void* reserve(std::size_t bytes);
  void* data() const { return data_; }

 private:
  void* data_ = nullptr;
  std::size_t capacity_ = 0;
};

struct SpmmOperands;  // internal (cusparse descriptors), defined in cusparse_spmm.cpp

// C (m, k) = alpha * A . B + beta * C with cuSPARSE SpMM, A in CSR. prepare() does the per-pattern
// work (32-bit offsets, descriptors, buffer sizing, cusparseSpMM_preprocess); run() only multiplies,
// so a benchmark prepares outside its timed loop. The operands' memory must stay valid and the
// pattern unchanged between prepare() and run(); values of A, B and C may change.
class SpmmPlan {
 public:
  SpmmPlan();
  ~SpmmPlan();
  SpmmPlan(SpmmPlan&&) noexcept;
  SpmmPlan& operator=(SpmmPlan&&) noexcept;

  void prepare(cusparseHandle_t handle, const CsrPattern& a, const float* a_values, MatrixView<const float> b,
               MatrixView<float> c, SpmmAlgorithm algorithm);
  // The transposed product C (n, k) = alpha * A^T . B (m, k) + beta * C: A^T in CSR is A's CSC twin
  // whose values run() first gathers into CSC order (cusparseGather through csr_positions).
  void prepare_transposed(cusparseHandle_t handle, const CscPattern& a, const float* a_values,
                          MatrixView<const float> b, MatrixView<float> c, SpmmAlgorithm algorithm);
  void run(float alpha, float beta);

 private:
  std::unique_ptr<SpmmOperands> operands_;
  DeviceBuffer offsets32_, gathered_values_, workspace_;
};

struct SddmmOperands;  // internal, defined in cusparse_sddmm.cpp

// out[p] = <A_i, B_j> for each nonzero p = (i, j) of the pattern (A (m, k), B (n, k)) with cuSPARSE
// SDDMM (op(B) = B^T). Same prepare/run contract as SpmmPlan.
class SddmmPlan {
 public:
  SddmmPlan();
  ~SddmmPlan();
  SddmmPlan(SddmmPlan&&) noexcept;
  SddmmPlan& operator=(SddmmPlan&&) noexcept;

  void prepare(cusparseHandle_t handle, const CsrPattern& pattern, MatrixView<const float> a,
               MatrixView<const float> b, float* out);
  void run();

 private:
  std::unique_ptr<SddmmOperands> operands_;
  DeviceBuffer offsets32_, workspace_;
};

// cuSPARSE and cuBLAS handles bound to one stream, plus one reusable plan per op. Each call
// re-plans (sizing and preprocessing are cheap next to a product, and the engine may hand over a new
// pattern at the same addresses), then runs. Degenerate shapes (an empty dimension or nnz == 0) are
// the caller's to handle; they are rejected with kernels::Error.
class Context {
 public:
  // Throws VendorError when a handle cannot be created (e.g. no driver: NOT_INITIALIZED).
  explicit Context(cudaStream_t stream);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  cudaStream_t stream() const { return stream_; }
  cusparseHandle_t cusparse_handle() const { return cusparse_; }

  void spmm(const CsrPattern& a, const float* a_values, MatrixView<const float> b, MatrixView<float> c,
            float alpha, float beta, SpmmAlgorithm algorithm);
  void spmm_transposed(const CscPattern& a, const float* a_values, MatrixView<const float> b,
                       MatrixView<float> c, float alpha, float beta, SpmmAlgorithm algorithm);
  void sddmm(const CsrPattern& pattern, MatrixView<const float> a, MatrixView<const float> b, float* out);
  void gemm(bool transpose_a, bool transpose_b, float alpha, MatrixView<const float> a, MatrixView<const float> b,
            float beta, MatrixView<float> c, GemmPrecision precision);

 private:
  cudaStream_t stream_;
  cusparseHandle_t cusparse_ = nullptr;
  cublasHandle_t cublas_ = nullptr;
  SpmmPlan spmm_plan_, spmm_transposed_plan_;
  SddmmPlan sddmm_plan_;
};

// out[i] = in[i] as 32-bit, on `stream`, for the cuSPARSE descriptors. The caller guarantees that the
// values fit (offsets are at most nnz, and the plans require nnz < 2^31).
void narrow_offsets(const offset_t* in, std::int32_t* out, std::int64_t n, cudaStream_t stream);

}  // namespace kernels::vendor
