# Warnings for the project's own host code: on and clean. nvcc gets its host-compiler flags separately.
# -Wno-restrict: GCC 12 reports a false positive inside std::string's operator+ at -O3 (GCC bug 105329).
function(autorec_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wno-restrict>
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)
endfunction()
