// One optimizer step on double state, straight from the formulas in kernels/optimizer_rules/*.h.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "testsupport/reference.h"

namespace testsupport {
namespace {

double sign(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

}  // namespace

// g += wd * w;  v = momentum * v + g;  w -= lr * (nesterov ? g + momentum * v : v)
void sgd_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::SgdParams& p) {
  s.first.resize(s.params.size(), 0.0);
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const double g = grads[i] + static_cast<double>(p.weight_decay) * s.params[i];
    s.first[i] = p.momentum * s.first[i] + g;
    s.params[i] -= p.learning_rate * (p.nesterov ? g + p.momentum * s.first[i] : s.first[i]);
  }
}

// AdamW: w -= lr * wd * w first; Adam: g += wd * w. Then m, v, bias corrections, w -= lr * mh / (sqrt(vh) + eps).
void adam_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::AdamParams& p) {
  s.first.resize(s.params.size(), 0.0);
  s.second.resize(s.params.size(), 0.0);
  const double t = static_cast<double>(p.step);
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    double g = grads[i];
    if (p.decoupled_weight_decay) {
      s.params[i] -= static_cast<double>(p.learning_rate) * p.weight_decay * s.params[i];
    } else {
      g += static_cast<double>(p.weight_decay) * s.params[i];
    }
    s.first[i] = p.beta1 * s.first[i] + (1.0 - p.beta1) * g;
    s.second[i] = p.beta2 * s.second[i] + (1.0 - p.beta2) * g * g;
    const double m_hat = s.first[i] / (1.0 - std::pow(static_cast<double>(p.beta1), t));
    const double v_hat = s.second[i] / (1.0 - std::pow(static_cast<double>(p.beta2), t));
    s.params[i] -= p.learning_rate * m_hat / (std::sqrt(v_hat) + p.epsilon);
  }
}

// iRprop-: agree -> grow step, move, remember g; flip -> shrink step, stay, forget g; else move, remember g.
void rprop_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::RpropParams& p) {
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const double g = grads[i];
    const double agreement = g * s.first[i];
    if (agreement > 0.0) {
      s.second[i] = std::min(s.second[i] * p.eta_plus, static_cast<double>(p.step_max));
    } else if (agreement < 0.0) {
      s.second[i] = std::max(s.second[i] * p.eta_minus, static_cast<double>(p.step_min));
      s.first[i] = 0.0;
      continue;
    }
    s.params[i] -= sign(g) * s.second[i];
    s.first[i] = g;
  }
}

// Duchi et al.: g += wd * w;  s += g^2;  w -= lr * g / (sqrt(s) + eps)
void adagrad_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::AdagradParams& p) {
  s.first.resize(s.params.size(), 0.0);
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const double g = grads[i] + static_cast<double>(p.weight_decay) * s.params[i];
    s.first[i] += g * g;
    s.params[i] -= p.learning_rate * g / (std::sqrt(s.first[i]) + p.epsilon);
  }
}

// Chen et al.: g += coupled * w;  w -= lr * (sign(b1 m + (1 - b1) g) + wd * w);  m = b2 m + (1 - b2) g
void lion_reference_step(OptimizerState& s, const std::vector<float>& grads, const kernels::LionParams& p) {
  s.first.resize(s.params.size(), 0.0);
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const double g = grads[i] + static_cast<double>(p.coupled_decay) * s.params[i];
    const double blend = static_cast<double>(p.beta1) * s.first[i] + (1.0 - p.beta1) * g;
    s.params[i] -= p.learning_rate * (sign(blend) + static_cast<double>(p.weight_decay) * s.params[i]);
    s.first[i] = static_cast<double>(p.beta2) * s.first[i] + (1.0 - p.beta2) * g;
  }
}

}  // namespace testsupport
