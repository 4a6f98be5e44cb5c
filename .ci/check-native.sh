#!/usr/bin/env bash
# Publishes incidents the way the README's install does (a native executable, compiled ahead of time)
# and runs through that executable what the tests run in-process: every README example, the seed
# import, the rendered-documents check, AWS pulls with each kind of credentials, and searches compared
# with the JIT build's answers. The native build cannot make code at run time and keeps only the types
# it sees used, so a library reaching by reflection for one it did not keep fails here and only here.
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
pull() { "$bin" pull logs native-pull --group /ecs/hokusai-api-development --start 2025-08-20T13:00:00Z \
  --end 2025-08-20T15:00:00Z --region "$region" --endpoint-url "$endpoint" "$@"; }
pulled=$(AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret pull --json)
grep -q '"added": 5000' <<<"$pulled" || { echo "check-native: pull logs stored $(grep '"added"' <<<"$pulled")" >&2; exit 1; }

# Credentials that only the AWS SDK resolves, through the native build: a credential_process helper,
# the ECS container endpoint (the fake serves it), and the default chain finding nothing. The SDK is
# trimmed like any library, so one of its providers missing from the build fails here.
(
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
  export AWS_EC2_METADATA_DISABLED=true AWS_SHARED_CREDENTIALS_FILE="$work/credentials" AWS_CONFIG_FILE="$work/config"
  : > "$work/config"
  printf '#!/bin/sh\necho '"'"'{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}'"'"'\n' "$key" "$secret" > "$work/helper.sh"
  chmod +x "$work/helper.sh"
  printf '[helper]\ncredential_process = %s\n' "$work/helper.sh" > "$work/credentials"
  pull --profile helper >/dev/null || { echo "check-native: a credential_process profile did not sign" >&2; exit 1; }
  : > "$work/credentials"
  AWS_CONTAINER_CREDENTIALS_FULL_URI="${endpoint%/}/container-credentials" pull >/dev/null \
    || { echo "check-native: the ECS container credentials did not sign" >&2; exit 1; }
  set +e
  none=$(pull 2>&1); code=$?
  set -e
  [ "$code" = 2 ] && grep -q "^incidents: error: no AWS credentials found" <<<"$none" \
    || { echo "check-native: without credentials pull said (exit $code): $none" >&2; exit 1; }
)
exec {FAKE[1]}>&-
wait "$FAKE_PID" || true
found=$("$bin" search ECONNREFUSED --json)
grep -q '"totalHits": 50,' <<<"$found" || { echo "check-native: search after the pull found: $found" >&2; exit 1; }
rm -rf "$work"
# Search, similar incidents and reindexing answer through the native build exactly as through the JIT
# build ($1, the CLI .ci/run built): a Lucene.Net codec, token attribute or query class that trimming
# left out of the native build would fail or change these answers, and no other check reaches them all.
jit="${1:-}"
if [ -n "$jit" ] && [ -f "$jit" ]; then
  parity=$(mktemp -d)
  queries=('"model registration"' 'regist*' 'mlflow AND NOT redirect' '(dns OR certificate) AND timeout'
    'kind:hypothesis token' 'severity:sev1 database' '/api/mlflow/health'
    '10.0.3.219:5000' 'connection pool exhausted' 'replica*' 'databse~' 'status:resolved rollback' 'exit code 137' '"connection refused" OR 5xx')
  for build in jit native; do
    if [ "$build" = jit ]; then cli=(dotnet "$jit"); else cli=("$bin"); fi
    mkdir "$parity/$build"
    export HOKUSAI_INCIDENTS_DB="$parity/$build/incidents.db"
    {
      "${cli[@]}" import incidents/2025-08-18-model-registration-failure tests/Hokusai.Incidents.Import.Tests/Fixtures/Archive \
        tests/Hokusai.Incidents.Import.Tests/Fixtures/Shapes --json
      for q in "${queries[@]}"; do
        echo "--- search $q"
        "${cli[@]}" search "$q" --json 2>&1 || echo "exit $?"
        "${cli[@]}" search "$q" --any --kind task --limit 3 --json 2>&1 || echo "exit $?"
      done
      for id in $("${cli[@]}" list --json | grep -o '"id": "[^"]*"' | cut -d'"' -f4 | head -4); do
        echo "--- similar $id"
        "${cli[@]}" similar "$id" --json
      done
      "${cli[@]}" reindex
      "${cli[@]}" search '"model registration"' --json
    } 2>&1 | sed "s|$parity/$build|DIR|g" > "$parity/$build.out" \
      || { tail -5 "$parity/$build.out" >&2; echo "check-native: a search step failed through the $build build (above)" >&2; exit 1; }
  done
  diff -u "$parity/jit.out" "$parity/native.out" >&2 || { echo "check-native: search through the native build differs from the JIT build (above)" >&2; exit 1; }
  echo "check-native: $(grep -c '^--- ' "$parity/native.out") searches and similar-incident lookups answer as in the JIT build"
  rm -rf "$parity"
fi
echo "check-native: README examples, seed import, rendered documents, CloudWatch Logs pulls with each kind of credentials and search pass through the native build"
