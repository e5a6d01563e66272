// One description per op (in the spirit of ggml's test-backend-ops): its inputs at a given shape, a
// double-precision reference written from the op's formula, the op run through the engine on a device,
// and, for ops with a backward, a scalar objective and the device's gradient of it. The same table is
// run by test_ops (label cpu: the CPU backend; simt: the CUDA backend on the SIMT emulation; gpu: a real
// GPU) in two modes, reference and finite differences, and timed by bench_ops.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/device.h"
#include "engine/sparse_matrix.h"

namespace opcases {

// Host operands: dense (rows x cols, row-major), index lists and one sparse matrix (COO).
// Values are floats (the device gets them exactly) held in double, so the finite differences can
// perturb them by less than a float's ulp.
struct Dense {
  std::int64_t rows = 0, cols = 0;
  std::vector<double> values;
  double at(std::int64_t i, std::int64_t j) const { return values[static_cast<std::size_t>(i * cols + j)]; }
};
struct Inputs {
  std::map<std::string, Dense> dense;
  std::map<std::string, std::vector<engine::index_t>> indices;
  engine::index_t sparse_rows = 0, sparse_cols = 0;
  engine::CooTriplets sparse;  // empty when the op takes no sparse operand
  const Dense& operator[](const std::string& name) const { return dense.at(name); }
};

// Named outputs (flattened row-major, padding dropped), in double.
using Outputs = std::map<std::string, std::vector<double>>;

struct OpCase {
  std::string name;   // "mse_loss"
  std::string shape;  // "(512 x 300)"
  // The functions of kernels/cpu.h (and their kernels/cuda.h twins) that `run` and `gradient` reach:
  // test_ops fails when a function declared in kernels/cpu.h is named by no case.
  std::vector<std::string> kernels;
  std::function<Inputs()> make;
  std::function<Outputs(const Inputs&)> reference;        // double precision
  std::function<Outputs(const Inputs&, engine::Device)> run;  // the engine op on a device
  // |got - ref| <= atol + rtol * |ref| for every output element (fp32 results of fp32 sums).
  double rtol = 1e-5, atol = 1e-5;
  // Gradient mode (empty `wrt`: the op has no backward): d objective / d inputs[wrt], by the device.
  std::string wrt;
  std::function<double(const Inputs&)> objective;  // double precision, through `reference`
  std::function<std::vector<double>(const Inputs&, engine::Device)> gradient;
  double grad_rtol = 1e-3, grad_atol = 1e-4;
};

// Every case, at shapes a research model would use (a batch of a few hundred rows), and the training
// ops again at the shapes AutoRec trains with (k = 500, a row and a column above 512 nonzeros).
std::vector<OpCase> all_cases();

// The functions of kernels/cpu.h that are not ops, so no case names them, each with its reason.
const std::map<std::string, std::string>& kernel_functions_without_case();

}  // namespace opcases
