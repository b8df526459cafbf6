#!/usr/bin/env bash
# Proto hygiene: `buf lint` (buf.yaml: STANDARD rules with the AIP-style
# exceptions documented there) and `buf breaking` against the descriptor
# set of the last release, proto/baseline/v0.1.0.binpb. buf comes from npm
# (@bufbuild/buf, pinned by third_party/buf/package-lock.json) and runs
# offline. Exits 77 (ctest: skipped) when npm is absent.
# After a deliberate, released API change, refresh the baseline with:
#   third_party/buf/node_modules/.bin/buf build -o proto/baseline/vX.Y.Z.binpb
set -euo pipefail
cd "$(dirname "$0")/.."
BUF=third_party/buf/node_modules/.bin/buf
if [ ! -x "$BUF" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: npm is not installed (scripts/install-deps.sh installs it)"
    exit 77
  fi
  # `npm install` (which follows the lockfile) rather than `npm ci`: npm ci
  # rejects locks with platform-specific optional packages.
  (cd third_party/buf && npm install --no-audit --no-fund >/dev/null 2>&1)
fi
baseline=$(ls proto/baseline/*.binpb | sort -V | tail -n 1)
"$BUF" lint
"$BUF" breaking --against "$baseline"
echo "buf lint: ok; buf breaking against $baseline: ok"
