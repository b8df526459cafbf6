# Every third-party dependency is found here, and only here. All come from
# Debian 12 packages (see scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(RocksDB CONFIG REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
# libxml2's HTML parser (Debian libxml2-dev) for fetched pages (shared/html):
# a maintained, error-recovering HTML 4 parser that is already on every
# Debian machine and fuzzed upstream (OSS-Fuzz).
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
# OpenSSL's libcrypto (already a dependency of Debian's gRPC) for SHA-256
# content hashes of articles.
find_package(OpenSSL REQUIRED)
# Prometheus metrics (Debian prometheus-cpp-dev): the client library that
# exposes /metrics; writing the text format and an HTTP server by hand would
# be more code and less correct.
find_package(prometheus-cpp CONFIG REQUIRED)
include(GoogleApis)
