#!/usr/bin/env bash
# Installs clients/python as a package into a fresh venv (offline: the venv
# sees Debian's python3-grpcio and python3-protobuf; the stubs are generated
# from proto/ at install time), then runs example.py with the venv's Python
# against the real services over TLS with a writer token, and checks its
# output.
#   clients/python/test.sh INGEST_BIN QUERY_BIN [WORK_DIR]
# Skips (exit 0) when the Python toolchain is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ingest_bin=$(realpath "$1") query_bin=$(realpath "$2")
python=/usr/bin/python3

for tool in protoc grpc_python_plugin "$python"; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (apt-get install protobuf-compiler-grpc python3-grpcio)"
    exit 0
  fi
done
# find_spec: importing pip and setuptools in one process trips setuptools'
# distutils hack.
if ! "$python" -c 'import importlib.util as u, sys
sys.exit(any(u.find_spec(m) is None for m in
             ("grpc", "google.protobuf", "venv", "pip", "setuptools", "wheel")))' 2>/dev/null; then
  echo "SKIP: $python lacks grpc, protobuf, venv, pip, setuptools or wheel (scripts/install-deps.sh)"
  exit 0
fi

work=${3:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/venv"
start=$(date +%s%N)
# --without-pip: the venv runs Debian's pip from the system site-packages
# it sees (seconds, where ensurepip takes most of a minute on a busy box).
"$python" -m venv --without-pip --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-build-isolation \
  --no-index --disable-pip-version-check "$here"
# pip builds in the source tree; keep its output out of the repository.
rm -rf "$here/build" "$here"/src/*.egg-info
"$work/venv/bin/python" - <<'PY'
import communique, communique.v1.query_service_pb2_grpc as q
from communique import Client
assert "site-packages" in communique.__file__, communique.__file__
assert hasattr(q.QueryServiceStub, "__init__") and hasattr(Client, "watch_summits")
print(f"installed communique {communique.__version__} at {communique.__file__}")
PY
echo "venv and install took $(( ($(date +%s%N) - start) / 1000000 )) ms"

# The example imports only the installed package (no PYTHONPATH).
"$here/../common/run_example.sh" "$ingest_bin" "$query_bin" "$work" -- \
  env -u PYTHONPATH "$work/venv/bin/python" "$here/example.py"
