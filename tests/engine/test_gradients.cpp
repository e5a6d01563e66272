// Finite-difference gradient checks: the engine's layers compute gradients in float; a separate
// double-precision forward pass written here, differentiated by central differences, is the
// reference. Covers every backward (sparse input, dense, sparse output with bias), every
// activation, the L2 term, and one whole optimizer step of a two-layer autoencoder.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <optional>

#include "engine/layers.h"
#include "kernels/activation.h"
#include "engine/optimizers.h"

using engine::Activation;
using engine::Device;
using engine::ParameterStore;
using engine::SparseMatrix;

namespace {

double activate(Activation a, double z) {
  return kernels::activation_reference(static_cast<kernels::Activation>(a), z);  // the same list, one for one
}

// Host copy of all parameters in double, indexed like the store.
struct HostParams {
  std::vector<std::vector<double>> values;
  std::vector<std::int64_t> cols;
  double at(engine::ParameterId id, std::int64_t i, std::int64_t j) const { return values[id][i * cols[id] + j]; }
};

HostParams host_params(const ParameterStore& store) {
  HostParams p;
  for (engine::ParameterId id = 0; id < store.count(); ++id) {
    const auto v = store.value(id).to_host();
    p.values.emplace_back(v.begin(), v.end());
    p.cols.push_back(store.info(id).cols);
  }
  return p;
}

struct Dense {
  std::int64_t rows, cols;
  std::vector<double> v;
  double& operator()(std::int64_t i, std::int64_t j) { return v[i * cols + j]; }
};

// The autoencoder: sparse input layer -> optional dense layer -> sparse output layer.
struct Model {
  ParameterStore store;
  engine::SparseInputLayer input;
  std::optional<engine::DenseLayer> hidden;
  engine::SparseOutputLayer output;
  Activation g1, g2, f;

  Model(std::int64_t n, std::int64_t k1, std::int64_t k2, Activation g1_, Activation g2_, Activation f_)
      : input(store, "enc", n, k1, g1_),
        hidden(k2 > 0 ? std::optional<engine::DenseLayer>(std::in_place, store, "mid", k1, k2, g2_) : std::nullopt),
        output(store, "dec", k2 > 0 ? k2 : k1, n, f_), g1(g1_), g2(g2_), f(f_) {
    store.finalize(Device::cpu(), 11);
  }

  // Engine forward + backward; returns the float loss (1/2 sse) and leaves gradients in the store.
  double engine_loss_and_grads(const SparseMatrix& x) {
    store.zero_grads();
    engine::DeviceAccumulator sse(Device::cpu());
    const engine::ConstTensorView h1 = input.forward(store, x);
    const engine::ConstTensorView h = hidden ? hidden->forward(store, h1) : h1;
    output.forward_loss(store, h, x, sse);
    engine::ConstTensorView dh = output.backward(store, h, x, 1.0f);
    if (hidden) dh = hidden->backward(store, h1, dh);
    input.backward(store, x, dh);
    return 0.5 * sse.read();
  }

