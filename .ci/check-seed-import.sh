#!/usr/bin/env bash
# Imports the five seed documents (../shared/seeds next to the repository, or $HOKUSAI_SEEDS_DIR)
# with the built `incidents` CLI into an empty database, twice, and checks the result:
#   - the second import changes nothing (every file "unchanged"),
#   - the API key from the seeds is nowhere in the database files,
#   - one incident with the 93 fix tasks (24 top-level, 69 nested) and their done state, the rollback
#     plan (4) and success criteria (5), and the five hypotheses with confidence 85/80/60/40/20:
#     checked in C# by SeedImportTests against this very database ($HOKUSAI_SEED_DB).
# Usage: .ci/check-seed-import.sh [path/to/incidents.dll or incidents executable]
# Needs only the .NET SDK.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${HOKUSAI_SEEDS_DIR:-$root/../shared/seeds}"
names=(bug-investigation.md fix-tasks.md infrastructure-status.md root-cause-analysis.md root-cause-hypotheses.md)
for name in "${names[@]}"; do
  if [ ! -f "$seeds/$name" ]; then
    echo "check-seed-import: skipped: seed document $seeds/$name not found"
    exit 0
  fi
done
seeds="$(cd "$seeds" && pwd)"

cli="${1:-}"
if [ -z "$cli" ]; then
  dotnet build "$root/src/Hokusai.Incidents.Cli" -c Release -nologo -v quiet >/dev/null
  cli="$root/src/Hokusai.Incidents.Cli/bin/Release/net10.0/incidents.dll"
fi
run() {
  case "$cli" in
    *.dll) dotnet "$cli" "$@" ;;
    *) "$cli" "$@" ;;
  esac
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/seeds.db"
files=()
for name in "${names[@]}"; do files+=("$seeds/$name"); done

fail() { echo "check-seed-import: FAILED: $*" >&2; exit 1; }

run import "${files[@]}" --db "$db" --json >"$work/first.json" || fail "first import exited non-zero"
created=$(grep -c '"outcome": "created"' "$work/first.json" || true)
[ "$created" = 1 ] || fail "expected exactly one created incident in the first import, got $created"

run import "${files[@]}" --db "$db" --json >"$work/second.json" || fail "second import exited non-zero"
unchanged=$(grep -c '"outcome": "unchanged"' "$work/second.json" || true)
[ "$unchanged" = 5 ] || fail "re-importing the seeds changed something ($unchanged of 5 files unchanged)"

if grep -q -a 'hk_live_pIDV2HHxM4S7nNYgYjz16MvsazH7DQtN' "$db"*; then
  fail "the API key from the seeds reached the database unredacted"
fi

HOKUSAI_SEEDS_DIR="$seeds" HOKUSAI_SEED_DB="$db" \
  dotnet test "$root/tests/Hokusai.Incidents.Import.Tests" -nologo -v quiet \
  --filter "FullyQualifiedName~Hokusai.Incidents.Import.Tests.SeedImportTests" \
  || fail "structured checks of the imported seeds failed (see the test output above)"

echo "check-seed-import: OK: 5 seeds -> 1 incident; tasks, checklists, hypotheses and redaction as expected"
