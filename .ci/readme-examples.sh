#!/usr/bin/env bash
# Runs every ```bash block of README.md, in order, in one shell, against a temporary database,
# so the README cannot drift from what the tool does. A block preceded by <!-- not-in-ci --> is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work" registry-504.case.json' EXIT
export HOKUSAI_INCIDENTS_DB="$work/incidents.db"
export XDG_DATA_HOME="$work/data"
script="$work/readme.sh"
if [ -n "${HOKUSAI_README_CLI:-}" ]; then
  # A published executable (.ci/check-native.sh runs the examples through the native build).
  printf 'incidents() { "%s" "$@"; }\n' "$HOKUSAI_README_CLI" > "$script"
else
  dotnet build src/Hokusai.Incidents.Cli -v quiet -nologo >/dev/null
  cli="$PWD/src/Hokusai.Incidents.Cli/bin/Debug/net10.0/incidents.dll"
  # The README's `incidents` is the built CLI, exactly as its install section sets it up.
  printf 'incidents() { dotnet "%s" "$@"; }\n' "$cli" > "$script"
fi
awk '
  /<!-- not-in-ci -->/ { skip = 1; next }
  /^```bash$/ { inblock = 1; if (!skip) { n++; printf "echo \"--- README block %d\"\n", n } ; next }
  /^```$/ && inblock { inblock = 0; skip = 0; next }
  inblock && !skip { print }
' README.md >> "$script"
echo "running $(grep -c '^echo "--- README block' "$script") README blocks"
bash -euo pipefail -x "$script"
