// Optimizers built by name (engine::make_optimizer), Adagrad (the optimizer added as a unit: one rule
// header, one line in the rule list, one engine file) against a double reference, the checkpoint
// record's bytes of the existing optimizers (unchanged by the move to units), and unknown groups and
// names as errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "engine/optimizers.h"

using engine::Device;
using engine::Init;
using engine::ParameterStore;

namespace {

// A 3x2 weight ("weights") and a 1x2 bias ("biases") with fixed values.
struct Small {
  ParameterStore store;
  engine::ParameterId w, b;
  Small() {
    w = store.declare("w", 3, 2, engine::kWeightsGroup, Init::Zeros);
    b = store.declare("b", 1, 2, engine::kBiasesGroup, Init::Zeros);
    store.finalize(Device::cpu(), 0);
    store.value(w).copy_from_host(std::vector<float>{0.5f, -1.0f, 0.25f, 2.0f, -0.75f, 1.5f});
    store.value(b).copy_from_host(std::vector<float>{0.1f, -0.2f});
  }
  void set_grads(float scale) {
    store.grad(w).copy_from_host(std::vector<float>{0.3f * scale, -0.6f, 0.9f, -0.1f * scale, 0.4f, 0.7f});
    store.grad(b).copy_from_host(std::vector<float>{-0.5f, 0.2f * scale});
  }
};

// The record layout of the engine's optimizer state (docs/checkpoints: magic, u32 name length, name,
// then the optimizer's fields), written out byte by byte here so a change to it fails this test.
std::string expected_record(const std::string& name, const std::vector<std::vector<float>>& arrays,
                            const std::int64_t* step = nullptr) {
  std::string bytes = "ENGOPTIM";
  const auto length = static_cast<std::uint32_t>(name.size());
  bytes.append(reinterpret_cast<const char*>(&length), sizeof(length));
  bytes += name;
  if (step != nullptr) bytes.append(reinterpret_cast<const char*>(step), sizeof(*step));
  for (const std::vector<float>& array : arrays) {
    const auto count = static_cast<std::uint64_t>(array.size());
    bytes.append(reinterpret_cast<const char*>(&count), sizeof(count));
    bytes.append(reinterpret_cast<const char*>(array.data()), array.size() * sizeof(float));
  }
  return bytes;
}

}  // namespace

