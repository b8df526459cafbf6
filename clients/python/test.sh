#!/usr/bin/env bash
# Generates Python stubs from proto/communique/v1 (Debian protoc +
# grpc_python_plugin) into a temporary directory, runs example.py against
# the real services over TLS with a writer token, and checks its output.
#   clients/python/test.sh INGEST_BIN QUERY_BIN [WORK_DIR]
# Skips (exit 77, which ctest reports as skipped) when the Python toolchain is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ingest_bin=$(realpath "$1") query_bin=$(realpath "$2")
python=/usr/bin/python3

for tool in protoc grpc_python_plugin "$python"; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (apt-get install protobuf-compiler-grpc python3-grpcio)"
    exit 77
  fi
done
if ! "$python" -c 'import grpc, google.protobuf' 2>/dev/null; then
  echo "SKIP: $python cannot import grpc (apt-get install python3-grpcio python3-protobuf)"
  exit 77
fi

work=${3:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
rm -rf "$work/gen"
mkdir -p "$work/gen"
# Only our own protos: google/protobuf/* ship with python3-protobuf.
protoc -I "$repo/proto" \
  --python_out="$work/gen" --grpc_python_out="$work/gen" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  "$repo"/proto/communique/v1/*.proto
echo "generated $(find "$work/gen" -name '*.py' | wc -l) modules from $(ls "$repo"/proto/communique/v1/*.proto | wc -l) protos"

"$here/../common/run_example.sh" "$ingest_bin" "$query_bin" "$work" -- \
  "$python" "$here/example.py" --gen_dir="$work/gen"
