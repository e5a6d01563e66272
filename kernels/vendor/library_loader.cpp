// cuSPARSE and cuBLAS opened at run time, on the first call of a vendor function, instead of linked:
// a program that never asks for the vendor baselines (every CPU run, and CUDA runs with our own kernels)
// neither maps nor needs these libraries, which with their dependencies (cuBLASLt, nvJitLink) reserve
// about a gigabyte of address space at start-up (issue 10: the CPU-only program could not start under a
// 300 MB limit). Each function the vendor code calls is defined here with its header's signature and
// forwards to the library's own, found with dlsym; the compiler checks every signature against the
// header's declaration. A missing library is an error naming it, not a failure to start.
#include <dlfcn.h>

#include <stdexcept>
#include <string>

#include "kernels/vendor.h"

namespace kernels::vendor {
namespace {

#define KERNELS_VENDOR_STRING_(x) #x
#define KERNELS_VENDOR_STRING(x) KERNELS_VENDOR_STRING_(x)

// The sonames of the toolkit the program was built with (libcusparse.so.12, libcublas.so.13).
constexpr const char* kSparseLibrary = "libcusparse.so." KERNELS_VENDOR_STRING(CUSPARSE_VER_MAJOR);
constexpr const char* kBlasLibrary = "libcublas.so." KERNELS_VENDOR_STRING(CUBLAS_VER_MAJOR);

// By soname through the loader's search path (LD_LIBRARY_PATH, ld.so.cache), else from the library
// folder of the toolkit the program was built with (linking would have put it in the RUNPATH).
void* open_library(const char* soname) {
  if (void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) return handle;
  const std::string first_error = dlerror();
  const std::string in_toolkit = std::string(KERNELS_VENDOR_LIBRARY_DIR) + "/" + soname;
  if (void* handle = dlopen(in_toolkit.c_str(), RTLD_NOW | RTLD_LOCAL)) return handle;
  throw std::runtime_error(std::string("the vendor baselines need ") + soname + ", which cannot be opened: " +
                           first_error + " (nor " + in_toolkit + ")");
}

void* library(const char* soname) {
  // Opened once per library, thread-safely (function-local statics), and never closed.
  if (soname == kSparseLibrary) {
    static void* sparse = open_library(kSparseLibrary);
    return sparse;
  }
  static void* blas = open_library(kBlasLibrary);
  return blas;
}

template <class Function>
Function* resolve(const char* soname, const char* name) {
  void* symbol = dlsym(library(soname), name);
  if (symbol == nullptr) throw std::runtime_error(std::string(soname) + " has no " + name);
  return reinterpret_cast<Function*>(symbol);
}

}  // namespace
}  // namespace kernels::vendor

