#!/usr/bin/env bash
# Refreshes the vendored MapLibre GL JS in crates/corridor-server/web/vendor/
# from the npm registry. The page must work with no internet, so the library
# is committed (and embedded in the binary) rather than loaded from a CDN.
#
#   bash crates/corridor-server/tests/browser/tools/vendor-maplibre.sh [VERSION]
#
# The files are renamed .mjs -> .js so any static server (and rust-embed's MIME
# guess) serves them as JavaScript, which module scripts and module workers
# require; the page points MapLibre at the renamed worker with setWorkerUrl.
# The sourceMappingURL comments are dropped because the maps are not shipped.
set -euo pipefail
version="${1:-6.20.0}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../../web/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "maplibre-gl@$version" >/dev/null && tar -xzf maplibre-gl-*.tgz)
dist="$tmp/package/dist"
sed '/^\/\/# sourceMappingURL=/d' "$dist/maplibre-gl.mjs" > "$out/maplibre-gl.js"
sed '/^\/\/# sourceMappingURL=/d' "$dist/maplibre-gl-worker.mjs" > "$out/maplibre-gl-worker.js"
sed '/sourceMappingURL=/d' "$dist/maplibre-gl.css" > "$out/maplibre-gl.css"
cp "$tmp/package/LICENSE.txt" "$out/LICENSE-maplibre-gl.txt"
echo "maplibre-gl $version (npm, BSD-3-Clause; see LICENSE-maplibre-gl.txt)" > "$out/VERSION"
ls -l "$out"
