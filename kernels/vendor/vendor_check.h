// Status checks for cuSPARSE and cuBLAS calls: like KERNELS_CUDA_CHECK, they throw (here
// kernels::vendor::VendorError) with the statement, file, line and the library's status name.
#pragma once

#include <sstream>

#include "kernels/vendor.h"

namespace kernels::vendor::detail {

[[noreturn]] inline void throw_vendor_error(const char* library, const char* status_name, int status,
                                            const char* statement, const char* file, int line) {
  std::ostringstream out;
  out << file << ':' << line << ": " << library << " call failed: " << statement << ": " << status_name << " ("
      << status << ')';
  throw VendorError(out.str());
}

}  // namespace kernels::vendor::detail

#define KERNELS_CUSPARSE_CHECK(statement)                                                                \
  do {                                                                                                   \
    const cusparseStatus_t kernels_cusparse_status_ = (statement);                                       \
    if (kernels_cusparse_status_ != CUSPARSE_STATUS_SUCCESS) {                                           \
      ::kernels::vendor::detail::throw_vendor_error("cuSPARSE", cusparseGetErrorName(kernels_cusparse_status_), \
                                                    static_cast<int>(kernels_cusparse_status_), #statement, \
                                                    __FILE__, __LINE__);                                 \
    }                                                                                                    \
  } while (0)

#define KERNELS_CUBLAS_CHECK(statement)                                                                  \
  do {                                                                                                   \
    const cublasStatus_t kernels_cublas_status_ = (statement);                                           \
    if (kernels_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                               \
      ::kernels::vendor::detail::throw_vendor_error("cuBLAS", cublasGetStatusName(kernels_cublas_status_), \
                                                    static_cast<int>(kernels_cublas_status_), #statement, \
                                                    __FILE__, __LINE__);                                 \
    }                                                                                                    \
  } while (0)
