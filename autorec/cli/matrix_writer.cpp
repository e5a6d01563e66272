#include "matrix_writer.h"

#include <bit>
#include <sstream>
#include <stdexcept>


namespace autorec::cli {

std::string npy_header(std::int64_t rows, std::int64_t cols) {
  static_assert(std::endian::native == std::endian::little, "'<f4' promises little-endian floats");
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  // magic (6) + version (2) + length (2) + dict + padding + '\n' must be a multiple of 64.
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string header = "\x93NUMPY";
  header += '\x01';
  header += '\x00';
  header += static_cast<char>(dict.size() & 0xff);
  header += static_cast<char>((dict.size() >> 8) & 0xff);
  return header + dict;
}

MatrixWriter::MatrixWriter(std::string path, std::int64_t rows, std::int64_t cols, MatrixFormat format)
    : path_(std::move(path)), rows_(rows), cols_(cols), format_(format), out_(path_) {
  if (format_ == MatrixFormat::Npy) out_.write(npy_header(rows, cols));
}

void MatrixWriter::append(const std::vector<float>& values) {
  const auto rows = static_cast<std::int64_t>(values.size()) / cols_;
  if (rows * cols_ != static_cast<std::int64_t>(values.size()) || rows_written_ + rows > rows_) {
    throw std::logic_error("MatrixWriter: block does not fit the declared shape of " + path_);
  }
  if (format_ == MatrixFormat::Npy) {
    out_.write(values.data(), values.size() * sizeof(float));
  } else {
    std::ostringstream text;
    text.precision(9);
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t c = 0; c < cols_; ++c)
        text << (c ? "," : "") << values[static_cast<std::size_t>(r * cols_ + c)];
      text << '\n';
    }
    out_.write(text.str());
  }
  rows_written_ += rows;
}

void MatrixWriter::close() {
  if (rows_written_ != rows_) throw std::logic_error("MatrixWriter: rows missing from " + path_);
  out_.commit();
}

}  // namespace autorec::cli
