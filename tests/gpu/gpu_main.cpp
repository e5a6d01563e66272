// test_gpu's runner: a GPU test that cannot find a GPU must not pass. Without a usable device it
// prints why and exits 77, which ctest reports as "Skipped" (SKIP_RETURN_CODE); with REQUIRE_GPU=1
// (the GPU check script sets it) the same situation is a failure.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

#include "engine/device.h"

namespace {

constexpr int kSkipped = 77;

bool gpu_required() {
  const char* value = std::getenv("REQUIRE_GPU");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace

int main(int argc, char* argv[]) {
  std::string reason;
  if (!engine::cuda_available(&reason)) {
    if (gpu_required()) {
      std::cout << "FAILED: REQUIRE_GPU=1 but no usable GPU: " << reason << std::endl;
      return 1;
    }
    std::cout << "SKIPPED: no usable GPU: " << reason << std::endl;
    return kSkipped;
  }
  std::cout << "GPU: " << engine::device_description(engine::Device::cuda()) << std::endl;
  return Catch::Session().run(argc, argv);
}
