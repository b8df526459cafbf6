#!/usr/bin/env bash
# Runs example.js (@grpc/grpc-js, protos loaded at run time) against the real
# services over TLS with a writer token and checks its output; then generates
# TypeScript types from the protos and type-checks typed_client.ts with them.
#   clients/node/test.sh INGEST_BIN QUERY_BIN [WORK_DIR]
# Installs node_modules with `npm ci` (from package-lock.json) when missing.
# Skips (exit 77, which ctest reports as skipped) when node or npm is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ingest_bin=$(realpath "$1") query_bin=$(realpath "$2")
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (apt-get install nodejs npm)"
    exit 77
  fi
done
cd "$here"
if [ ! -d node_modules/@grpc/grpc-js ] || [ ! -d node_modules/@grpc/proto-loader ] ||
   [ ! -d node_modules/typescript ]; then
  echo "node_modules missing: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

work=${3:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
"$here/../common/run_example.sh" "$ingest_bin" "$query_bin" "$work" -- \
  node "$here/example.js"

# TypeScript: types generated from the protos (never committed), then a
# compile-only check of a typed client against them.
rm -rf "$work/ts"
mkdir -p "$work/ts"
node_modules/.bin/proto-loader-gen-types communique/v1/ingest_service.proto \
  communique/v1/query_service.proto communique/v1/change_feed.proto \
  --longs=String --enums=String --defaults --oneofs --keepCase --includeComments \
  --grpcLib=@grpc/grpc-js --outDir="$work/ts/gen" -I "$here/../../proto" >/dev/null
echo "generated $(find "$work/ts/gen" -name '*.ts' | wc -l) TypeScript declaration files"
cp "$here/typed_client.ts" "$work/ts/"
ln -sfn "$here/node_modules" "$work/ts/node_modules"
cat > "$work/ts/tsconfig.json" <<JSON
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2020",
    "module": "commonjs", "moduleResolution": "node", "esModuleInterop": true,
    "skipLibCheck": true, "types": ["node"] },
  "files": ["typed_client.ts"] }
JSON
node_modules/.bin/tsc -p "$work/ts/tsconfig.json"
echo "ok:   typed_client.ts type-checks against the generated types"
