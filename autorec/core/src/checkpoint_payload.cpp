// Payload layout (all little-endian; "blob" = u64 length + bytes, "array<T>" = u64 count + T[count]):
//   model:     blob kind, blob orientation, i64 rows, i64 inputs, u64 settings, per setting
//              {blob name, blob value}   (version 3, AutoRec only: blob orientation, array<i64> hidden,
//              blob hidden activation, blob output activation, f32 dropout, u64 seed, i64 n_inputs)
//   train:     blob optimizer, f32 learning rate, f32 momentum, f32 lambda, f32 weight decay,
//              blob loss ("sum"/"mean"), blob updates ("exact"/"lazy"), (version 5 on) blob precision
//              ("fp32"/"bf16"), i64 batch size, i32 max epochs, i32 patience, u64 seed,
//              (version 5 on) blob lr schedule, f32 factor, i32 step epochs, i32 plateau patience, f32 min rate
//   run:       blob source, blob protocol, u64 n_ratings, u64 n_users, u64 n_items
//   progress:  u64 epochs, per epoch {i32 epoch, f64 train_loss, f64 train_rmse, f64 validation_rmse,
//              f64 seconds}, i32 best epoch, f64 best validation RMSE
//   rules:     f32 default rating, f32 clip min, f32 clip max
//   id maps:   per map (users, then items): u8 kind (0 integer, 1 string), then array<i64> ids or
//              u64 count + count blobs
//   ratings:   inputs then test, each: array<i32> users, array<i32> items, array<f32> values, f32 min, f32 max
//   weights:   blob parameters, blob best parameters, blob optimizer state
//   members:   (version 5) u64 count, per ensemble member blob parameters
#include "checkpoint_payload.h"

#include <bit>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#include "autorec/error.h"
#include "autorec/model.h"

