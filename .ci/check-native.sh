#!/usr/bin/env bash
# Publishes incidents the way the README's install does (a native executable, compiled ahead of time)
# and runs through that executable what the tests run in-process: every README example, the seed
# import and the rendered-documents check. The native build cannot make code at run time, so a library
# reaching for reflection or generated code the build did not keep fails here and only here.
# Needs the .NET SDK and a C toolchain the SDK links with (clang, or gcc as on a clean Debian machine).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet publish src/Hokusai.Incidents.Cli -c Release -o "$out" -nologo -v quiet
bin="$out/incidents"
[ -x "$bin" ] && ! [ -e "$out/incidents.dll" ] || { echo "check-native: $out holds no native incidents executable" >&2; exit 1; }
"$bin" --version
HOKUSAI_README_CLI="$bin" bash .ci/readme-examples.sh
bash .ci/check-seed-import.sh "$bin"
bash .ci/check-rendered-docs.sh "$bin"
echo "check-native: README examples, seed import and rendered documents pass through the native build"
