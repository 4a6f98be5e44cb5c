#!/usr/bin/env bash
# `incidents sync`, its tests and the README's "Sharing with your team" example drive the real git
# command line; CI installs nothing but the .NET SDK, so say clearly when git is missing.
set -euo pipefail
if ! command -v git >/dev/null 2>&1; then
  echo "check-git: FAILED: git is not on PATH; incidents sync and its tests need the git command line" >&2
  exit 1
fi
echo "check-git: OK: $(git --version)"