namespace autorec::detail {
namespace {

static_assert(std::endian::native == std::endian::little, "checkpoints are little-endian");

class PayloadWriter {
 public:
  template <class T>
  void pod(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void blob(std::string_view text) {
    pod(static_cast<std::uint64_t>(text.size()));
    bytes_.append(text);
  }
  template <class T>
  void array(const std::vector<T>& values) {
    pod(static_cast<std::uint64_t>(values.size()));
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class PayloadReader {
 public:
  explicit PayloadReader(const std::string& bytes) : bytes_(bytes) {}

  template <class T>
  T pod(const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    std::memcpy(&value, take(sizeof(T), what), sizeof(T));
    return value;
  }
  std::string blob(const char* what) {
    const auto size = pod<std::uint64_t>(what);
    return std::string(take(size, what), size);
  }
  template <class T>
  std::vector<T> array(const char* what) {
    const auto count = pod<std::uint64_t>(what);
    if (count > remaining() / sizeof(T)) throw std::runtime_error(std::string("payload ends inside ") + what);
    std::vector<T> values(count);
    if (count > 0) std::memcpy(values.data(), take(count * sizeof(T), what), count * sizeof(T));
    return values;
  }
  std::size_t remaining() const { return bytes_.size() - position_; }

 private:
  const char* take(std::size_t size, const char* what) {
    if (size > remaining()) throw std::runtime_error(std::string("payload ends inside ") + what);
    const char* start = bytes_.data() + position_;
    position_ += size;
    return start;
  }

  const std::string& bytes_;
  std::size_t position_ = 0;
};

std::string loss_name(LossKind loss) { return loss == LossKind::Mean ? "mean" : "sum"; }
LossKind parse_loss(const std::string& name) {
  if (name == "sum") return LossKind::Sum;
  if (name == "mean") return LossKind::Mean;
  throw std::runtime_error("unknown loss '" + name + "'");
}

void write_configs(PayloadWriter& out, const Checkpoint& c) {
  out.blob(c.model.kind);
  out.blob(orientation_name(c.model.orientation));
  out.pod(c.model.rows);
  out.pod(c.model.inputs);
  out.pod(static_cast<std::uint64_t>(c.model.settings.size()));
  for (const auto& [name, value] : c.model.settings) {
    out.blob(name);
    out.blob(value);
  }
  out.blob(optimizer_name(c.train.optimizer));
  out.pod(c.train.learning_rate);
  out.pod(c.train.momentum);
  out.pod(c.train.lambda);
  out.pod(c.train.weight_decay);
  out.blob(loss_name(c.train.loss));
  out.blob(c.train.lazy_updates ? "lazy" : "exact");
  out.blob(precision_name(c.train.precision));
  out.pod(c.train.batch_size);
  out.pod(c.train.max_epochs);
  out.pod(c.train.patience);
  out.pod(c.train.seed);
  out.blob(lr_schedule_name(c.train.lr_schedule.kind));
  out.pod(c.train.lr_schedule.factor);
  out.pod(c.train.lr_schedule.step_epochs);
  out.pod(c.train.lr_schedule.plateau_patience);
  out.pod(c.train.lr_schedule.min_rate);
}

// Version 3 stored AutoRec's fields; they become its record.
ModelRecord read_autorec_fields(PayloadReader& in) {
  ModelConfig model;
  model.orientation = parse_orientation(in.blob("model orientation"));
  model.hidden = in.array<std::int64_t>("hidden sizes");
  model.hidden_activation = parse_activation(in.blob("hidden activation"));
  model.output_activation = parse_activation(in.blob("output activation"));
  model.dropout = in.pod<float>("dropout");
  model.seed = in.pod<std::uint64_t>("model seed");
  return autorec_record(model, in.pod<std::int64_t>("model inputs"));
}

ModelRecord read_model_record(PayloadReader& in) {
  ModelRecord model;
  model.kind = in.blob("model kind");
  model.orientation = parse_orientation(in.blob("model orientation"));
  model.rows = in.pod<std::int64_t>("model rows");
  model.inputs = in.pod<std::int64_t>("model inputs");
  const auto count = in.pod<std::uint64_t>("model settings");
  if (count > in.remaining() / 16) throw std::runtime_error("payload ends inside the model settings");
  model.settings.resize(count);
  for (auto& [name, value] : model.settings) {
    name = in.blob("model setting name");
    value = in.blob("model setting value");
  }
  return model;
}

void read_configs(PayloadReader& in, Checkpoint& c, std::uint32_t version) {
  c.model = version >= 4 ? read_model_record(in) : read_autorec_fields(in);
  c.train.optimizer = parse_optimizer(in.blob("optimizer"));
  c.train.learning_rate = in.pod<float>("learning rate");
  c.train.momentum = in.pod<float>("momentum");
  c.train.lambda = in.pod<float>("lambda");
  c.train.weight_decay = in.pod<float>("weight decay");
  c.train.loss = parse_loss(in.blob("loss"));
  const std::string updates = in.blob("update mode");
  if (updates != "exact" && updates != "lazy") throw std::runtime_error("unknown update mode '" + updates + "'");
  c.train.lazy_updates = updates == "lazy";
  if (version >= 5) {
    const std::string precision = in.blob("precision");
    if (precision != "fp32" && precision != "bf16") throw std::runtime_error("unknown precision '" + precision + "'");
    c.train.precision = parse_precision(precision);
  }
  c.train.batch_size = in.pod<std::int64_t>("batch size");
  c.train.max_epochs = in.pod<int>("max epochs");
  c.train.patience = in.pod<int>("patience");
  c.train.seed = in.pod<std::uint64_t>("train seed");
  if (version >= 5) {  // older files trained with a constant rate
    c.train.lr_schedule.kind = parse_lr_schedule(in.blob("lr schedule"));
    c.train.lr_schedule.factor = in.pod<float>("lr factor");
    c.train.lr_schedule.step_epochs = in.pod<int>("lr step epochs");
    c.train.lr_schedule.plateau_patience = in.pod<int>("lr plateau patience");
    c.train.lr_schedule.min_rate = in.pod<float>("lr min rate");
  }
}

void write_run_and_progress(PayloadWriter& out, const Checkpoint& c) {
  out.blob(c.run.source);
  out.blob(c.run.protocol);
  out.pod(c.run.n_ratings);
  out.pod(c.run.n_users);
  out.pod(c.run.n_items);
  out.pod(static_cast<std::uint64_t>(c.progress.history.size()));
  for (const EpochRecord& e : c.progress.history) {
    out.pod(e.epoch);
    out.pod(e.train_loss);
    out.pod(e.train_rmse);
    out.pod(e.validation_rmse);
    out.pod(e.seconds);
  }
  out.pod(c.progress.best_epoch);
  out.pod(c.progress.best_validation_rmse);
  out.pod(c.rules.default_rating);
  out.pod(c.rules.clip_min);
  out.pod(c.rules.clip_max);
}

void read_run_and_progress(PayloadReader& in, Checkpoint& c) {
  c.run.source = in.blob("data source");
  c.run.protocol = in.blob("protocol");
  c.run.n_ratings = in.pod<std::uint64_t>("rating count");
  c.run.n_users = in.pod<std::uint64_t>("user count");
  c.run.n_items = in.pod<std::uint64_t>("item count");
  const auto epochs = in.pod<std::uint64_t>("history length");
  constexpr std::size_t kEpochRecordBytes = 4 + 4 * 8;
  if (epochs > in.remaining() / kEpochRecordBytes) throw std::runtime_error("payload ends inside the history");
  c.progress.history.resize(epochs);
  for (EpochRecord& e : c.progress.history) {
    e.epoch = in.pod<int>("epoch number");
    e.train_loss = in.pod<double>("train loss");
    e.train_rmse = in.pod<double>("train RMSE");
    e.validation_rmse = in.pod<double>("validation RMSE");
    e.seconds = in.pod<double>("epoch seconds");
  }
  c.progress.best_epoch = in.pod<int>("best epoch");
  c.progress.best_validation_rmse = in.pod<double>("best validation RMSE");
  c.rules.default_rating = in.pod<float>("default rating");
  c.rules.clip_min = in.pod<float>("clip minimum");
  c.rules.clip_max = in.pod<float>("clip maximum");
}

void write_id_map(PayloadWriter& out, const IdMap& map) {
  out.pod(static_cast<std::uint8_t>(map.has_string_ids() ? 1 : 0));
  if (!map.has_string_ids()) {
    out.array(map.integer_ids());
    return;
  }
  out.pod(static_cast<std::uint64_t>(map.string_ids().size()));
  for (const std::string& id : map.string_ids()) out.blob(id);
}

std::shared_ptr<const IdMap> read_id_map(PayloadReader& in, const char* what) {
  const auto kind = in.pod<std::uint8_t>(what);
  try {
    if (kind == 0) return std::make_shared<IdMap>(IdMap::from_integer_ids(in.array<std::int64_t>(what)));
    if (kind != 1) throw std::runtime_error(std::string("bad id kind in ") + what);
    const auto count = in.pod<std::uint64_t>(what);
    if (count > in.remaining() / 8) throw std::runtime_error(std::string("payload ends inside ") + what);
    std::vector<std::string> ids(count);
    for (std::string& id : ids) id = in.blob(what);
    return std::make_shared<IdMap>(IdMap::from_string_ids(std::move(ids)));
  } catch (const std::invalid_argument& error) {
    throw std::runtime_error(std::string(what) + ": " + error.what());
  }
}

void write_ratings(PayloadWriter& out, const Ratings& ratings) {
  out.array(ratings.users);
  out.array(ratings.items);
  out.array(ratings.values);
  out.pod(ratings.min_rating);
  out.pod(ratings.max_rating);
}

void check_indices(const std::vector<std::int32_t>& indices, std::int32_t bound, const char* what) {
  for (const std::int32_t index : indices) {
    if (index < 0 || index >= bound) throw std::runtime_error(std::string(what) + " index out of range");
  }
}

std::shared_ptr<const Ratings> read_ratings(PayloadReader& in, const std::shared_ptr<const IdMap>& users,
                                            const std::shared_ptr<const IdMap>& items, const char* what) {
  auto ratings = std::make_shared<Ratings>();
  ratings->user_ids = users;
  ratings->item_ids = items;
  ratings->users = in.array<std::int32_t>(what);
  ratings->items = in.array<std::int32_t>(what);
  ratings->values = in.array<float>(what);
  ratings->min_rating = in.pod<float>(what);
  ratings->max_rating = in.pod<float>(what);
  if (ratings->items.size() != ratings->users.size() || ratings->values.size() != ratings->users.size()) {
    throw std::runtime_error(std::string(what) + ": arrays of different lengths");
  }
  check_indices(ratings->users, users->size(), "user");
  check_indices(ratings->items, items->size(), "item");
  return ratings;
}

}  // namespace

std::string encode_checkpoint_payload(const Checkpoint& checkpoint) {
  AUTOREC_CONFIG_CHECK(checkpoint.inputs && checkpoint.test, "checkpoint without its ratings");
  PayloadWriter out;
  write_configs(out, checkpoint);
  write_run_and_progress(out, checkpoint);
  write_id_map(out, *checkpoint.inputs->user_ids);
  write_id_map(out, *checkpoint.inputs->item_ids);
  write_ratings(out, *checkpoint.inputs);
  write_ratings(out, *checkpoint.test);
  out.blob(checkpoint.parameters);
  out.blob(checkpoint.best_parameters);
  out.blob(checkpoint.optimizer_state);
  out.pod(static_cast<std::uint64_t>(checkpoint.member_parameters.size()));
  for (const std::string& member : checkpoint.member_parameters) out.blob(member);
  return out.take();
}

Checkpoint decode_checkpoint_payload(const std::string& payload, std::uint32_t version) {
  PayloadReader in(payload);
  Checkpoint checkpoint;
  read_configs(in, checkpoint, version);
  read_run_and_progress(in, checkpoint);
  const auto users = read_id_map(in, "user id map");
  const auto items = read_id_map(in, "item id map");
  checkpoint.inputs = read_ratings(in, users, items, "input ratings");
  checkpoint.test = read_ratings(in, users, items, "test ratings");
  checkpoint.parameters = in.blob("parameters");
  checkpoint.best_parameters = in.blob("best parameters");
  checkpoint.optimizer_state = in.blob("optimizer state");
  if (version >= 5) {
    const auto members = in.pod<std::uint64_t>("member count");
    if (members > in.remaining() / 8) throw std::runtime_error("payload ends inside the member weights");
    checkpoint.member_parameters.resize(members);
    for (std::string& member : checkpoint.member_parameters) member = in.blob("member parameters");
  }
  if (in.remaining() != 0) throw std::runtime_error(std::to_string(in.remaining()) + " unexpected bytes at the end");
  return checkpoint;
}

}  // namespace autorec::detail
