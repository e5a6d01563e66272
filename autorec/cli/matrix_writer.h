// Writes a float32 matrix, appended in row blocks, as .npy (NumPy format 1.0: magic, version, a
// header dict giving dtype '<f4', C order and the shape, padded to 64 bytes; then raw rows) or as
// CSV (one row per line). Blocks keep memory flat when exporting the hidden codes of many rows.
// Written through AtomicFile: the file appears, complete, at close().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "autorec/data/atomic_file.h"

namespace autorec::cli {

enum class MatrixFormat { Npy, Csv };

class MatrixWriter {
 public:
  MatrixWriter(std::string path, std::int64_t rows, std::int64_t cols, MatrixFormat format);
  // `values` holds whole rows, row-major: a multiple of cols.
  void append(const std::vector<float>& values);
  void close();  // checks every row was written and commits; throws WriteError naming the file otherwise

 private:
  std::string path_;
  std::int64_t rows_, cols_, rows_written_ = 0;
  MatrixFormat format_;
  AtomicFile out_;
};

// The .npy header for a (rows, cols) float32 C-order array.
std::string npy_header(std::int64_t rows, std::int64_t cols);

}  // namespace autorec::cli
