// Operands and helpers shared by the files of the op table (op_cases.cpp, update_cases.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/device_array.h"
#include "engine/sparse_matrix.h"
#include "engine/tensor.h"
#include "op_cases.h"

namespace opcases {

// A research batch (op_cases.cpp's shapes) and AutoRec's training shapes: k = 500 (the paper's
// hidden size), a sparse batch of 800 x 1,500 at 1 % with one row and one column of 700 nonzeros, so
// the kernels' long-row paths (above 512 nonzeros: block-wide rows, split rows, CSC columns) run.
constexpr std::int64_t kBatch = 256;
constexpr std::int64_t kTrainingK = 500;
constexpr engine::index_t kTrainingRows = 800, kTrainingCols = 1500;
constexpr engine::index_t kLongRow = 3, kLongColumn = 5, kLongLength = 700;

// Uniform floats in [low, high) from a fixed-seed LCG (the same numbers on every platform).
std::vector<double> random_values(std::int64_t n, std::uint64_t seed, double low = -1.0, double high = 1.0);
Dense random_dense(std::int64_t rows, std::int64_t cols, std::uint64_t seed, double low = -1.0, double high = 1.0);
std::vector<engine::index_t> random_indices(std::int64_t n, engine::index_t bound, std::uint64_t seed);
// Row-major triplets (so the nonzeros' CSR order is the triplets' order), values in [low, high).
void random_sparse(Inputs& in, engine::index_t rows, engine::index_t cols, double density, std::uint64_t seed,
                   double low, double high);
// The training-shape batch (kTrainingRows x kTrainingCols, 1 %, row kLongRow and column kLongColumn
// with kLongLength nonzeros each), row-major, values in [low, high).
void training_sparse(Inputs& in, engine::index_t rows, engine::index_t cols, std::uint64_t seed, double low,
                     double high);

engine::Tensor upload(const Dense& d, engine::Device device);
engine::SparseMatrix upload_sparse(const Inputs& in, engine::Device device);
engine::DeviceArray<engine::index_t> upload(const std::vector<engine::index_t>& v, engine::Device device);
std::vector<double> download(engine::ConstTensorView t);
Dense zeros_like(std::int64_t rows, std::int64_t cols);
// The objective of an op without a loss: <upstream, out>.
double linear_objective(const Outputs& out, const Inputs& in);

// float <-> double vectors (the cases hold operands in double; kernels take floats).
std::vector<float> to_float(const std::vector<double>& v);
std::vector<double> to_double(const std::vector<float>& v);

// x rounded to bfloat16, nearest even, in double (an independent formula: 8 significant bits kept by
// nearbyint, which rounds ties to even). Finite normal x only.
double bf16_reference(double x);

// The extra tables: optimizer steps (update_cases.cpp) and the kernel-level ops (kernel_level.h).
std::vector<OpCase> update_cases();

}  // namespace opcases
