// The CLI's error taxonomy (autorec/cli/error_exit.h): each kind of exception maps to its exit code
// and message prefix. Internal errors cannot be provoked through the command line (that would be a
// bug), so the mapping is tested directly.
#include <catch2/catch.hpp>

#include <sstream>

#include "autorec/checkpoint.h"
#include "autorec/data/error.h"
#include "autorec/error.h"
#include "engine/error.h"
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

}  // namespace
}  // namespace autorec::cli
