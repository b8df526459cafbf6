#!/usr/bin/env bash
# Builds the distroless images and runs them the way this machine allows
# (podman, runc, host network, read-only root, non-root 65532): checks the
# gRPC health of each container (liveness, readiness, the service), then runs
# the Python client example against them over TLS with a writer token.
#
#   deploy/test-images.sh BUILD_DIR [WORK_DIR]
#
# Skips (exit 77, which ctest reports as skipped) without podman, runc or the Python client toolchain.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir=$(realpath "$1")
for tool in podman runc /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not found (apt-get install podman runc)"; exit 77; }
done
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root (rootful podman; the test chowns its files to uid 65532)"
  exit 77
fi
work=${2:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work=$(realpath "$work")
tag="test"
start=$(date +%s)
"$here/build-images.sh" --build_dir="$build_dir" --tag="$tag"
echo "images built in $(( $(date +%s) - start )) s"

names=()
cleanup() {
  for n in "${names[@]}"; do podman rm -f "$n" >/dev/null 2>&1 || true; done
}
trap 'cleanup; [ -z "${2:-}" ] && rm -rf "$work" || true' EXIT

# Wrappers that with_services.sh starts like binaries: the files they are
# given live under $work, mounted at the same path; everything else in the
# container is read-only. The container user (65532) must own them.
for service in ingest query; do
  name="communique-test-$service-$$"
  names+=("$name")
  cat > "$work/$service.sh" <<WRAP
#!/bin/sh
chown -R 65532:65532 "$work/run"
exec podman run --rm --name "$name" --runtime runc \\
  --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --network=host \\
  --read-only --security-opt=no-new-privileges --cap-drop=ALL \\
  -v "$work/run:$work/run" "localhost/communique-$service:$tag" "\$@"
WRAP
  chmod +x "$work/$service.sh"
done

probe="/usr/bin/python3 $here/grpc_health_probe.py --ca=\$CA_FILE --wait=20"
export SERVICES_CHECK="
  $probe --addr=\$INGEST_ADDR --service=liveness &&
  $probe --addr=\$INGEST_ADDR --service=readiness &&
  $probe --addr=\$INGEST_ADDR --service=communique.v1.IngestService &&
  $probe --addr=\$QUERY_ADDR --service=liveness &&
  $probe --addr=\$QUERY_ADDR --service=readiness &&
  $probe --addr=\$QUERY_ADDR --service=communique.v1.QueryService"
mkdir -p "$work/run"
"$repo/clients/python/test.sh" "$work/ingest.sh" "$work/query.sh" "$work/run"
for service in ingest query; do
  size=$(podman image inspect --format '{{.Size}}' "localhost/communique-$service:$tag")
  echo "image localhost/communique-$service:$tag: $((size / 1024 / 1024)) MiB"
done
