// Checkpoint versions: version-3 and version-4 files (AutoRec's fields instead of a model record, as written before
// the model interface; no precision, schedule or ensemble members) still load, as the same model with the same weights.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "checkpoint_fixture.h"
#include "data_test_support.h"

namespace autorec {
namespace {

std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

template <class T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}
void put_blob(std::string& out, const std::string& text) {
  put(out, static_cast<std::uint64_t>(text.size()));
  out += text;
}

// Skips a version-4 model record at `position` of the payload; returns the position after it.
std::size_t skip_model_record(const std::string& payload, std::size_t position) {
  auto blob = [&] {
    std::uint64_t size = 0;
    std::memcpy(&size, payload.data() + position, 8);
    position += 8 + size;
  };
  blob();              // kind
  blob();              // orientation
  position += 8 + 8;   // rows, inputs
  std::uint64_t count = 0;
  std::memcpy(&count, payload.data() + position, 8);
  position += 8;
  for (std::uint64_t i = 0; i < 2 * count; ++i) blob();
  return position;
}

// Version 5's train section after a model record at `position`: the byte ranges [precision_begin,
// precision_end) and [schedule_begin, schedule_end) of the two parts that version 5 added.
struct Version5Additions {
  std::size_t precision_begin, precision_end, schedule_begin, schedule_end;
};

Version5Additions version_5_additions(const std::string& payload, std::size_t position) {
  auto blob = [&] {
    std::uint64_t size = 0;
    std::memcpy(&size, payload.data() + position, 8);
    position += 8 + size;
  };
  Version5Additions at{};
  blob();                         // optimizer
  position += 4 * 4;              // learning rate, momentum, lambda, weight decay
  blob();                         // loss
  blob();                         // updates
  at.precision_begin = position;
  blob();                         // precision
  at.precision_end = position;
  position += 8 + 4 + 4 + 8;      // batch size, max epochs, patience, seed
  at.schedule_begin = position;
  blob();                         // schedule
  position += 4 + 4 + 4 + 4;      // factor, step epochs, plateau patience, min rate
  at.schedule_end = position;
  return at;
}

// A version-4 payload from a version-5 one of a single model: without the precision, the learning-rate
// schedule and the ensemble member count that ends version 5 (8 bytes, 0 here): version 4 ends with
// the optimizer state.
std::string as_version_4(const std::string& payload) {
  const Version5Additions at = version_5_additions(payload, skip_model_record(payload, 0));
  return payload.substr(0, at.precision_begin) + payload.substr(at.precision_end, at.schedule_begin - at.precision_end) +
         payload.substr(at.schedule_end, payload.size() - 8 - at.schedule_end);
}

std::string file_of_version(const std::string& current_file, std::uint32_t version, const std::string& payload) {
  std::string file = current_file.substr(0, 8);
  put(file, version);
  put(file, std::uint32_t{0});
  put(file, static_cast<std::uint64_t>(payload.size()));
  put(file, fnv1a64(payload));
  return file + payload;
}

TEST_CASE("a version 4 checkpoint loads with a constant learning rate and fp32 tables", "[checkpoint][lr-schedule]") {
  test::TinyRun run(1);
  run.train.lr_schedule.kind = LrScheduleKind::Step;
  run.train.lr_schedule.step_epochs = 7;
  run.train.precision = Precision::Bf16;
  auto model = run.make_model();
  Trainer trainer(*model, run.train);
  trainer.fit(run.fit_rows, run.validation_fn(), {});
  test::TempDir dir;
  const auto path = dir.path() / "v5.ckpt";
  save_checkpoint(path, run.capture(*model, trainer));
  const Checkpoint current = load_checkpoint(path);
  CHECK(current.train.lr_schedule == run.train.lr_schedule);
  CHECK(current.train.precision == Precision::Bf16);

  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const auto old_path = dir.path() / "v4.ckpt";
  std::ofstream(old_path, std::ios::binary) << file_of_version(bytes, 4, as_version_4(bytes.substr(32)));
  const Checkpoint old = load_checkpoint(old_path);
  CHECK(old.train.lr_schedule == LrSchedule{});
  CHECK(old.train.precision == Precision::Fp32);
  CHECK(old.model == current.model);
  CHECK(old.parameters == current.parameters);
}

TEST_CASE("a version 3 checkpoint loads as the same AutoRec model", "[checkpoint]") {
  test::TinyRun run(1);
  run.model.hidden = {8, 4, 8};
  run.model.dropout = 0.25f;
  auto model = run.make_model();
  Trainer trainer(*model, run.train);
  trainer.fit(run.fit_rows, run.validation_fn(), {});
  test::TempDir dir;
  const auto path = dir.path() / "v4.ckpt";
  save_checkpoint(path, run.capture(*model, trainer));

  std::ifstream in(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Version 3's model section: orientation, hidden sizes, activations, dropout, seed, inputs.
  std::string old_payload;
  put_blob(old_payload, "item");
  put(old_payload, static_cast<std::uint64_t>(3));
  for (const std::int64_t size : run.model.hidden) put(old_payload, size);
  put_blob(old_payload, "sigmoid");
  put_blob(old_payload, "identity");
  put(old_payload, run.model.dropout);
  put(old_payload, run.model.seed);
  put(old_payload, model->n_inputs());
  const std::string v4_payload = as_version_4(bytes.substr(32));
  old_payload += v4_payload.substr(skip_model_record(v4_payload, 0));
  std::string old_file = bytes.substr(0, 8);
  put(old_file, std::uint32_t{3});
  put(old_file, std::uint32_t{0});
  put(old_file, static_cast<std::uint64_t>(old_payload.size()));
  put(old_file, fnv1a64(old_payload));
  old_file += old_payload;
  const auto old_path = dir.path() / "v3.ckpt";
  std::ofstream(old_path, std::ios::binary) << old_file;

  std::string v4_file = bytes.substr(0, 8);
  put(v4_file, std::uint32_t{4});
  put(v4_file, std::uint32_t{0});
  put(v4_file, static_cast<std::uint64_t>(v4_payload.size()));
  put(v4_file, fnv1a64(v4_payload));
  v4_file += v4_payload;
  std::ofstream(dir.path() / "v4-written.ckpt", std::ios::binary) << v4_file;
  const Checkpoint v4 = load_checkpoint(dir.path() / "v4-written.ckpt");
  CHECK(v4.model == model->record());
  CHECK(v4.member_parameters.empty());

  const Checkpoint current = load_checkpoint(path);
  const Checkpoint old = load_checkpoint(old_path);
  CHECK(old.model == model->record());
  CHECK(old.model == current.model);
  CHECK(autorec_config(old.model).hidden == run.model.hidden);
  CHECK(old.parameters == current.parameters);
  CHECK(old.progress.history.size() == 1);
  const auto loaded = load_trained_model(old, engine::Device::cpu());
  CHECK(parameters_record(loaded->parameters()) == parameters_record(model->parameters()));

  // Versions outside [3, 5] are refused, naming both.
  std::string future = bytes;
  const std::uint32_t six = 6;
  std::memcpy(future.data() + 8, &six, 4);
  std::ofstream(dir.path() / "v6.ckpt", std::ios::binary) << future;
  CHECK_THROWS_WITH(load_checkpoint(dir.path() / "v6.ckpt"), Catch::Contains("version 6") && Catch::Contains("3 to 5"));
}

}  // namespace
}  // namespace autorec
