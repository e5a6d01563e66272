// MatrixView<T>: the raw window behind a tensor view (pointer, shape, leading dimension), in the
// engine's own vocabulary. Row-major: element (i, j) lives at data[i * ld + j], ld >= cols. The
// engine converts it to the kernels' view where it dispatches (engine/src), so this header, like every
// public engine header, names no kernel type.
#pragma once

#include <cstdint>
#include <type_traits>

namespace engine {

template <class T>
struct MatrixView {
  T* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;

  T& operator()(std::int64_t i, std::int64_t j) const { return data[i * ld + j]; }
  // A mutable view converts to a read-only one of the same element type.
  template <class U = T, class = std::enable_if_t<!std::is_const_v<U> && std::is_same_v<U, T>>>
  operator MatrixView<const U>() const {
    return {data, rows, cols, ld};
  }
};

}  // namespace engine
