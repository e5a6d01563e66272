#include "autorec/matrix_factorization.h"

#include <numeric>
#include <string>

#include "autorec/error.h"
#include "engine/ops.h"

namespace autorec {
namespace {

// A (n, 1) column over a contiguous (1, n) row and back: the same memory, ld 1.
engine::TensorView as_column(engine::TensorView row) { return {row.device(), {row.data(), row.cols(), 1, 1}}; }
engine::TensorView as_row(engine::TensorView column) { return {column.device(), {column.data(), 1, column.rows(), column.rows()}}; }

engine::TensorView ones(engine::Workspace& workspace, std::int64_t rows, engine::Device device) {
  engine::TensorView v = workspace.rows(rows, 1, device);
  engine::ops::fill(v, 1.0f);
  return v;
}

// A sparse parameter's gradient alpha * A^T . B: stepped inside the product, or added to the buffer.
void finish_sparse(engine::ParameterStore& store, engine::ParameterId id, engine::Optimizer* optimizer,
                   const engine::SparseMatrix& a, engine::ConstTensorView a_values, engine::ConstTensorView b) {
  if (optimizer != nullptr) {
    engine::ops::spmm_transposed_update(a, a_values, b, 1.0f, store.value(id), optimizer->update_for(store, id));
  } else {
    engine::ops::spmm_transposed(a, a_values, b, store.grad(id), 1.0f, 1.0f);
  }
}

std::uint64_t parse_count(const ModelRecord& record, const std::string& key) {
  const std::string& text = record.setting(key);
  try {
    std::size_t used = 0;
    const unsigned long long value = std::stoull(text, &used);
    if (used == text.size() && text.find('-') == std::string::npos) return value;
  } catch (const std::exception&) {
  }
  throw ConfigError("model setting " + key + "='" + text + "' is not a non-negative integer");
}

}  // namespace

ModelRecord matrix_factorization_record(const MatrixFactorizationConfig& config, std::int64_t rows,
                                        std::int64_t inputs) {
  return {"mf",
          config.orientation,
          rows,
          inputs,
          {{"factors", std::to_string(config.factors)}, {"seed", std::to_string(config.seed)}}};
}

MatrixFactorizationConfig matrix_factorization_config(const ModelRecord& record) {
  AUTOREC_CONFIG_CHECK(record.kind == "mf", "not a matrix factorisation model: '", record.kind, "'");
  record.require_only({"factors", "seed"});
  MatrixFactorizationConfig config;
  config.orientation = record.orientation;
  config.factors = static_cast<std::int64_t>(parse_count(record, "factors"));
  config.seed = parse_count(record, "seed");
  return config;
}

MatrixFactorization::MatrixFactorization(const MatrixFactorizationConfig& config, std::int64_t rows,
                                         std::int64_t inputs, engine::Device device)
    : config_(config), rows_(rows), inputs_(inputs) {
  AUTOREC_CONFIG_CHECK(config.factors > 0, "matrix factorisation needs at least one factor, got ", config.factors);
  AUTOREC_CONFIG_CHECK(rows > 0 && inputs > 0, "matrix factorisation needs the matrix's shape, got ", rows, " x ",
                       inputs);
  row_factors_ = store_.declare("row_factors", rows, config.factors, engine::kWeightsGroup, engine::Init::GlorotUniform);
  column_factors_ =
      store_.declare("column_factors", inputs, config.factors, engine::kWeightsGroup, engine::Init::GlorotUniform);
  row_biases_ = store_.declare("row_biases", rows, 1, engine::kBiasesGroup, engine::Init::Zeros);
  column_biases_ = store_.declare("column_biases", 1, inputs, engine::kBiasesGroup, engine::Init::Zeros);
  store_.finalize(device, config.seed);
  std::vector<engine::offset_t> offsets(static_cast<std::size_t>(rows) + 1);
  std::iota(offsets.begin(), offsets.end(), engine::offset_t{0});
  std::vector<engine::index_t> diagonal(static_cast<std::size_t>(rows));
  std::iota(diagonal.begin(), diagonal.end(), engine::index_t{0});
  identity_ = engine::SparseMatrix::from_csr(static_cast<engine::index_t>(rows), static_cast<engine::index_t>(rows),
                                             std::move(offsets), std::move(diagonal),
                                             std::vector<float>(static_cast<std::size_t>(rows), 1.0f), device);
}

void MatrixFactorization::look_up(const RowBlock& block) {
  const auto count = static_cast<engine::index_t>(block.rows.size());
  AUTOREC_CONFIG_CHECK(count == block.ratings.rows(), "matrix factorisation: ", block.rows.size(), " row ids for ",
                       block.ratings.rows(), " rows of ratings");
  AUTOREC_CONFIG_CHECK(block.ratings.cols() == inputs_, "matrix factorisation: ratings of ", block.ratings.cols(),
                       " columns, the model has ", inputs_);
  for (const engine::index_t row : block.rows) {
    AUTOREC_CONFIG_CHECK(row >= 0 && row < rows_, "matrix factorisation: row id ", row, " outside [0, ", rows_, ")");
  }
  const engine::Device device = store_.device();
  row_ids_ = engine::DeviceArray<engine::index_t>::from_host(block.rows, device);
  selection_.assign_gathered_rows(identity_, row_ids_.data(), count, count);
  engine::ops::spmm(selection_, store_.value(row_factors_), h_.rows(count, config_.factors, device));
  engine::ops::spmm(selection_, store_.value(row_biases_), row_bias_.rows(count, 1, device));
}

void MatrixFactorization::predict_pattern(const engine::SparseMatrix& pattern, engine::TensorView out) {
  const engine::Device device = store_.device();
  const std::int64_t count = pattern.rows();
  const engine::ConstTensorView h = h_.rows(count, config_.factors, device);
  engine::ops::sddmm(pattern, h, store_.value(column_factors_), out);
  engine::TensorView term = per_entry_.rows(1, pattern.nnz(), device);
  engine::ops::sddmm(pattern, row_bias_.rows(count, 1, device), ones(ones_cols_, inputs_, device), term);
  engine::ops::axpy(1.0f, term, out);
  engine::ops::sddmm(pattern, ones(ones_rows_, count, device), as_column(store_.value(column_biases_)), term);
  engine::ops::axpy(1.0f, term, out);
}

void MatrixFactorization::train_batch(const RowBlock& batch, float loss_scale, engine::DeviceAccumulator& sse,
                                      std::uint64_t /*seed: nothing random*/, engine::Optimizer* optimizer) {
  const engine::SparseMatrix& r = batch.ratings;
  const engine::Device device = store_.device();
  const std::int64_t count = r.rows();
  look_up(batch);
  // e = prediction - rating at every observed entry; the loss gradient is loss_scale * e.
  engine::TensorView e = errors_.rows(1, r.nnz(), device);
  predict_pattern(r, e);
  engine::ops::axpy(-1.0f, r.values_view(), e);
  engine::ops::sum_of_squares(e, sse);
  engine::ops::scale(e, loss_scale);
  // Gradients towards the looked-up rows, with the column factors before their step.
  engine::TensorView dh = dh_.rows(count, config_.factors, device);
  engine::ops::spmm(r, e, store_.value(column_factors_), dh);  // dH = E . Q
  engine::TensorView d_row_bias = d_row_bias_.rows(1, count, device);
  engine::ops::sparse_row_sums(r, e, d_row_bias);  // d(S d) = row sums of E
  // Column side: dQ = E^T . H, dc = column sums of E.
  finish_sparse(store_, column_factors_, optimizer, r, e, h_.rows(count, config_.factors, device));
  engine::ops::sparse_column_sums(r, e, store_.grad(column_biases_), 1.0f, optimizer != nullptr ? 0.0f : 1.0f);
  if (optimizer != nullptr) optimizer->step_parameter(store_, column_biases_);
  // Row side through the selection: dP = S^T . dH, dd = S^T . d(S d).
  finish_sparse(store_, row_factors_, optimizer, selection_, selection_.values_view(), dh);
  finish_sparse(store_, row_biases_, optimizer, selection_, selection_.values_view(), as_column(d_row_bias));
}

void MatrixFactorization::predict_at(const RowBlock& block, const engine::SparseMatrix& pattern,
                                     engine::TensorView out) {
  look_up(block);
  predict_pattern(pattern, out);
}

void MatrixFactorization::predict_rows(const RowBlock& block, engine::TensorView out) {
  const engine::Device device = store_.device();
  const std::int64_t count = block.ratings.rows();
  look_up(block);
  // out = H . Q^T + 1 . c + (S d) . 1^T
  engine::ops::gemm(false, true, 1.0f, h_.rows(count, config_.factors, device), store_.value(column_factors_), 0.0f,
                    out);
  engine::ops::gemm(false, false, 1.0f, ones(ones_rows_, count, device), store_.value(column_biases_), 1.0f, out);
  engine::ops::gemm(false, false, 1.0f, row_bias_.rows(count, 1, device), as_row(ones(ones_cols_, inputs_, device)),
                    1.0f, out);
}

engine::ConstTensorView MatrixFactorization::encode(const RowBlock& block) {
  look_up(block);
  return h_.rows(block.ratings.rows(), config_.factors, store_.device());
}

void MatrixFactorization::start_at_mean(float mean) { engine::ops::fill(store_.value(column_biases_), mean); }

}  // namespace autorec
