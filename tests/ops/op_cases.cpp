// The op table: every case is written once, here or in update_cases.cpp (the optimizer steps and the
// kernel-level ops), and run by test_ops (every backend, two modes) and bench_ops (timing). References
// are plain double loops written from the formulas in kernels/cpu.h, never from the kernels' code.
#include "op_cases.h"

#include "case_support.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/accumulator.h"
#include "engine/device_array.h"
#include "engine/ops.h"
#include "engine/optimizers.h"
#include "engine/row_batches.h"
#include "engine/tensor.h"
#include "kernels/activation.h"
#include "kernels/random.h"

namespace opcases {

using engine::Activation;
using engine::Device;
using engine::index_t;
namespace ops = engine::ops;

// ---- operands (case_support.h) --------------------------------------------------------------------

// Uniform floats in [low, high) from a fixed-seed LCG (the same numbers on every platform).
std::vector<double> random_values(std::int64_t n, std::uint64_t seed, double low, double high) {
  std::vector<double> values(static_cast<std::size_t>(n));
  std::uint64_t state = seed * 2862933555777941757ull + 3037000493ull;
  for (double& v : values) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    v = static_cast<float>(low + (high - low) * static_cast<double>(state >> 40) / static_cast<double>(1ull << 24));
  }
  return values;
}

Dense random_dense(std::int64_t rows, std::int64_t cols, std::uint64_t seed, double low, double high) {
  return {rows, cols, random_values(rows * cols, seed, low, high)};
}

std::vector<index_t> random_indices(std::int64_t n, index_t bound, std::uint64_t seed) {
  const std::vector<double> u = random_values(n, seed, 0.0, 1.0);
  std::vector<index_t> out;
  for (double x : u) out.push_back(std::min<index_t>(bound - 1, static_cast<index_t>(x * bound)));
  return out;
}

// Row-major triplets (so the nonzeros' CSR order is the triplets' order), values in [low, high).
void random_sparse(Inputs& in, index_t rows, index_t cols, double density, std::uint64_t seed, double low, double high) {
  in.sparse_rows = rows;
  in.sparse_cols = cols;
  const std::vector<double> draws = random_values(std::int64_t{rows} * cols * 2, seed, 0.0, 1.0);
  for (index_t i = 0; i < rows; ++i) {
    for (index_t j = 0; j < cols; ++j) {
      const std::size_t at = 2 * (static_cast<std::size_t>(i) * cols + j);
      if (draws[at] >= density) continue;
      in.sparse.rows.push_back(i);
      in.sparse.cols.push_back(j);
      in.sparse.values.push_back(static_cast<float>(low + (high - low) * draws[at + 1]));
    }
  }
}

void training_sparse(Inputs& in, index_t rows, index_t cols, std::uint64_t seed, double low, double high) {
  in.sparse_rows = rows;
  in.sparse_cols = cols;
  const std::vector<double> draws = random_values(std::int64_t{rows} * cols * 2, seed, 0.0, 1.0);
  for (index_t i = 0; i < rows; ++i) {
    for (index_t j = 0; j < cols; ++j) {
      const std::size_t at = 2 * (static_cast<std::size_t>(i) * cols + j);
      const bool long_row = i == kLongRow && j % 2 == 0 && j < 2 * kLongLength;
      const bool long_column = j == kLongColumn && i < kLongLength;
      if (!(draws[at] < 0.01 || long_row || long_column)) continue;
      in.sparse.rows.push_back(i);
      in.sparse.cols.push_back(j);
      in.sparse.values.push_back(static_cast<float>(low + (high - low) * draws[at + 1]));
    }
  }
}

engine::Tensor upload(const Dense& d, Device device) {
  const std::vector<float> f(d.values.begin(), d.values.end());
  return engine::Tensor::from_host(d.rows, d.cols, f, device);
}
engine::SparseMatrix upload_sparse(const Inputs& in, Device device) {
  return engine::SparseMatrix::from_coo(in.sparse_rows, in.sparse_cols, in.sparse, engine::DuplicatePolicy::Error, device);
}
engine::DeviceArray<index_t> upload(const std::vector<index_t>& v, Device device) {
  return engine::DeviceArray<index_t>::from_host(std::span<const index_t>(v), device);
}
std::vector<double> download(engine::ConstTensorView t) {
  const std::vector<float> f = t.to_host();
  return {f.begin(), f.end()};
}

std::vector<float> to_float(const std::vector<double>& v) { return {v.begin(), v.end()}; }
std::vector<double> to_double(const std::vector<float>& v) { return {v.begin(), v.end()}; }

double bf16_reference(double x) {
  if (x == 0.0) return x;
  int exponent = 0;
  static_cast<void>(std::frexp(x, &exponent));  // |x| = m 2^exponent, m in [0.5, 1)
  const double ulp = std::ldexp(1.0, exponent - 8);
  return std::nearbyint(x / ulp) * ulp;
}

Dense zeros_like(std::int64_t rows, std::int64_t cols) {
  return {rows, cols, std::vector<double>(static_cast<std::size_t>(rows * cols), 0.0)};
}

// The objective of an op without a loss: <upstream, out>.
double linear_objective(const Outputs& out, const Inputs& in) {
  const std::vector<double>& y = out.at("out");
  const std::vector<double>& w = in["upstream"].values;
  double sum = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) sum += y[i] * w[i];
  return sum;
}

namespace {

double activate(Activation a, double z) {
  return kernels::activation_reference(static_cast<kernels::Activation>(a), z);  // the same list, one for one
}

const char* activation_label(Activation a) {
  for (const auto& [name, activation] : engine::kActivationNames) {
    if (activation == a) return name;
  }
  return "?";
}

// A bf16 copy of a table as `--precision bf16` keeps one: a ParameterStore parameter with
// keep_bf16_copy, built on the device by round_to_bfloat16.
class Bf16Table {
 public:
  Bf16Table(const Dense& values, Device device) {
    id_ = store_.declare("table", values.rows, values.cols, engine::kWeightsGroup, engine::Init::Zeros);
    store_.finalize(device, 0);
    store_.value(id_).copy_from_host(to_float(values.values));
    store_.keep_bf16_copy(id_);
  }
  engine::Bf16TableView view() const { return store_.bf16_copy(id_); }

