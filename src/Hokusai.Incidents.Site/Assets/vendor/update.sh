#!/usr/bin/env bash
# Refreshes the vendored browser libraries from the npm registry (npm pack: no install, no build
# scripts run) and records their checksums. The site ships these files; nothing is fetched at view time.
# Usage: bash src/Hokusai.Incidents.Site/Assets/vendor/update.sh   (then commit the changed files)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
MERMAID=12.3.0      # MIT
MINISEARCH=7.2.0    # MIT
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "mermaid@$MERMAID" "minisearch@$MINISEARCH" >/dev/null
mkdir m s
tar xzf "mermaid-$MERMAID.tgz" -C m
tar xzf "minisearch-$MINISEARCH.tgz" -C s
# mermaid.min.js is the self-contained IIFE build: the ES-module build loads chunks with import(),
# which Chromium refuses for pages opened from file://.
cp m/package/dist/mermaid.min.js "$here/mermaid.min.js"
cp m/package/LICENSE "$here/mermaid.LICENSE.txt"
cp s/package/dist/umd/index.js "$here/minisearch.js"
cp s/package/LICENSE.txt "$here/minisearch.LICENSE.txt"
cd "$here"
printf 'mermaid %s\nminisearch %s\n' "$MERMAID" "$MINISEARCH" > VERSIONS
sha256sum mermaid.min.js minisearch.js > SHA256SUMS
echo "vendored mermaid $MERMAID and minisearch $MINISEARCH into $here"
echo "mermaid bundles these dependencies; review mermaid-bundled.LICENSE.txt against them:"
node -e "console.log(Object.keys(require(process.argv[1]).dependencies).join(\", \"))" "$work/m/package/package.json"
