// Checkpoint versions: a version-3 file (AutoRec's fields instead of a model record, as written before
// the model interface, and no precision) still loads, as the same model with the same weights.
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

// The train config at `position` (after the model section) without version 5's precision blob: the
// optimizer blob, four floats, the loss and update-mode blobs, then the precision blob is dropped.
std::string without_precision(const std::string& payload, std::size_t position) {
  const std::size_t start = position;
  auto blob = [&] {
    std::uint64_t size = 0;
    std::memcpy(&size, payload.data() + position, 8);
    position += 8 + size;
  };
  blob();             // optimizer
  position += 4 * 4;  // learning rate, momentum, lambda, weight decay
  blob();             // loss
  blob();             // update mode
  const std::size_t precision_start = position;
  blob();             // precision (version 5)
  return payload.substr(start, precision_start - start) + payload.substr(position);
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
  const std::string payload = bytes.substr(32);
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
  old_payload += without_precision(payload, skip_model_record(payload, 0));
  std::string old_file = bytes.substr(0, 8);
  put(old_file, std::uint32_t{3});
  put(old_file, std::uint32_t{0});
  put(old_file, static_cast<std::uint64_t>(old_payload.size()));
  put(old_file, fnv1a64(old_payload));
  old_file += old_payload;
  const auto old_path = dir.path() / "v3.ckpt";
  std::ofstream(old_path, std::ios::binary) << old_file;

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
