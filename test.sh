#!/usr/bin/env bash
# The whole test suite: installs PostgreSQL and Redis when missing, starts throwaway instances on
# free loopback ports, runs every test project, stops the instances, and ends with
# "N passed, N failed, N skipped". Exits non-zero on any failure. Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/infra.sh

results=$(mktemp -d /tmp/safegram-tests.XXXXXX)
cleanup() { infra_stop; rm -rf "$results"; }
trap cleanup EXIT

infra_install
infra_start

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
status=0
dotnet build SafeGram.sln -c Release -nologo -v quiet || status=$?
# The process tests run the silo and the gateway as their container images ship them: published self-contained and
# trimmed (TrimmedPublish.targets), so anything trimming broke fails here.
export SAFEGRAM_PUBLISHED_SILO="$results/silo" SAFEGRAM_PUBLISHED_GATEWAY="$results/gateway"
for app in Silo Gateway; do
    [ "$status" -eq 0 ] || break
    dotnet publish "$app/$app.csproj" -c Release --use-current-runtime -nologo -v quiet -o "$results/${app,,}" || status=$?
done
if [ "$status" -eq 0 ]; then
    # Projects run one after another: on two cores, parallel clusters only fight for the CPU.
    dotnet test SafeGram.sln -c Release --no-build -m:1 \
        --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
        --blame-hang-timeout 10m "$@" || status=$?
fi

scripts/trx-failures.sh "$results" || true
read -r passed failed skipped < <(scripts/trx-counts.sh "$results")
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
