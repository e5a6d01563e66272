// The vendor libraries are opened on first use (kernels/vendor/library_loader.cpp), not linked: the
// forwarders reach cuSPARSE and cuBLAS through dlopen/dlsym. Their status names need no GPU, so this
// runs on every machine with the toolkit.
#include <catch2/catch.hpp>

#include <string>

#include "kernels/vendor.h"

TEST_CASE("cuSPARSE and cuBLAS are reached through the run-time loader", "[vendor][loader]") {
  CHECK(std::string(cusparseGetErrorName(CUSPARSE_STATUS_INVALID_VALUE)) == "CUSPARSE_STATUS_INVALID_VALUE");
  CHECK(std::string(cublasGetStatusName(CUBLAS_STATUS_NOT_INITIALIZED)) == "CUBLAS_STATUS_NOT_INITIALIZED");
}
