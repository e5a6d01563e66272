// Every op of the table (op_cases.cpp) on the backend this executable was built for (OPS_TEST_CUDA:
// the CUDA backend, on the SIMT emulation or a real GPU; otherwise the CPU backend), in two modes:
//   reference   each output against the double-precision reference, |got - ref| <= atol + rtol |ref|;
//   gradient    the device's backward (the op's own gradient output, or the ops that form it) against
//               central differences of the double reference's objective, at sampled elements.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "op_cases.h"

namespace {

#if defined(OPS_TEST_CUDA)
const engine::Device kDevice = engine::Device::cuda();
#define OPS_BACKEND "cuda"
#else
const engine::Device kDevice = engine::Device::cpu();
#define OPS_BACKEND "cpu"
#endif

// The first element that misses the tolerance, or "" when all are within it.
std::string first_mismatch(const std::vector<double>& got, const std::vector<double>& expected, double rtol, double atol) {
  if (got.size() != expected.size()) {
    return "size " + std::to_string(got.size()) + " != " + std::to_string(expected.size());
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double limit = atol + rtol * std::abs(expected[i]);
    if (!(std::abs(got[i] - expected[i]) <= limit)) {
      std::ostringstream out;
      out.precision(9);
      out << "element " << i << ": got " << got[i] << ", expected " << expected[i] << " (limit " << limit << ")";
      return out.str();
    }
  }
  return "";
}

// Up to `count` distinct element positions of an n-element operand, spread by a fixed LCG.
std::vector<std::size_t> sample_positions(std::size_t n, std::size_t count) {
  std::vector<std::size_t> positions;
  std::uint64_t state = 12345;
  for (std::size_t k = 0; k < std::min(n, count); ++k) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    positions.push_back(static_cast<std::size_t>((state >> 33) % n));
  }
  return positions;
}

}  // namespace

TEST_CASE(OPS_BACKEND " ops: every op matches its double-precision reference", "[ops][reference]") {
  for (const opcases::OpCase& op : opcases::all_cases()) {
    DYNAMIC_SECTION(op.name << " " << op.shape) {
      const opcases::Inputs inputs = op.make();
      const opcases::Outputs expected = op.reference(inputs);
      const opcases::Outputs got = op.run(inputs, kDevice);
      for (const auto& [name, values] : expected) {
        INFO(op.name << " output '" << name << "'");
        REQUIRE(got.count(name) == 1);
        CHECK(first_mismatch(got.at(name), values, op.rtol, op.atol) == "");
      }
    }
  }
}

TEST_CASE(OPS_BACKEND " ops: every backward matches central differences of the double reference", "[ops][gradient]") {
  for (const opcases::OpCase& op : opcases::all_cases()) {
    if (op.wrt.empty()) continue;
    DYNAMIC_SECTION(op.name << " d/d" << op.wrt) {
      opcases::Inputs inputs = op.make();
      const std::vector<double> analytic = op.gradient(inputs, kDevice);
      std::vector<double>& x = inputs.dense.at(op.wrt).values;
      REQUIRE(analytic.size() == x.size());
      for (std::size_t at : sample_positions(x.size(), 12)) {
        const double saved = x[at];
        const double h = 1e-6 * std::max(1.0, std::abs(saved));
        x[at] = saved + h;
        const double up = op.objective(inputs);
        x[at] = saved - h;
        const double down = op.objective(inputs);
        x[at] = saved;
        const double numeric = (up - down) / (2.0 * h);
        INFO(op.name << " element " << at << ": device " << analytic[at] << ", finite differences " << numeric);
        CHECK(std::abs(analytic[at] - numeric) <= op.grad_atol + op.grad_rtol * std::abs(numeric));
      }
    }
  }
}

TEST_CASE(OPS_BACKEND " ops: the gradient check fails a wrong gradient", "[ops][gradient]") {
  // The mode must be able to fail: a sign-flipped device gradient of mse_loss misses every sample.
  for (const opcases::OpCase& op : opcases::all_cases()) {
    if (op.name != "mse_loss") continue;
    opcases::Inputs inputs = op.make();
    const std::vector<double> analytic = op.gradient(inputs, kDevice);
    std::vector<double>& x = inputs.dense.at(op.wrt).values;
    const double h = 1e-6;
    x[7] += h;
    const double up = op.objective(inputs);
    x[7] -= 2 * h;
    const double numeric = (up - op.objective(inputs)) / (2 * h);
    CHECK(std::abs(analytic[7] - numeric) <= op.grad_atol + op.grad_rtol * std::abs(numeric));
    CHECK_FALSE(std::abs(-analytic[7] - numeric) <= op.grad_atol + op.grad_rtol * std::abs(numeric));
  }
}
