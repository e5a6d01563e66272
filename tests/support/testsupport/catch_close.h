// Catch2 glue for testsupport::check_close: CHECK_CLOSE(actual, expected, tolerance) records the
// worst element's report as the failure message.
#pragma once

#include <catch2/catch.hpp>

#include "testsupport/tolerance.h"

#define CHECK_CLOSE(actual, expected, tolerance)                                                              \
  do {                                                                                                        \
    const ::testsupport::CloseReport close_report_ = ::testsupport::check_close(actual, expected, tolerance); \
    INFO(close_report_.message);                                                                              \
    CHECK(close_report_.ok);                                                                                  \
  } while (0)

#define REQUIRE_CLOSE(actual, expected, tolerance)                                                            \
  do {                                                                                                        \
    const ::testsupport::CloseReport close_report_ = ::testsupport::check_close(actual, expected, tolerance); \
    INFO(close_report_.message);                                                                              \
    REQUIRE(close_report_.ok);                                                                                \
  } while (0)