// Each forwarder resolves its symbol once (a function-local static) and calls it.
#define KERNELS_VENDOR_FORWARD(soname, result, name, parameters, arguments)                            \
  extern "C" result name parameters {                                                                   \
    static const auto function = ::kernels::vendor::resolve<result parameters>(soname, #name);        \
    return function arguments;                                                                          \
  }

KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseCreate, (cusparseHandle_t* handle), (handle))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseDestroy, (cusparseHandle_t handle), (handle))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, const char*, cusparseGetErrorName, (cusparseStatus_t status), (status))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSetStream, (cusparseHandle_t handle, cudaStream_t stream), (handle, stream))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseGetStream, (cusparseHandle_t handle, cudaStream_t* stream), (handle, stream))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseCreateCsr, (cusparseSpMatDescr_t* descr, int64_t rows, int64_t cols, int64_t nnz, void* offsets, void* indices, void* values, cusparseIndexType_t offsets_type, cusparseIndexType_t indices_type, cusparseIndexBase_t base, cudaDataType value_type), (descr, rows, cols, nnz, offsets, indices, values, offsets_type, indices_type, base, value_type))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseDestroySpMat, (cusparseConstSpMatDescr_t descr), (descr))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseCreateDnMat, (cusparseDnMatDescr_t* descr, int64_t rows, int64_t cols, int64_t ld, void* values, cudaDataType value_type, cusparseOrder_t order), (descr, rows, cols, ld, values, value_type, order))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseCreateConstDnMat, (cusparseConstDnMatDescr_t* descr, int64_t rows, int64_t cols, int64_t ld, const void* values, cudaDataType value_type, cusparseOrder_t order), (descr, rows, cols, ld, values, value_type, order))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseDestroyDnMat, (cusparseConstDnMatDescr_t descr), (descr))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseCreateSpVec, (cusparseSpVecDescr_t* descr, int64_t size, int64_t nnz, void* indices, void* values, cusparseIndexType_t index_type, cusparseIndexBase_t base, cudaDataType value_type), (descr, size, nnz, indices, values, index_type, base, value_type))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseDestroySpVec, (cusparseConstSpVecDescr_t descr), (descr))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseCreateConstDnVec, (cusparseConstDnVecDescr_t* descr, int64_t size, const void* values, cudaDataType value_type), (descr, size, values, value_type))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseDestroyDnVec, (cusparseConstDnVecDescr_t descr), (descr))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseGather, (cusparseHandle_t handle, cusparseConstDnVecDescr_t y, cusparseSpVecDescr_t x), (handle, y, x))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSpMM_bufferSize, (cusparseHandle_t handle, cusparseOperation_t op_a, cusparseOperation_t op_b, const void* alpha, cusparseConstSpMatDescr_t a, cusparseConstDnMatDescr_t b, const void* beta, cusparseDnMatDescr_t c, cudaDataType compute_type, cusparseSpMMAlg_t algorithm, size_t* size), (handle, op_a, op_b, alpha, a, b, beta, c, compute_type, algorithm, size))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSpMM_preprocess, (cusparseHandle_t handle, cusparseOperation_t op_a, cusparseOperation_t op_b, const void* alpha, cusparseConstSpMatDescr_t a, cusparseConstDnMatDescr_t b, const void* beta, cusparseDnMatDescr_t c, cudaDataType compute_type, cusparseSpMMAlg_t algorithm, void* buffer), (handle, op_a, op_b, alpha, a, b, beta, c, compute_type, algorithm, buffer))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSpMM, (cusparseHandle_t handle, cusparseOperation_t op_a, cusparseOperation_t op_b, const void* alpha, cusparseConstSpMatDescr_t a, cusparseConstDnMatDescr_t b, const void* beta, cusparseDnMatDescr_t c, cudaDataType compute_type, cusparseSpMMAlg_t algorithm, void* buffer), (handle, op_a, op_b, alpha, a, b, beta, c, compute_type, algorithm, buffer))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSDDMM_bufferSize, (cusparseHandle_t handle, cusparseOperation_t op_a, cusparseOperation_t op_b, const void* alpha, cusparseConstDnMatDescr_t a, cusparseConstDnMatDescr_t b, const void* beta, cusparseSpMatDescr_t c, cudaDataType compute_type, cusparseSDDMMAlg_t algorithm, size_t* size), (handle, op_a, op_b, alpha, a, b, beta, c, compute_type, algorithm, size))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSDDMM_preprocess, (cusparseHandle_t handle, cusparseOperation_t op_a, cusparseOperation_t op_b, const void* alpha, cusparseConstDnMatDescr_t a, cusparseConstDnMatDescr_t b, const void* beta, cusparseSpMatDescr_t c, cudaDataType compute_type, cusparseSDDMMAlg_t algorithm, void* buffer), (handle, op_a, op_b, alpha, a, b, beta, c, compute_type, algorithm, buffer))
KERNELS_VENDOR_FORWARD(kernels::vendor::kSparseLibrary, cusparseStatus_t, cusparseSDDMM, (cusparseHandle_t handle, cusparseOperation_t op_a, cusparseOperation_t op_b, const void* alpha, cusparseConstDnMatDescr_t a, cusparseConstDnMatDescr_t b, const void* beta, cusparseSpMatDescr_t c, cudaDataType compute_type, cusparseSDDMMAlg_t algorithm, void* buffer), (handle, op_a, op_b, alpha, a, b, beta, c, compute_type, algorithm, buffer))
KERNELS_VENDOR_FORWARD(kernels::vendor::kBlasLibrary, cublasStatus_t, cublasCreate_v2, (cublasHandle_t* handle), (handle))
KERNELS_VENDOR_FORWARD(kernels::vendor::kBlasLibrary, cublasStatus_t, cublasDestroy_v2, (cublasHandle_t handle), (handle))
KERNELS_VENDOR_FORWARD(kernels::vendor::kBlasLibrary, cublasStatus_t, cublasSetStream_v2, (cublasHandle_t handle, cudaStream_t stream), (handle, stream))
KERNELS_VENDOR_FORWARD(kernels::vendor::kBlasLibrary, const char*, cublasGetStatusName, (cublasStatus_t status), (status))
KERNELS_VENDOR_FORWARD(kernels::vendor::kBlasLibrary, cublasStatus_t, cublasGemmEx, (cublasHandle_t handle, cublasOperation_t trans_a, cublasOperation_t trans_b, int m, int n, int k, const void* alpha, const void* a, cudaDataType a_type, int lda, const void* b, cudaDataType b_type, int ldb, const void* beta, void* c, cudaDataType c_type, int ldc, cublasComputeType_t compute_type, cublasGemmAlgo_t algorithm), (handle, trans_a, trans_b, m, n, k, alpha, a, a_type, lda, b, b_type, ldb, beta, c, c_type, ldc, compute_type, algorithm))
