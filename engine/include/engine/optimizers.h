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
#include "kernels/weight_update.h"

namespace engine {

// The gradient of (lambda / 2) * ||w||^2 over the parameters of `group`: grad += lambda * value.
void add_l2_gradient(ParameterStore& store, const std::string& group, float lambda);
// The penalty itself, (lambda / 2) * ||w||^2 over `group` (synchronises; for reporting).
double l2_penalty(const ParameterStore& store, const std::string& group, float lambda);

// An optimizer is used in one of two ways:
// - accumulated: the gradients of a whole step are in the store's gradient buffer, step() updates
//   every parameter (full-batch training, RProp, research code);
// - fused (mini-batches): begin_step() once per step, then each parameter is updated once, by the
//   kernel that finishes its gradient (update_for(), e.g. ops::spmm_transposed_update) or from its
//   gradient buffer (step_parameter()). Optimizers whose rule needs the whole gradient first (RProp's
//   sign agreement over a full batch) say no in supports_fused_updates().
class Optimizer {
 public:
  explicit Optimizer(const ParameterStore& store);
  virtual ~Optimizer() = default;

  virtual std::string name() const = 0;
  // One update of every parameter from the gradients currently in the store.
  virtual void step(ParameterStore& store) = 0;

  virtual bool supports_fused_updates() const { return false; }
  virtual void begin_step() {}
  // This step's rule for parameter `id`, with pointers to its state (throws unless fused updates are supported).
  virtual kernels::WeightUpdate update_for(ParameterStore& store, ParameterId id);
  // This step's update of parameter `id` from its gradient buffer.
  void step_parameter(ParameterStore& store, ParameterId id);

  // Adds the gradient of (coefficient / 2) * ||w||^2 over `group` inside every following update (no
  // extra pass): the L2 term of a loss, e.g. AutoRec's lambda. Independent of the rule's own weight
  // decay (AdamW keeps its decoupled decay). Throws engine::Error for an unknown group.
  void set_l2(const std::string& group, float coefficient);
  float l2(const std::string& group) const { return l2_.at(group_index(group)); }
  // Lazy fused updates: rows of a sparse layer that a batch does not touch keep their weights and
  // state (LazyAdam / SparseAdam semantics) instead of taking their L2 term's step.
  void set_lazy(bool lazy) { lazy_ = lazy; }
  bool lazy() const { return lazy_; }

  // Optimizer state (moments, step sizes, step counter) for checkpoints; load checks sizes.
  virtual void save_state(std::ostream& out) const = 0;
  virtual void load_state(std::istream& in) = 0;

 protected:
  std::size_t group_index(const std::string& group) const;  // throws for an unknown group
  std::size_t group_of(const ParameterStore& store, ParameterId id) const;
  float l2_at(std::size_t group_index) const { return l2_[group_index]; }

 private:
  std::vector<std::string> group_names_;
  std::vector<float> l2_;
  bool lazy_ = false;
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
  bool supports_fused_updates() const override { return true; }
  kernels::WeightUpdate update_for(ParameterStore& store, ParameterId id) override;
  std::string name() const override { return "sgd"; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  kernels::WeightUpdate group_update(std::size_t group, std::int64_t offset);

  GroupSettings<kernels::SgdParams> groups_;
  DeviceArray<float> velocity_;
};

// Adam, or AdamW when decoupled_weight_decay is set.
class Adam final : public Optimizer {
 public:
  Adam(const ParameterStore& store, const kernels::AdamParams& defaults);
  kernels::AdamParams& settings(const std::string& group) { return groups_.settings(group); }
  void step(ParameterStore& store) override;
  bool supports_fused_updates() const override { return true; }
  void begin_step() override { ++step_; }
  kernels::WeightUpdate update_for(ParameterStore& store, ParameterId id) override;
  std::string name() const override { return "adam"; }
  std::int64_t steps_taken() const { return step_; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  kernels::WeightUpdate group_update(std::size_t group, std::int64_t offset);

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
