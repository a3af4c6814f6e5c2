#!/bin/sh
# Runs every unit-test binary given as an argument and prints one summary
# line "N passed, N failed" (test cases, summed over binaries).
passed=0 failed=0 broken=""
for t in "$@"; do
        out=$("$t" 2>&1); rc=$?
        printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|^\[ +(FAILED|ERROR) +\]' >/dev/null && printf '%s\n' "$out"
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
        passed=$((passed + ${p:-0}))
        failed=$((failed + ${f:-0}))
        if [ $rc -ne 0 ]; then
                [ -z "$f" ] && failed=$((failed + 1)) && printf '%s\n' "$out"
                broken="$broken $(basename "$t")"
        fi
done
echo "unit tests: $passed passed, $failed failed"
[ -z "$broken" ] || { echo "failing test binaries:$broken"; exit 1; }
