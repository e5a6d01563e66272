// CUDA-specific engine controls: which kernels the CUDA backend runs (ours or the vendor libraries'
// as a baseline) and what its caching allocator holds. Every build declares these; a build without
// the CUDA backend, or the SIMT emulation, throws engine::Error where the request cannot be met.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace engine {

enum class CudaKernelSource {
  Own,     // this project's CUDA kernels
  Vendor,  // cuSPARSE (spmm, spmm_transposed, sddmm) and cuBLAS (gemm); every other op stays ours
};
enum class VendorSpmmAlgorithm { CsrAlg2, CsrAlg3 };  // CUSPARSE_SPMM_CSR_ALG2 / _ALG3 (deterministic)
enum class VendorGemmPrecision { Fp32, Tf32 };         // CUBLAS_COMPUTE_32F / _32F_FAST_TF32

struct CudaKernelSelection {
  CudaKernelSource source = CudaKernelSource::Own;
  VendorSpmmAlgorithm spmm_algorithm = VendorSpmmAlgorithm::CsrAlg2;
  VendorGemmPrecision gemm_precision = VendorGemmPrecision::Fp32;
  bool operator==(const CudaKernelSelection&) const = default;
};

// The text form: "own", or "vendor" optionally followed by ",alg2" / ",alg3" and ",fp32" / ",tf32"
// in any order, e.g. "vendor,alg3,tf32". Throws engine::Error naming the bad part.
CudaKernelSelection parse_cuda_kernels(const std::string& spec);
std::string to_string(const CudaKernelSelection& selection);

// The process-wide selection, read by every CUDA backend op. Its initial value comes from the
// environment variable AUTOREC_CUDA_KERNELS (default "own"). Selecting Vendor throws engine::Error
// when this build cannot run the vendor libraries (no CUDA backend, or the SIMT emulation).
CudaKernelSelection cuda_kernels();
void set_cuda_kernels(const CudaKernelSelection& selection);
void set_cuda_kernels(const std::string& spec);
// Whether cuSPARSE/cuBLAS baselines are compiled into this build; `reason` (if given) says why not.
bool vendor_kernels_available(std::string* reason = nullptr);

// What the CUDA backend's caching allocator holds. "live" counts the bytes the engine asked for and
// has not freed; "reserved" counts what the allocator holds from the driver (live blocks, rounded up
// to their size class, plus cached free blocks).
struct CudaMemoryStats {
  std::size_t live_bytes = 0;
  std::size_t peak_live_bytes = 0;
  std::size_t reserved_bytes = 0;
  std::size_t peak_reserved_bytes = 0;
  std::int64_t driver_allocations = 0;  // cudaMalloc calls that succeeded, ever
  std::int64_t driver_frees = 0;        // cudaFree calls, ever
  std::int64_t cache_hits = 0;          // allocations served from a cached block
};

// Both create the device's backend if needed (so they throw engine::Error without a usable GPU).
CudaMemoryStats cuda_memory_stats(int ordinal = 0);
// Returns every cached free block to the driver (synchronises the device, as cudaFree does).
void cuda_release_cached_memory(int ordinal = 0);

}  // namespace engine
