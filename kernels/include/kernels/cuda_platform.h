// The one header that CUDA-facing code includes. Under nvcc it is <cuda_runtime.h>; with KERNELS_SIMT
// defined (the SIMT host emulation, kernels/simt/) the same names come from the emulator, so the
// kernels' own .cu source also compiles with the host compiler and runs on a CPU.
#pragma once

#if defined(KERNELS_SIMT)
#include "simt/simt.h"  // the simt target's include path (kernels/simt/include)
#else
#include <cuda_runtime.h>
#endif

#include <sstream>
#include <stdexcept>
#include <string>

namespace kernels {

// A failed CUDA runtime call. Library code throws it instead of exiting so that a test runner or the
// CLI can report the failure; code() keeps the original status for callers that branch on it.
class CudaError : public std::runtime_error {
 public:
  CudaError(cudaError_t code, const std::string& message) : std::runtime_error(message), code_(code) {}
  cudaError_t code() const noexcept { return code_; }

 private:
  cudaError_t code_;
};

[[noreturn]] inline void throw_cuda_error(cudaError_t code, const char* statement, const char* file, int line) {
  // The error is reported now: clear the runtime's (non-sticky) last error so that the check after
  // the next, unrelated launch does not report it a second time.
  static_cast<void>(cudaGetLastError());
  std::ostringstream out;
  out << file << ':' << line << ": CUDA call failed: " << statement << ": " << cudaGetErrorName(code) << " ("
      << cudaGetErrorString(code) << ')';
  throw CudaError(code, out.str());
}

}  // namespace kernels

// KERNELS_CUDA_CHECK(cudaMemcpy(...)): evaluates a cudaError_t-returning statement once and throws
// kernels::CudaError (statement, file, line, error name and string) unless it returned cudaSuccess.
#define KERNELS_CUDA_CHECK(statement)                                                         \
  do {                                                                                        \
    const cudaError_t kernels_cuda_status_ = (statement);                                     \
    if (kernels_cuda_status_ != cudaSuccess) {                                                \
      ::kernels::throw_cuda_error(kernels_cuda_status_, #statement, __FILE__, __LINE__);      \
    }                                                                                         \
  } while (0)

// KERNELS_DYNAMIC_SHARED(float, tile): declares `tile`, a pointer to the block's dynamic shared memory
// (the shared_bytes argument of the launch), 16-byte aligned so float4 accesses are legal. Declaring a
// raw byte array and casting lets kernel templates instantiated with different types share it (a typed
// `extern __shared__ T name[]` would be redeclared with conflicting types).
#if defined(KERNELS_SIMT)
#define KERNELS_DYNAMIC_SHARED(type, name) type* name = static_cast<type*>(::simt::dynamic_shared_memory())
#else
#define KERNELS_DYNAMIC_SHARED(type, name)                                      \
  extern __shared__ __align__(16) unsigned char kernels_dynamic_shared_bytes_[]; \
  type* name = reinterpret_cast<type*>(kernels_dynamic_shared_bytes_)
#endif
