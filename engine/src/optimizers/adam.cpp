// Adam / AdamW: the engine's unit (moments and step counter, fused and flat steps, checkpoint record,
// hyper-parameters by name). Its element rule: kernels/optimizer_rules/adam.h.
#include "../optimizer_unit.h"

namespace engine {
namespace {

using optimizer_unit::Field;

// This step's constants for the group, the L2 term added to the coupled decay (AdamW keeps its decoupled
// decay apart); moments from `m` and `v` on.
kernels::WeightUpdate group_update(const AdamParams& p, std::int64_t step, float l2, bool lazy, float* m, float* v) {
  ENGINE_REQUIRE(step >= 1, "adam: begin_step() must come before the first update");
  const kernels::AdamParams params{p.learning_rate, p.beta1,          p.beta2, p.epsilon,
                                   p.weight_decay,  p.decoupled_weight_decay, step};
  kernels::WeightUpdate update = kernels::WeightUpdate::adam_step(params, m, v);
  update.constants.adam.coupled_decay += l2;
  update.skip_untouched_rows = lazy;
  return update;
}

}  // namespace

Adam::Adam(const ParameterStore& store, const AdamParams& defaults)
    : Optimizer(store),
      settings_(group_count(), defaults),
      m_(DeviceArray<float>::zeros(optimizer_unit::flat_size(store), store.device())),
      v_(DeviceArray<float>::zeros(optimizer_unit::flat_size(store), store.device())) {}

void Adam::step(ParameterStore& store) {
  optimizer_unit::require_same_layout(store, m_, settings_.size(), "adam");
  begin_step();
  optimizer_unit::step_groups(store, [&](std::size_t g, std::int64_t offset) {
    return group_update(settings_[g], step_, l2_at(g), lazy(), m_.data() + offset, v_.data() + offset);
  });
}

FusedUpdate Adam::update_for(ParameterStore& store, ParameterId id) {
  optimizer_unit::require_same_layout(store, m_, settings_.size(), "adam");
  const std::size_t g = group_of(store, id);
  const std::int64_t offset = store.info(id).offset;
  return FusedUpdateAccess::wrap(group_update(settings_[g], step_, l2_at(g), lazy(), m_.data() + offset, v_.data() + offset));
}

void Adam::save_state(std::ostream& out) const {
  optimizer_unit::write_state_header(out, name());
  serialize::write_pod(out, step_);
  optimizer_unit::write_array(out, m_);
  optimizer_unit::write_array(out, v_);
}

// Reads everything before changing anything: a bad record leaves the optimizer as it was.
void Adam::load_state(std::istream& in) {
  optimizer_unit::read_state_header(in, name());
  const auto step = serialize::read_pod<std::int64_t>(in, "adam step");
  const std::vector<float> m = optimizer_unit::read_array(in, m_, "adam first moment");
  const std::vector<float> v = optimizer_unit::read_array(in, v_, "adam second moment");
  step_ = step;
  m_.copy_from_host(m);
  v_.copy_from_host(v);
}

std::unique_ptr<Optimizer> optimizer_factories::make_adam(const ParameterStore& store, const OptimizerOptions& options) {
  using optimizer_unit::field;
  static const std::vector<Field<AdamParams>> fields = {
      field("learning_rate", &AdamParams::learning_rate), field("beta1", &AdamParams::beta1),
      field("beta2", &AdamParams::beta2),                 field("epsilon", &AdamParams::epsilon),
      field("weight_decay", &AdamParams::weight_decay),
      field("decoupled_weight_decay", &AdamParams::decoupled_weight_decay)};
  return std::make_unique<Adam>(store, optimizer_unit::with_options(AdamParams{}, fields, options, "adam"));
}

}  // namespace engine
