// The CUDA twins of kernel_level.h in a program built without CUDA kernels (test_ops_cpu, bench_ops
// without a toolkit): never reached there, since such a program runs the CPU backend only.
#include <stdexcept>

#include "kernel_level.h"

namespace opcases::kernel_level::cuda_twin {
namespace {
[[noreturn]] void unavailable() { throw std::logic_error("kernel_level: this program has no CUDA kernels"); }
}  // namespace

double squared_error(const std::vector<float>&, const std::vector<float>&, std::vector<float>&) { unavailable(); }
std::vector<float> dropout_values(const std::vector<float>&, float, std::uint64_t) { unavailable(); }
void sgd_update(std::vector<float>&, const std::vector<float>&, std::vector<float>&, const kernels::SgdParams&) {
  unavailable();
}
void adam_update(std::vector<float>&, const std::vector<float>&, std::vector<float>&, std::vector<float>&,
                 const kernels::AdamParams&) {
  unavailable();
}
void rprop_update(std::vector<float>&, const std::vector<float>&, std::vector<float>&, std::vector<float>&,
                  const kernels::RpropParams&) {
  unavailable();
}

}  // namespace opcases::kernel_level::cuda_twin
