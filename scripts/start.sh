#!/usr/bin/env bash
# Quick start: build the web app and serve it with the demo review on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh app
node --import tsx scripts/build-client.ts
exec node --import tsx packages/web/src/cli/main.ts serve --demo "$@"
