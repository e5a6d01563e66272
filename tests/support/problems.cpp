#include "testsupport/problems.h"

#include <stdexcept>

namespace testsupport {
namespace {

using RL = RowLengths;

// SparseSpec fields: rows, cols, density, row_lengths, empty_fraction, one_full_row, integer_values, seed.
std::vector<SparseProblem> make_problems() {
  // clang-format off
  return {
    // Nothing at all: zero rows and columns; kernels must not touch any pointer.
    {"empty 0 x 0 matrix", {0, 0, 0.0, RL::Uniform, 0.0, false, false, 1}, 8, 0, true},
    // Rows and columns but no nonzeros: outputs are beta * C (or zero).
    {"no nonzeros (5 x 7)", {5, 7, 0.0, RL::Uniform, 0.0, false, false, 2}, 8, 0, true},
    // The smallest non-trivial case.
    {"one nonzero (1 x 1)", {1, 1, 1.0, RL::Uniform, 0.0, false, false, 3}, 4, 0, true},
    // k = 1: no vector width to speak of; remainder loops only.
    {"k = 1", {40, 30, 0.2, RL::Uniform, 0.0, false, false, 4}, 1, 0, true},
    // k not a multiple of 32 (nor of 4, 8, 16): every tail path.
    {"k = 37", {64, 48, 0.1, RL::Uniform, 0.0, false, false, 5}, 37, 0, true},
    // The paper's hidden size, also not a multiple of 32; heavy-tailed rows.
    {"k = 500, heavy-tailed", {50, 80, 0.05, RL::HeavyTailed, 0.0, false, false, 6}, 500, 0, false},
    // A power of two above one CUDA block's width.
    {"k = 512", {33, 40, 0.1, RL::Uniform, 0.0, false, false, 7}, 512, 0, false},
    // One row holding every column: the longest possible row; k a multiple of 16.
    {"one row with all 300 columns", {20, 300, 0.02, RL::Uniform, 0.0, true, false, 8}, 16, 0, true},
    // A row longer than one block of work (> 1024 nonzeros, e.g. a CUDA block's stride).
    {"row of 3000 nonzeros", {4, 3000, 0.01, RL::Uniform, 0.0, true, false, 9}, 8, 0, false},
    // Very sparse: 0.1 % density, mostly empty rows.
    {"density 0.1 %", {400, 500, 0.001, RL::Uniform, 0.0, false, false, 10}, 8, 0, true},
    // Dense-ish: 50 % density.
    {"density 50 %", {60, 50, 0.5, RL::Uniform, 0.0, false, false, 11}, 33, 0, true},
    // Zipf row lengths, 10 % empty rows AND columns (zero rows in the transposed output).
    {"heavy-tailed, empty rows/cols", {300, 200, 0.03, RL::HeavyTailed, 0.1, false, false, 12}, 64, 0, false},
    // Many rows: more row tasks than any thread team or grid-dimension chunk.
    {"many rows (2000)", {2000, 150, 0.01, RL::Uniform, 0.0, false, false, 13}, 32, 0, false},
    // ld padding by an odd amount: ld = k + 5, rows not 16-byte aligned.
    {"ld = k + 5", {70, 60, 0.08, RL::Uniform, 0.0, false, false, 14}, 27, 5, true},
    // ld padded to a multiple of 32 floats, as the engine allocates (k = 40, ld = 64).
    {"ld = 64 for k = 40", {50, 90, 0.05, RL::HeavyTailed, 0.0, false, false, 15}, 40, 24, true},
    // Scalar lanes in 8- and 16-lane groups (k not a multiple of 4), with a row long enough (300
    // nonzeros) for the block-wide long-row phase of both group widths.
    {"k = 7 (G = 8, V = 1), a full row", {40, 300, 0.03, RL::Uniform, 0.0, true, false, 17}, 7, 0, true},
    {"k = 13 (G = 16, V = 1), a full row", {40, 300, 0.03, RL::Uniform, 0.0, true, false, 18}, 13, 0, true},
    // The typical AutoRec batch shape scaled down: 10 %, heavy tails, a few empty rows/cols.
    {"AutoRec-like batch, k = 96", {128, 400, 0.1, RL::HeavyTailed, 0.05, false, false, 16}, 96, 0, false},
  };
  // clang-format on
}

}  // namespace

const std::vector<SparseProblem>& sparse_problems() {
  static const std::vector<SparseProblem> problems = make_problems();
  return problems;
}

std::vector<SparseProblem> small_sparse_problems() {
  std::vector<SparseProblem> small;
  for (const SparseProblem& problem : sparse_problems())
    if (problem.small) small.push_back(problem);
  return small;
}

const SparseProblem& find_problem(const std::string& name) {
  for (const SparseProblem& problem : sparse_problems())
    if (problem.name == name) return problem;
  throw std::invalid_argument("no sparse test problem named '" + name + "'");
}

SparseProblem integer_valued(SparseProblem problem) {
  problem.spec.integer_values = true;
  problem.name += " [integer-valued]";
  return problem;
}

}  // namespace testsupport
