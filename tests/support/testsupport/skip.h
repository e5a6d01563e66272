// A test that cannot run tells ctest so: skip_test() prints why and exits with 77, which every Catch2
// test registered through tests/CatchDiscover.cmake declares as its SKIP_RETURN_CODE. ctest then
// reports the test as "Skipped" (and counts it apart), never as "Passed".
#pragma once

#include <cstdlib>
#include <iostream>
#include <string>

namespace testsupport {

inline constexpr int kSkipReturnCode = 77;

[[noreturn]] inline void skip_test(const std::string& reason) {
  std::cout << "SKIPPED: " << reason << std::endl;
  std::exit(kSkipReturnCode);
}

}  // namespace testsupport
