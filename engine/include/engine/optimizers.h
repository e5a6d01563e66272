// Optimizers over a ParameterStore's flat buffers: one fused update per parameter group, with
// per-group settings (e.g. no weight decay on biases). State buffers live on the store's device.
//
// L2 regularisation as a loss term (the AutoRec paper's lambda/2 * ||W||^2) is add_l2_gradient()
// each step and l2_penalty() when the objective is reported; weight_decay inside an optimizer is the
// coupled (SGD, Adam) or decoupled (AdamW) decay.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "engine/accumulator.h"
#include "engine/parameters.h"
#include "kernels/optimizer_params.h"

namespace engine {

// The gradient of (lambda / 2) * ||w||^2 over the parameters of `group`: grad += lambda * value.
void add_l2_gradient(ParameterStore& store, const std::string& group, float lambda);
// The penalty itself, (lambda / 2) * ||w||^2 over `group` (synchronises; for reporting).
double l2_penalty(const ParameterStore& store, const std::string& group, float lambda);

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update from the gradients currently in the store.
  virtual void step(ParameterStore& store) = 0;
  virtual std::string name() const = 0;
  // Optimizer state (moments, step sizes, step counter) for checkpoints; load checks sizes.
  virtual void save_state(std::ostream& out) const = 0;
  virtual void load_state(std::istream& in) = 0;
};

// Per-group settings: `defaults` for every group, `settings(group)` to change one group.
template <class Params>
class GroupSettings {
 public:
  GroupSettings(const ParameterStore& store, const Params& defaults);
  Params& settings(const std::string& group);
  const Params& at(std::size_t group_index) const { return per_group_.at(group_index); }
  std::size_t size() const { return per_group_.size(); }

 private:
  std::vector<std::string> names_;
  std::vector<Params> per_group_;
};

class Sgd final : public Optimizer {
 public:
  Sgd(const ParameterStore& store, const kernels::SgdParams& defaults);
  kernels::SgdParams& settings(const std::string& group) { return groups_.settings(group); }
  void step(ParameterStore& store) override;
  std::string name() const override { return "sgd"; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  GroupSettings<kernels::SgdParams> groups_;
  DeviceArray<float> velocity_;
};

// Adam, or AdamW when decoupled_weight_decay is set.
class Adam final : public Optimizer {
 public:
  Adam(const ParameterStore& store, const kernels::AdamParams& defaults);
  kernels::AdamParams& settings(const std::string& group) { return groups_.settings(group); }
  void step(ParameterStore& store) override;
  std::string name() const override { return "adam"; }
  std::int64_t steps_taken() const { return step_; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  GroupSettings<kernels::AdamParams> groups_;
  DeviceArray<float> m_, v_;
  std::int64_t step_ = 0;
};

// iRprop- for full-batch training (the AutoRec paper's optimizer).
class Rprop final : public Optimizer {
 public:
  Rprop(const ParameterStore& store, const kernels::RpropParams& defaults, float initial_step = 0.01f);
  kernels::RpropParams& settings(const std::string& group) { return groups_.settings(group); }
  void step(ParameterStore& store) override;
  std::string name() const override { return "rprop"; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  GroupSettings<kernels::RpropParams> groups_;
  DeviceArray<float> previous_grads_, step_sizes_;
};

}  // namespace engine
