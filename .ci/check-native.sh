#!/usr/bin/env bash
# Publishes incidents the way the README's install does (a native executable, compiled ahead of time)
# and runs through that executable what the tests run in-process: every README example, the seed
# import and the rendered-documents check. The native build cannot make code at run time, so a library
# reaching for reflection or generated code the build did not keep fails here and only here.
# Needs the .NET SDK and a C toolchain the SDK links with (clang, or gcc as on a clean Debian machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${HOKUSAI_NATIVE_BIN:-}" ]; then
  bin="$HOKUSAI_NATIVE_BIN"  # one published already (a local rerun of this check)
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  dotnet publish src/Hokusai.Incidents.Cli -c Release -o "$out" -nologo -v quiet
  bin="$out/incidents"
  [ -x "$bin" ] && ! [ -e "$out/incidents.dll" ] || { echo "check-native: $out holds no native incidents executable" >&2; exit 1; }
fi
"$bin" --version
HOKUSAI_README_CLI="$bin" bash .ci/readme-examples.sh
bash .ci/check-seed-import.sh "$bin"
bash .ci/check-rendered-docs.sh "$bin"

# CloudWatch Logs through the native build: credentials, SigV4 signing and the JSON protocol against the
# tests' fake AWS server on 127.0.0.1, then a search that finds the pulled lines.
dotnet build tests/Hokusai.Incidents.Benchmarks -nologo -v quiet >/dev/null
work=$(mktemp -d)
coproc FAKE { dotnet run --no-build --project tests/Hokusai.Incidents.Benchmarks -- fake-aws /ecs/hokusai-api-development 5000; }
read -r endpoint region key secret <&"${FAKE[0]}"
export HOKUSAI_INCIDENTS_DB="$work/native.db"
"$bin" new "Pulled through the native build" --id native-pull >/dev/null
pulled=$(AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret "$bin" pull logs native-pull --group /ecs/hokusai-api-development \
  --start 2025-08-20T13:00:00Z --end 2025-08-20T15:00:00Z --region "$region" --endpoint-url "$endpoint" --json)
exec {FAKE[1]}>&-
wait "$FAKE_PID" || true
grep -q '"added": 5000' <<<"$pulled" || { echo "check-native: pull logs stored $(grep '"added"' <<<"$pulled")" >&2; exit 1; }
found=$("$bin" search ECONNREFUSED --json)
grep -q '"totalHits": 50,' <<<"$found" || { echo "check-native: search after the pull found: $found" >&2; exit 1; }
rm -rf "$work"
echo "check-native: README examples, seed import, rendered documents and a CloudWatch Logs pull pass through the native build"
