#!/usr/bin/env bash
# Installs PowerShell 7 as a .NET global tool (the tests that drive pwsh need it); keeps an existing install.
set -euo pipefail
export PATH="$HOME/.dotnet/tools:$PATH"
if command -v pwsh >/dev/null 2>&1; then
  echo "pwsh $(pwsh -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()') already installed"
  exit 0
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "pwsh is missing and so is the .NET SDK that installs it; install either one" >&2
  exit 1
fi
dotnet tool install --global PowerShell --version 7.6.9 || dotnet tool update --global PowerShell --version 7.6.9
pwsh -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()'
