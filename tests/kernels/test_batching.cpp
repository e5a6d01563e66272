// The CPU batching kernels against the host's own batch: gather_rows gives the rows in order, csr_to_csc
// the CSC twin with each column's rows ascending and their CSR positions.
#include <catch2/catch.hpp>

#include "kernels/cpu.h"
#include "testsupport/batching.h"

TEST_CASE("cpu gather_rows and csr_to_csc build the batch the host builds", "[kernels][batching]") {
  for (const testsupport::BatchingProblem& problem : testsupport::batching_problems()) {
    INFO(problem.name);
    const testsupport::HostCsr expected = testsupport::expected_batch(problem);
    const auto count = static_cast<kernels::index_t>(problem.rows.size());
    std::vector<kernels::offset_t> offsets(problem.rows.size() + 1);
    std::vector<kernels::index_t> indices(static_cast<std::size_t>(expected.nnz()));
    std::vector<float> values(indices.size());
    kernels::cpu::gather_rows(problem.matrix.pattern(), problem.matrix.values.data(), problem.rows.data(), count,
                              offsets.data(), indices.data(), values.data());
    CHECK(offsets == expected.offsets);
    CHECK(indices == expected.indices);
    CHECK(values == expected.values);

    const kernels::CsrPattern batch{count, problem.matrix.cols(), expected.nnz(), offsets.data(), indices.data()};
    std::vector<kernels::offset_t> csc_offsets(static_cast<std::size_t>(problem.matrix.cols()) + 1);
    std::vector<kernels::index_t> csc_rows(indices.size());
    std::vector<kernels::offset_t> csc_positions(indices.size());
    std::vector<kernels::offset_t> scratch(static_cast<std::size_t>(kernels::csr_to_csc_scratch(batch.cols)));
    kernels::cpu::csr_to_csc(batch, csc_offsets.data(), csc_rows.data(), csc_positions.data(), scratch.data());
    CHECK(csc_offsets == expected.csc_offsets);
    CHECK(csc_rows == expected.csc_row_indices);
    CHECK(csc_positions == expected.csc_positions);
  }
}

TEST_CASE("cpu gather_rows refuses a row outside the matrix", "[kernels][batching]") {
  const testsupport::BatchingProblem& problem = testsupport::batching_problems().back();
  const std::vector<kernels::index_t> rows = {problem.matrix.rows()};
  std::vector<kernels::offset_t> offsets(2);
  CHECK_THROWS_WITH(kernels::cpu::gather_rows(problem.matrix.pattern(), problem.matrix.values.data(), rows.data(), 1,
                                              offsets.data(), nullptr, nullptr),
                    Catch::Contains("outside"));
}
