#!/usr/bin/env bash
# Runs every AgentFabric test: restores, builds (Release), runs each xunit project, then OPA's conformance
# cases (when ../shared/conformance is beside the repository) against the committed ratchet.
# Installs what the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

log() { printf '\n== %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH" >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log "build (Release)"
dotnet build AgentFabric.slnx -c Release -nologo -clp:ErrorsOnly

log "PostgreSQL for the server's datastore contract tests"
# shellcheck source=scripts/test-postgres.sh
source scripts/test-postgres.sh
agentfabric_start_postgres

log "chromium for the browser tests"
# shellcheck source=scripts/test-chromium.sh
source scripts/test-chromium.sh
agentfabric_start_chromium
screenshots=tests/AgentFabric.Browser.Tests/TestResults/screenshots
rm -rf "$screenshots" # only this run's

log "unit and integration tests"
results=$(mktemp -d)
trap 'rm -rf "$results"; agentfabric_stop_postgres' EXIT
status=0
dotnet test AgentFabric.slnx -c Release --no-build -nologo 2>&1 | tee "$results/test.log" || status=$?

passed=0; failed=0; skipped=0
while read -r f p s; do
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done < <(sed -nE 's/.*(Passed|Failed)!.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \3 \4/p' "$results/test.log")

log "Rego policy library tests (agentfabric policy test src/AgentFabric.Authorization/PolicyLibrary)"
library_status=0
dotnet run --project src/AgentFabric.Cli -c Release --no-build -- policy test src/AgentFabric.Authorization/PolicyLibrary \
  || library_status=$?

log "Research sample policy tests (agentfabric policy test samples/ResearchAgents/policy, on the library)"
dotnet run --project src/AgentFabric.Cli -c Release --no-build -- policy test src/AgentFabric.Authorization/PolicyLibrary samples/ResearchAgents/policy \
  --run '^data\.agentfabric\.samples\.' || library_status=$?

conformance_status=0
conformance_dir="$root/../shared/conformance/opa"
compile_dir="$root/../shared/conformance/opa-compile"
runner=tests/AgentFabric.Rego.Conformance
if [ -d "$conformance_dir" ] && [ -f "$runner/ratchet.txt" ]; then
  log "OPA conformance cases ($conformance_dir, $compile_dir)"
  # ratchet.txt lists "<folder> <passed>/<total>" per case folder; the runner fails when a folder passes fewer cases
  # and prints the lines to change when one passes more (--update-ratchet rewrites the file).
  dotnet run --project "$runner" -c Release --no-build -- \
    --ratchet "$runner/ratchet.txt" "$conformance_dir" "$compile_dir" | tee "$results/conformance.log" || conformance_status=$?
else
  log "OPA conformance cases: SKIPPED ($conformance_dir or $runner/ratchet.txt is not present)"
fi

if compgen -G "$screenshots/*.png" >/dev/null; then
  log "browser screenshots"
  ls -1 "$root/$screenshots"/*.png
fi

echo
echo "xunit: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  echo "test.sh: unit tests failed" >&2
  exit 1
fi
if [ "$library_status" -ne 0 ]; then
  echo "test.sh: the policy library's Rego tests failed" >&2
  exit 1
fi
if [ "$conformance_status" -ne 0 ]; then
  echo "test.sh: conformance run failed or fell below the ratchet" >&2
  exit 1
fi
