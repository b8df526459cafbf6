// The one temporary directory of the project's tests (unit, integration,
// e2e, crash, soak): created fresh under /tmp, removed with everything in it
// when the object goes away. For tests only (communique::status_testing).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace communique::testing {

// A new, empty directory for the lifetime of the object. Not copyable; one
// thread creates and destroys it, any may use the path.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/communique_test_XXXXXX";
    const char* made = mkdtemp(tmpl);
    path_ = made == nullptr ? std::string() : std::string(made);
  }
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory's absolute path ("" if mkdtemp failed, which the first
  // file operation in it then reports).
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace communique::testing
