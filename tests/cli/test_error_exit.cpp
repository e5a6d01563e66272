// The CLI's error taxonomy (autorec/cli/error_exit.h): each kind of exception maps to its exit code
// and message prefix. Internal errors cannot be provoked through the command line (that would be a
// bug), so the mapping is tested directly.
#include <catch2/catch.hpp>

#include <sstream>

#include "autorec/checkpoint.h"
#include "autorec/data/error.h"
#include "autorec/error.h"
#include "engine/error.h"
#include "engine/ops.h"
#include "engine/optimizers.h"
#include "engine/parameters.h"
#include "engine/sparse_matrix.h"
#include "error_exit.h"
#include "kernels/check.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

template <class Exception>
std::pair<int, std::string> outcome(const Exception& exception) {
  std::ostringstream err;
  try {
    throw exception;
  } catch (...) {
    const int code = report_current_exception(err);
    return {code, err.str()};
  }
}

TEST_CASE("each kind of error has its own exit code", "[cli][errors]") {
  CHECK(outcome(UsageError("--epochs: bad")).first == kExitUsage);
  CHECK(outcome(ConfigError("unknown model kind 'x'")).first == kExitUsage);
  CHECK(outcome(std::invalid_argument("test fraction must be in (0, 1)")).first == kExitUsage);
  CHECK(outcome(DataError("ratings.csv", 3, "not a number")).first == kExitFailure);
  CHECK(outcome(CheckpointError("run.ckpt", "corrupt")).first == kExitFailure);
  CHECK(outcome(std::runtime_error("device lost")).first == kExitFailure);
  CHECK(outcome(std::bad_alloc()).first == kExitFailure);
  CHECK(outcome(std::length_error("IdMap: more than 2^31 - 1 distinct ids")).first == kExitFailure);
  CHECK(outcome(std::logic_error("impossible state")).first == kExitInternal);
  CHECK(outcome(engine::ShapeError("spmm: B is 3 x 4")).first == kExitInternal);
  CHECK(outcome(engine::PreconditionError("declare after finalize()")).first == kExitInternal);
  CHECK(outcome(engine::Error("parameter record: bad magic number")).first == kExitFailure);
  CHECK(outcome(42).first == kExitInternal);
  // A kernel precondition is a bug, not the user's error.
  const auto [code, message] = outcome(kernels::Error("cpu.cpp:10: kernel precondition failed: n >= 0"));
  CHECK(code == kExitInternal);
  CHECK(message.find("autorec: internal error: cpu.cpp:10") == 0);
  CHECK(message.find("bug") != std::string::npos);
  CHECK(outcome(DataError("ratings.csv", 3, "not a number")).second.find("autorec: error: ratings.csv:3") == 0);
  CHECK(kExitUsage != kExitFailure);
  CHECK(kExitInternal != kExitFailure);
  CHECK(kExitInternal != kExitUsage);
}

// The exit code of what `action` throws (it must throw).
template <class Action>
std::pair<int, std::string> outcome_of(Action action) {
  std::ostringstream err;
  try {
    action();
  } catch (...) {
    const int code = report_current_exception(err);
    return {code, err.str()};
  }
  FAIL("no exception");
  return {0, ""};
}

TEST_CASE("the engine's errors say their kind: its preconditions exit 3, its data errors 1", "[cli][errors]") {
  // Thrown by the engine itself, each kind the way a caller meets it.
  engine::ParameterStore store;
  store.declare("w", 2, 3, engine::kWeightsGroup, engine::Init::Zeros);
  store.finalize(engine::Device::cpu(), 0);
  const auto late_declare = outcome_of([&] { store.declare("v", 1, 1, engine::kWeightsGroup, engine::Init::Zeros); });
  CHECK(late_declare.first == kExitInternal);
  CHECK(late_declare.second.find("engine precondition failed: !finalized_ (ParameterStore::declare('v')") !=
        std::string::npos);
  CHECK(outcome_of([&] { engine::add_l2_gradient(store, "bias", 0.1f); }).first == kExitInternal);
  CHECK(outcome_of([&] { store.find("nope"); }).first == kExitInternal);
  CHECK(outcome_of([&] { engine::make_optimizer("rprop", store)->set_learning_rate(0.1f); }).first == kExitInternal);
  const auto shape = outcome_of([&] {
    const engine::SparseMatrix a = engine::SparseMatrix::from_coo(2, 4, engine::CooTriplets{{0}, {1}, {1.0f}});
    engine::ops::spmm(a, store.value(0), store.value(0));  // B is 2 x 3, A has 4 columns
  });
  CHECK(shape.first == kExitInternal);
  CHECK(shape.second.find("spmm") != std::string::npos);
  // Data: a duplicate triplet, a truncated parameter record.
  const auto duplicate = outcome_of([] {
    engine::SparseMatrix::from_coo(2, 2, engine::CooTriplets{{0, 0}, {1, 1}, {1.0f, 2.0f}});
  });
  CHECK(duplicate.first == kExitFailure);
  CHECK(duplicate.second.find("autorec: error: SparseMatrix::from_coo: duplicate entry") == 0);
  CHECK(outcome_of([&] {
          std::istringstream truncated("AR");
          store.load_values(truncated);
        }).first == kExitFailure);
}

}  // namespace
}  // namespace autorec::cli
