// The process-wide choice between our CUDA kernels and the vendor libraries. Compiled into every
// engine flavour; ENGINE_HAVE_VENDOR_KERNELS (real CUDA build) or KERNELS_SIMT say what it can offer.
#include <cstdlib>
#include <mutex>
#include <sstream>

#include "engine/cuda.h"
#include "engine/error.h"

namespace engine {
namespace {

constexpr const char* kEnvironmentVariable = "AUTOREC_CUDA_KERNELS";

void apply_vendor_option(const std::string& option, const std::string& spec, CudaKernelSelection& selection) {
  if (option == "alg2") {
    selection.spmm_algorithm = VendorSpmmAlgorithm::CsrAlg2;
  } else if (option == "alg3") {
    selection.spmm_algorithm = VendorSpmmAlgorithm::CsrAlg3;
  } else if (option == "fp32") {
    selection.gemm_precision = VendorGemmPrecision::Fp32;
  } else if (option == "tf32") {
    selection.gemm_precision = VendorGemmPrecision::Tf32;
  } else {
    throw Error("cuda kernels '" + spec + "': unknown option '" + option +
                "' (expected alg2, alg3, fp32 or tf32 after 'vendor')");
  }
}

void check_selectable(const CudaKernelSelection& selection) {
  std::string reason;
  if (selection.source == CudaKernelSource::Vendor && !vendor_kernels_available(&reason)) {
    throw Error("cannot select the vendor (cuSPARSE/cuBLAS) kernels: " + reason);
  }
}

// Guards the selection; the initial value is read from the environment on first use, so a bad
// variable is reported (as an exception) by the first CUDA op rather than during static init.
struct SelectionState {
  std::mutex mutex;
  bool initialised = false;
  CudaKernelSelection selection;
};

SelectionState& state() {
  static SelectionState instance;
  return instance;
}

CudaKernelSelection initial_selection() {
  const char* text = std::getenv(kEnvironmentVariable);
  if (text == nullptr || *text == '\0') return {};
  try {
    CudaKernelSelection selection = parse_cuda_kernels(text);
    check_selectable(selection);
    return selection;
  } catch (const Error& error) {
    throw Error(std::string("environment variable ") + kEnvironmentVariable + ": " + error.what());
  }
}

}  // namespace

CudaKernelSelection parse_cuda_kernels(const std::string& spec) {
  std::istringstream parts(spec);
  std::string head;
  std::getline(parts, head, ',');
  CudaKernelSelection selection;
  if (head == "own") {
    if (parts.peek() != std::char_traits<char>::eof()) {
      throw Error("cuda kernels '" + spec + "': 'own' takes no options");
    }
    return selection;
  }
  if (head != "vendor") throw Error("cuda kernels '" + spec + "': expected 'own' or 'vendor[,alg2|alg3][,fp32|tf32]'");
  selection.source = CudaKernelSource::Vendor;
  for (std::string option; std::getline(parts, option, ',');) apply_vendor_option(option, spec, selection);
  return selection;
}

std::string to_string(const CudaKernelSelection& selection) {
  if (selection.source == CudaKernelSource::Own) return "own";
  std::string text = "vendor";
  text += selection.spmm_algorithm == VendorSpmmAlgorithm::CsrAlg3 ? ",alg3" : ",alg2";
  text += selection.gemm_precision == VendorGemmPrecision::Tf32 ? ",tf32" : ",fp32";
  return text;
}

bool vendor_kernels_available(std::string* reason) {
#if defined(ENGINE_HAVE_VENDOR_KERNELS)
  if (reason != nullptr) reason->clear();
  return true;
#else
#if defined(KERNELS_SIMT)
  const char* why = "the SIMT emulation cannot run cuSPARSE/cuBLAS (they are compiled out of this build)";
#else
  const char* why = "this build has no CUDA backend";
#endif
  if (reason != nullptr) *reason = why;
  return false;
#endif
}

CudaKernelSelection cuda_kernels() {
  SelectionState& s = state();
  const std::lock_guard lock(s.mutex);
  if (!s.initialised) {
    s.selection = initial_selection();
    s.initialised = true;
  }
  return s.selection;
}

void set_cuda_kernels(const CudaKernelSelection& selection) {
  check_selectable(selection);
  SelectionState& s = state();
  const std::lock_guard lock(s.mutex);
  s.selection = selection;
  s.initialised = true;
}

void set_cuda_kernels(const std::string& spec) { set_cuda_kernels(parse_cuda_kernels(spec)); }

}  // namespace engine
