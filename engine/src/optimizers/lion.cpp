// Lion as one engine unit: its class, momentum, steps, checkpoint record and hyper-parameters, built by
// name ("lion") from the registry. With kernels/optimizer_rules/lion.h (the element rule) and its line
// in kernels/optimizer_rules.h, the whole optimizer: docs/embedding.md, "a new optimizer".
#include "../optimizer_unit.h"

namespace engine {
namespace {

class Lion final : public Optimizer {
 public:
  Lion(const ParameterStore& store, const kernels::LionParams& defaults)
      : Optimizer(store),
        settings_(group_count(), defaults),
        momentum_(DeviceArray<float>::zeros(optimizer_unit::flat_size(store), store.device())) {}

  std::string name() const override { return "lion"; }
  bool supports_fused_updates() const override { return true; }
  bool has_learning_rate() const override { return true; }
  void set_learning_rate(float rate) override {
    for (kernels::LionParams& s : settings_) s.learning_rate = rate;
  }

  void step(ParameterStore& store) override {
    optimizer_unit::require_same_layout(store, momentum_, settings_.size(), "lion");
    optimizer_unit::step_groups(store, [&](std::size_t g, std::int64_t offset) { return group_update(g, offset); });
  }

  FusedUpdate update_for(ParameterStore& store, ParameterId id) override {
    optimizer_unit::require_same_layout(store, momentum_, settings_.size(), "lion");
    return FusedUpdateAccess::wrap(group_update(group_of(store, id), store.info(id).offset));
  }

  void save_state(std::ostream& out) const override {
    optimizer_unit::write_state_header(out, name());
    optimizer_unit::write_array(out, momentum_);
  }

  void load_state(std::istream& in) override {
    optimizer_unit::read_state_header(in, name());
    momentum_.copy_from_host(optimizer_unit::read_array(in, momentum_, "lion momentum"));
  }

 private:
  // The group's rule with its L2 term as a coupled decay (Lion's own weight decay is decoupled).
  kernels::WeightUpdate group_update(std::size_t g, std::int64_t offset) {
    kernels::LionParams params = settings_[g];
    params.coupled_decay += l2_at(g);
    kernels::WeightUpdate update = kernels::WeightUpdate::of<kernels::rules::Lion>(params, momentum_.data() + offset);
    update.skip_untouched_rows = lazy();
    return update;
  }

  std::vector<kernels::LionParams> settings_;
  DeviceArray<float> momentum_;
};

}  // namespace

std::unique_ptr<Optimizer> optimizer_factories::make_lion(const ParameterStore& store, const OptimizerOptions& options) {
  using optimizer_unit::field;
  static const std::vector<optimizer_unit::Field<kernels::LionParams>> fields = {
      field("learning_rate", &kernels::LionParams::learning_rate), field("beta1", &kernels::LionParams::beta1),
      field("beta2", &kernels::LionParams::beta2), field("weight_decay", &kernels::LionParams::weight_decay)};
  return std::make_unique<Lion>(store, optimizer_unit::with_options(kernels::LionParams{}, fields, options, "lion"));
}

}  // namespace engine
