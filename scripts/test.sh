#!/usr/bin/env bash
# The whole test suite: services, the web client build (browser tests load it), then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh test
node --import tsx scripts/build-client.ts
exec node_modules/.bin/vitest run "$@"
