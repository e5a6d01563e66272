// SGD with (Nesterov) momentum: the engine's unit (state, fused and flat steps, checkpoint record,
// hyper-parameters by name). Its element rule: kernels/optimizer_rules/sgd.h.
#include "../optimizer_unit.h"

namespace engine {
namespace {

using optimizer_unit::Field;

kernels::SgdParams to_kernel(const SgdParams& p) { return {p.learning_rate, p.momentum, p.weight_decay, p.nesterov}; }

// The group's rule with its L2 term riding on the coupled decay; state from flat element `offset` on.
kernels::WeightUpdate group_update(SgdParams group_params, float l2, bool lazy, float* velocity) {
  kernels::SgdParams params = to_kernel(group_params);
  params.weight_decay += l2;
  kernels::WeightUpdate update = kernels::WeightUpdate::sgd_step(params, velocity);
  update.skip_untouched_rows = lazy;
  return update;
}

}  // namespace

Sgd::Sgd(const ParameterStore& store, const SgdParams& defaults)
    : Optimizer(store),
      settings_(group_count(), defaults),
      velocity_(DeviceArray<float>::zeros(optimizer_unit::flat_size(store), store.device())) {}

void Sgd::step(ParameterStore& store) {
  optimizer_unit::require_same_layout(store, velocity_, settings_.size(), "sgd");
  optimizer_unit::step_groups(store, [&](std::size_t g, std::int64_t offset) {
    return group_update(settings_[g], l2_at(g), lazy(), velocity_.data() + offset);
  });
}

FusedUpdate Sgd::update_for(ParameterStore& store, ParameterId id) {
  optimizer_unit::require_same_layout(store, velocity_, settings_.size(), "sgd");
  const std::size_t g = group_of(store, id);
  return FusedUpdateAccess::wrap(group_update(settings_[g], l2_at(g), lazy(), velocity_.data() + store.info(id).offset));
}

void Sgd::save_state(std::ostream& out) const {
  optimizer_unit::write_state_header(out, name());
  optimizer_unit::write_array(out, velocity_);
}

void Sgd::load_state(std::istream& in) {
  optimizer_unit::read_state_header(in, name());
  velocity_.copy_from_host(optimizer_unit::read_array(in, velocity_, "sgd velocity"));
}

std::unique_ptr<Optimizer> optimizer_factories::make_sgd(const ParameterStore& store, const OptimizerOptions& options) {
  using optimizer_unit::field;
  static const std::vector<Field<SgdParams>> fields = {
      field("learning_rate", &SgdParams::learning_rate), field("momentum", &SgdParams::momentum),
      field("weight_decay", &SgdParams::weight_decay), field("nesterov", &SgdParams::nesterov)};
  return std::make_unique<Sgd>(store, optimizer_unit::with_options(SgdParams{}, fields, options, "sgd"));
}

}  // namespace engine