  // The same loss in double from host parameters.
  double reference_loss(const HostParams& p, const SparseMatrix& x) const {
    const auto offsets = x.csr_offsets_host();
    const auto indices = x.csr_indices_host();
    const auto values = x.values_host();
    const std::int64_t k1 = store.info(input.weight()).cols;
    Dense h1{x.rows(), k1, std::vector<double>(x.rows() * k1)};
    for (int i = 0; i < x.rows(); ++i) {
      for (std::int64_t c = 0; c < k1; ++c) {
        double z = p.at(input.bias(), 0, c);
        for (auto q = offsets[i]; q < offsets[i + 1]; ++q) z += values[q] * p.at(input.weight(), indices[q], c);
        h1(i, c) = activate(g1, z);
      }
    }
    Dense h = h1;
    if (hidden) {
      const std::int64_t k2 = store.info(hidden->weight()).cols;
      h = Dense{x.rows(), k2, std::vector<double>(x.rows() * k2)};
      for (int i = 0; i < x.rows(); ++i) {
        for (std::int64_t c = 0; c < k2; ++c) {
          double z = p.at(hidden->bias(), 0, c);
          for (std::int64_t e = 0; e < k1; ++e) z += h1(i, e) * p.at(hidden->weight(), e, c);
          h(i, c) = activate(g2, z);
        }
      }
    }
    double loss = 0.0;
    for (int i = 0; i < x.rows(); ++i) {
      for (auto q = offsets[i]; q < offsets[i + 1]; ++q) {
        const int j = indices[q];
        double o = p.at(output.bias(), 0, j);
        for (std::int64_t c = 0; c < h.cols; ++c) o += h(i, c) * p.at(output.weight(), j, c);
        const double diff = activate(f, o) - values[q];
        loss += 0.5 * diff * diff;
      }
    }
    return loss;
  }
};

SparseMatrix ratings(int rows, int cols, std::uint64_t seed) {
  engine::CooTriplets t;
  std::uint64_t s = seed;
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < cols; ++j) {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      if ((s >> 33) % 3 == 0) {
        t.rows.push_back(i);
        t.cols.push_back(j);
        t.values.push_back(static_cast<float>(1 + (s >> 40) % 5));
      }
    }
  }
  return SparseMatrix::from_coo(rows, cols, t);
}

// d loss / d (element e of parameter id) of the double reference, by central differences.
double numeric_gradient(const Model& model, HostParams& p, const SparseMatrix& x, engine::ParameterId id,
                        std::size_t e) {
  const double h = 1e-6;
  const double saved = p.values[id][e];
  p.values[id][e] = saved + h;
  const double up = model.reference_loss(p, x);
  p.values[id][e] = saved - h;
  const double down = model.reference_loss(p, x);
  p.values[id][e] = saved;
  return (up - down) / (2 * h);
}

// The check's tolerance. The reference is differentiated in double (its noise, about 1e-16 |loss| / h,
// is negligible); the engine's gradient is a float sum, whose worst error over these tests is 3.3e-6.
// A relative 1e-4 plus an absolute floor of 5e-6: a zero gradient passes only where |numeric| < 5e-6,
// a sign-flipped one only where |numeric| < 2.5e-6 (test "the gradient check catches ..." below).
constexpr double kGradientFloor = 5e-6;
constexpr double kGradientRelative = 1e-4;

bool gradient_matches(double analytic, double numeric) {
  return std::abs(analytic - numeric) <= kGradientRelative * std::abs(numeric) + kGradientFloor;
}

// Every element of every parameter: the engine's gradient against central differences.
void check_gradients(Model& model, const SparseMatrix& x) {
  model.engine_loss_and_grads(x);
  HostParams p = host_params(model.store);
  for (engine::ParameterId id = 0; id < model.store.count(); ++id) {
    const auto analytic = model.store.grad(id).to_host();
    for (std::size_t e = 0; e < p.values[id].size(); ++e) {
      const double numeric = numeric_gradient(model, p, x, id, e);
      INFO(model.store.info(id).name << " element " << e << ": engine " << analytic[e] << ", numeric " << numeric);
      CHECK(gradient_matches(analytic[e], numeric));
    }
  }
}

}  // namespace

TEST_CASE("one-hidden-layer autoencoder gradients match finite differences", "[gradients]") {
  const SparseMatrix x = ratings(6, 9, 1);
  for (const auto& [name, g] : engine::kActivationNames) {
    INFO("encoder activation " << name);
    Model model(9, 5, 0, g, Activation::Identity, Activation::Identity);
    check_gradients(model, x);
  }
}

TEST_CASE("two-layer autoencoder with output activation matches finite differences", "[gradients]") {
  const SparseMatrix x = ratings(7, 8, 2);
  Model model(8, 6, 4, Activation::Sigmoid, Activation::Tanh, Activation::Sigmoid);
  check_gradients(model, x);
}

