// Issue 11's bar on MovieLens-100K's canonical folds: `autorec train` with its defaults (no model or
// training flag) on u1.base/u1.test ... u5.base/u5.test reaches a mean test RMSE <= 0.895, and beats
// the bias baseline on every fold. Runs the built program, so it checks the defaults users get.
// Needs the data (AUTOREC_ML100K_DIR; skipped visibly without it) and about a minute of 2 cores;
// skipped under the sanitizers (too slow there).
#include <cstdlib>
#include <filesystem>

#include "cli_fixture.h"
#include "testsupport/skip.h"

#if defined(__SANITIZE_ADDRESS__)
#define AUTOREC_SANITIZED 1
#else
#define AUTOREC_SANITIZED 0
#endif

namespace autorec::test {
namespace {

TEST_CASE("autorec train defaults reach mean RMSE <= 0.895 on the MovieLens-100K folds u1-u5",
          "[accuracy][ml100k][cli]") {
  const char* dir = std::getenv("AUTOREC_ML100K_DIR");
  if (dir == nullptr || *dir == '\0') testsupport::skip_test("set AUTOREC_ML100K_DIR to the ml-100k folder");
  if (AUTOREC_SANITIZED) testsupport::skip_test("too slow under the sanitizers (the Release build runs it)");
  const std::filesystem::path data(dir);
  TempDir work;
  double sum = 0.0;
  for (int fold = 1; fold <= 5; ++fold) {
    const std::string name = "u" + std::to_string(fold);
    const CliResult r = run_cli(work.path(), {"train", "--train-file", (data / (name + ".base")).string(), "--test-file",
                                              (data / (name + ".test")).string(), "--quiet", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const double rmse = json_number(r.out, "test_rmse");
    const double baseline = json_number(r.out, "baseline_rmse");
    WARN(name << ": test RMSE " << rmse << ", bias baseline " << baseline << ", "
              << json_number(r.out, "seconds") << " s");
    CHECK(rmse < baseline);
    sum += rmse;
  }
  WARN("mean test RMSE over u1-u5: " << sum / 5);
  CHECK(sum / 5 <= 0.895);
}

}  // namespace
}  // namespace autorec::test
