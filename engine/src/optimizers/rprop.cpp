// iRprop-: the engine's unit (previous gradients and step sizes, the full-batch step, checkpoint
// record, hyper-parameters by name). Its element rule: kernels/optimizer_rules/rprop.h.
#include "../optimizer_unit.h"
#include "kernels/preconditions.h"

namespace engine {

using optimizer_unit::Field;

Rprop::Rprop(const ParameterStore& store, const RpropParams& defaults, float initial_step)
    : Optimizer(store),
      settings_(group_count(), defaults),
      previous_grads_(DeviceArray<float>::zeros(optimizer_unit::flat_size(store), store.device())),
      step_sizes_(optimizer_unit::flat_size(store), store.device()) {
  if (!step_sizes_.empty()) backend_for(store.device()).fill(step_sizes_.data(), step_sizes_.size(), initial_step);
}

// The L2 term is added to the gradient first: RProp uses only its sign, so it cannot ride on a decay.
void Rprop::step(ParameterStore& store) {
  optimizer_unit::require_same_layout(store, step_sizes_, settings_.size(), "rprop");
  Backend& backend = backend_for(store.device());
  for (std::size_t g = 0; g < store.groups().size(); ++g) {
    const GroupRange& range = store.groups()[g];
    if (l2_at(g) != 0.0f) backend.axpy(l2_at(g), store.group_values(range).data(), store.group_grads(range).data(), range.size);
    const RpropParams& p = settings_[g];
    const kernels::RpropParams params{p.eta_plus, p.eta_minus, p.step_min, p.step_max};
    kernels::detail::require_rprop_update(store.group_values(range).data(), store.group_grads(range).data(),
                                          previous_grads_.data() + range.offset, step_sizes_.data() + range.offset,
                                          range.size, params);
    optimizer_unit::apply_update(store, range, kernels::WeightUpdate::of<kernels::rules::Rprop>(
                                                   params, previous_grads_.data() + range.offset,
                                                   step_sizes_.data() + range.offset));
  }
}

void Rprop::save_state(std::ostream& out) const {
  optimizer_unit::write_state_header(out, name());
  optimizer_unit::write_array(out, previous_grads_);
  optimizer_unit::write_array(out, step_sizes_);
}

void Rprop::load_state(std::istream& in) {
  optimizer_unit::read_state_header(in, name());
  const std::vector<float> previous = optimizer_unit::read_array(in, previous_grads_, "rprop previous gradients");
  const std::vector<float> steps = optimizer_unit::read_array(in, step_sizes_, "rprop step sizes");
  previous_grads_.copy_from_host(previous);
  step_sizes_.copy_from_host(steps);
}

std::unique_ptr<Optimizer> optimizer_factories::make_rprop(const ParameterStore& store, const OptimizerOptions& options) {
  // initial_step is an option of the optimizer, not of a group's rule.
  OptimizerOptions group_options = options;
  float initial_step = 0.01f;
  if (const auto it = group_options.find("initial_step"); it != group_options.end()) {
    initial_step = it->second;
    group_options.erase(it);
  }
  using optimizer_unit::field;
  static const std::vector<Field<RpropParams>> fields = {
      field("eta_plus", &RpropParams::eta_plus), field("eta_minus", &RpropParams::eta_minus),
      field("step_min", &RpropParams::step_min), field("step_max", &RpropParams::step_max)};
  return std::make_unique<Rprop>(store, optimizer_unit::with_options(RpropParams{}, fields, group_options, "rprop"),
                                 initial_step);
}

}  // namespace engine
