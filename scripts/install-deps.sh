#!/usr/bin/env bash
# Installs the Debian 12 packages Communiqué builds and tests with, if any
# are missing. Safe to run repeatedly; uses sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git openssl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libre2-dev libicu-dev libssl-dev
  libxml2-dev
  libgtest-dev libgmock-dev python3 prometheus-cpp-dev
  libbenchmark-dev
  # clients/ tests: generated Python and Go clients (Node uses nodejs's npm)
  python3-grpcio python3-protobuf nodejs golang-go protoc-gen-go
  protoc-gen-go-grpc golang-google-grpc-dev golang-google-protobuf-dev
  golang-github-golang-protobuf-1-5-dev
  # clients/python is installed as a package into a venv, offline
  python3-venv python3-pip python3-setuptools python3-wheel
  # deploy/ image test: daemonless image builds and runs
  podman runc python3-yaml
  # scripts/test.sh sanitizer builds (ASan/UBSan, TSan) and libFuzzer
  # targets: clang with its runtimes, llvm-symbolizer for the reports
  clang libclang-rt-14-dev llvm
  # promtool (metrics tests check the exposition format); the package also
  # ships the Prometheus server, which is kept from starting (see below)
  prometheus
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm fetches the googleapis protos at configure time (cmake/GoogleApis.cmake).
# Machines whose nodejs comes with its own npm (NodeSource) must not get
# Debian's npm package, which conflicts with it.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Packages that ship a daemon (prometheus) must not start it here: a
# policy-rc.d that refuses every start, for the length of the install.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  OWN_POLICY=1
fi
status=0
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
if [ "$OWN_POLICY" = 1 ]; then $SUDO rm -f "$POLICY"; fi
exit "$status"
