#!/usr/bin/env bash
# Quick start: the production build (made once, and again when the sources are newer than it),
# serving the demo review on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh app
stamp=packages/web/dist/build-stamp
if [ ! -f "$stamp" ] || [ -n "$(find packages/*/src packages/*/package.json package.json pnpm-lock.yaml \
  scripts/build*.ts -newer "$stamp" -not -name '*.test.ts' -print -quit)" ]; then
  echo "start: building Winnow (the sources are newer than the last build)" >&2
  node --import tsx scripts/build.ts
fi
exec node packages/web/bin/winnow.js serve --demo "$@"
