#include "epoch_profile.h"

#include <chrono>
#include <functional>
#include <numeric>

#include "engine/backend.h"
#include "engine/ops.h"

namespace bench {
namespace {

// The model's tensors for one batch of at most `rows` rows (n = users, k = hidden).
struct BatchState {
  engine::Tensor v, w, z, h, dh, dz, dv, dw;  // V, W, dV, dW (n, k); Z, H, dH, dZ (rows, k)
  engine::Tensor b, c, db, dc;                // hidden bias (1, k), output bias (1, n) and their gradients
  engine::Tensor params, grads, m1, m2;       // flat Adam buffers (1, 2nk + n + k)
  engine::Tensor errors;                      // (1, nnz of the batch)

  BatchState(std::int64_t n, std::int64_t k, std::int64_t rows, engine::Device d)
      : v(engine::Tensor::zeros(n, k, d)), w(engine::Tensor::zeros(n, k, d)), z(rows, k, d), h(rows, k, d),
        dh(rows, k, d), dz(rows, k, d), dv(n, k, d), dw(n, k, d), b(engine::Tensor::zeros(1, k, d)),
        c(engine::Tensor::zeros(1, n, d)), db(1, k, d), dc(1, n, d),
        params(engine::Tensor::zeros(1, 2 * n * k + n + k, d)), grads(engine::Tensor::zeros(1, 2 * n * k + n + k, d)),
        m1(engine::Tensor::zeros(1, 2 * n * k + n + k, d)), m2(engine::Tensor::zeros(1, 2 * n * k + n + k, d)) {}
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

void run_batch(const engine::SparseMatrix& train, std::span<const engine::index_t> rows, BatchState& s,
               engine::DeviceAccumulator& sse, const kernels::AdamParams& adam, engine::Device device, OpTimer& time) {
  using namespace engine::ops;
  engine::SparseMatrix batch;
  time("slice_rows + upload", [&] { batch = train.slice_rows(rows).to(device); });
  const std::int64_t m = batch.rows();
  engine::TensorView z = s.z.view().row_block(0, m), h = s.h.view().row_block(0, m);
  engine::TensorView dh = s.dh.view().row_block(0, m), dz = s.dz.view().row_block(0, m);
  engine::TensorView errors{device, {s.errors.data(), 1, batch.nnz(), batch.nnz()}};
  time("zero_grads", [&] { fill(s.grads, 0.0f); });
  time("spmm X.V", [&] { spmm(batch, s.v, z); });
  time("bias_activation", [&] { bias_activation_forward(z, s.b, engine::Activation::Sigmoid, h); });
  time("sddmm_squared_error", [&] {
    sddmm_squared_error(batch, h, s.w, s.c, engine::Activation::Identity, errors, {}, sse);
  });
  time("spmm_transposed dW=E^T.H", [&] { spmm_transposed(batch, errors, h, s.dw); });
  time("sparse_column_sums dc", [&] { sparse_column_sums(batch, errors, s.dc); });
  time("spmm dH=E.W", [&] { spmm(batch, errors, s.w, dh); });
  time("activation_backward", [&] { activation_backward(z, dh, engine::Activation::Sigmoid, dz); });
  time("spmm_transposed dV=X^T.dZ", [&] { spmm_transposed(batch, dz, s.dv); });
  time("column_sums db", [&] { column_sums(dz, s.db); });
  time("adam_update", [&] {
    engine::backend_for(device).adam_update(s.params.data(), s.grads.data(), s.m1.data(), s.m2.data(),
                                            s.params.cols(), adam);
  });
}

}  // namespace

std::vector<OpTime> profile_epoch(const TrainingSpec& spec, const TrainingData& data) {
  const engine::Device device = engine::parse_device(spec.device);
  engine::Backend& backend = engine::backend_for(device);
  const engine::SparseMatrix& train = data.train;
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
  for (int epoch = 0; epoch < 2; ++epoch) {  // the first epoch warms up; the second is reported
    time.take();
    for (std::size_t begin = 0; begin < order.size(); begin += static_cast<std::size_t>(spec.batch_size)) {
      const std::size_t end = std::min(order.size(), begin + static_cast<std::size_t>(spec.batch_size));
      run_batch(train, std::span(order.data() + begin, end - begin), state, sse, adam, device, time);
    }
  }
  return time.take();
}

}  // namespace bench
