# `cmake --install` puts the libraries, headers and the autorec tool under the prefix, with a CMake
# package so that other projects write:
#   find_package(autorec REQUIRED)
#   target_link_libraries(my_app PRIVATE autorec::engine)        # the engine alone
#   target_link_libraries(my_app PRIVATE autorec::autorec_core)  # the engine and AutoRec
# docs/embedding.md has a complete example (examples/embedding/, built this way by CI).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(autorec_export_targets kernels_headers kernels_cpu engine autorec_data autorec_core)
foreach(optional kernels_cuda kernels_vendor)
  if(TARGET ${optional})
    list(APPEND autorec_export_targets ${optional})
  endif()
endforeach()

install(TARGETS ${autorec_export_targets} EXPORT autorecTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET autorec)
  install(TARGETS autorec RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

# Public headers: each layer's include/ folder (the emulator and test helpers stay out).
install(DIRECTORY kernels/include/ engine/include/ autorec/data/include/ autorec/core/include/
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(EXISTS ${PROJECT_SOURCE_DIR}/engine/cuda/include)
  install(DIRECTORY engine/cuda/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()

set(autorec_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/autorec)
install(EXPORT autorecTargets NAMESPACE autorec:: DESTINATION ${autorec_cmake_dir})
configure_package_config_file(cmake/autorecConfig.cmake.in ${PROJECT_BINARY_DIR}/autorecConfig.cmake
  INSTALL_DESTINATION ${autorec_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/autorecConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/autorecConfig.cmake ${PROJECT_BINARY_DIR}/autorecConfigVersion.cmake
  DESTINATION ${autorec_cmake_dir})
