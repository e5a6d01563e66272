// Prints libgomp's view of the wait policy (omp_display_env, verbose, on stderr) for the ctest
// checks in tests/engine/CMakeLists.txt: an executable linked with the engine must run with
// GOMP_SPINCOUNT 0 (passive) when the user set nothing, and keep the user's own setting otherwise.
// It links the engine but calls none of it: the default must not depend on using the engine first.
#include <omp.h>

#include <cstdio>
#include <cstdlib>

int main() {
  const char* policy = std::getenv("OMP_WAIT_POLICY");
  std::printf("environment OMP_WAIT_POLICY=%s\n", policy ? policy : "(unset)");
  std::fflush(stdout);
  omp_display_env(1);
  return 0;
}
