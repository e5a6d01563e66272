#include "engine/ops.h"

#include "engine/internal/backend.h"
#include "engine/internal/kernel_views.h"
#include "fused_update_access.h"

namespace engine::ops {
namespace {

thread_local const LayerScope* innermost_layer = nullptr;

// "layer 'encoder': spmm: B (3, 4) does not match A (5, 6; nnz=7): ..." style messages.
template <class... Parts>
void require_shape(bool ok, const char* op, const Parts&... parts) {
  if (!ok) throw ShapeError(detail::concat(current_layer_prefix(), op, ": ", parts...));
}

void require_device(const char* op, Device expected, Device actual, const char* operand) {
  if (!(expected == actual)) {
    throw ShapeError(detail::concat(current_layer_prefix(), op, ": operand ", operand, " is on ", to_string(actual),
                                    " but the op runs on ", to_string(expected)));
  }
}

// engine::Activation names the kernels' activations one for one (both are made from one list).
kernels::Activation to_kernels(Activation a) {
#define ENGINE_SAME_ENUMERATOR(name, text)                                                        \
  static_assert(static_cast<int>(Activation::name) == static_cast<int>(kernels::Activation::name), \
                "engine::Activation::" #name " must equal kernels::Activation::" #name);
  KERNELS_ACTIVATIONS(ENGINE_SAME_ENUMERATOR)
#undef ENGINE_SAME_ENUMERATOR
  return static_cast<kernels::Activation>(a);
}

bool is_vector(ConstTensorView v, std::int64_t n) { return v.rows() == 1 && v.cols() == n; }
bool is_contiguous(ConstTensorView v) { return v.rows() <= 1 || v.ld() == v.cols(); }

// Optional operands (empty views) may live anywhere; given ones must be on the op's device.
void require_device_if_given(const char* op, Device expected, ConstTensorView operand, const char* name) {
  if (operand.size() > 0) require_device(op, expected, operand.device(), name);
}

void check_values(const char* op, const SparseMatrix& pattern, ConstTensorView values) {
  require_device(op, pattern.device(), values.device(), "values");
  require_shape(is_vector(values, pattern.nnz()), op, "values ", values.shape(), " must be (1, nnz) for a matrix ",
                pattern.shape());
}

}  // namespace

LayerScope::LayerScope(std::string name) : name_(std::move(name)), outer_(innermost_layer) { innermost_layer = this; }
LayerScope::~LayerScope() { innermost_layer = outer_; }

std::string current_layer_prefix() {
  return innermost_layer != nullptr ? "layer '" + innermost_layer->name_ + "': " : std::string();
}

void spmm(const SparseMatrix& a, ConstTensorView b, TensorView c, float alpha, float beta) {
  spmm(a, a.values_view(), b, c, alpha, beta);
}

void spmm(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, TensorView c, float alpha,
          float beta) {
  check_values("spmm", pattern, values);
  require_device("spmm", pattern.device(), b.device(), "B");
  require_device("spmm", pattern.device(), c.device(), "C");
  require_shape(b.rows() == pattern.cols() && c.rows() == pattern.rows() && c.cols() == b.cols(), "spmm",
                "A ", pattern.shape(), " . B ", b.shape(), " -> C ", c.shape());
  backend_for(pattern.device()).spmm(kcsr(pattern), values.data(), kview(b), kview(c), alpha, beta);
}

void spmm(const SparseMatrix& a, Bf16TableView b, TensorView c, float alpha, float beta) {
  check_values("spmm", a, a.values_view());
  require_device("spmm", a.device(), b.device(), "B");
  require_device("spmm", a.device(), c.device(), "C");
  require_shape(!b.empty() && b.rows() == a.cols() && c.rows() == a.rows() && c.cols() == b.cols(), "spmm", "A ",
                a.shape(), " . B (bf16) ", b.shape(), " -> C ", c.shape());
  backend_for(a.device()).spmm(kcsr(a), a.values(), kview(b), kview(c), alpha, beta);
}

void spmm_transposed(const SparseMatrix& a, ConstTensorView b, TensorView c, float alpha, float beta) {
  spmm_transposed(a, a.values_view(), b, c, alpha, beta);
}

void spmm_transposed(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, TensorView c, float alpha,
                     float beta) {
  check_values("spmm_transposed", pattern, values);
  require_device("spmm_transposed", pattern.device(), b.device(), "B");
  require_device("spmm_transposed", pattern.device(), c.device(), "C");
  require_shape(b.rows() == pattern.rows() && c.rows() == pattern.cols() && c.cols() == b.cols(), "spmm_transposed",
                "A^T with A ", pattern.shape(), " . B ", b.shape(), " -> C ", c.shape());
  backend_for(pattern.device()).spmm_transposed(kcsc(pattern), values.data(), kview(b), kview(c), alpha, beta);
}

void spmm_transposed_update(const SparseMatrix& pattern, ConstTensorView values, ConstTensorView b, float alpha,
                            TensorView w, const FusedUpdate& update) {
  check_values("spmm_transposed_update", pattern, values);
  require_device("spmm_transposed_update", pattern.device(), b.device(), "B");
  require_device("spmm_transposed_update", pattern.device(), w.device(), "W");
  require_shape(b.rows() == pattern.rows() && w.rows() == pattern.cols() && w.cols() == b.cols(),
                "spmm_transposed_update", "A^T with A ", pattern.shape(), " . B ", b.shape(), " -> W ", w.shape());
  backend_for(pattern.device()).spmm_transposed_update(kcsc(pattern), values.data(), kview(b), alpha, kview(w),
                                                       FusedUpdateAccess::unwrap(update));
}

void sddmm(const SparseMatrix& pattern, ConstTensorView a, ConstTensorView b, TensorView out) {
  require_device("sddmm", pattern.device(), a.device(), "A");
  require_device("sddmm", pattern.device(), b.device(), "B");
  require_device("sddmm", pattern.device(), out.device(), "out");
  require_shape(a.rows() == pattern.rows() && b.rows() == pattern.cols() && a.cols() == b.cols() &&
                    is_vector(out, pattern.nnz()),
                "sddmm", "pattern ", pattern.shape(), ", A ", a.shape(), ", B ", b.shape(), ", out ", out.shape());
  backend_for(pattern.device()).sddmm(kcsr(pattern), kview(a), kview(b), out.data());
}

void sddmm_squared_error(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w, ConstTensorView bias,
                         Activation f, TensorView errors, TensorView predictions, DeviceAccumulator& sse) {
  const char* op = "sddmm_squared_error";
  require_device(op, targets.device(), h.device(), "H");
  require_device(op, targets.device(), w.device(), "W");
  require_device(op, targets.device(), sse.device(), "sse");
  require_device_if_given(op, targets.device(), bias, "bias");
  require_device_if_given(op, targets.device(), errors, "errors");
  require_device_if_given(op, targets.device(), predictions, "predictions");
  require_shape(h.rows() == targets.rows() && w.rows() == targets.cols() && h.cols() == w.cols(), op, "targets ",
                targets.shape(), ", H ", h.shape(), ", W ", w.shape());
  require_shape(bias.size() == 0 || is_vector(bias, targets.cols()), op, "bias ", bias.shape(), " must be (1, ",
                targets.cols(), ")");
  require_shape(is_vector(errors, targets.nnz()), op, "errors ", errors.shape(), " must be (1, ", targets.nnz(), ")");
  require_shape(predictions.size() == 0 || is_vector(predictions, targets.nnz()), op, "predictions ",
                predictions.shape(), " must be (1, ", targets.nnz(), ")");
  backend_for(targets.device())
      .sddmm_squared_error(kcsr(targets), kview(h), kview(w), bias.size() ? bias.data() : nullptr,
                           targets.values(), to_kernels(f), errors.data(), predictions.size() ? predictions.data() : nullptr,
                           sse.data());
}

void sddmm_squared_error_backprop(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w,
                                  ConstTensorView bias, Activation f, float alpha, TensorView errors, TensorView dh,
                                  DeviceAccumulator& sse) {
  sddmm_squared_error_backprop(targets, h, w, Bf16TableView(), bias, f, alpha, errors, dh, sse);
}

void sddmm_squared_error_backprop(const SparseMatrix& targets, ConstTensorView h, ConstTensorView w,
                                  Bf16TableView w_bf16, ConstTensorView bias, Activation f, float alpha,
                                  TensorView errors, TensorView dh, DeviceAccumulator& sse) {
  const char* op = "sddmm_squared_error_backprop";
  require_device(op, targets.device(), h.device(), "H");
  require_device(op, targets.device(), w.device(), "W");
  require_device(op, targets.device(), errors.device(), "errors");
  require_device(op, targets.device(), dh.device(), "dH");
  require_device(op, targets.device(), sse.device(), "sse");
  require_device_if_given(op, targets.device(), bias, "bias");
  require_shape(h.rows() == targets.rows() && w.rows() == targets.cols() && h.cols() == w.cols(), op, "targets ",
                targets.shape(), ", H ", h.shape(), ", W ", w.shape());
  require_shape(bias.size() == 0 || is_vector(bias, targets.cols()), op, "bias ", bias.shape(), " must be (1, ",
                targets.cols(), ")");
  require_shape(is_vector(errors, targets.nnz()), op, "errors ", errors.shape(), " must be (1, ", targets.nnz(), ")");
  require_shape(dh.rows() == h.rows() && dh.cols() == h.cols(), op, "dH ", dh.shape(), " must match H ", h.shape());
  if (!w_bf16.empty()) {
    require_device(op, targets.device(), w_bf16.device(), "W bf16");
    require_shape(w_bf16.rows() == w.rows() && w_bf16.cols() == w.cols(), op, "W bf16 ", w_bf16.shape(),
                  " must match W ", w.shape());
  }
  kernels::OutputLayerBackprop layer;
  layer.pattern = kcsr(targets);
  layer.h = kview(h);
  layer.w = kview(w);
  layer.w_bf16 = kview(w_bf16);
  layer.bias = bias.size() ? bias.data() : nullptr;
  layer.ratings = targets.values();
  layer.f = to_kernels(f);
  layer.alpha = alpha;
  layer.errors = errors.data();
  layer.dh = kview(dh);
  backend_for(targets.device()).sddmm_squared_error_backprop(layer, sse.data());
}

void bias_activation_forward(TensorView z, ConstTensorView bias, Activation g, TensorView h) {
  require_device("bias_activation_forward", z.device(), h.device(), "H");
  require_device_if_given("bias_activation_forward", z.device(), bias, "bias");
  require_shape(h.rows() == z.rows() && h.cols() == z.cols(), "bias_activation_forward", "Z ", z.shape(), " vs H ",
                h.shape());
  require_shape(bias.size() == 0 || is_vector(bias, z.cols()), "bias_activation_forward", "bias ", bias.shape(),
                " must be (1, ", z.cols(), ")");
  backend_for(z.device()).bias_activation_forward(kview(z), bias.size() ? bias.data() : nullptr, to_kernels(g), kview(h));
}

void activation_backward(ConstTensorView z, ConstTensorView dh, Activation g, TensorView dz) {
  require_device("activation_backward", z.device(), dh.device(), "dH");
  require_device("activation_backward", z.device(), dz.device(), "dZ");
  require_shape(dh.rows() == z.rows() && dh.cols() == z.cols() && dz.rows() == z.rows() && dz.cols() == z.cols(),
                "activation_backward", "Z ", z.shape(), ", dH ", dh.shape(), ", dZ ", dz.shape());
  backend_for(z.device()).activation_backward(kview(z), kview(dh), to_kernels(g), kview(dz));
}

void dropout(ConstTensorView in, TensorView out, float p, std::uint64_t seed) {
  require_device("dropout", in.device(), out.device(), "out");
  require_shape(in.rows() == out.rows() && in.cols() == out.cols(), "dropout", "in ", in.shape(), " vs out ",
                out.shape());
  backend_for(in.device()).dropout(kview(in), kview(out), p, seed);
}

void column_sums(ConstTensorView a, TensorView out, float alpha, float beta) {
  require_device("column_sums", a.device(), out.device(), "out");
  require_shape(is_vector(out, a.cols()), "column_sums", "out ", out.shape(), " for A ", a.shape());
  backend_for(a.device()).column_sums(kview(a), out.data(), alpha, beta);
}

void row_sums(ConstTensorView a, TensorView out, float alpha, float beta) {
  require_device("row_sums", a.device(), out.device(), "out");
  require_shape(is_vector(out, a.rows()), "row_sums", "out ", out.shape(), " for A ", a.shape());
  backend_for(a.device()).row_sums(kview(a), out.data(), alpha, beta);
}

void sparse_column_sums(const SparseMatrix& pattern, ConstTensorView values, TensorView out, float alpha, float beta) {
  check_values("sparse_column_sums", pattern, values);
  require_device("sparse_column_sums", pattern.device(), out.device(), "out");
  require_shape(is_vector(out, pattern.cols()), "sparse_column_sums", "out ", out.shape(), " for ", pattern.shape());
  backend_for(pattern.device()).sparse_column_sums(kcsc(pattern), values.data(), out.data(), alpha, beta);
}

void sparse_row_sums(const SparseMatrix& pattern, ConstTensorView values, TensorView out, float alpha, float beta) {
  check_values("sparse_row_sums", pattern, values);
  require_device("sparse_row_sums", pattern.device(), out.device(), "out");
  require_shape(is_vector(out, pattern.rows()), "sparse_row_sums", "out ", out.shape(), " for ", pattern.shape());
  backend_for(pattern.device()).sparse_row_sums(kcsr(pattern), values.data(), out.data(), alpha, beta);
}

void sum_of_squares(ConstTensorView x, DeviceAccumulator& result) {
  require_device("sum_of_squares", x.device(), result.device(), "result");
  Backend& backend = backend_for(x.device());
  if (is_contiguous(x)) {
    backend.sum_of_squares(x.data(), x.size(), result.data());
    return;
  }
  for (std::int64_t i = 0; i < x.rows(); ++i) backend.sum_of_squares(x.data() + i * x.ld(), x.cols(), result.data());
}

void gemm(bool transpose_a, bool transpose_b, float alpha, ConstTensorView a, ConstTensorView b, float beta,
          TensorView c) {
  require_device("gemm", c.device(), a.device(), "A");
  require_device("gemm", c.device(), b.device(), "B");
  const std::int64_t m = transpose_a ? a.cols() : a.rows();
  const std::int64_t inner_a = transpose_a ? a.rows() : a.cols();
  const std::int64_t inner_b = transpose_b ? b.cols() : b.rows();
  const std::int64_t n = transpose_b ? b.rows() : b.cols();
  require_shape(inner_a == inner_b && c.rows() == m && c.cols() == n, "gemm", "op(A) ", transpose_a ? "A^T " : "A ",
                a.shape(), " . op(B) ", transpose_b ? "B^T " : "B ", b.shape(), " -> C ", c.shape());
  backend_for(c.device()).gemm(transpose_a, transpose_b, alpha, kview(a), kview(b), beta, kview(c));
}

namespace {
// Applies a flat-array op to every row of a possibly padded view (once when contiguous).
template <class RowOp>
void for_each_row(TensorView x, RowOp&& op) {
  if (is_contiguous(x)) {
    op(x.data(), x.size());
    return;
  }
  for (std::int64_t i = 0; i < x.rows(); ++i) op(x.data() + i * x.ld(), x.cols());
}
}  // namespace

void fill(TensorView x, float value) {
  Backend& backend = backend_for(x.device());
  for_each_row(x, [&](float* row, std::int64_t n) { backend.fill(row, n, value); });
}

void scale(TensorView x, float alpha) {
  Backend& backend = backend_for(x.device());
  for_each_row(x, [&](float* row, std::int64_t n) { backend.scale(row, n, alpha); });
}

void axpy(float alpha, ConstTensorView x, TensorView y) {
  require_device("axpy", y.device(), x.device(), "x");
  require_shape(x.rows() == y.rows() && x.cols() == y.cols(), "axpy", "x ", x.shape(), " vs y ", y.shape());
  Backend& backend = backend_for(y.device());
  if (is_contiguous(x) && is_contiguous(y)) {
    backend.axpy(alpha, x.data(), y.data(), y.size());
    return;
  }
  for (std::int64_t i = 0; i < y.rows(); ++i) backend.axpy(alpha, x.data() + i * x.ld(), y.data() + i * y.ld(), y.cols());
}

void copy(ConstTensorView src, TensorView dst) {
  require_shape(src.rows() == dst.rows() && src.cols() == dst.cols(), "copy", "src ", src.shape(), " vs dst ",
                dst.shape());
  if (src.device() == dst.device() && is_contiguous(src) && is_contiguous(dst)) {
    if (src.size() > 0) backend_for(dst.device()).copy(dst.data(), src.data(), src.size() * sizeof(float));
    return;
  }
  dst.copy_from_host(src.to_host());
}

// ---- dense losses ----

namespace {

// The operands of a loss: same device, same shape; grad optional.
void check_loss(const char* op, ConstTensorView x, ConstTensorView target, TensorView grad, const DeviceAccumulator& loss,
                const char* target_name) {
  require_device(op, x.device(), loss.device(), "loss");
  if (target_name != nullptr) {
    require_device(op, x.device(), target.device(), target_name);
    require_shape(target.rows() == x.rows() && target.cols() == x.cols(), op, target_name, " ", target.shape(),
                  " does not match the input ", x.shape());
  }
  require_device_if_given(op, x.device(), grad, "grad");
  require_shape(grad.size() == 0 || (grad.rows() == x.rows() && grad.cols() == x.cols()), op, "grad ", grad.shape(),
                " does not match the input ", x.shape());
}

MutableMatrix optional(TensorView grad) { return grad.size() > 0 ? kview(grad) : MutableMatrix{}; }

}  // namespace

void mse_loss(ConstTensorView prediction, ConstTensorView target, float scale, TensorView grad, DeviceAccumulator& loss) {
  check_loss("mse_loss", prediction, target, grad, loss, "target");
  backend_for(prediction.device()).mse_loss(kview(prediction), kview(target), scale, optional(grad), loss.data());
}

void bce_with_logits_loss(ConstTensorView logits, ConstTensorView target, float scale, TensorView grad,
                          DeviceAccumulator& loss) {
  check_loss("bce_with_logits_loss", logits, target, grad, loss, "target");
  backend_for(logits.device()).bce_with_logits_loss(kview(logits), kview(target), scale, optional(grad), loss.data());
}

void softmax_cross_entropy_loss(ConstTensorView logits, const DeviceArray<index_t>& labels, float scale,
                                TensorView grad, DeviceAccumulator& loss) {
  check_loss("softmax_cross_entropy_loss", logits, {}, grad, loss, nullptr);
  require_device("softmax_cross_entropy_loss", logits.device(), labels.device(), "labels");
  require_shape(labels.size() == logits.rows(), "softmax_cross_entropy_loss", labels.size(), " labels for logits ",
                logits.shape());
  require_shape(logits.cols() > 0 || logits.rows() == 0, "softmax_cross_entropy_loss", "logits ", logits.shape(),
                " have no classes");
  backend_for(logits.device())
      .softmax_cross_entropy_loss(kview(logits), labels.data(), scale, optional(grad), loss.data());
}

// ---- rows by index ----

void index_select_rows(ConstTensorView table, const DeviceArray<index_t>& indices, TensorView out) {
  require_device("index_select_rows", table.device(), indices.device(), "indices");
  require_device("index_select_rows", table.device(), out.device(), "out");
  require_shape(out.rows() == indices.size() && out.cols() == table.cols(), "index_select_rows", indices.size(),
                " indices into table ", table.shape(), " -> out ", out.shape());
  backend_for(table.device()).index_select_rows(kview(table), indices.data(), kview(out));
}

void index_add_rows(ConstTensorView src, const DeviceArray<index_t>& indices, float alpha, TensorView out) {
  require_device("index_add_rows", out.device(), indices.device(), "indices");
  require_device("index_add_rows", out.device(), src.device(), "src");
  require_shape(src.rows() == indices.size() && src.cols() == out.cols(), "index_add_rows", "src ", src.shape(),
                " with ", indices.size(), " indices -> out ", out.shape());
  backend_for(out.device()).index_add_rows(kview(src), indices.data(), alpha, kview(out));
}

}  // namespace engine::ops
