#!/usr/bin/env bash
# Prints every failed test under $1 (TRX files) with the first lines of its message, so that a log cut to its
# last lines still says what failed.
set -euo pipefail
find "$1" -name '*.trx' -print0 | xargs -0 -r awk '
    function unescape(text) {
        gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&quot;/, "\"", text); gsub(/&apos;/, "\047", text)
        gsub(/&amp;/, "\\&", text)
        return text
    }
    /<UnitTestResult / && /outcome="Failed"/ {
        match($0, /testName="[^"]*"/)
        print "FAILED " unescape(substr($0, RSTART + 10, RLENGTH - 11))
        failed = 1; lines = 0
    }
    failed && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
    failed && inMessage {
        done = sub(/<\/Message>.*/, "")
        if (lines++ < 6) print "    " unescape($0)
        if (done) { inMessage = 0; failed = 0 }
    }
'
