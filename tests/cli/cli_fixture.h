// A temp folder holding a tiny synthetic rating file written by `autorec synth`.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_runner.h"
#include "data_test_support.h"

namespace autorec::test {

inline constexpr int kTinyRatings = 3000;

struct TinyData {
  TempDir dir;
  std::string data = "tiny.csv";

  TinyData() {
    const CliResult r = run_cli(dir.path(), {"synth", "--n-users", "120", "--n-items", "80", "--n-ratings",
                                             std::to_string(kTinyRatings), "--seed", "4", "--out", data});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  // train on the tiny data with a small fast model, plus `extra` flags. The model is I-AutoRec unless
  // `extra` names one: these tests exercise training, logs, checkpoints and resume of one model (the
  // default ensemble has its own tests, test_cli_ensemble.cpp).
  CliResult train(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"train",   "--data",    data, "--hidden", "8",
                                     "--quiet", "--threads", "1",  "--lr",     "0.01"};
    if (std::find(extra.begin(), extra.end(), "--model") == extra.end()) {
      args.insert(args.end(), {"--model", "item"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(dir.path(), args);
  }
};

}  // namespace autorec::test
