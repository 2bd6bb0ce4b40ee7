#!/usr/bin/env bash
# The map page's real-browser test, in one command:
#
#   bash crates/corridor-server/tests/browser/run.sh
#
# Builds `corridor`, installs playwright-core from package-lock.json if it is
# missing (never a browser: it drives Debian's chromium, `apt-get install -y
# chromium nodejs npm`), starts `corridor serve` on a free loopback port, and
# runs browser-test.mjs (after geometry.test.mjs, the page's geometry
# helpers under `node --test`). Screenshots go to target/browser/.
#
# CORRIDOR_SERVER_CMD overrides the server command ({port} is replaced, and
# {networks} by the two examples and networks/pacific.toml), e.g. the mock:
# CORRIDOR_SERVER_CMD="python3 crates/corridor-server/tests/browser/mock_server.py {networks} --port {port}"
# CHROMIUM overrides the browser path (default /usr/bin/chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cd "$root"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "error: no browser at $chromium; install Debian's: apt-get install -y chromium" >&2
  exit 1
fi
command -v node >/dev/null || { echo "error: node not found; apt-get install -y nodejs npm" >&2; exit 1; }
cargo build --release -p corridor-cli
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
node --test "$here/geometry.test.mjs"
exec node "$here/browser-test.mjs"
