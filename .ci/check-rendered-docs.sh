#!/usr/bin/env bash
# Fails when the rendered documents committed beside an incident's case file are stale:
# imports each incident folder (incidents/*/incident.json and its evidence) into a fresh database,
# renders every document and diffs.
# Usage: .ci/check-rendered-docs.sh path/to/incidents.dll (or a published incidents executable)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${1:?usage: $0 path/to/incidents.dll}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
incidents() { case "$cli" in *.dll) dotnet "$cli" "$@" ;; *) "$cli" "$@" ;; esac; }
for record in "$root"/incidents/*/incident.json; do
  id=$(basename "$(dirname "$record")")
  incidents --db "$work/ci.db" import "$(dirname "$record")" >/dev/null
  incidents --db "$work/ci.db" render "$id" --doc all --out "$work/$id" >/dev/null
  if ! diff -r -x incident.json -x evidence "$root/incidents/$id" "$work/$id"; then
    echo "incidents/$id: rendered documents are stale; run: incidents render $id --doc all" >&2
    exit 1
  fi
  echo "incidents/$id: rendered documents are current"
done
