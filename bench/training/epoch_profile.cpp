#include "epoch_profile.h"

#include <chrono>
#include <functional>
#include <numeric>

#include "engine/internal/backend.h"  // engine_internal: this profile times backend calls
#include "engine/internal/kernel_views.h"
#include "engine/ops.h"
#include "engine/row_batches.h"

namespace bench {
namespace {

// A parameter with its Adam moments (laid out like it) and, for the dense ones, a gradient buffer.
struct AdamParameter {
  engine::Tensor value, m, v, grad;
  AdamParameter(std::int64_t rows, std::int64_t cols, engine::Device d)
      : value(engine::Tensor::zeros(rows, cols, d)), m(engine::Tensor::zeros(rows, cols, d)),
        v(engine::Tensor::zeros(rows, cols, d)), grad(engine::Tensor::zeros(rows, cols, d)) {}
  kernels::WeightUpdate update(const kernels::AdamParams& adam) {
    return kernels::WeightUpdate::adam_step(adam, m.data(), v.data());
  }
  // The optimizer step of a dense parameter from its gradient buffer.
  void step(const kernels::AdamParams& adam, engine::Device device) {
    engine::backend_for(device).apply_update(value.data(), grad.data(), value.rows() * value.ld(), update(adam));
  }
};

// The model's tensors for one batch of at most `rows` rows (n = users, k = hidden).
struct BatchState {
  AdamParameter v, w, b, c;        // V, W (n, k); hidden bias b (1, k); output bias c (1, n)
  engine::Tensor z, h, dh, dz;     // (rows, k)
  engine::Tensor errors;           // (1, nnz of the batch)

  BatchState(std::int64_t n, std::int64_t k, std::int64_t rows, engine::Device d)
      : v(n, k, d), w(n, k, d), b(1, k, d), c(1, n, d), z(rows, k, d), h(rows, k, d), dh(rows, k, d),
        dz(rows, k, d) {}
};

class OpTimer {
 public:
  explicit OpTimer(engine::Backend& backend) : backend_(backend) {}
  void operator()(const std::string& name, const std::function<void()>& op) {
    const auto start = std::chrono::steady_clock::now();
    op();
    backend_.synchronize();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (OpTime& t : times_) {
      if (t.name == name) {
        t.seconds += seconds;
        return;
      }
    }
    times_.push_back({name, seconds});
  }
  std::vector<OpTime> take() { return std::exchange(times_, {}); }

 private:
  engine::Backend& backend_;
  std::vector<OpTime> times_;
};

void run_batch(engine::RowBatches& batches, std::int64_t first, engine::index_t count, BatchState& s,
               engine::DeviceAccumulator& sse, const kernels::AdamParams& adam, engine::Device device, OpTimer& time) {
  using namespace engine::ops;
  engine::Backend& backend = engine::backend_for(device);
  const engine::SparseMatrix* batch_pointer = nullptr;
  time("form batch on the device (gather rows + CSC)", [&] { batch_pointer = &batches.batch(first, count); });
  const engine::SparseMatrix& batch = *batch_pointer;
  const std::int64_t m = batch.rows();
  engine::TensorView z = s.z.view().row_block(0, m), h = s.h.view().row_block(0, m);
  engine::TensorView dh = s.dh.view().row_block(0, m), dz = s.dz.view().row_block(0, m);
  engine::TensorView errors{device, {s.errors.data(), 1, batch.nnz(), batch.nnz()}};
  time("spmm X.V", [&] { spmm(batch, s.v.value, z); });
  time("bias_activation", [&] { bias_activation_forward(z, s.b.value, engine::Activation::Sigmoid, h); });
  time("sddmm_squared_error_backprop (loss + dH=E.W)", [&] {
    sddmm_squared_error_backprop(batch, h, s.w.value, s.c.value, engine::Activation::Identity, 1.0f, errors, dh, sse);
  });
  time("spmm_transposed_update W (dW=E^T.H + Adam)", [&] {
    // The backend's call (what ops::spmm_transposed_update runs after its checks) takes the kernels'
    // WeightUpdate: this profile drives its own Adam state rather than an engine::Optimizer.
    backend.spmm_transposed_update(engine::kcsc(batch), errors.data(), engine::kview(h), 1.0f,
                                   engine::kview(s.w.value.view()), s.w.update(adam));
  });
  time("sparse_column_sums dc + Adam", [&] {
    sparse_column_sums(batch, errors, s.c.grad);
    s.c.step(adam, device);
  });
  time("activation_backward", [&] { activation_backward(z, dh, engine::Activation::Sigmoid, dz); });
  time("spmm_transposed_update V (dV=X^T.dZ + Adam)", [&] {
    backend.spmm_transposed_update(engine::kcsc(batch), batch.values_view().data(), engine::kview(dz), 1.0f,
                                   engine::kview(s.v.value.view()), s.v.update(adam));
  });
  time("column_sums db + Adam", [&] {
    column_sums(dz, s.b.grad);
    s.b.step(adam, device);
  });
}

}  // namespace

std::vector<OpTime> profile_epoch(const TrainingSpec& spec, const TrainingData& data) {
  const engine::Device device = engine::parse_device(spec.device);
  engine::Backend& backend = engine::backend_for(device);
  const engine::SparseMatrix resident = data.train.to(device);  // uploaded once, as the trainer does
  const engine::SparseMatrix& train = resident;
  engine::RowBatches batches(train);
  std::vector<engine::index_t> order(static_cast<std::size_t>(train.rows()));
  std::iota(order.begin(), order.end(), 0);
  BatchState state(train.cols(), spec.hidden, spec.batch_size, device);
  std::int64_t max_batch_nnz = 0;
  const auto offsets = train.csr_offsets_host();
  for (std::size_t begin = 0; begin < order.size(); begin += static_cast<std::size_t>(spec.batch_size)) {
    const std::size_t end = std::min(order.size(), begin + static_cast<std::size_t>(spec.batch_size));
    max_batch_nnz = std::max<std::int64_t>(max_batch_nnz, offsets[end] - offsets[begin]);
  }
  state.errors = engine::Tensor(1, max_batch_nnz, device);
  engine::DeviceAccumulator sse(device);
  OpTimer time(backend);
  kernels::AdamParams adam{spec.learning_rate};
  adam.weight_decay = spec.lambda * static_cast<float>(spec.batch_size) / static_cast<float>(train.rows());
  adam.step = 1;
  batches.set_order(order);
  for (int epoch = 0; epoch < 2; ++epoch) {  // the first epoch warms up; the second is reported
    time.take();
    for (std::size_t begin = 0; begin < order.size(); begin += static_cast<std::size_t>(spec.batch_size)) {
      const std::size_t end = std::min(order.size(), begin + static_cast<std::size_t>(spec.batch_size));
      run_batch(batches, static_cast<std::int64_t>(begin), static_cast<engine::index_t>(end - begin), state, sse, adam,
                device, time);
    }
  }
  return time.take();
}

}  // namespace bench