 private:
  engine::ParameterStore store_;
  engine::ParameterId id_ = 0;
};

// ---- the cases ------------------------------------------------------------------------------------

OpCase mse_case() {
  OpCase c;
  c.name = "mse_loss";
  c.kernels = {"mse_loss"};
  c.shape = "(256 x 300)";
  const double scale = 1.0 / kBatch;
  c.make = [] {
    Inputs in;
    in.dense["p"] = random_dense(kBatch, 300, 1);
    in.dense["t"] = random_dense(kBatch, 300, 2);
    return in;
  };
  c.reference = [scale](const Inputs& in) {
    const Dense &p = in["p"], &t = in["t"];
    double loss = 0.0;
    std::vector<double> grad(p.values.size());
    for (std::size_t e = 0; e < grad.size(); ++e) {
      const double d = p.values[e] - t.values[e];
      loss += d * d;
      grad[e] = 2.0 * scale * d;
    }
    return Outputs{{"loss", {scale * loss}}, {"grad", grad}};
  };
  c.run = [scale](const Inputs& in, Device device) {
    engine::Tensor p = upload(in["p"], device), t = upload(in["t"], device);
    engine::Tensor g = engine::Tensor::zeros(p.rows(), p.cols(), device);
    engine::DeviceAccumulator loss(device);
    ops::mse_loss(p, t, static_cast<float>(scale), g, loss);
    return Outputs{{"loss", {loss.read()}}, {"grad", download(g)}};
  };
  c.rtol = 1e-5;
  c.atol = 1e-7;
  c.wrt = "p";
  c.objective = [ref = c.reference](const Inputs& in) { return ref(in).at("loss")[0]; };
  c.gradient = [run = c.run](const Inputs& in, Device device) { return run(in, device).at("grad"); };
  return c;
}

OpCase bce_case() {
  OpCase c;
  c.name = "bce_with_logits_loss";
  c.kernels = {"bce_with_logits_loss"};
  c.shape = "(256 x 300)";
  const double scale = 1.0 / kBatch;
  c.make = [] {
    Inputs in;
    in.dense["z"] = random_dense(kBatch, 300, 3, -8.0, 8.0);
    in.dense["t"] = random_dense(kBatch, 300, 4, 0.0, 1.0);
    return in;
  };
  c.reference = [scale](const Inputs& in) {
    const Dense &z = in["z"], &t = in["t"];
    double loss = 0.0;
    std::vector<double> grad(z.values.size());
    for (std::size_t e = 0; e < grad.size(); ++e) {
      const double x = z.values[e], y = t.values[e];
      const double sigmoid = 1.0 / (1.0 + std::exp(-x));
      loss += -(y * std::log(sigmoid) + (1.0 - y) * std::log1p(-sigmoid));
      grad[e] = scale * (sigmoid - y);
    }
    return Outputs{{"loss", {scale * loss}}, {"grad", grad}};
  };
  c.run = [scale](const Inputs& in, Device device) {
    engine::Tensor z = upload(in["z"], device), t = upload(in["t"], device);
    engine::Tensor g = engine::Tensor::zeros(z.rows(), z.cols(), device);
    engine::DeviceAccumulator loss(device);
    ops::bce_with_logits_loss(z, t, static_cast<float>(scale), g, loss);
    return Outputs{{"loss", {loss.read()}}, {"grad", download(g)}};
  };
  c.rtol = 2e-5;
  c.atol = 1e-8;
  c.wrt = "z";
  c.objective = [ref = c.reference](const Inputs& in) { return ref(in).at("loss")[0]; };
  c.gradient = [run = c.run](const Inputs& in, Device device) { return run(in, device).at("grad"); };
  return c;
}

OpCase softmax_case() {
  OpCase c;
  c.name = "softmax_cross_entropy_loss";
  c.kernels = {"softmax_cross_entropy_loss"};
  c.shape = "(256 x 1000 classes)";
  const double scale = 1.0 / kBatch;
  c.make = [] {
    Inputs in;
    in.dense["z"] = random_dense(kBatch, 1000, 5, -4.0, 4.0);
    in.indices["labels"] = random_indices(kBatch, 1000, 6);
    return in;
  };
  c.reference = [scale](const Inputs& in) {
    const Dense& z = in["z"];
    const std::vector<index_t>& labels = in.indices.at("labels");
    double loss = 0.0;
    std::vector<double> grad(z.values.size());
    for (std::int64_t i = 0; i < z.rows; ++i) {
      double max = -std::numeric_limits<double>::infinity(), sum = 0.0;
      for (std::int64_t j = 0; j < z.cols; ++j) max = std::max(max, z.at(i, j));
      for (std::int64_t j = 0; j < z.cols; ++j) sum += std::exp(z.at(i, j) - max);
      loss += max + std::log(sum) - z.at(i, labels[i]);
      for (std::int64_t j = 0; j < z.cols; ++j) {
        grad[i * z.cols + j] = scale * (std::exp(z.at(i, j) - max) / sum - (j == labels[i] ? 1.0 : 0.0));
      }
    }
    return Outputs{{"loss", {scale * loss}}, {"grad", grad}};
  };
  c.run = [scale](const Inputs& in, Device device) {
    engine::Tensor z = upload(in["z"], device);
    const engine::DeviceArray<index_t> labels = upload(in.indices.at("labels"), device);
    engine::Tensor g = engine::Tensor::zeros(z.rows(), z.cols(), device);
    engine::DeviceAccumulator loss(device);
    ops::softmax_cross_entropy_loss(z, labels, static_cast<float>(scale), g, loss);
    return Outputs{{"loss", {loss.read()}}, {"grad", download(g)}};
  };
  c.rtol = 1e-5;
  c.atol = 1e-8;
  c.wrt = "z";
  c.objective = [ref = c.reference](const Inputs& in) { return ref(in).at("loss")[0]; };
  c.gradient = [run = c.run](const Inputs& in, Device device) { return run(in, device).at("grad"); };
  return c;
}

OpCase index_select_case() {
  OpCase c;
  c.name = "index_select_rows";
  c.kernels = {"index_select_rows", "index_add_rows"};
  c.shape = "(1000 x 64) table, 512 indices";
  c.make = [] {
    Inputs in;
    in.dense["table"] = random_dense(1000, 64, 7);
    in.indices["indices"] = random_indices(512, 1000, 8);  // with repeats
    in.dense["upstream"] = random_dense(512, 64, 9);
    return in;
  };
  c.reference = [](const Inputs& in) {
    const Dense& table = in["table"];
    std::vector<double> out;
    for (index_t r : in.indices.at("indices")) {
      for (std::int64_t j = 0; j < table.cols; ++j) out.push_back(table.at(r, j));
    }
    return Outputs{{"out", out}};
  };
  c.run = [](const Inputs& in, Device device) {
    engine::Tensor table = upload(in["table"], device);
    const engine::DeviceArray<index_t> indices = upload(in.indices.at("indices"), device);
    engine::Tensor out = engine::Tensor::zeros(indices.size(), table.cols(), device);
    ops::index_select_rows(table, indices, out);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 0.0;
  c.atol = 0.0;
  c.wrt = "table";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [](const Inputs& in, Device device) {  // d table = index_add_rows(upstream)
    const engine::DeviceArray<index_t> indices = upload(in.indices.at("indices"), device);
    engine::Tensor upstream = upload(in["upstream"], device);
    engine::Tensor grad = upload(zeros_like(in["table"].rows, in["table"].cols), device);
    ops::index_add_rows(upstream, indices, 1.0f, grad);
    return download(grad);
  };
  c.grad_atol = 1e-5;
  return c;
}

OpCase index_add_case() {
  OpCase c;
  c.name = "index_add_rows";
  c.kernels = {"index_add_rows", "index_select_rows", "scale"};
  c.shape = "(512 x 64) into (300 x 64)";
  constexpr double alpha = 0.5;
  c.make = [] {
    Inputs in;
    in.dense["src"] = random_dense(512, 64, 10);
    in.dense["out_in"] = random_dense(300, 64, 11);
    in.indices["indices"] = random_indices(512, 300, 12);
    in.dense["upstream"] = random_dense(300, 64, 13);
    return in;
  };
  c.reference = [](const Inputs& in) {
    const Dense& src = in["src"];
    std::vector<double> out = in["out_in"].values;
    const std::vector<index_t>& idx = in.indices.at("indices");
    for (std::int64_t r = 0; r < src.rows; ++r) {
      for (std::int64_t j = 0; j < src.cols; ++j) out[idx[r] * src.cols + j] += alpha * src.at(r, j);
    }
    return Outputs{{"out", out}};
  };
  c.run = [](const Inputs& in, Device device) {
    engine::Tensor src = upload(in["src"], device), out = upload(in["out_in"], device);
    const engine::DeviceArray<index_t> indices = upload(in.indices.at("indices"), device);
    ops::index_add_rows(src, indices, static_cast<float>(alpha), out);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 1e-6;
  c.atol = 1e-6;
  c.wrt = "src";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [](const Inputs& in, Device device) {  // d src = alpha * upstream[indices]
    const engine::DeviceArray<index_t> indices = upload(in.indices.at("indices"), device);
    engine::Tensor upstream = upload(in["upstream"], device);
    engine::Tensor grad = engine::Tensor::zeros(indices.size(), upstream.cols(), device);
    ops::index_select_rows(upstream, indices, grad);
    ops::scale(grad, static_cast<float>(alpha));
    return download(grad);
  };
  return c;
}

// The two sparse products, mirror images of each other: C = A . B with d B = A^T . upstream, and
// C = A^T . B with d B = A . upstream. `transposed` picks which; seeds differ so the cases do too.
// `training`: AutoRec's shape (k = 500, a row and a column of 700 nonzeros; case_support.h).
OpCase sparse_product_case(bool transposed, bool training) {
  OpCase c;
  c.name = transposed ? "spmm_transposed" : "spmm";
  c.kernels = {"spmm", "spmm_transposed"};
  c.shape = transposed ? "(256 x 2000, 2%)^T . (256 x 64)" : "(256 x 2000, 2%) . (2000 x 64)";
  if (training) c.shape = transposed ? "(800 x 1500, 1% + 700-long row and column)^T . (800 x 500)" : "(800 x 1500, 1% + 700-long row and column) . (1500 x 500)";
  c.make = [transposed, training] {
    const std::uint64_t seed = (transposed ? 17 : 14) + (training ? 100 : 0);
    const std::int64_t rows = training ? kTrainingRows : kBatch, cols = training ? kTrainingCols : 2000;
    const std::int64_t k = training ? kTrainingK : 64;
    Inputs in;
    if (training) {
      training_sparse(in, kTrainingRows, kTrainingCols, seed, 1.0, 5.0);
    } else {
      random_sparse(in, kBatch, 2000, 0.02, seed, 1.0, 5.0);
    }
    in.dense["b"] = random_dense(transposed ? rows : cols, k, seed + 1);
    in.dense["upstream"] = random_dense(transposed ? cols : rows, k, seed + 2);
    return in;
  };
  c.reference = [transposed](const Inputs& in) {
    const Dense& b = in["b"];
    const std::int64_t out_rows = transposed ? in.sparse_cols : in.sparse_rows;
    std::vector<double> out(static_cast<std::size_t>(out_rows * b.cols), 0.0);
    for (std::size_t p = 0; p < in.sparse.values.size(); ++p) {
      const auto row = transposed ? in.sparse.cols[p] : in.sparse.rows[p];
      const auto inner = transposed ? in.sparse.rows[p] : in.sparse.cols[p];
      for (std::int64_t j = 0; j < b.cols; ++j) out[row * b.cols + j] += in.sparse.values[p] * b.at(inner, j);
    }
    return Outputs{{"out", out}};
  };
  // A . B or A^T . B on the device, into a fresh (rows of the result x k) tensor.
  const auto product = [](const engine::SparseMatrix& a, const engine::Tensor& b, bool t, Device device) {
    engine::Tensor out = engine::Tensor::zeros(t ? a.cols() : a.rows(), b.cols(), device);
    if (t) {
      ops::spmm_transposed(a, b, out);
    } else {
      ops::spmm(a, b, out);
    }
    return download(out);
  };
  c.run = [transposed, product](const Inputs& in, Device device) {
    return Outputs{{"out", product(upload_sparse(in, device), upload(in["b"], device), transposed, device)}};
  };
  c.rtol = 1e-5;
  c.atol = training ? 3e-4 : 1e-4;  // sums of up to 700 terms of |a b| <= 5
  c.wrt = "b";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [transposed, product](const Inputs& in, Device device) {
    return product(upload_sparse(in, device), upload(in["upstream"], device), !transposed, device);
  };
  return c;
}

// out[p] = <A_i, B_j> over the pattern; d A = (pattern with upstream values) . B.
OpCase sddmm_case() {
  OpCase c;
  c.name = "sddmm";
  c.kernels = {"sddmm", "spmm"};
  c.shape = "(256 x 2000, 2%) pattern, k = 64";
  c.make = [] {
    Inputs in;
    random_sparse(in, kBatch, 2000, 0.02, 20, 1.0, 5.0);
    in.dense["a"] = random_dense(kBatch, 64, 21);
    in.dense["b"] = random_dense(2000, 64, 22);
    in.dense["upstream"] = random_dense(1, static_cast<std::int64_t>(in.sparse.values.size()), 23);
    return in;
  };
  c.reference = [](const Inputs& in) {
    const Dense &a = in["a"], &b = in["b"];
    std::vector<double> out;
    for (std::size_t p = 0; p < in.sparse.values.size(); ++p) {
      double dot = 0.0;
      for (std::int64_t j = 0; j < a.cols; ++j) dot += a.at(in.sparse.rows[p], j) * b.at(in.sparse.cols[p], j);
      out.push_back(dot);
    }
    return Outputs{{"out", out}};
  };
  c.run = [](const Inputs& in, Device device) {
    const engine::SparseMatrix pattern = upload_sparse(in, device);
    engine::Tensor a = upload(in["a"], device), b = upload(in["b"], device);
    engine::Tensor out = engine::Tensor::zeros(1, pattern.nnz(), device);
    ops::sddmm(pattern, a, b, out);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 1e-5;
  c.atol = 2e-5;
  c.wrt = "a";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [](const Inputs& in, Device device) {
    const engine::SparseMatrix pattern = upload_sparse(in, device);
    engine::Tensor upstream = upload(in["upstream"], device), b = upload(in["b"], device);
    engine::Tensor grad = engine::Tensor::zeros(pattern.rows(), b.cols(), device);
    ops::spmm(pattern, upstream, b, grad);
    return download(grad);
  };
  return c;
}

// C = alpha op(A) op(B) + beta C_in, with op(A) = A or A^T; d A from the upstream.
OpCase gemm_case(bool transpose_a) {
  OpCase c;
  c.name = transpose_a ? "gemm (A^T B)" : "gemm (A B)";
  c.kernels = {"gemm"};
  c.shape = transpose_a ? "(200 x 128)^T . (200 x 96)" : "(128 x 200) . (200 x 96)";
  constexpr double alpha = 0.75, beta = 0.5;
  c.make = [transpose_a] {
    Inputs in;
    in.dense["a"] = transpose_a ? random_dense(200, 128, 24) : random_dense(128, 200, 24);
    in.dense["b"] = random_dense(200, 96, 25);
    in.dense["c_in"] = random_dense(128, 96, 26);
    in.dense["upstream"] = random_dense(128, 96, 27);
    return in;
  };
  c.reference = [transpose_a](const Inputs& in) {
    const Dense &a = in["a"], &b = in["b"];
    std::vector<double> out = in["c_in"].values;
    for (std::int64_t i = 0; i < 128; ++i) {
      for (std::int64_t j = 0; j < 96; ++j) {
        double dot = 0.0;
        for (std::int64_t q = 0; q < 200; ++q) dot += (transpose_a ? a.at(q, i) : a.at(i, q)) * b.at(q, j);
        out[i * 96 + j] = alpha * dot + beta * out[i * 96 + j];
      }
    }
    return Outputs{{"out", out}};
  };
  c.run = [transpose_a](const Inputs& in, Device device) {
    engine::Tensor a = upload(in["a"], device), b = upload(in["b"], device), out = upload(in["c_in"], device);
    ops::gemm(transpose_a, false, static_cast<float>(alpha), a, b, static_cast<float>(beta), out);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 1e-5;
  c.atol = 5e-5;
  c.wrt = "a";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [transpose_a](const Inputs& in, Device device) {
    engine::Tensor upstream = upload(in["upstream"], device), b = upload(in["b"], device);
    engine::Tensor grad = engine::Tensor::zeros(in["a"].rows, in["a"].cols, device);
    if (transpose_a) {
      ops::gemm(false, true, static_cast<float>(alpha), b, upstream, 0.0f, grad);  // B . U^T (200 x 128)
    } else {
      ops::gemm(false, true, static_cast<float>(alpha), upstream, b, 0.0f, grad);  // U . B^T (128 x 200)
    }
    return download(grad);
  };
  return c;
}

// H = g(X + bias); d X = upstream .* g'(Z) by activation_backward (Z kept by the forward).
OpCase bias_activation_case(Activation g) {
  OpCase c;
  c.name = std::string("bias_activation_forward + activation_backward (") + activation_label(g) + ")";
  c.kernels = {"bias_activation_forward", "activation_backward"};
  c.shape = "(256 x 128)";
  c.make = [] {
    Inputs in;
    in.dense["x"] = random_dense(kBatch, 128, 28, -2.0, 2.0);
    in.dense["bias"] = random_dense(1, 128, 29, -0.5, 0.5);
    in.dense["upstream"] = random_dense(kBatch, 128, 30);
    return in;
  };
  c.reference = [g](const Inputs& in) {
    const Dense &x = in["x"], &bias = in["bias"];
    std::vector<double> out;
    for (std::int64_t i = 0; i < x.rows; ++i) {
      for (std::int64_t j = 0; j < x.cols; ++j) out.push_back(activate(g, x.at(i, j) + bias.at(0, j)));
    }
    return Outputs{{"out", out}};
  };
  c.run = [g](const Inputs& in, Device device) {
    engine::Tensor z = upload(in["x"], device), bias = upload(in["bias"], device);
    engine::Tensor h = engine::Tensor::zeros(z.rows(), z.cols(), device);
    ops::bias_activation_forward(z, bias, g, h);
    return Outputs{{"out", download(h)}};
  };
  c.rtol = 1e-5;
  c.atol = 1e-6;
  c.wrt = "x";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [g](const Inputs& in, Device device) {
    engine::Tensor z = upload(in["x"], device), bias = upload(in["bias"], device), dh = upload(in["upstream"], device);
    engine::Tensor h = engine::Tensor::zeros(z.rows(), z.cols(), device), dz = engine::Tensor::zeros(z.rows(), z.cols(), device);
    ops::bias_activation_forward(z, bias, g, h);
    ops::activation_backward(z, dh, g, dz);
    return download(dz);
  };
  return c;
}

// out = alpha * sums + beta * out_in, by columns or rows, dense or sparse. Linear: d input = the upstream broadcast.
OpCase sums_case(bool columns, bool sparse) {
  OpCase c;
  c.name = std::string(sparse ? "sparse_" : "") + (columns ? "column_sums" : "row_sums");
  c.kernels = {c.name};
  c.shape = sparse ? "(256 x 2000, 2%)" : "(300 x 200)";
  constexpr double alpha = 0.5, beta = 0.25;
  c.make = [columns, sparse] {
    Inputs in;
    std::int64_t rows = 300, cols = 200;
    if (sparse) {
      random_sparse(in, kBatch, 2000, 0.02, 31, -1.0, 1.0);
      rows = kBatch;
      cols = 2000;
    } else {
      in.dense["a"] = random_dense(rows, cols, 31);
    }
    in.dense["out_in"] = random_dense(1, columns ? cols : rows, 32);
    return in;
  };
  c.reference = [columns, sparse](const Inputs& in) {
    std::vector<double> out = in["out_in"].values;
    std::vector<double> sums(out.size(), 0.0);
    if (sparse) {
      for (std::size_t p = 0; p < in.sparse.values.size(); ++p) {
        sums[columns ? in.sparse.cols[p] : in.sparse.rows[p]] += in.sparse.values[p];
      }
    } else {
      const Dense& a = in["a"];
      for (std::int64_t i = 0; i < a.rows; ++i) {
        for (std::int64_t j = 0; j < a.cols; ++j) sums[columns ? j : i] += a.at(i, j);
      }
    }
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = alpha * sums[i] + beta * out[i];
    return Outputs{{"out", out}};
  };
  c.run = [columns, sparse](const Inputs& in, Device device) {
    engine::Tensor out = upload(in["out_in"], device);
    if (sparse) {
      const engine::SparseMatrix a = upload_sparse(in, device);
      if (columns) ops::sparse_column_sums(a, a.values_view(), out, static_cast<float>(alpha), static_cast<float>(beta));
      else ops::sparse_row_sums(a, a.values_view(), out, static_cast<float>(alpha), static_cast<float>(beta));
    } else {
      engine::Tensor a = upload(in["a"], device);
      if (columns) ops::column_sums(a, out, static_cast<float>(alpha), static_cast<float>(beta));
      else ops::row_sums(a, out, static_cast<float>(alpha), static_cast<float>(beta));
    }
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 1e-5;
  c.atol = 2e-5;
  return c;
}

OpCase sum_of_squares_case() {
  OpCase c;
  c.name = "sum_of_squares";
  c.kernels = {"sum_of_squares"};
  c.shape = "(1000 x 100)";
  c.make = [] {
    Inputs in;
    in.dense["x"] = random_dense(1000, 100, 33);
    return in;
  };
  c.reference = [](const Inputs& in) {
    double sum = 0.0;
    for (double x : in["x"].values) sum += x * x;
    return Outputs{{"out", {sum}}};
  };
  c.run = [](const Inputs& in, Device device) {
    engine::Tensor x = upload(in["x"], device);
    engine::DeviceAccumulator sum(device);
    ops::sum_of_squares(x, sum);
    return Outputs{{"out", {sum.read()}}};
  };
  c.rtol = 1e-9;
  c.atol = 1e-9;
  return c;
}

// The fused output layer: o = <H_i, W_j> + c_j, y = sigmoid(o), sse = sum (y - r)^2, errors and
// predictions; its gradient in H is sddmm_squared_error_backprop's dH (alpha = 2: d sse / d H).
// `training`: AutoRec's shape (k = 500, a row of 700 nonzeros: the long-row segments); `bf16`: W gathered
// from its bf16 copy (`--precision bf16`; the reference multiplies by W rounded to bf16).
OpCase output_layer_case(bool backprop, bool training, bool bf16) {
  OpCase c;
  c.name = backprop ? "sddmm_squared_error_backprop" : "sddmm_squared_error";
  c.kernels = {c.name};
  if (bf16) c.name += " (bf16 W)";
  c.shape = training ? "(800 x 1500, 1% + a 700-long row) targets, k = 500" : "(256 x 2000, 2%) targets, k = 64";
  c.make = [training] {
    const std::int64_t rows = training ? kTrainingRows : kBatch, cols = training ? kTrainingCols : 2000;
    const std::int64_t k = training ? kTrainingK : 64;
    const double range = training ? 0.1 : 0.5;  // keeps o = <H_i, W_j> + c_j of order 1 at k = 500
    Inputs in;
    if (training) {
      training_sparse(in, kTrainingRows, kTrainingCols, 134, 0.0, 1.0);
    } else {
      random_sparse(in, kBatch, 2000, 0.02, 34, 0.0, 1.0);
    }
    in.dense["h"] = random_dense(rows, k, 35, -range, range);
    in.dense["w"] = random_dense(cols, k, 36, -range, range);
    in.dense["bias"] = random_dense(1, cols, 37, -0.2, 0.2);
    return in;
  };
  c.reference = [backprop, bf16](const Inputs& in) {
    const Dense &h = in["h"], &bias = in["bias"];
    Dense w = in["w"];
    if (bf16) {
      for (double& x : w.values) x = bf16_reference(x);
    }
    double sse = 0.0;
    std::vector<double> errors, predictions, dh(static_cast<std::size_t>(h.rows * h.cols), 0.0);
    for (std::size_t p = 0; p < in.sparse.values.size(); ++p) {
      const index_t i = in.sparse.rows[p], j = in.sparse.cols[p];
      double o = bias.at(0, j);
      for (std::int64_t q = 0; q < h.cols; ++q) o += h.at(i, q) * w.at(j, q);
      const double y = 1.0 / (1.0 + std::exp(-o));
      const double e = (y - in.sparse.values[p]) * y * (1.0 - y);
      sse += (y - in.sparse.values[p]) * (y - in.sparse.values[p]);
      errors.push_back(e);
      predictions.push_back(y);
      for (std::int64_t q = 0; q < h.cols; ++q) dh[i * h.cols + q] += 0.5 * e * w.at(j, q);
    }
    if (backprop) return Outputs{{"sse", {sse}}, {"errors", errors}, {"dh", dh}};
    return Outputs{{"sse", {sse}}, {"errors", errors}, {"predictions", predictions}};
  };
  c.run = [backprop, bf16](const Inputs& in, Device device) {
    const engine::SparseMatrix targets = upload_sparse(in, device);
    engine::Tensor h = upload(in["h"], device), w = upload(in["w"], device), bias = upload(in["bias"], device);
    engine::Tensor errors = engine::Tensor::zeros(1, targets.nnz(), device);
    engine::DeviceAccumulator sse(device);
    if (backprop) {
      engine::Tensor dh = engine::Tensor::zeros(h.rows(), h.cols(), device);
      if (bf16) {
        const Bf16Table table(in["w"], device);
        ops::sddmm_squared_error_backprop(targets, h, w, table.view(), bias, Activation::Sigmoid, 0.5f, errors, dh, sse);
      } else {
        ops::sddmm_squared_error_backprop(targets, h, w, bias, Activation::Sigmoid, 0.5f, errors, dh, sse);
      }
      return Outputs{{"sse", {sse.read()}}, {"errors", download(errors)}, {"dh", download(dh)}};
    }
    engine::Tensor predictions = engine::Tensor::zeros(1, targets.nnz(), device);
    ops::sddmm_squared_error(targets, h, w, bias, Activation::Sigmoid, errors, predictions, sse);
    return Outputs{{"sse", {sse.read()}}, {"errors", download(errors)}, {"predictions", download(predictions)}};
  };
  c.rtol = 1e-5;
  c.atol = training ? 1e-5 : 1e-6;
  c.wrt = "h";
  c.objective = [ref = c.reference](const Inputs& in) { return ref(in).at("sse")[0]; };
  c.gradient = [bf16](const Inputs& in, Device device) {
    const engine::SparseMatrix targets = upload_sparse(in, device);
    engine::Tensor h = upload(in["h"], device), w = upload(in["w"], device), bias = upload(in["bias"], device);
    engine::Tensor errors = engine::Tensor::zeros(1, targets.nnz(), device), dh = engine::Tensor::zeros(h.rows(), h.cols(), device);
    engine::DeviceAccumulator sse(device);
    const Bf16Table table(in["w"], device);
    ops::sddmm_squared_error_backprop(targets, h, w, bf16 ? table.view() : engine::Bf16TableView(), bias, Activation::Sigmoid,
                                      2.0f, errors, dh, sse);
    return download(dh);
  };
  return c;
}

// y = alpha x + y (axpy), x = alpha x (scale), x = value (fill): the flat updates.
OpCase flat_case(const std::string& which) {
  OpCase c;
  c.name = which;
  c.kernels = {which};
  c.shape = "(1000 x 100)";
  c.make = [] {
    Inputs in;
    in.dense["x"] = random_dense(1000, 100, 38);
    in.dense["y"] = random_dense(1000, 100, 39);
    return in;
  };
  c.reference = [which](const Inputs& in) {
    std::vector<double> out = in["y"].values;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (which == "axpy") out[i] += -0.75 * in["x"].values[i];
      if (which == "scale") out[i] *= 3.5;
      if (which == "fill") out[i] = 7.0;
    }
    return Outputs{{"out", out}};
  };
  c.run = [which](const Inputs& in, Device device) {
    engine::Tensor x = upload(in["x"], device), y = upload(in["y"], device);
    if (which == "axpy") ops::axpy(-0.75f, x, y);
    if (which == "scale") ops::scale(y, 3.5f);
    if (which == "fill") ops::fill(y, 7.0f);
    return Outputs{{"out", download(y)}};
  };
  c.rtol = 1e-6;
  c.atol = 1e-7;
  return c;
}

// Inverted dropout: element (i, j) kept when uniform01(seed, i * cols + j) >= p (the counter-based
// generator of kernels/random.h is the op's definition), scaled by 1 / (1 - p).
OpCase dropout_case() {
  OpCase c;
  c.name = "dropout";
  c.kernels = {"dropout"};
  c.shape = "(256 x 300), p = 0.3";
  constexpr float p = 0.3f;
  constexpr std::uint64_t seed = 99;
  c.make = [] {
    Inputs in;
    in.dense["x"] = random_dense(kBatch, 300, 40);
    return in;
  };
  c.reference = [](const Inputs& in) {
    std::vector<double> out;
    for (std::size_t e = 0; e < in["x"].values.size(); ++e) {
      out.push_back(kernels::uniform01(seed, e) >= p ? in["x"].values[e] / (1.0 - p) : 0.0);
    }
    return Outputs{{"out", out}};
  };
  c.run = [](const Inputs& in, Device device) {
    engine::Tensor x = upload(in["x"], device), out = engine::Tensor::zeros(x.rows(), x.cols(), device);
    ops::dropout(x, out, p, seed);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 1e-6;
  c.atol = 0.0;
  return c;
}

// Two fused steps of an optimizer from the registry inside the transposed product: W takes the step of
// gradient alpha * A^T . B + l2 * W (set_l2) twice; the reference runs the optimizer's formula in double.
// `training`: AutoRec's shape (k = 500, a CSC column of 700 nonzeros: the block-wide long-column phase).
OpCase fused_update_case(const std::string& optimizer, bool training) {
  OpCase c;
  c.name = "spmm_transposed_update (" + optimizer + ", 2 steps)";
  c.kernels = {"spmm_transposed_update"};
  c.shape = training ? "(800 x 1500, 1% + a 700-long column)^T . (800 x 500) into W (1500 x 500)"
                     : "(256 x 2000, 2%)^T . (256 x 64) into W (2000 x 64)";
  constexpr double alpha = 0.5, l2 = 0.01, lr = 0.01, momentum = 0.9, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
                   adagrad_eps = 1e-10;
  c.make = [training] {
    Inputs in;
    if (training) {
      // B > 0: every touched row's data gradient is at least 0.5 * 1 * 0.25, far from cancelling its
      // L2 term (|l2 w| <= 1e-3), which 750,000 weights with signed B would hit somewhere (see atol).
      training_sparse(in, kTrainingRows, kTrainingCols, 141, 1.0, 5.0);
      in.dense["b"] = random_dense(kTrainingRows, kTrainingK, 42, 0.25, 1.0);
      in.dense["w"] = random_dense(kTrainingCols, kTrainingK, 43, -0.1, 0.1);
    } else {
      random_sparse(in, kBatch, 2000, 0.02, 41, 1.0, 5.0);
      in.dense["b"] = random_dense(kBatch, 64, 42);
      in.dense["w"] = random_dense(2000, 64, 43, -0.1, 0.1);
    }
    return in;
  };
  c.reference = [optimizer](const Inputs& in) {
    const Dense& b = in["b"];
    std::vector<double> w = in["w"].values, data(w.size(), 0.0), s0(w.size(), 0.0), s1(w.size(), 0.0);
    for (std::size_t p = 0; p < in.sparse.values.size(); ++p) {
      for (std::int64_t j = 0; j < b.cols; ++j) data[in.sparse.cols[p] * b.cols + j] += alpha * in.sparse.values[p] * b.at(in.sparse.rows[p], j);
    }
    for (int t = 1; t <= 2; ++t) {
      for (std::size_t e = 0; e < w.size(); ++e) {
        const double g = data[e] + l2 * w[e];
        if (optimizer == "sgd") {  // Nesterov momentum
          s0[e] = momentum * s0[e] + g;
          w[e] -= lr * (g + momentum * s0[e]);
        } else if (optimizer == "adam") {
          s0[e] = beta1 * s0[e] + (1 - beta1) * g;
          s1[e] = beta2 * s1[e] + (1 - beta2) * g * g;
          w[e] -= lr * (s0[e] / (1 - std::pow(beta1, t))) / (std::sqrt(s1[e] / (1 - std::pow(beta2, t))) + eps);
        } else if (optimizer == "adagrad") {
          s0[e] += g * g;
          w[e] -= lr * g / (std::sqrt(s0[e]) + adagrad_eps);
        } else {  // lion (defaults beta1 0.9, beta2 0.99, no decoupled decay)
          const double blend = 0.9 * s0[e] + 0.1 * g;
          w[e] -= lr * ((blend > 0) - (blend < 0));
          s0[e] = 0.99 * s0[e] + 0.01 * g;
        }
      }
    }
    return Outputs{{"out", w}};
  };
  c.run = [optimizer](const Inputs& in, Device device) {
    const engine::SparseMatrix a = upload_sparse(in, device);
    engine::Tensor b = upload(in["b"], device);
    engine::ParameterStore store;
    const engine::ParameterId w = store.declare("w", in["w"].rows, in["w"].cols, engine::kWeightsGroup, engine::Init::Zeros);
    store.finalize(device, 0);
    const std::vector<float> w0(in["w"].values.begin(), in["w"].values.end());
    store.value(w).copy_from_host(w0);
    engine::OptimizerOptions options{{"learning_rate", static_cast<float>(lr)}};
    if (optimizer == "sgd") options = {{"learning_rate", static_cast<float>(lr)}, {"momentum", static_cast<float>(momentum)}, {"nesterov", 1.0f}};
    const std::unique_ptr<engine::Optimizer> opt = engine::make_optimizer(optimizer, store, options);
    opt->set_l2(engine::kWeightsGroup, static_cast<float>(l2));
    for (int t = 0; t < 2; ++t) {
      opt->begin_step();
      ops::spmm_transposed_update(a, a.values_view(), b, static_cast<float>(alpha), store.value(w), opt->update_for(store, w));
    }
    return Outputs{{"out", download(store.value(w))}};
  };
  // Adam's and Adagrad's steps are normalised (about lr whatever |g|): where the data gradient and the L2
  // term nearly cancel, fp32's relative error in g reaches the step. 3e-5 is 0.3 % of one step.
  c.rtol = 1e-4;
  c.atol = optimizer == "sgd" ? 2e-6 : 3e-5;
  return c;
}

// C = A . B with B a bf16 table (`--precision bf16`: each element widened, fp32 sums), at the training
// shape; the reference multiplies by B rounded to bf16. B's gradient is spmm_transposed's (fp32, above).
OpCase bf16_spmm_case() {
  OpCase c;
  c.name = "spmm (bf16 B)";
  c.kernels = {"spmm (bf16)", "round_to_bfloat16"};
  c.shape = "(800 x 1500, 1% + 700-long row and column) . bf16 (1500 x 500)";
  c.make = [] {
    Inputs in;
    training_sparse(in, kTrainingRows, kTrainingCols, 150, 1.0, 5.0);
    in.dense["b"] = random_dense(kTrainingCols, kTrainingK, 151);
    return in;
  };
  c.reference = [](const Inputs& in) {
    const Dense& b = in["b"];
    std::vector<double> out(static_cast<std::size_t>(in.sparse_rows * b.cols), 0.0);
    for (std::size_t p = 0; p < in.sparse.values.size(); ++p) {
      for (std::int64_t j = 0; j < b.cols; ++j) {
        out[in.sparse.rows[p] * b.cols + j] += in.sparse.values[p] * bf16_reference(b.at(in.sparse.cols[p], j));
      }
    }
    return Outputs{{"out", out}};
  };
  c.run = [](const Inputs& in, Device device) {
    const engine::SparseMatrix a = upload_sparse(in, device);
    const Bf16Table table(in["b"], device);
    engine::Tensor out = engine::Tensor::zeros(a.rows(), in["b"].cols, device);
    ops::spmm(a, table.view(), out);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 1e-5;
  c.atol = 3e-4;
  return c;
}

// round_to_bfloat16 (ParameterStore::keep_bf16_copy builds the copy with it), read back exactly through
// spmm by a one-hot selection (row r of S . T is row r of the widened table): values over 40 binades,
// and exact ties (the low 16 bits 0x8000) rounding to the even neighbour both ways.
OpCase bf16_rounding_case() {
  OpCase c;
  c.name = "round_to_bfloat16 (read through spmm)";
  c.kernels = {"round_to_bfloat16", "spmm (bf16)"};
  c.shape = "(300 x 257) table";
  c.make = [] {
    Inputs in;
    Dense table = random_dense(300, 257, 160);
    const std::vector<double> scales = random_values(300 * 257, 161, -20.0, 20.0);
    for (std::size_t e = 0; e < table.values.size(); ++e) {
      table.values[e] = static_cast<float>(table.values[e] * std::ldexp(1.0, static_cast<int>(scales[e])));
    }
    for (std::size_t e = 0; e < 64; ++e) {  // ties: 1 + (2e + 1) 2^-8, times a power of two and a sign
      const double tie = (1.0 + static_cast<double>(2 * e + 1) * std::ldexp(1.0, -8)) * std::ldexp(1.0, static_cast<int>(e % 9) - 4);
      table.values[e * 37] = e % 2 == 0 ? tie : -tie;
    }
    in.dense["table"] = table;
    for (index_t r = 0; r < 300; ++r) {
      in.sparse.rows.push_back(r);
      in.sparse.cols.push_back((r * 7) % 300);  // a permutation of the rows
      in.sparse.values.push_back(1.0f);
    }
    in.sparse_rows = in.sparse_cols = 300;
    return in;
  };
  c.reference = [](const Inputs& in) {
    const Dense& table = in["table"];
    std::vector<double> out;
    for (index_t r = 0; r < 300; ++r) {
      for (std::int64_t j = 0; j < table.cols; ++j) out.push_back(bf16_reference(table.at(in.sparse.cols[r], j)));
    }
    return Outputs{{"out", out}};
  };
  c.run = [](const Inputs& in, Device device) {
    const engine::SparseMatrix selection = upload_sparse(in, device);
    const Bf16Table table(in["table"], device);
    engine::Tensor out = engine::Tensor::zeros(300, in["table"].cols, device);
    ops::spmm(selection, table.view(), out);
    return Outputs{{"out", download(out)}};
  };
  c.rtol = 0.0;
  c.atol = 0.0;
  return c;
}

// A mini-batch formed on the device (engine::RowBatches: gather_rows for the CSR, csr_to_csc for its
// twin), checked through what it feeds: its values in CSR order, A_batch . B (the CSR) and
// A_batch^T . C (the CSC twin built on the device).
// `training`: 512 rows of the training-shape matrix at k = 500, the 700-long row among them and ~450
// batch entries in the long column (a CSC column over several scan tiles).
OpCase row_batch_case(bool training) {
  OpCase c;
  c.name = "row batch: gather_rows + csr_to_csc";
  c.kernels = {"gather_rows", "csr_to_csc", "spmm", "spmm_transposed"};
  c.shape = training ? "512 of (800 x 1500, 1% + 700-long row and column) rows, k = 500"
                     : "256 of (600 x 3000, 2%) rows, k = 32";
  const index_t rows = training ? kTrainingRows : 600, cols = training ? kTrainingCols : 3000;
  const index_t first = 40, count = training ? 512 : 256;
  const std::int64_t k = training ? kTrainingK : 32;
  c.make = [=] {
    Inputs in;
    if (training) {
      training_sparse(in, rows, cols, 144, -1.0, 1.0);
    } else {
      random_sparse(in, rows, cols, 0.02, 44, -1.0, 1.0);
    }
    in.indices["order"] = random_indices(rows, rows, 45);  // with repeats: rows may appear twice
    if (training) in.indices["order"][first + 7] = kLongRow;
    in.dense["b"] = random_dense(cols, k, 46);
    in.dense["c"] = random_dense(count, k, 47);
    return in;
  };
  c.reference = [=](const Inputs& in) {
    const Dense &b = in["b"], &cm = in["c"];
    std::vector<std::vector<std::size_t>> by_row(static_cast<std::size_t>(rows));
    for (std::size_t p = 0; p < in.sparse.values.size(); ++p) by_row[in.sparse.rows[p]].push_back(p);
    std::vector<double> values, ab(static_cast<std::size_t>(count * b.cols), 0.0), atc(static_cast<std::size_t>(cols * cm.cols), 0.0);
    for (index_t r = 0; r < count; ++r) {
      for (std::size_t p : by_row[in.indices.at("order")[first + r]]) {
        const double v = in.sparse.values[p];
        values.push_back(v);
        for (std::int64_t j = 0; j < b.cols; ++j) ab[r * b.cols + j] += v * b.at(in.sparse.cols[p], j);
        for (std::int64_t j = 0; j < cm.cols; ++j) atc[in.sparse.cols[p] * cm.cols + j] += v * cm.at(r, j);
      }
    }
    return Outputs{{"values", values}, {"a.b", ab}, {"a^t.c", atc}};
  };
  c.run = [=](const Inputs& in, Device device) {
    const engine::SparseMatrix a = upload_sparse(in, device);
    engine::RowBatches batches(a);
    batches.set_order(in.indices.at("order"));
    const engine::SparseMatrix& batch = batches.batch(first, count);
    engine::Tensor b = upload(in["b"], device), cm = upload(in["c"], device);
    engine::Tensor ab = engine::Tensor::zeros(count, b.cols(), device), atc = engine::Tensor::zeros(cols, cm.cols(), device);
    ops::spmm(batch, b, ab);
    ops::spmm_transposed(batch, cm, atc);
    return Outputs{{"values", download(batch.values_view())}, {"a.b", download(ab)}, {"a^t.c", download(atc)}};
  };
  c.rtol = 1e-5;
  c.atol = training ? 1e-4 : 1e-5;  // sums of up to 700 terms of |v b| <= 1 at the training shape
  return c;
}

}  // namespace

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = {mse_case(),         bce_case(),           softmax_case(),   index_select_case(),
                               index_add_case(),   sddmm_case(),         gemm_case(false), gemm_case(true),
                               sum_of_squares_case(), dropout_case(),    bf16_spmm_case(), bf16_rounding_case()};
  for (bool training : {false, true}) {
    for (bool transposed : {false, true}) cases.push_back(sparse_product_case(transposed, training));
    for (bool backprop : {false, true}) cases.push_back(output_layer_case(backprop, training, false));
  }
  cases.push_back(output_layer_case(true, true, true));
  for (const auto& [name, g] : engine::kActivationNames) cases.push_back(bias_activation_case(g));
  for (bool sparse : {false, true}) {
    for (bool columns : {true, false}) cases.push_back(sums_case(columns, sparse));
  }
  for (const char* which : {"axpy", "scale", "fill"}) cases.push_back(flat_case(which));
  for (const char* optimizer : {"sgd", "adam", "adagrad", "lion"}) cases.push_back(fused_update_case(optimizer, false));
  cases.push_back(fused_update_case("adam", true));
  for (bool training : {false, true}) cases.push_back(row_batch_case(training));
  for (OpCase& c : update_cases()) cases.push_back(std::move(c));
  return cases;
}

const std::map<std::string, std::string>& kernel_functions_without_case() {
  // Every function of kernels/cpu.h is an op today; a helper that is not one (a scratch-size query, a
  // conversion) goes here with the reason no case can describe it.
  static const std::map<std::string, std::string> none;
  return none;
}

}  // namespace opcases