TEST_CASE("every built-in optimizer is built by name", "[optimizers][registry]") {
  const std::vector<std::string> names = engine::optimizer_names();
  for (const char* expected : {"sgd", "adam", "rprop", "adagrad", "lion"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
  Small s;
  for (const std::string& name : names) {
    const std::unique_ptr<engine::Optimizer> optimizer = engine::make_optimizer(name, s.store);
    CHECK(optimizer->name() == name);
  }
  CHECK_THROWS_WITH(engine::make_optimizer("adamax", s.store), Catch::Contains("'adamax'") && Catch::Contains("adagrad"));
  CHECK_THROWS_WITH(engine::make_optimizer("adam", s.store, {{"beta3", 0.5f}}),
                    Catch::Contains("'beta3'") && Catch::Contains("beta2"));
}

TEST_CASE("an optimizer built by name steps like the one built from its parameters", "[optimizers][registry]") {
  Small by_name, by_type;
  const auto sgd = engine::make_optimizer("sgd", by_name.store, {{"learning_rate", 0.1f}, {"momentum", 0.9f}, {"nesterov", 1.0f}});
  engine::Sgd typed(by_type.store, engine::SgdParams{0.1f, 0.9f, 0.0f, true});
  for (int step = 0; step < 3; ++step) {
    by_name.set_grads(1.0f + static_cast<float>(step));
    by_type.set_grads(1.0f + static_cast<float>(step));
    sgd->step(by_name.store);
    typed.step(by_type.store);
  }
  CHECK(by_name.store.value(by_name.w).to_host() == by_type.store.value(by_type.w).to_host());
  CHECK(by_name.store.value(by_name.b).to_host() == by_type.store.value(by_type.b).to_host());
}

TEST_CASE("Adagrad from the registry follows the double reference, with an L2 term on one group",
          "[optimizers][registry][adagrad]") {
  Small s;
  const float lr = 0.1f, eps = 1e-10f, decay = 0.01f, l2 = 0.05f;
  const auto adagrad = engine::make_optimizer("adagrad", s.store,
                                              {{"learning_rate", lr}, {"epsilon", eps}, {"weight_decay", decay}});
  adagrad->set_l2(engine::kWeightsGroup, l2);
  std::vector<double> w(6), b(2), sw(6, 0.0), sb(2, 0.0);
  const std::vector<float> w0 = s.store.value(s.w).to_host(), b0 = s.store.value(s.b).to_host();
  std::copy(w0.begin(), w0.end(), w.begin());
  std::copy(b0.begin(), b0.end(), b.begin());
  const auto reference = [&](std::vector<double>& x, std::vector<double>& acc, const std::vector<float>& g, double extra) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double gi = g[i] + (decay + extra) * x[i];
      acc[i] += gi * gi;
      x[i] -= lr * gi / (std::sqrt(acc[i]) + eps);
    }
  };
  for (int step = 0; step < 4; ++step) {
    s.set_grads(1.0f - 0.5f * static_cast<float>(step));
    reference(w, sw, s.store.grad(s.w).to_host(), l2);
    reference(b, sb, s.store.grad(s.b).to_host(), 0.0);
    adagrad->step(s.store);
  }
  const std::vector<float> got_w = s.store.value(s.w).to_host(), got_b = s.store.value(s.b).to_host();
  for (std::size_t i = 0; i < w.size(); ++i) CHECK(got_w[i] == Approx(w[i]).epsilon(1e-5));
  for (std::size_t i = 0; i < b.size(); ++i) CHECK(got_b[i] == Approx(b[i]).epsilon(1e-5));

  // Its state record resumes the run exactly and is refused by another optimizer.
  std::stringstream record;
  adagrad->save_state(record);
  Small t;
  t.store.value(t.w).copy_from_host(got_w);
  t.store.value(t.b).copy_from_host(got_b);
  const auto resumed = engine::make_optimizer("adagrad", t.store, {{"learning_rate", lr}, {"epsilon", eps}, {"weight_decay", decay}});
  resumed->set_l2(engine::kWeightsGroup, l2);
  resumed->load_state(record);
  s.set_grads(2.0f);
  t.set_grads(2.0f);
  adagrad->step(s.store);
  resumed->step(t.store);
  CHECK(s.store.value(s.w).to_host() == t.store.value(t.w).to_host());
  std::stringstream adagrad_record;
  adagrad->save_state(adagrad_record);
  CHECK_THROWS_WITH(engine::make_optimizer("sgd", t.store)->load_state(adagrad_record), Catch::Contains("'adagrad'"));
}

TEST_CASE("the state records of SGD, Adam and RProp keep their byte layout", "[optimizers][registry][checkpoint]") {
  Small s;
  engine::Sgd sgd(s.store, engine::SgdParams{0.5f, 0.5f, 0.0f, false});
  engine::Adam adam(s.store, engine::AdamParams{});
  engine::Rprop rprop(s.store, engine::RpropParams{}, 0.25f);
  // One SGD step (momentum on, zero velocity before): the velocity is the gradient, laid out like the
  // store's flat buffer (each parameter at its offset, rows padded to its ld, padding zero).
  s.set_grads(1.0f);
  const auto& last = s.store.groups().back();
  const auto flat = static_cast<std::size_t>(last.offset + last.size);
  std::vector<float> velocity(flat, 0.0f);
  for (engine::ParameterId id : {s.w, s.b}) {
    const auto& info = s.store.info(id);
    const std::vector<float> g = s.store.grad(id).to_host();
    for (std::int64_t r = 0; r < info.rows; ++r) {
      for (std::int64_t c = 0; c < info.cols; ++c) {
        velocity[static_cast<std::size_t>(info.offset + r * info.ld + c)] = g[static_cast<std::size_t>(r * info.cols + c)];
      }
    }
  }
  sgd.step(s.store);
  std::ostringstream sgd_bytes, adam_bytes, rprop_bytes;
  sgd.save_state(sgd_bytes);
  adam.save_state(adam_bytes);
  rprop.save_state(rprop_bytes);
  CHECK(sgd_bytes.str() == expected_record("sgd", {velocity}));
  const std::int64_t zero_steps = 0;
  CHECK(adam_bytes.str() ==
        expected_record("adam", {std::vector<float>(flat, 0.0f), std::vector<float>(flat, 0.0f)}, &zero_steps));
  CHECK(rprop_bytes.str() == expected_record("rprop", {std::vector<float>(flat, 0.0f), std::vector<float>(flat, 0.25f)}));
}

