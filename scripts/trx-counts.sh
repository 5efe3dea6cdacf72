#!/usr/bin/env bash
# Prints "passed failed skipped" summed over every TRX file under $1.
set -euo pipefail
passed=0 failed=0 skipped=0
while IFS= read -r -d '' trx; do
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    passed=$(( passed + $(get passed) ))
    failed=$(( failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
    skipped=$(( skipped + $(get notExecuted) ))
done < <(find "$1" -name '*.trx' -print0)
echo "$passed $failed $skipped"