TEST_CASE("the engine loss equals the double reference", "[gradients]") {
  const SparseMatrix x = ratings(8, 10, 3);
  Model model(10, 6, 3, Activation::Elu, Activation::Selu, Activation::Identity);
  const double engine_loss = model.engine_loss_and_grads(x);
  CHECK(engine_loss == Approx(model.reference_loss(host_params(model.store), x)).epsilon(1e-5));
}

TEST_CASE("L2 gradient and penalty match (lambda/2)||W||^2 on the weights group only", "[gradients]") {
  const SparseMatrix x = ratings(5, 6, 4);
  Model model(6, 4, 0, Activation::Sigmoid, Activation::Identity, Activation::Identity);
  model.engine_loss_and_grads(x);
  const auto before = model.store.grad(model.input.weight()).to_host();
  const auto bias_before = model.store.grad(model.input.bias()).to_host();
  const float lambda = 0.3f;
  engine::add_l2_gradient(model.store, "weights", lambda);
  const auto w = model.store.value(model.input.weight()).to_host();
  const auto after = model.store.grad(model.input.weight()).to_host();
  double squares = 0.0;
  for (std::size_t e = 0; e < w.size(); ++e) {
    CHECK(after[e] == Approx(before[e] + lambda * w[e]).margin(1e-6));
    squares += static_cast<double>(w[e]) * w[e];
  }
  for (float v : model.store.value(model.output.weight()).to_host()) squares += static_cast<double>(v) * v;
  CHECK(model.store.grad(model.input.bias()).to_host() == bias_before);
  CHECK(engine::l2_penalty(model.store, "weights", lambda) == Approx(0.5 * lambda * squares).epsilon(1e-6));
}

TEST_CASE("one SGD step of a two-layer autoencoder moves along the finite-difference gradient", "[gradients]") {
  const SparseMatrix x = ratings(6, 7, 5);
  Model model(7, 5, 3, Activation::Sigmoid, Activation::Sigmoid, Activation::Identity);
  HostParams p = host_params(model.store);
  model.engine_loss_and_grads(x);
  const float lr = 0.05f;
  engine::Sgd sgd(model.store, engine::SgdParams{lr, 0.0f, 0.0f, false});
  sgd.step(model.store);
  for (engine::ParameterId id = 0; id < model.store.count(); ++id) {
    const auto stepped = model.store.value(id).to_host();
    for (std::size_t e = 0; e < p.values[id].size(); ++e) {
      INFO(model.store.info(id).name << " element " << e);
      CHECK(stepped[e] == Approx(p.values[id][e] - lr * numeric_gradient(model, p, x, id, e)).margin(1e-4));
    }
  }
}

TEST_CASE("the gradient check catches a zero or sign-flipped gradient", "[gradients]") {
  const SparseMatrix x = ratings(6, 9, 6);
  Model model(9, 5, 0, Activation::Sigmoid, Activation::Identity, Activation::Identity);
  model.engine_loss_and_grads(x);
  HostParams p = host_params(model.store);
  std::size_t checked = 0, below_floor = 0;
  for (engine::ParameterId id = 0; id < model.store.count(); ++id) {
    const auto analytic = model.store.grad(id).to_host();
    for (std::size_t e = 0; e < p.values[id].size(); ++e) {
      const double numeric = numeric_gradient(model, p, x, id, e);
      INFO(model.store.info(id).name << " element " << e << ", numeric " << numeric);
      ++checked;
      CHECK(gradient_matches(analytic[e], numeric));
      if (std::abs(numeric) <= kGradientFloor) {
        ++below_floor;
        continue;
      }
      CHECK_FALSE(gradient_matches(0.0, numeric));
      CHECK_FALSE(gradient_matches(-analytic[e], numeric));
      if (std::abs(numeric) > 1e-3) CHECK_FALSE(gradient_matches(analytic[e] * 1.01, numeric));  // 1 % off
    }
  }
  // Elements too small to tell from zero must stay rare, or the check would prove little.
  CHECK(below_floor * 20 <= checked);
}
