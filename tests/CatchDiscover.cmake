# Registers every Catch2 test case of an executable with ctest, labelled. Catch2 v2's
# catch_discover_tests runs the executable after the build to list its cases. Without Debian's
# CMake package (the header-only fallback) each executable is registered as one ctest test.
set(autorec_catch_module OFF)
if(Catch2_FOUND AND EXISTS ${Catch2_DIR}/Catch.cmake)
  include(${Catch2_DIR}/Catch.cmake)
  set(autorec_catch_module ON)
endif()

function(autorec_discover_tests target label)
  if(autorec_catch_module)
    # --warn NoTests: a ctest entry whose name matches no test case fails instead of passing empty.
    # SKIP_RETURN_CODE 77: a case that cannot run exits through testsupport::skip_test() and shows as skipped.
    catch_discover_tests(${target} EXTRA_ARGS --warn NoTests PROPERTIES LABELS ${label} SKIP_RETURN_CODE 77)
  else()
    add_test(NAME ${target} COMMAND ${target})
    set_tests_properties(${target} PROPERTIES LABELS ${label} SKIP_RETURN_CODE 77)
  endif()
endfunction()
