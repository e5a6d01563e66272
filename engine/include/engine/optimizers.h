// Optimizers over a ParameterStore's flat buffers: one fused update per parameter group, with
// per-group settings (e.g. no weight decay on biases). State buffers live on the store's device.
//
// L2 regularisation as a loss term (the AutoRec paper's lambda/2 * ||W||^2) is add_l2_gradient()
// each step and l2_penalty() when the objective is reported; weight_decay inside an optimizer is the
// coupled (SGD, Adam) or decoupled (AdamW) decay.
//
// Each optimizer is one unit: its element rule in kernels/optimizer_rules/<name>.h, its class, state and
// checkpoint record in engine/src/optimizers/<name>.cpp. SGD, Adam and RProp are declared here for
// typed per-group settings; every optimizer (Adagrad and Lion too) is built by name with make_optimizer.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/accumulator.h"
#include "engine/fused_update.h"
#include "engine/parameters.h"

namespace engine {

// The gradient of (lambda / 2) * ||w||^2 over the parameters of `group`: grad += lambda * value.
void add_l2_gradient(ParameterStore& store, const std::string& group, float lambda);
// The penalty itself, (lambda / 2) * ||w||^2 over `group` (synchronises; for reporting).
double l2_penalty(const ParameterStore& store, const std::string& group, float lambda);

// ---- hyper-parameters of the built-in optimizers (the formulas: kernels/optimizer_rules/) ----
// SGD: v <- momentum * v + g; w <- w - lr * (nesterov ? g + momentum * v : v); coupled weight decay.
struct SgdParams {
  float learning_rate = 0.01f;
  float momentum = 0.0f;
  float weight_decay = 0.0f;
  bool nesterov = false;
};
// Adam with bias correction; AdamW when decoupled_weight_decay is set.
struct AdamParams {
  float learning_rate = 1e-3f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled_weight_decay = false;
};
// iRprop- (full-batch only).
struct RpropParams {
  float eta_plus = 1.2f;
  float eta_minus = 0.5f;
  float step_min = 1e-6f;
  float step_max = 50.0f;
};

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
  virtual FusedUpdate update_for(ParameterStore& store, ParameterId id);
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

  // The learning rate of every group's rule, for learning-rate schedules (set between steps). An
  // optimizer whose rule has none (RProp adapts a step size per weight) says no in
  // has_learning_rate(), and its set_learning_rate() throws engine::Error.
  virtual bool has_learning_rate() const { return false; }
  virtual void set_learning_rate(float rate);

  // Optimizer state (moments, step sizes, step counter) for checkpoints; load checks sizes.
  virtual void save_state(std::ostream& out) const = 0;
  virtual void load_state(std::istream& in) = 0;

 protected:
  std::size_t group_index(const std::string& group) const;  // throws for an unknown group
  std::size_t group_of(const ParameterStore& store, ParameterId id) const;
  std::size_t group_count() const { return group_names_.size(); }
  float l2_at(std::size_t group_index) const { return l2_[group_index]; }

 private:
  std::vector<std::string> group_names_;
  std::vector<float> l2_;
  bool lazy_ = false;
};

class Sgd final : public Optimizer {
 public:
  Sgd(const ParameterStore& store, const SgdParams& defaults);
  SgdParams& settings(const std::string& group) { return settings_[group_index(group)]; }
  bool has_learning_rate() const override { return true; }
  void set_learning_rate(float rate) override {
    for (SgdParams& s : settings_) s.learning_rate = rate;
  }
  void step(ParameterStore& store) override;
  bool supports_fused_updates() const override { return true; }
  FusedUpdate update_for(ParameterStore& store, ParameterId id) override;
  std::string name() const override { return "sgd"; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  std::vector<SgdParams> settings_;
  DeviceArray<float> velocity_;
};

// Adam, or AdamW when decoupled_weight_decay is set.
class Adam final : public Optimizer {
 public:
  Adam(const ParameterStore& store, const AdamParams& defaults);
  AdamParams& settings(const std::string& group) { return settings_[group_index(group)]; }
  bool has_learning_rate() const override { return true; }
  void set_learning_rate(float rate) override {
    for (AdamParams& s : settings_) s.learning_rate = rate;
  }
  void step(ParameterStore& store) override;
  bool supports_fused_updates() const override { return true; }
  void begin_step() override { ++step_; }
  FusedUpdate update_for(ParameterStore& store, ParameterId id) override;
  std::string name() const override { return "adam"; }
  std::int64_t steps_taken() const { return step_; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  std::vector<AdamParams> settings_;
  DeviceArray<float> m_, v_;
  std::int64_t step_ = 0;
};

// iRprop- for full-batch training (the AutoRec paper's optimizer).
class Rprop final : public Optimizer {
 public:
  Rprop(const ParameterStore& store, const RpropParams& defaults, float initial_step = 0.01f);
  RpropParams& settings(const std::string& group) { return settings_[group_index(group)]; }
  void step(ParameterStore& store) override;
  std::string name() const override { return "rprop"; }
  void save_state(std::ostream& out) const override;
  void load_state(std::istream& in) override;

 private:
  std::vector<RpropParams> settings_;
  DeviceArray<float> previous_grads_, step_sizes_;
};

// ---- the registry: optimizers built by name ----
// Hyper-parameters by name (e.g. {{"learning_rate", 0.01f}, {"momentum", 0.9f}}; booleans as 0 / 1),
// applied to every group; names an optimizer does not have are an error that lists the ones it has.
using OptimizerOptions = std::map<std::string, float>;
using OptimizerFactory = std::function<std::unique_ptr<Optimizer>(const ParameterStore&, const OptimizerOptions&)>;

// The built-in optimizers ("sgd", "adam", "rprop", "adagrad", "lion": one per kernel rule, see
// kernels/optimizer_rules.h) and any registered since. Throws engine::Error for an unknown name.
std::unique_ptr<Optimizer> make_optimizer(const std::string& name, const ParameterStore& store,
                                          const OptimizerOptions& options = {});
std::vector<std::string> optimizer_names();
// Adds an optimizer written outside the engine (its step() built from engine ops); throws if the name is taken.
void register_optimizer(const std::string& name, OptimizerFactory factory);

}  // namespace engine
