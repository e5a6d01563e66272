// The CUDA batching kernels through the SIMT emulation: the batch gathered on the device and its CSC twin
// (atomic scatter, then each column sorted) equal the host's batch exactly, over several scan tiles.
#include <catch2/catch.hpp>

#include "device_data.h"
#include "kernels/cuda.h"
#include "testsupport/batching.h"

using cudatest::DeviceArray;
using cudatest::DeviceSparse;

TEST_CASE("cuda gather_rows and csr_to_csc build the batch the host builds", "[simt][batching]") {
  for (const testsupport::BatchingProblem& problem : testsupport::batching_problems()) {
    INFO(problem.name);
    const testsupport::HostCsr expected = testsupport::expected_batch(problem);
    const auto count = static_cast<kernels::index_t>(problem.rows.size());
    const DeviceSparse matrix(problem.matrix);
    const DeviceArray<kernels::index_t> rows(problem.rows);
    DeviceArray<kernels::offset_t> offsets(problem.rows.size() + 1);
    DeviceArray<kernels::index_t> indices(static_cast<std::size_t>(expected.nnz()));
    DeviceArray<float> values(static_cast<std::size_t>(expected.nnz()));
    kernels::cuda::gather_rows(matrix.pattern(), matrix.values.data(), rows.data(), count, offsets.data(),
                               indices.data(), values.data(), nullptr);
    CHECK(offsets.download() == expected.offsets);
    CHECK(indices.download() == expected.indices);
    CHECK(values.download() == expected.values);

    const kernels::CsrPattern batch{count, problem.matrix.cols(), expected.nnz(), offsets.data(), indices.data()};
    DeviceArray<kernels::offset_t> csc_offsets(static_cast<std::size_t>(problem.matrix.cols()) + 1);
    DeviceArray<kernels::index_t> csc_rows(static_cast<std::size_t>(expected.nnz()));
    DeviceArray<kernels::offset_t> csc_positions(static_cast<std::size_t>(expected.nnz()));
    DeviceArray<kernels::offset_t> scratch(static_cast<std::size_t>(kernels::csr_to_csc_scratch(batch.cols)));
    kernels::cuda::csr_to_csc(batch, csc_offsets.data(), csc_rows.data(), csc_positions.data(), scratch.data(),
                              nullptr);
    CHECK(csc_offsets.download() == expected.csc_offsets);
    CHECK(csc_rows.download() == expected.csc_row_indices);
    CHECK(csc_positions.download() == expected.csc_positions);
  }
}
