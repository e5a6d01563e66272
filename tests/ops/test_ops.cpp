// Every op of the table (op_cases.cpp) on the backend this executable was built for (OPS_TEST_CUDA:
// the CUDA backend, on the SIMT emulation or a real GPU; otherwise the CPU backend), in two modes:
//   reference   each output against the double-precision reference, |got - ref| <= atol + rtol |ref|;
//   gradient    the device's backward (the op's own gradient output, or the ops that form it) against
//               central differences of the double reference's objective, at sampled elements.
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/optimizers.h"
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

// The functions declared in kernels/cpu.h (read from the source tree at test time, so a function added
// there fails the coverage test below until a case names it). Comments and preprocessor lines are
// dropped, then every declaration "type name(parameters);" inside namespace kernels::cpu gives `name`,
// or "name (bf16)" for an overload taking a bf16 table (MatrixView<const bfloat16>).
std::set<std::string> cpu_header_functions() {
  std::ifstream file(OPS_KERNELS_CPU_H);
  REQUIRE(file.good());
  std::string text, line;
  while (std::getline(file, line)) {
    line = line.substr(0, line.find("//"));
    if (line.find_first_not_of(" \t") != std::string::npos && line[line.find_first_not_of(" \t")] == '#') continue;
    text += line + ' ';
  }
  const std::string opening = "namespace kernels::cpu {";
  REQUIRE(text.find(opening) != std::string::npos);
  text = text.substr(text.find(opening) + opening.size());
  std::set<std::string> names;
  std::istringstream declarations(text);
  std::string declaration;
  while (std::getline(declarations, declaration, ';')) {
    const std::size_t open = declaration.find('(');
    if (open == std::string::npos) continue;
    std::size_t end = declaration.find_last_not_of(" ", open - 1) + 1, begin = end;
    while (begin > 0 && (std::isalnum(static_cast<unsigned char>(declaration[begin - 1])) || declaration[begin - 1] == '_')) --begin;
    std::string name = declaration.substr(begin, end - begin);
    if (declaration.find("MatrixView<const bfloat16>", open) != std::string::npos) name += " (bf16)";
    names.insert(name);
  }
  return names;
}

}  // namespace

TEST_CASE(OPS_BACKEND " ops: every function of kernels/cpu.h has a case", "[ops][coverage]") {
  const std::set<std::string> declared = cpu_header_functions();
  // The parser must see the header's ops (a parser that finds nothing would pass everything).
  REQUIRE(declared.size() >= 30);
  REQUIRE(declared.count("spmm") == 1);
  REQUIRE(declared.count("spmm (bf16)") == 1);
  REQUIRE(declared.count("spmm_transposed_update") == 1);
  std::set<std::string> named;
  for (const opcases::OpCase& op : opcases::all_cases()) {
    INFO(op.name << " " << op.shape);
    CHECK_FALSE(op.kernels.empty());
    named.insert(op.kernels.begin(), op.kernels.end());
  }
  for (const auto& [name, reason] : opcases::kernel_functions_without_case()) {
    INFO(name << ": " << reason);
    CHECK(declared.count(name) == 1);  // the allow-list names only functions that exist
    CHECK_FALSE(reason.empty());
    named.insert(name);
  }
  for (const std::string& name : declared) {
    INFO("kernels/cpu.h declares " << name << ": no case of tests/ops/op_cases.cpp names it");
    CHECK(named.count(name) == 1);
  }
  for (const std::string& name : named) {
    INFO("a case names " << name << ", which kernels/cpu.h does not declare");
    CHECK(declared.count(name) == 1);
  }
}

TEST_CASE(OPS_BACKEND " ops: every optimizer of the registry has an apply_update case", "[ops][coverage]") {
  for (const std::string& optimizer : engine::optimizer_names()) {
    bool found = false;
    for (const opcases::OpCase& op : opcases::all_cases()) {
      found = found || (op.name.rfind("apply_update (" + optimizer, 0) == 0);
    }
    INFO("optimizer '" << optimizer << "'");
    CHECK(found);
  }
}

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
