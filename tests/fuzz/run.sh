#!/bin/sh
# Runs the libFuzzer binary once per parser (FUZZ_PARSER=<name>), TOTAL
# seconds split evenly between them, each seeded with every file below
# tests/fixtures and tests/fuzz/regressions (up to 64 KiB). The working
# corpora are kept in <bindir>/corpus/<parser>/ and grow from run to run.
# Crash, leak, timeout and out-of-memory inputs are moved to
# tests/fuzz/regressions/<parser>/, which the unit test test-fuzz-replay
# replays. Extra libFuzzer flags: FUZZ_ARGS="-max_len=65536 ...".
# Exit status 1 when any parser failed.
#   usage: tests/fuzz/run.sh build-fuzz/fuzz-parsers [TOTAL_SECONDS]
set -eu
bin=$1
total=${2:-60}
cd "$(dirname "$0")/../.."
out=$(dirname "$bin")

parsers=$(FUZZ_PARSER=list "$bin")
n=$(printf '%s\n' "$parsers" | wc -l)
# Whole seconds (libFuzzer's unit): the first total % n parsers get one more.
per=$((total / n))
extra=$((total % n))

seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds" "$out/logs"
find tests/fixtures tests/fuzz/regressions -type f -size -65537c 2>/dev/null |
        while IFS= read -r f; do
                cp "$f" "$seeds/$(printf '%s' "$f" | tr '/' '_')"
        done

echo "fuzzing $n parsers for ${total}s in all, $(ls "$seeds" | wc -l) seed files"
failed=""
i=0
for p in $parsers; do
        t=$per
        [ "$i" -ge "$extra" ] || t=$((t + 1))
        i=$((i + 1))
        [ "$t" -ge 1 ] || t=1
        art=$out/artifacts/$p
        rm -rf "$art"
        mkdir -p "$out/corpus/$p" "$art"
        log=$out/logs/$p.log
        rc=0
        # shellcheck disable=SC2086
        FUZZ_PARSER=$p UBSAN_OPTIONS=print_stacktrace=1 "$bin" \
                -max_total_time="$t" -timeout=10 -rss_limit_mb=2048 \
                -print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_ARGS:-} \
                "$out/corpus/$p" "$seeds" >"$log" 2>&1 || rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
        if [ "$rc" -eq 0 ]; then
                printf '  %-20s ok  %3ss %10s runs  %s\n' "$p" "$t" "${runs:-?}" "$cov"
                continue
        fi
        failed="$failed $p"
        printf '  %-20s FAILED  (exit %s, log %s)\n' "$p" "$rc" "$log"
        for a in "$art"/*; do
                [ -f "$a" ] || continue
                mkdir -p "tests/fuzz/regressions/$p"
                mv "$a" "tests/fuzz/regressions/$p/"
                echo "    saved tests/fuzz/regressions/$p/$(basename "$a")"
        done
        grep -E 'ERROR|runtime error|fuzz-parsers:|SUMMARY' "$log" | head -n 5 | sed 's/^/    /'
done

if [ -n "$failed" ]; then
        echo "fuzz: failures in:$failed"
        exit 1
fi
echo "fuzz: no crashes"
