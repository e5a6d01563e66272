// SIMT_SCHEDULE orders: a race-free kernel gives the same result under every order, a racy one does
// not. Also the emulator's speed figure (1,000 blocks x 256 threads x 2 barriers).
#include <catch2/catch.hpp>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <vector>

#include "device_buffer.h"
#include "test_kernels.h"

namespace {

using simt_test::DeviceBuffer;

// Restores the schedule a test changed, so test order does not matter.
class ScopedSchedule {
 public:
  explicit ScopedSchedule(simt::Schedule schedule) : saved_(simt::current_schedule()) { simt::set_schedule(schedule); }
  ScopedSchedule(const ScopedSchedule&) = delete;
  ScopedSchedule& operator=(const ScopedSchedule&) = delete;
  ~ScopedSchedule() { simt::set_schedule(saved_); }

 private:
  simt::Schedule saved_;
};

// Race-free work touching barriers, shuffles and votes, flattened into one vector.
std::vector<float> race_free_results() {
  std::vector<float> input(3 * 100);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<float>(i % 11);
  DeviceBuffer<float> device_input(input);
  DeviceBuffer<float> sums(3);
  simt_test::block_sum(device_input.get(), sums.get(), dim3(3), dim3(10, 10), nullptr);
  DeviceBuffer<int> warp(70);
  simt_test::warp_sum(70, warp.get());
  DeviceBuffer<int> shuffled(50);
  simt_test::shuffle(simt_test::ShuffleKind::down, 3, 16, 50, shuffled.get());
  std::vector<float> all = sums.download();
  for (int v : warp.download()) all.push_back(static_cast<float>(v));
  for (int v : shuffled.download()) all.push_back(static_cast<float>(v));
  return all;
}

std::vector<int> racy_results(int salt) {
  DeviceBuffer<int> out(64);
  simt_test::racy_neighbour_read(salt, 64, out.get());
  return out.download();
}

}  // namespace

TEST_CASE("SIMT_SCHEDULE values parse, and bad ones are rejected", "[simt][schedule]") {
  CHECK(simt::parse_schedule("forward").order == simt::ScheduleOrder::forward);
  CHECK(simt::parse_schedule("reverse").order == simt::ScheduleOrder::reverse);
  CHECK(simt::parse_schedule("random").order == simt::ScheduleOrder::random);
  const simt::Schedule seeded = simt::parse_schedule("random:42");
  CHECK(seeded.order == simt::ScheduleOrder::random);
  CHECK(seeded.seed == 42U);
  CHECK_THROWS_AS(simt::parse_schedule("backwards"), std::invalid_argument);
  CHECK_THROWS_AS(simt::parse_schedule("random:"), std::invalid_argument);
  CHECK_THROWS_AS(simt::parse_schedule("random:12x"), std::invalid_argument);
}

TEST_CASE("every schedule gives the same result for a race-free kernel", "[simt][schedule]") {
  std::vector<float> reference;
  {
    const ScopedSchedule forward(simt::parse_schedule("forward"));
    reference = race_free_results();
  }
  for (const char* text : {"reverse", "random", "random:1", "random:977"}) {
    INFO(text);
    const ScopedSchedule schedule(simt::parse_schedule(text));
    CHECK(race_free_results() == reference);
  }
}

TEST_CASE("changing the schedule exposes a race", "[simt][schedule]") {
  std::vector<int> correct(64);
  for (int t = 0; t < 64; ++t) correct[t] = (t + 1) % 64;
  std::vector<int> forward;
  std::vector<int> reverse;
  {
    const ScopedSchedule schedule(simt::parse_schedule("forward"));
    forward = racy_results(1000);
  }
  {
    const ScopedSchedule schedule(simt::parse_schedule("reverse"));
    reverse = racy_results(2000);
  }
  CHECK(forward != correct);  // forward: each thread reads its neighbour's slot before it is written
  CHECK(reverse != forward);
}

TEST_CASE("emulation speed: 1,000 blocks x 256 threads x 2 barriers", "[simt][benchmark]") {
  const int blocks = 1000;
  DeviceBuffer<int> out(blocks);
  simt_test::two_barrier_blocks(blocks, out.get());  // warm up the stack pool
  const std::clock_t cpu_start = std::clock();  // CPU time too: the shared build machines are often busy
  const auto start = std::chrono::steady_clock::now();
  simt_test::two_barrier_blocks(blocks, out.get());
  const double milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const double cpu_milliseconds = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf("SIMT emulation: %d blocks x 256 threads x 2 barriers in %.1f ms (%.1f ms CPU)\n", blocks, milliseconds,
              cpu_milliseconds);
  CHECK(out.download() == std::vector<int>(blocks, 256 * 255 / 2));
  CHECK(cpu_milliseconds < 5000.0);  // generous: catches a pathological slowdown (e.g. a syscall per switch)
}
