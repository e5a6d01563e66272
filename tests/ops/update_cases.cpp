// The op table's optimizer steps and kernel-level ops: apply_update through every optimizer of the
// registry (the accumulated step, Optimizer::step), the named flat updates and the two ops that no
// engine op reaches (kernel_level.h). References: the optimizers' rules written from their papers'
// formulas in double (not from kernels/optimizer_rules/), the ops' formulas from kernels/cpu.h.
#include <cmath>
#include <string>

#include "case_support.h"
#include "engine/optimizers.h"
#include "engine/parameters.h"
#include "kernel_level.h"
#include "kernels/random.h"

namespace opcases {
namespace {

using engine::Device;

// An optimizer as the registry builds it: its name, hyper-parameters by name and the L2 term of set_l2.
struct Rule {
  std::string label;  // "adamw + l2"
  std::string optimizer;
  engine::OptimizerOptions options;
  double l2 = 0.0;
  double option(const std::string& name, double fallback) const {
    const auto it = options.find(name);
    return it == options.end() ? fallback : static_cast<double>(it->second);
  }
};

double sign(double x) { return static_cast<double>((x > 0.0) - (x < 0.0)); }

// Step t (from 1) of `rule` on every element, in double; s0 and s1 are its state (zeros at first).
// The defaults are the registry's (engine/optimizers.h, kernels/optimizer_rules/*.h).
void reference_step(const Rule& r, int t, std::vector<double>& w, const std::vector<double>& g,
                    std::vector<double>& s0, std::vector<double>& s1) {
  const double wd = r.option("weight_decay", 0.0);
  for (std::size_t e = 0; e < w.size(); ++e) {
    if (r.optimizer == "sgd") {  // v <- mu v + g; w <- w - lr (nesterov ? g + mu v : v); coupled decay
      const double lr = r.option("learning_rate", 0.01), mu = r.option("momentum", 0.0);
      const double grad = g[e] + (wd + r.l2) * w[e];
      s0[e] = mu * s0[e] + grad;
      w[e] -= lr * (r.option("nesterov", 0.0) != 0.0 ? grad + mu * s0[e] : s0[e]);
    } else if (r.optimizer == "adam") {  // Kingma & Ba with bias correction; AdamW: w <- w (1 - lr wd) first
      const double lr = r.option("learning_rate", 1e-3), b1 = r.option("beta1", 0.9), b2 = r.option("beta2", 0.999);
      const double eps = r.option("epsilon", 1e-8);
      const bool decoupled = r.option("decoupled_weight_decay", 0.0) != 0.0;
      const double grad = g[e] + ((decoupled ? 0.0 : wd) + r.l2) * w[e];
      s0[e] = b1 * s0[e] + (1.0 - b1) * grad;
      s1[e] = b2 * s1[e] + (1.0 - b2) * grad * grad;
      const double m_hat = s0[e] / (1.0 - std::pow(b1, t)), v_hat = s1[e] / (1.0 - std::pow(b2, t));
      w[e] = w[e] * (decoupled ? 1.0 - lr * wd : 1.0) - lr * m_hat / (std::sqrt(v_hat) + eps);
    } else if (r.optimizer == "adagrad") {  // Duchi et al.: s <- s + g^2; w <- w - lr g / (sqrt(s) + eps)
      const double lr = r.option("learning_rate", 0.01), eps = r.option("epsilon", 1e-10);
      const double grad = g[e] + (wd + r.l2) * w[e];
      s0[e] += grad * grad;
      w[e] -= lr * grad / (std::sqrt(s0[e]) + eps);
    } else if (r.optimizer == "lion") {  // Chen et al.: w <- w - lr (sign(b1 m + (1 - b1) g) + wd w); m <- b2 m + (1 - b2) g
      const double lr = r.option("learning_rate", 1e-4), b1 = r.option("beta1", 0.9), b2 = r.option("beta2", 0.99);
      const double grad = g[e] + r.l2 * w[e];
      w[e] -= lr * (sign(b1 * s0[e] + (1.0 - b1) * grad) + wd * w[e]);
      s0[e] = b2 * s0[e] + (1.0 - b2) * grad;
    } else {  // rprop: iRprop- (Igel & Huesken); s0 the previous gradient, s1 the step size
      const double up = r.option("eta_plus", 1.2), down = r.option("eta_minus", 0.5);
      const double lo = r.option("step_min", 1e-6), hi = r.option("step_max", 50.0);
      if (t == 1) s1[e] = r.option("initial_step", 0.01);
      const double agreement = g[e] * s0[e];
      if (agreement > 0.0) s1[e] = std::min(s1[e] * up, hi);
      if (agreement < 0.0) {
        s1[e] = std::max(s1[e] * down, lo);
        s0[e] = 0.0;  // no step; the next step takes the "otherwise" branch
      } else {
        w[e] -= sign(g[e]) * s1[e];
        s0[e] = g[e];
      }
    }
  }
}

constexpr int kSteps = 3;

// The weights after kSteps steps of `rule` from in["w"] with gradients in["g1"], in["g2"], ...
std::vector<double> reference_steps(const Rule& rule, const Inputs& in) {
  std::vector<double> w = in["w"].values, s0(w.size(), 0.0), s1(w.size(), 0.0);
  for (int t = 1; t <= kSteps; ++t) reference_step(rule, t, w, in["g" + std::to_string(t)].values, s0, s1);
  return w;
}

Inputs update_inputs(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  Inputs in;
  in.dense["w"] = random_dense(rows, cols, seed);
  for (int t = 1; t <= kSteps; ++t) in.dense["g" + std::to_string(t)] = random_dense(rows, cols, seed + t);
  return in;
}

// Normalised steps (Adam, Adagrad, Lion: about lr whatever |g|) turn fp32's rounding of g + decay * w,
// where the two nearly cancel, into a part of a step: atol is a small part of one step.
void set_update_tolerance(OpCase& c, const Rule& r) {
  c.rtol = 1e-5;
  c.atol = r.optimizer == "sgd" || r.optimizer == "rprop" ? 1e-6 : 0.01 * r.option("learning_rate", 1e-3);
}

// Optimizer::step on a (500 x 300) weight from accumulated gradients: the flat update apply_update.
OpCase apply_update_case(const Rule& rule) {
  OpCase c;
  c.name = "apply_update (" + rule.label + ", " + std::to_string(kSteps) + " steps)";
  c.kernels = {"apply_update"};
  c.shape = "W (500 x 300), registry '" + rule.optimizer + "'";
  c.make = [] { return update_inputs(500, 300, 200); };
  c.reference = [rule](const Inputs& in) { return Outputs{{"w", reference_steps(rule, in)}}; };
  c.run = [rule](const Inputs& in, Device device) {
    engine::ParameterStore store;
    const engine::ParameterId w = store.declare("w", 500, 300, engine::kWeightsGroup, engine::Init::Zeros);
    store.finalize(device, 0);
    store.value(w).copy_from_host(to_float(in["w"].values));
    const std::unique_ptr<engine::Optimizer> optimizer = engine::make_optimizer(rule.optimizer, store, rule.options);
    if (rule.l2 != 0.0) optimizer->set_l2(engine::kWeightsGroup, static_cast<float>(rule.l2));
    for (int t = 1; t <= kSteps; ++t) {
      store.grad(w).copy_from_host(to_float(in["g" + std::to_string(t)].values));
      optimizer->step(store);
    }
    return Outputs{{"w", download(store.value(w))}};
  };
  set_update_tolerance(c, rule);
  return c;
}

// The kernel-level named updates (kernels::cpu::sgd_update / adam_update / rprop_update and their CUDA
// twins) on a flat 100,003-element buffer (not a multiple of any chunk or block).
OpCase named_update_case(const std::string& kernel, const Rule& rule) {
  OpCase c;
  c.name = kernel + " (" + rule.label + ", " + std::to_string(kSteps) + " steps)";
  c.kernels = {kernel};
  c.shape = "100003 weights";
  c.make = [] { return update_inputs(1, 100003, 210); };
  c.reference = [rule](const Inputs& in) { return Outputs{{"w", reference_steps(rule, in)}}; };
  c.run = [kernel, rule](const Inputs& in, Device device) {
    const auto twin = device.is_cpu() ? kernel_level::Twin::Cpu : kernel_level::Twin::Cuda;
    std::vector<float> w = to_float(in["w"].values), s0(w.size(), 0.0f), s1(w.size(), 0.0f);
    const auto f = [&](const char* name, double fallback) { return static_cast<float>(rule.option(name, fallback)); };
    for (int t = 1; t <= kSteps; ++t) {
      const std::vector<float> g = to_float(in["g" + std::to_string(t)].values);
      if (kernel == "sgd_update") {
        const kernels::SgdParams p{f("learning_rate", 0.01), f("momentum", 0.0), f("weight_decay", 0.0),
                                   rule.option("nesterov", 0.0) != 0.0};
        kernel_level::sgd_update(twin, w, g, s0, p);
      } else if (kernel == "adam_update") {
        const kernels::AdamParams p{f("learning_rate", 1e-3), f("beta1", 0.9),       f("beta2", 0.999),
                                    f("epsilon", 1e-8),       f("weight_decay", 0.0), rule.option("decoupled_weight_decay", 0.0) != 0.0,
                                    t};
        kernel_level::adam_update(twin, w, g, s0, s1, p);
      } else {
        if (t == 1) s1.assign(w.size(), f("initial_step", 0.01));
        const kernels::RpropParams p{f("eta_plus", 1.2), f("eta_minus", 0.5), f("step_min", 1e-6), f("step_max", 50.0)};
        kernel_level::rprop_update(twin, w, g, s0, s1, p);
      }
    }
    return Outputs{{"w", to_double(w)}};
  };
  set_update_tolerance(c, rule);
  return c;
}

// sum (x - y)^2 and grad = x - y over a flat array: grad is d (sum / 2) / d x.
OpCase squared_error_case() {
  OpCase c;
  c.name = "squared_error";
  c.kernels = {"squared_error"};
  c.shape = "76800 values";
  c.make = [] {
    Inputs in;
    in.dense["x"] = random_dense(1, 76800, 220);
    in.dense["y"] = random_dense(1, 76800, 221);
    return in;
  };
  c.reference = [](const Inputs& in) {
    double sum = 0.0;
    std::vector<double> grad;
    for (std::size_t e = 0; e < in["x"].values.size(); ++e) {
      const double d = in["x"].values[e] - in["y"].values[e];
      sum += d * d;
      grad.push_back(d);
    }
    return Outputs{{"sum", {sum}}, {"grad", grad}};
  };
  c.run = [](const Inputs& in, Device device) {
    std::vector<float> grad;
    const double sum = kernel_level::squared_error(device.is_cpu() ? kernel_level::Twin::Cpu : kernel_level::Twin::Cuda,
                                                   to_float(in["x"].values), to_float(in["y"].values), grad);
    return Outputs{{"sum", {sum}}, {"grad", to_double(grad)}};
  };
  c.rtol = 1e-6;
  c.atol = 1e-7;
  c.wrt = "x";
  c.objective = [ref = c.reference](const Inputs& in) { return 0.5 * ref(in).at("sum")[0]; };
  c.gradient = [run = c.run](const Inputs& in, Device device) { return run(in, device).at("grad"); };
  return c;
}

// Inverted dropout on a flat array: value e kept when uniform01(seed, e) >= p, scaled by 1 / (1 - p).
// Its backward is the same call on the upstream gradient (the mask replays from the seed).
OpCase dropout_values_case() {
  OpCase c;
  c.name = "dropout_values";
  c.kernels = {"dropout_values"};
  c.shape = "76801 values, p = 0.3";
  constexpr float p = 0.3f;
  constexpr std::uint64_t seed = 77;
  c.make = [] {
    Inputs in;
    in.dense["x"] = random_dense(1, 76801, 230);
    in.dense["upstream"] = random_dense(1, 76801, 231);
    return in;
  };
  c.reference = [](const Inputs& in) {
    std::vector<double> out;
    for (std::size_t e = 0; e < in["x"].values.size(); ++e) {
      out.push_back(kernels::uniform01(seed, e) >= p ? in["x"].values[e] / (1.0 - p) : 0.0);
    }
    return Outputs{{"out", out}};
  };
  const auto run_on = [](const Dense& x, Device device) {
    return to_double(kernel_level::dropout_values(device.is_cpu() ? kernel_level::Twin::Cpu : kernel_level::Twin::Cuda,
                                                  to_float(x.values), p, seed));
  };
  c.run = [run_on](const Inputs& in, Device device) { return Outputs{{"out", run_on(in["x"], device)}}; };
  c.rtol = 1e-6;
  c.atol = 0.0;
  c.wrt = "x";
  c.objective = [ref = c.reference](const Inputs& in) { return linear_objective(ref(in), in); };
  c.gradient = [run_on](const Inputs& in, Device device) { return run_on(in["upstream"], device); };
  return c;
}

// Every optimizer of the registry, with its variants (test_ops checks that each registered name has one).
std::vector<Rule> registry_rules() {
  return {{"sgd", "sgd", {{"learning_rate", 0.1f}}, 0.0},
          {"sgd momentum + weight decay", "sgd", {{"learning_rate", 0.05f}, {"momentum", 0.9f}, {"weight_decay", 0.01f}}, 0.0},
          {"sgd nesterov + l2", "sgd", {{"learning_rate", 0.05f}, {"momentum", 0.9f}, {"nesterov", 1.0f}}, 0.01},
          {"adam + weight decay", "adam", {{"learning_rate", 0.01f}, {"weight_decay", 0.01f}}, 0.0},
          {"adamw + l2", "adam", {{"learning_rate", 0.01f}, {"weight_decay", 0.1f}, {"decoupled_weight_decay", 1.0f}}, 0.01},
          {"rprop", "rprop", {}, 0.0},
          {"adagrad + weight decay", "adagrad", {{"learning_rate", 0.1f}, {"weight_decay", 0.01f}}, 0.0},
          {"lion + weight decay + l2", "lion", {{"learning_rate", 0.001f}, {"weight_decay", 0.1f}}, 0.01}};
}

}  // namespace

std::vector<OpCase> update_cases() {
  std::vector<OpCase> cases;
  for (const Rule& rule : registry_rules()) cases.push_back(apply_update_case(rule));
  cases.push_back(named_update_case("sgd_update", {"sgd nesterov + weight decay", "sgd",
                                                   {{"learning_rate", 0.05f}, {"momentum", 0.9f}, {"nesterov", 1.0f}, {"weight_decay", 0.01f}}}));
  cases.push_back(named_update_case("adam_update", {"adamw", "adam", {{"learning_rate", 0.01f}, {"weight_decay", 0.1f}, {"decoupled_weight_decay", 1.0f}}}));
  cases.push_back(named_update_case("rprop_update", {"rprop", "rprop", {}}));
  cases.push_back(squared_error_case());
  cases.push_back(dropout_values_case());
  return cases;
}

}  // namespace opcases
