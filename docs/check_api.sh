#!/usr/bin/env bash
# Fails when docs/api.md is not what docs/gen_api.py makes from the protos
# now, or when an rpc, message, field or enum value in proto/communique/v1
# has no comment (beyond the known ones in docs/undocumented.txt).
# Fix with: docs/gen_api.py (and a comment in the proto).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python=$(command -v python3 || true)
if [ -z "$python" ]; then
  echo "SKIP: python3 not found"
  exit 77
fi
exec "$python" "$here/gen_api.py" --check
