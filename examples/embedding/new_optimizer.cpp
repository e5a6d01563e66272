// A new optimizer written outside the engine, against the installed package: SGD with momentum and
// clipping of the global gradient norm (a common guard for unstable research models). Its step is
// built from engine ops only, so it runs on every device the engine has; its state (one velocity per
// parameter group) goes into checkpoints through save_state / load_state; registered by name, it is
// built like a built-in one with engine::make_optimizer. It trains the sparse autoencoder of
// sparse_autoencoder.cpp beside the built-in "sgd" with the same learning rate and momentum.
// Exits non-zero unless both losses go down and the state survives a save / load round trip.
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "engine/layers.h"
#include "engine/ops.h"
#include "engine/optimizers.h"

namespace {

class ClippedMomentum final : public engine::Optimizer {
 public:
  ClippedMomentum(const engine::ParameterStore& store, float rate, float momentum, float max_norm)
      : Optimizer(store), rate_(rate), momentum_(momentum), max_norm_(max_norm) {
    for (const engine::GroupRange& g : store.groups()) {
      velocity_.emplace_back(1, g.size, store.device());
      engine::ops::fill(velocity_.back(), 0.0f);
    }
  }

  std::string name() const override { return "clipped_momentum"; }

  // g += l2 * w (the L2 term of set_l2), then v = momentum * v + c * g and w -= rate * v, where c
  // scales the whole gradient to a norm of at most max_norm (one reduction over every group, read once).
  void step(engine::ParameterStore& store) override {
    engine::DeviceAccumulator squares(store.device());
    for (std::size_t i = 0; i < store.groups().size(); ++i) {
      const engine::GroupRange& g = store.groups()[i];
      engine::TensorView grad = store.group_grads(g);
      if (l2_at(i) != 0.0f) engine::ops::axpy(l2_at(i), std::as_const(store).group_values(g), grad);
      engine::ops::sum_of_squares(grad, squares);
    }
    const double norm = std::sqrt(squares.read());
    const float clip = norm > max_norm_ ? static_cast<float>(max_norm_ / norm) : 1.0f;
    for (std::size_t i = 0; i < store.groups().size(); ++i) {
      const engine::GroupRange& g = store.groups()[i];
      engine::ops::scale(velocity_[i], momentum_);
      engine::ops::axpy(clip, store.group_grads(g), velocity_[i]);
      engine::ops::axpy(-rate_, velocity_[i], store.group_values(g));
    }
  }

  bool has_learning_rate() const override { return true; }  // learning-rate schedules can drive it
  void set_learning_rate(float rate) override { rate_ = rate; }

  void save_state(std::ostream& out) const override {
    for (const engine::Tensor& v : velocity_) {
      const std::vector<float> host = v.to_host();
      out.write(reinterpret_cast<const char*>(host.data()), static_cast<std::streamsize>(host.size() * sizeof(float)));
    }
  }
  void load_state(std::istream& in) override {
    for (engine::Tensor& v : velocity_) {
      std::vector<float> host(static_cast<std::size_t>(v.cview().cols()));
      if (!in.read(reinterpret_cast<char*>(host.data()), static_cast<std::streamsize>(host.size() * sizeof(float)))) {
        throw std::runtime_error("clipped_momentum: the saved state is shorter than this model's velocity");
      }
      v.view().copy_from_host(host);
    }
  }

