#!/usr/bin/env bash
# Fails when the rendered documents committed beside an incident's case file are stale:
# imports each incidents/*/case.json into a fresh database, renders every document and diffs.
# Usage: .ci/check-rendered-docs.sh path/to/incidents.dll
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${1:?usage: $0 path/to/incidents.dll}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for case in "$root"/incidents/*/case.json; do
  id=$(basename "$(dirname "$case")")
  dotnet "$cli" --db "$work/ci.db" import "$case" >/dev/null
  dotnet "$cli" --db "$work/ci.db" render "$id" --doc all --out "$work/$id" >/dev/null
  if ! diff -r -x case.json "$root/incidents/$id" "$work/$id"; then
    echo "incidents/$id: rendered documents are stale; run: incidents render $id --doc all" >&2
    exit 1
  fi
  echo "incidents/$id: rendered documents are current"
done
