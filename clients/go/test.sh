#!/usr/bin/env bash
# Generates Go stubs from proto/communique/v1 (Debian protoc-gen-go and
# protoc-gen-go-grpc) into a temporary GOPATH, builds example/ offline in
# GOPATH mode against Debian's Go libraries in /usr/share/gocode, runs it
# against the real services over TLS with a writer token, and checks its
# output.
#   clients/go/test.sh INGEST_BIN QUERY_BIN [WORK_DIR]
# Skips (exit 77, which ctest reports as skipped) when the Go toolchain or libraries are absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ingest_bin=$(realpath "$1") query_bin=$(realpath "$2")
gocode=/usr/share/gocode
for tool in go protoc protoc-gen-go protoc-gen-go-grpc; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (apt-get install golang-go protobuf-compiler protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev)"
    exit 77
  fi
done
for lib in google.golang.org/grpc google.golang.org/protobuf; do
  if [ ! -d "$gocode/src/$lib" ]; then
    echo "SKIP: $gocode/src/$lib missing (apt-get install golang-google-grpc-dev golang-google-protobuf-dev)"
    exit 77
  fi
done
# github.com/golang/protobuf 1.3 (golang-github-golang-protobuf-1-3-dev), which
# gRPC's codec may be built with, cannot marshal the APIv2 messages that
# protoc-gen-go 1.28 generates (it panics: "protobuf tag not enough
# fields"); 1.4+ is a shim over APIv2. proto/registry.go exists from 1.4 on.
if [ ! -f "$gocode/src/github.com/golang/protobuf/proto/registry.go" ]; then
  echo "SKIP: $gocode has github.com/golang/protobuf 1.3; apt-get install golang-github-golang-protobuf-1-5-dev"
  exit 77
fi

work=${3:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
gopath="$work/gopath"
rm -rf "$gopath"
mkdir -p "$gopath/src"
# go_package in the protos is communique.dev/gen/communique/v1, so the
# generated package lands at $gopath/src/communique.dev/gen/communique/v1.
protoc -I "$repo/proto" --go_out="$gopath/src" --go-grpc_out="$gopath/src" \
  "$repo"/proto/communique/v1/*.proto
echo "generated $(find "$gopath/src" -name '*.go' | wc -l) Go files"

tags=""
if grep -q 'rpc WatchSummits' "$repo/proto/communique/v1/query_service.proto"; then
  tags="watch"
fi
# GOPATH mode, no module proxy: everything comes from the generated code
# and Debian's /usr/share/gocode.
export GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH="$gopath:$gocode"
export GOCACHE="${GOCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/communique-go-build}"
(cd "$here/example" && go vet -tags "$tags" . && go build -tags "$tags" -o "$work/example" .)
echo "built example (tags: ${tags:-none}) with $(go version)"

"$here/../common/run_example.sh" "$ingest_bin" "$query_bin" "$work" -- "$work/example"