 private:
  float rate_, momentum_, max_norm_;
  std::vector<engine::Tensor> velocity_;  // one (1, group size) buffer per parameter group
};

// Hyper-parameters by name, as the registry passes them; an unknown name is an error.
float option(engine::OptimizerOptions& options, const char* name, float fallback) {
  const auto found = options.find(name);
  if (found == options.end()) return fallback;
  const float value = found->second;
  options.erase(found);
  return value;
}

std::unique_ptr<engine::Optimizer> make_clipped_momentum(const engine::ParameterStore& store,
                                                         engine::OptimizerOptions options) {
  const float rate = option(options, "learning_rate", 0.01f);
  const float momentum = option(options, "momentum", 0.9f);
  const float max_norm = option(options, "max_norm", 1.0f);
  if (!options.empty()) {
    throw std::invalid_argument("clipped_momentum has no option " + options.begin()->first +
                                " (it has learning_rate, momentum, max_norm)");
  }
  return std::make_unique<ClippedMomentum>(store, rate, momentum, max_norm);
}

// The sparse autoencoder of sparse_autoencoder.cpp trained for 60 steps with `optimizer`; returns
// the first and the last loss.
std::pair<double, double> train(const std::string& optimizer, const engine::OptimizerOptions& options) {
  const engine::Device device = engine::Device::cpu();  // or engine::Device::cuda()
  engine::CooTriplets ratings;
  std::mt19937 rng(7);
  for (int row = 0; row < 200; ++row) {
    for (int col = 0; col < 300; ++col) {
      if (rng() % 20 != 0) continue;
      ratings.rows.push_back(row);
      ratings.cols.push_back(col);
      ratings.values.push_back(static_cast<float>(1 + (row + col) % 5));
    }
  }
  const auto x = engine::SparseMatrix::from_coo(200, 300, ratings, engine::DuplicatePolicy::Error, device);
  engine::ParameterStore params;
  engine::SparseInputLayer encoder(params, "encoder", 300, 64, engine::Activation::Sigmoid);
  engine::SparseOutputLayer decoder(params, "decoder", 64, 300, engine::Activation::Identity);
  params.finalize(device, /*seed=*/1);
  const std::unique_ptr<engine::Optimizer> opt = engine::make_optimizer(optimizer, params, options);
  opt->set_l2(engine::kWeightsGroup, 0.01f);

  double first = 0.0, last = 0.0;
  for (int step = 1; step <= 60; ++step) {
    params.zero_grads();
    engine::DeviceAccumulator sse(device);
    const engine::ConstTensorView h = encoder.forward(params, x);
    decoder.forward_loss(params, h, x, sse);
    encoder.backward(params, x, decoder.backward(params, h, x, 1.0f / static_cast<float>(x.nnz())));
    opt->step(params);
    last = 0.5 * sse.read() / static_cast<double>(x.nnz());
    if (step == 1) first = last;
    if (step % 20 == 0) std::printf("  %-16s step %2d  loss %.4f\n", optimizer.c_str(), step, last);
  }

  // The state round trip a checkpoint makes.
  std::stringstream state;
  opt->save_state(state);
  const std::unique_ptr<engine::Optimizer> resumed = engine::make_optimizer(optimizer, params, options);
  resumed->load_state(state);
  std::stringstream again;
  resumed->save_state(again);
  std::stringstream original;
  opt->save_state(original);
  if (again.str() != original.str()) throw std::runtime_error(optimizer + ": state differs after load_state");
  return {first, last};
}

}  // namespace

int main() {
  engine::register_optimizer("clipped_momentum", [](const engine::ParameterStore& store,
                                                    const engine::OptimizerOptions& options) {
    return make_clipped_momentum(store, options);
  });
  const engine::OptimizerOptions settings = {{"learning_rate", 0.5f}, {"momentum", 0.9f}};
  engine::OptimizerOptions clipped = settings;
  clipped["max_norm"] = 0.5f;
  const auto [sgd_first, sgd_last] = train("sgd", settings);
  const auto [clipped_first, clipped_last] = train("clipped_momentum", clipped);
  const bool learned = sgd_last < sgd_first && clipped_last < clipped_first;
  std::printf("%s: sgd %.4f -> %.4f, clipped_momentum %.4f -> %.4f\n", learned ? "ok" : "FAILED", sgd_first, sgd_last,
              clipped_first, clipped_last);
  return learned ? 0 : 1;
}
