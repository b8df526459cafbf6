// The main() of every C++ test binary (cmake/CommuniqueHelpers.cmake links
// communique::test_main into each communique_cc_test instead of GoogleTest's
// own gtest_main). It differs in one way: a run in which some test was
// skipped (GTEST_SKIP: a toolchain, a privilege or a data set is missing) and
// none failed exits 77, which ctest reports as skipped through the test's
// SKIP_RETURN_CODE, rather than 0, which it would count as passed. A failure
// still exits 1.
#include <gtest/gtest.h>

namespace {
// ctest's SKIP_RETURN_CODE for every C++ test (CommuniqueHelpers.cmake).
constexpr int kSkipExitCode = 77;
}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const int result = RUN_ALL_TESTS();
  if (result == 0 &&
      testing::UnitTest::GetInstance()->skipped_test_count() > 0) {
    return kSkipExitCode;
  }
  return result;
}
