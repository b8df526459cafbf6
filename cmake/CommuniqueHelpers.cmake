# Thin helpers so that each folder's CMakeLists.txt reads as a declaration:
# one library per folder (communique_<name>, alias communique::<name>) and its
# tests.

set(COMMUNIQUE_WARNINGS -Wall -Wextra -Wno-unused-parameter)

# communique_cc_library(NAME n HDRS ... SRCS ... DEPS ... [PRIVATE_DEPS ...])
function(communique_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "HDRS;SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target communique_${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS} ${ARG_HDRS})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    target_compile_options(${target} PRIVATE ${COMMUNIQUE_WARNINGS})
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${ARG_DEPS})
  endif()
  add_library(communique::${ARG_NAME} ALIAS ${target})
endfunction()

# communique_cc_test(NAME n SRCS ... DEPS ... [LABELS ...] [ENV ...])
# main() is communique::test_main (shared/status/testing/gtest_main.cc): a
# binary whose tests passed except for some GTEST_SKIPs exits 77, which
# SKIP_RETURN_CODE makes ctest report as skipped rather than passed.
function(communique_cc_test)
  cmake_parse_arguments(ARG "" "NAME;TIMEOUT" "SRCS;DEPS;LABELS;ENV" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock communique::test_main)
  target_compile_options(${ARG_NAME} PRIVATE ${COMMUNIQUE_WARNINGS})
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${ARG_NAME} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    SKIP_RETURN_CODE 77
    ENVIRONMENT "COMMUNIQUE_SOURCE_DIR=${PROJECT_SOURCE_DIR};COMMUNIQUE_BINARY_DIR=${PROJECT_BINARY_DIR};${ARG_ENV}")
  if(ARG_LABELS)
    set_tests_properties(${ARG_NAME} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# communique_cc_binary(NAME n OUTPUT_NAME o SRCS ... DEPS ...)
function(communique_cc_binary)
  cmake_parse_arguments(ARG "" "NAME;OUTPUT_NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
  target_compile_options(${ARG_NAME} PRIVATE ${COMMUNIQUE_WARNINGS})
  if(ARG_OUTPUT_NAME)
    set_target_properties(${ARG_NAME} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
endfunction()
