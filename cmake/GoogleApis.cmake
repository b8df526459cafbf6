# The googleapis .proto files we build against (google/rpc/status.proto and
# error_details.proto, for AIP-193 error details) come from the npm package
# google-proto-files, pinned by third_party/googleapis/package-lock.json,
# and are fetched at configure time rather than copied into the repository.
set(COMMUNIQUE_GOOGLEAPIS_NPM_DIR ${PROJECT_SOURCE_DIR}/third_party/googleapis)
set(COMMUNIQUE_GOOGLEAPIS_DIR
    ${COMMUNIQUE_GOOGLEAPIS_NPM_DIR}/node_modules/google-proto-files)
if(NOT EXISTS ${COMMUNIQUE_GOOGLEAPIS_DIR}/google/rpc/status.proto)
  find_program(COMMUNIQUE_NPM npm)
  if(NOT COMMUNIQUE_NPM)
    message(FATAL_ERROR "npm is needed once to fetch the googleapis protos "
                        "(scripts/install-deps.sh installs it)")
  endif()
  message(STATUS "Fetching googleapis protos (npm ci in third_party/googleapis)")
  execute_process(
    COMMAND ${COMMUNIQUE_NPM} ci --ignore-scripts --no-audit --no-fund
    WORKING_DIRECTORY ${COMMUNIQUE_GOOGLEAPIS_NPM_DIR}
    RESULT_VARIABLE npm_result OUTPUT_QUIET)
  if(NOT npm_result EQUAL 0 OR
     NOT EXISTS ${COMMUNIQUE_GOOGLEAPIS_DIR}/google/rpc/status.proto)
    message(FATAL_ERROR "npm ci in ${COMMUNIQUE_GOOGLEAPIS_NPM_DIR} failed")
  endif()
endif()
