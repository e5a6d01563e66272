// Dense losses with their gradients in one pass (research ops: not on AutoRec's training path). Each
// element's term is a float formula shared with the CUDA kernels (kernels/losses.h); the sum over the
// elements is in double and independent of the thread count (deterministic_sum).
#include <cmath>
#include <limits>

#include "kernels/cpu.h"
#include "kernels/losses.h"
#include "parallel.h"
#include "preconditions.h"

namespace kernels::cpu {
namespace {

constexpr std::int64_t kRowsPerChunk = 64;

// Sums term(i, j) over an (m x n) operand by rows in chunks; row_body may also write the gradient.
template <class RowSum>
double sum_rows(std::int64_t rows, RowSum&& row_sum) {
  return detail::deterministic_sum(rows, kRowsPerChunk, [&](std::int64_t begin, std::int64_t end) {
    double sum = 0.0;
    for (std::int64_t i = begin; i < end; ++i) sum += row_sum(i);
    return sum;
  });
}

}  // namespace

double mse_loss(MatrixView<const float> prediction, MatrixView<const float> target, float scale, MatrixView<float> grad) {
  kernels::detail::require_loss("mse_loss", prediction, target, grad);
  const float twice = 2.0f * scale;
  return static_cast<double>(scale) * sum_rows(prediction.rows, [&](std::int64_t i) {
           double sum = 0.0;
           for (std::int64_t j = 0; j < prediction.cols; ++j) {
             const float diff = prediction(i, j) - target(i, j);
             if (grad.data != nullptr) grad(i, j) = twice * diff;
             sum += static_cast<double>(diff) * diff;
           }
           return sum;
         });
}

double bce_with_logits_loss(MatrixView<const float> logits, MatrixView<const float> target, float scale,
                            MatrixView<float> grad) {
  kernels::detail::require_loss("bce_with_logits_loss", logits, target, grad);
  return static_cast<double>(scale) * sum_rows(logits.rows, [&](std::int64_t i) {
           double sum = 0.0;
           for (std::int64_t j = 0; j < logits.cols; ++j) {
             const float z = logits(i, j), t = target(i, j);
             if (grad.data != nullptr) grad(i, j) = scale * kernels::detail::bce_with_logits_gradient(z, t);
             sum += kernels::detail::bce_with_logits_term(z, t);
           }
           return sum;
         });
}

// Per row: max first (exp never overflows), then the sum of exp(z - max) in double.
double softmax_cross_entropy_loss(MatrixView<const float> logits, const index_t* labels, float scale,
                                  MatrixView<float> grad) {
  kernels::detail::require_loss("softmax_cross_entropy_loss", logits, {}, grad);
  detail::require_array(labels, logits.rows, "labels");
  KERNELS_REQUIRE(logits.cols > 0 || logits.rows == 0, "softmax_cross_entropy_loss: no classes");
  for (std::int64_t i = 0; i < logits.rows; ++i) {
    KERNELS_REQUIRE(labels[i] >= 0 && labels[i] < logits.cols,
                    "softmax_cross_entropy_loss: label ", labels[i], " of row ", i, " is outside [0, ",
                    logits.cols, ")");
  }
  return static_cast<double>(scale) * sum_rows(logits.rows, [&](std::int64_t i) {
           float max = -std::numeric_limits<float>::infinity();
           for (std::int64_t j = 0; j < logits.cols; ++j) max = logits(i, j) > max ? logits(i, j) : max;
           double exp_sum = 0.0;
           for (std::int64_t j = 0; j < logits.cols; ++j) exp_sum += std::exp(static_cast<double>(logits(i, j) - max));
           if (grad.data != nullptr) {
             // Read the label's logit before grad (which may alias logits) overwrites it.
             const float label_logit = logits(i, labels[i]);
             for (std::int64_t j = 0; j < logits.cols; ++j) {
               const double p = std::exp(static_cast<double>(logits(i, j) - max)) / exp_sum;
               grad(i, j) = static_cast<float>(scale * (p - (j == labels[i] ? 1.0 : 0.0)));
             }
             return static_cast<double>(max) + std::log(exp_sum) - label_logit;
           }
           return static_cast<double>(max) + std::log(exp_sum) - logits(i, labels[i]);
         });
}

}  // namespace kernels::cpu
