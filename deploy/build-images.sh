#!/usr/bin/env bash
# Builds the Communiqué container images with podman (daemonless).
#
#   deploy/build-images.sh [--build_dir DIR] [--tag TAG] [--variant distroless|debian]
#
# distroless (default): no base image is pulled. The script assembles a
#   minimal root in a staging directory -- the stripped binaries, exactly the
#   shared libraries ldd finds for them (plus the dynamic loader), CA
#   certificates, /etc/passwd and /etc/group with nonroot 65532 -- and
#   deploy/Containerfile copies it onto `scratch`. No shell, no package
#   manager.
# debian: deploy/Containerfile.debian on `debian:bookworm-slim` (build arg
#   BASE), installing the Debian runtime packages those libraries come from
#   (computed here with dpkg -S). Needs a registry that serves the base.
#
# Both build two tags from one root: localhost/communique-ingest:TAG and
# localhost/communique-query:TAG. They differ only in ENTRYPOINT (every layer
# is shared), and each holds both services and the `communique` CLI, so an
# operator can run the CLI from the same image.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
build_dir="$repo/build"
tag="dev"
variant="distroless"
while [ $# -gt 0 ]; do
  case "$1" in
    --build_dir=*) build_dir="${1#*=}" ;;
    --build_dir) build_dir="$2"; shift ;;
    --tag=*) tag="${1#*=}" ;;
    --tag) tag="$2"; shift ;;
    --variant=*) variant="${1#*=}" ;;
    --variant) variant="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
command -v podman >/dev/null || { echo "podman not found (apt-get install podman)" >&2; exit 1; }

binaries=(
  "$build_dir/ingest_service/communique-ingest"
  "$build_dir/query_service/communique-query"
  "$build_dir/cli/communique"
)
for b in "${binaries[@]}"; do
  [ -x "$b" ] || { echo "missing $b: build first (scripts/build.sh)" >&2; exit 1; }
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/rootfs"
mkdir -p "$root/usr/local/bin" "$root/etc/ssl/certs" "$root/var/lib/communique" \
  "$root/etc/communique/tls" "$root/etc/communique/secrets" "$root/tmp"
for b in "${binaries[@]}"; do
  strip --strip-all -o "$root/usr/local/bin/$(basename "$b")" "$b"
done

# Shared libraries, at the paths the loader looks for them (as ldd prints
# them), with the content of the file the symlink points to.
libs=$(for b in "${binaries[@]}"; do ldd "$b"; done |
  awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}' | sort -u)
for lib in $libs; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# /lib64 -> the loader, as in Debian's merged /usr.
if [ ! -e "$root/lib64/ld-linux-x86-64.so.2" ] && [ -e /lib64/ld-linux-x86-64.so.2 ]; then
  mkdir -p "$root/lib64"
  cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi
cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
nonroot:x:65532:
GROUP
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"

# Debian packages the libraries come from (for the debian variant).
packages=$(for lib in $libs; do
  dpkg -S "$lib" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null || true
done | cut -d: -f1 | sort -u | grep -v '^libc6$' | tr '\n' ' ')

version=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
case "$variant" in
  distroless) containerfile="$here/Containerfile"; extra=() ;;
  debian) containerfile="$here/Containerfile.debian"
          extra=(--build-arg "RUNTIME_PACKAGES=$packages")
          [ -n "${BASE:-}" ] && extra+=(--build-arg "BASE=$BASE") ;;
  *) echo "unknown variant $variant" >&2; exit 2 ;;
esac
for service in ingest query; do
  podman build --quiet --target "$service" --file "$containerfile" \
    --label "org.opencontainers.image.version=$version" \
    --label "org.opencontainers.image.source=communique" \
    "${extra[@]}" -t "localhost/communique-$service:$tag" "$stage" >/dev/null
  size=$(podman image inspect --format '{{.Size}}' "localhost/communique-$service:$tag")
  echo "built localhost/communique-$service:$tag ($variant, $((size / 1024 / 1024)) MiB, $(echo "$libs" | wc -w) shared libraries)"
done
