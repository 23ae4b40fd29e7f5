#!/usr/bin/env bash
# Rebuild the vendored ECharts (ADR 0007). Needs node and the npm registry; the site never does.
set -euo pipefail
cd "$(dirname "$0")"
OUT=../../src/tuopin/static/tuopin/vendor/echarts
npm ci --no-audit --no-fund
mkdir -p "$OUT"
npx esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=eof --define:process.env.NODE_ENV='"production"' --define:__DEV__=false \
  --outfile="$OUT/echarts.min.js"
cp node_modules/echarts/LICENSE "$OUT/LICENSE"
cp node_modules/echarts/NOTICE "$OUT/NOTICE"
cp node_modules/zrender/LICENSE "$OUT/LICENSE-zrender"
cp node_modules/tslib/LICENSE.txt "$OUT/LICENSE-tslib"
v=$(node -p "require('./node_modules/echarts/package.json').version")
printf 'Apache ECharts %s, a custom build of entry.js in tools/echarts (./build.sh).\n' "$v" > "$OUT/VERSION"
printf '%s: %s bytes, %s gzipped\n' "$OUT/echarts.min.js" "$(wc -c < "$OUT/echarts.min.js")" "$(gzip -9c "$OUT/echarts.min.js" | wc -c)"
