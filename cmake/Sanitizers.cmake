# Whole-tree sanitizer builds (clang): -DCOMMUNIQUE_SANITIZE=address,undefined
# or =thread. Every library, binary and test is instrumented, so the real
# services started by the e2e tests are checked too. scripts/test.sh builds
# build-asan (address,undefined plus the fuzz targets) and build-tsan
# (thread; the concurrency tests only).
set(COMMUNIQUE_SANITIZE "" CACHE STRING
    "Sanitizers for the whole tree: address,undefined or thread (clang)")
if(NOT COMMUNIQUE_SANITIZE)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "COMMUNIQUE_SANITIZE needs clang "
                      "(-DCMAKE_CXX_COMPILER=clang++)")
endif()
if(COMMUNIQUE_SANITIZE MATCHES "thread" AND
   COMMUNIQUE_SANITIZE MATCHES "address")
  message(FATAL_ERROR "thread and address sanitizers cannot be combined")
endif()
# -O1 and line tables only: enough for symbolized stack traces and a
# sanitizer-friendly optimisation level, and much quicker to compile than
# -O2 -g. Frame pointers make the stacks in reports (and TSan's) complete.
add_compile_options(-fsanitize=${COMMUNIQUE_SANITIZE} -O1 -gline-tables-only
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=${COMMUNIQUE_SANITIZE})
if(COMMUNIQUE_SANITIZE MATCHES "undefined")
  # Undefined behaviour fails the test instead of printing and going on.
  add_compile_options(-fno-sanitize-recover=undefined)
endif()
if(COMMUNIQUE_FUZZ)
  # Coverage instrumentation everywhere; tests/fuzz adds libFuzzer's main to
  # the fuzz targets only.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(COMMUNIQUE_SANITIZE MATCHES "thread")
  # gRPC's header code (inlined into our binaries) is left uninstrumented
  # like the rest of Debian's gRPC; see the file's comment.
  set(_ignorelist ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan_ignore.txt)
  add_compile_options(-fsanitize-ignorelist=${_ignorelist})
  # The list's hash on the command line: an edit recompiles (and misses
  # ccache, which does not read the list).
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_ignorelist})
  file(SHA256 ${_ignorelist} _ignorelist_sha)
  string(SUBSTRING ${_ignorelist_sha} 0 16 _ignorelist_sha)
  add_compile_definitions(COMMUNIQUE_TSAN_IGNORELIST=${_ignorelist_sha})
  # Debian's Abseil and gRPC are not instrumented: this LD_PRELOAD shim
  # tells TSan about absl::Mutex, CondVar and Notification and about the
  # order gRPC gives a call's batches (see the files' comments).
  # scripts/test.sh preloads it into every process of the TSan run.
  add_library(communique_tsan_sync SHARED
              ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan_absl_sync.cc
              ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan_grpc_sync.cc)
  target_compile_options(communique_tsan_sync PRIVATE -fno-sanitize=all)
  target_link_options(communique_tsan_sync PRIVATE -fno-sanitize=all)
  # Headers only: the real functions are found at run time (RTLD_NEXT).
  target_include_directories(communique_tsan_sync PRIVATE
    $<TARGET_PROPERTY:absl::base,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(communique_tsan_sync PRIVATE ${CMAKE_DL_LIBS})
  set_target_properties(communique_tsan_sync PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
endif()
