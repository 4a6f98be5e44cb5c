#!/usr/bin/env bash
# Packs incidents as a .NET tool, installs it into a temporary tool path, and runs `incidents --version`,
# one README example (from a directory outside the repository, so the templates must come from the
# package) and the bash completion with it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-tool-pack: $*" >&2; exit 1; }

# CI has just built Debug; packing that build is enough to check the package's shape.
if [ -f src/Hokusai.Incidents.Cli/bin/Debug/net10.0/incidents.dll ]; then
  dotnet pack src/Hokusai.Incidents.Cli -c Debug --no-build -o "$work/packages"
else
  dotnet pack src/Hokusai.Incidents.Cli -c Release -o "$work/packages"
fi
# A private package cache: an older 0.1.0 left in ~/.nuget/packages must not be installed instead.
NUGET_PACKAGES="$work/nuget" dotnet tool install --tool-path "$work/tools" --add-source "$work/packages" Hokusai.Incidents
export PATH="$work/tools:$PATH"

version=$(incidents --version)
echo "incidents --version: $version"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version printed '$version', not a version"
if commit=$(git rev-parse HEAD 2>/dev/null); then
  [[ "$version" == *"+$commit"* ]] || fail "--version '$version' does not name the commit $commit"
fi

cd "$work"
export HOKUSAI_INCIDENTS_DB="$work/incidents.db"
incidents import "$repo/incidents/2025-08-18-model-registration-failure"
incidents render 2025-08-18-model-registration-failure --doc postmortem > postmortem.md
grep -q '^# ' postmortem.md || fail "the installed tool rendered no postmortem"

# bash completion offers the incident id, as Tab would.
source <(incidents completion bash)
COMP_LINE="incidents show 2025" COMP_POINT=${#COMP_LINE} COMP_WORDS=(incidents show 2025) COMP_CWORD=2
_incidents_complete
[[ " ${COMPREPLY[*]} " == *" 2025-08-18-model-registration-failure "* ]] || fail "bash completion offered '${COMPREPLY[*]}'"
echo "tool package: installed, --version, render and bash completion work"