TEST_CASE("unknown parameter groups are errors everywhere", "[optimizers][groups]") {
  Small s;
  engine::Adam adam(s.store, engine::AdamParams{});
  CHECK_THROWS_WITH(engine::add_l2_gradient(s.store, "bias", 0.1f), Catch::Contains("'bias'"));
  CHECK_THROWS_WITH(engine::l2_penalty(s.store, "weight", 0.1f), Catch::Contains("'weight'"));
  CHECK_THROWS_WITH(adam.set_l2("bias", 0.1f), Catch::Contains("'bias'"));
  CHECK_THROWS_WITH(adam.settings("bias"), Catch::Contains("'bias'"));
  CHECK_THROWS_WITH(adam.l2("bias"), Catch::Contains("'bias'"));
  CHECK_NOTHROW(engine::add_l2_gradient(s.store, engine::kWeightsGroup, 0.1f));
  CHECK(engine::l2_penalty(s.store, engine::kBiasesGroup, 2.0f) == Approx(0.1 * 0.1 + 0.2 * 0.2).epsilon(1e-6));
}

TEST_CASE("research code registers its own optimizer by name", "[optimizers][registry]") {
  // A sign-SGD written from engine calls only: w -= lr * sign(g) (on the host: a tiny store).
  class SignSgd final : public engine::Optimizer {
   public:
    SignSgd(const ParameterStore& store, float lr) : Optimizer(store), lr_(lr) {}
    std::string name() const override { return "sign_sgd_test"; }
    void step(ParameterStore& store) override {
      for (engine::ParameterId id = 0; id < store.count(); ++id) {
        std::vector<float> w = store.value(id).to_host();
        const std::vector<float> g = store.grad(id).to_host();
        for (std::size_t i = 0; i < w.size(); ++i) w[i] -= lr_ * static_cast<float>((g[i] > 0.0f) - (g[i] < 0.0f));
        store.value(id).copy_from_host(w);
      }
    }
    void save_state(std::ostream&) const override {}
    void load_state(std::istream&) override {}

   private:
    float lr_;
  };
  engine::register_optimizer("sign_sgd_test", [](const ParameterStore& store, const engine::OptimizerOptions& o) {
    return std::make_unique<SignSgd>(store, o.count("learning_rate") != 0 ? o.at("learning_rate") : 0.5f);
  });
  CHECK_THROWS_WITH(engine::register_optimizer("sign_sgd_test",
                                               [](const ParameterStore& store, const engine::OptimizerOptions&) {
                                                 return std::make_unique<SignSgd>(store, 1.0f);
                                               }),
                    Catch::Contains("already registered"));
  Small s;
  const auto optimizer = engine::make_optimizer("sign_sgd_test", s.store, {{"learning_rate", 0.25f}});
  s.set_grads(1.0f);
  optimizer->step(s.store);
  const std::vector<float> b = s.store.value(s.b).to_host();
  CHECK(b[0] == Approx(0.35));  // 0.1 - 0.25 * sign(-0.5)
  CHECK(b[1] == Approx(-0.45)); // -0.2 - 0.25 * sign(0.2)
}
