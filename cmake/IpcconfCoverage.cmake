# The 'coverage' target (IPCCONF_COVERAGE=ON): zeroes the counters, runs the
# suite, captures with lcov, drops system headers, renders HTML into
# <build>/coverage. The suite's own failures do not stop the report: the run's
# exit status is recorded in coverage/suite-exit-status and the report renders.
find_program(LCOV_EXECUTABLE lcov)
find_program(GENHTML_EXECUTABLE genhtml)
if(NOT LCOV_EXECUTABLE OR NOT GENHTML_EXECUTABLE)
  message(WARNING "IPCCONF_COVERAGE: lcov/genhtml not found (apt-get install lcov); no 'coverage' target")
  return()
endif()
set(cov_dir "${PROJECT_BINARY_DIR}/coverage")
add_custom_target(coverage
  COMMAND ${CMAKE_COMMAND} -E make_directory "${cov_dir}"
  COMMAND ${LCOV_EXECUTABLE} --quiet --zerocounters --directory "${PROJECT_BINARY_DIR}"
  COMMAND sh -c "\"$0\" run --out \"$1/run\"; echo $? > \"$1/suite-exit-status\"; exit 0"
          $<TARGET_FILE:ipcconf> "${cov_dir}"
  COMMAND ${LCOV_EXECUTABLE} --quiet --capture --directory "${PROJECT_BINARY_DIR}"
          --output-file "${cov_dir}/all.info" --ignore-errors gcov,source
  COMMAND ${LCOV_EXECUTABLE} --quiet --remove "${cov_dir}/all.info" "/usr/*"
          --output-file "${cov_dir}/ipcconf.info"
  COMMAND ${GENHTML_EXECUTABLE} --quiet --output-directory "${cov_dir}/html"
          "${cov_dir}/ipcconf.info"
  COMMAND sh -c "echo \"coverage: $0/html/index.html (suite exit status $(cat $0/suite-exit-status))\""
          "${cov_dir}"
  DEPENDS ipcconf
  WORKING_DIRECTORY "${PROJECT_BINARY_DIR}"
  COMMENT "Running the suite with coverage and rendering the lcov report"
  VERBATIM)
