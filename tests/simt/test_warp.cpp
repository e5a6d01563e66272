// Warp shuffles and votes against a host model written from the CUDA programming guide's rules,
// including partial warps (blockDim not a multiple of 32) and lanes that exited early.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "device_buffer.h"
#include "test_kernels.h"

namespace {

using simt_test::DeviceBuffer;
using simt_test::ShuffleKind;

int shuffle_value(int t) { return 7 * t + 3; }  // as in sync_kernels.cu

// The lane thread `t` reads: -1 when the rules say it keeps its own value.
int expected_source_lane(ShuffleKind kind, int lane, int argument, int width) {
  const int segment_start = lane / width * width;
  switch (kind) {
    case ShuffleKind::index:
      return segment_start + argument % width;
    case ShuffleKind::up:
      return lane - argument >= segment_start ? lane - argument : -1;
    case ShuffleKind::down:
      return lane + argument < segment_start + width ? lane + argument : -1;
    case ShuffleKind::xor_:
      return (lane ^ argument) < segment_start + width ? lane ^ argument : -1;  // later segments: own value
  }
  return -1;
}

std::vector<int> expected_shuffle(ShuffleKind kind, int argument, int width, int threads) {
  std::vector<int> expected(threads);
  for (int t = 0; t < threads; ++t) {
    const int lane = t % 32;
    const int warp_start = t - lane;
    const int lanes_in_warp = std::min(32, threads - warp_start);
    const int source = expected_source_lane(kind, lane, argument, width);
    const bool readable = source >= 0 && source < lanes_in_warp;  // a missing lane yields one's own value
    expected[t] = shuffle_value(readable ? warp_start + source : t);
  }
  return expected;
}

struct ShuffleCase {
  ShuffleKind kind;
  int argument;
  int width;
  int threads;
  const char* what;
};

const ShuffleCase kShuffleCases[] = {
    {ShuffleKind::index, 3, 32, 64, "broadcast lane 3 to each of two warps"},
    {ShuffleKind::index, 13, 8, 64, "index within 8-lane segments (13 % 8 = 5)"},
    {ShuffleKind::index, 31, 32, 40, "partial warp reads a lane that does not exist"},
    {ShuffleKind::up, 1, 32, 64, "up by one"},
    {ShuffleKind::up, 3, 16, 50, "up by three in 16-lane segments, partial warp"},
    {ShuffleKind::down, 2, 32, 64, "down by two"},
    {ShuffleKind::down, 5, 8, 37, "down by five in 8-lane segments, partial warp"},
    {ShuffleKind::down, 16, 32, 48, "down by 16 in a 16-lane partial warp: nothing to read"},
    {ShuffleKind::xor_, 1, 32, 64, "butterfly with neighbour"},
    {ShuffleKind::xor_, 16, 32, 96, "butterfly across half warps"},
    {ShuffleKind::xor_, 12, 8, 32, "xor reaching into a later 8-lane segment"},
    {ShuffleKind::xor_, 4, 32, 20, "butterfly in a 20-lane warp"},
};

}  // namespace

TEST_CASE("every shuffle variant reads the lane the CUDA rules name", "[simt][warp]") {
  for (const ShuffleCase& c : kShuffleCases) {
    INFO(c.what);
    DeviceBuffer<int> out(c.threads);
    simt_test::shuffle(c.kind, c.argument, c.width, c.threads, out.get());
    CHECK(out.download() == expected_shuffle(c.kind, c.argument, c.width, c.threads));
  }
}

TEST_CASE("shuffle widths that are not a power of two are rejected", "[simt][warp]") {
  DeviceBuffer<int> out(32);
  CHECK_THROWS_WITH(simt_test::shuffle(ShuffleKind::index, 0, 12, 32, out.get()), Catch::Contains("width 12"));
}

TEST_CASE("butterfly warp sums over full and partial warps", "[simt][warp]") {
  for (int threads : {32, 96, 70, 1, 33}) {
    INFO(threads << " threads");
    std::vector<int> expected(threads);
    for (int t = 0; t < threads; ++t) {
      const int warp_start = t / 32 * 32;
      const int warp_end = std::min(threads, warp_start + 32);
      int sum = 0;
      for (int u = warp_start; u < warp_end; ++u) sum += u + 1;
      expected[t] = sum;
    }
    DeviceBuffer<int> out(threads);
    simt_test::warp_sum(threads, out.get());
    CHECK(out.download() == expected);
  }
}

TEST_CASE("ballot, any, all and activemask over the lanes that take part", "[simt][warp]") {
  struct VoteCase {
    int threads;
    int exit_from;
    const char* what;
  };
  const VoteCase cases[] = {{64, 64, "two full warps"},
                            {45, 45, "partial second warp"},
                            {64, 40, "lanes 40..63 exited before voting"},
                            {32, 32, "one warp"}};
  for (const VoteCase& c : cases) {
    INFO(c.what);
    std::vector<int> predicates(c.threads);
    for (int t = 0; t < c.threads; ++t) predicates[t] = (t * 5 + 1) % 3 != 0 ? 1 : 0;
    if (c.threads == 32) std::fill(predicates.begin(), predicates.end(), 1);  // makes __all_sync true somewhere
    DeviceBuffer<int> device_predicates(predicates);
    DeviceBuffer<unsigned> ballots(c.threads);
    DeviceBuffer<unsigned> active(c.threads);
    DeviceBuffer<int> any(c.threads);
    DeviceBuffer<int> all(c.threads);
    simt_test::votes(device_predicates.get(), c.threads, c.exit_from, ballots.get(), any.get(), all.get(),
                     active.get());
    const auto got_ballots = ballots.download();
    const auto got_active = active.download();
    const auto got_any = any.download();
    const auto got_all = all.download();
    for (int t = 0; t < std::min(c.threads, c.exit_from); ++t) {
      const int warp_start = t / 32 * 32;
      unsigned expected_ballot = 0;
      unsigned expected_active = 0;
      for (int u = warp_start; u < std::min({warp_start + 32, c.threads, c.exit_from}); ++u) {
        expected_active |= 1U << (u - warp_start);
        if (predicates[u] != 0) expected_ballot |= 1U << (u - warp_start);
      }
      INFO("thread " << t);
      CHECK(got_ballots[t] == expected_ballot);
      CHECK(got_active[t] == expected_active);
      CHECK(got_any[t] == (expected_ballot != 0 ? 1 : 0));
      CHECK(got_all[t] == (expected_ballot == expected_active ? 1 : 0));
    }
  }
}
