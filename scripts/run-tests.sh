#!/usr/bin/env bash
# `make test`: builds the tests, runs them, and ends with the failures repeated, so the last
# lines of a long log (all a CI summary shows) name the tests that failed and why.
#
# The console gets a short account (each suite's result, every failure); the whole output of
# the build and of the tests goes to .build/test-build.log and .build/test-output.log.
# TEST_OUTPUT=full streams everything instead. CI logs that capture a bounded amount of output
# stay whole that way, and nothing waits on a reader that stopped reading.
#
# A watchdog ends a run that stops making progress: no output for TEST_STALL_SECONDS (the
# longest test takes ~20 s and every test prints when it starts) or more than
# TEST_TIME_LIMIT_SECONDS in all. It prints the test under way and every thread's stack (with
# gdb, when installed) before killing the run, so a hang fails in minutes with a diagnosis
# instead of running into CI's own time limit.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
STALL=${TEST_STALL_SECONDS:-300}
LIMIT=${TEST_TIME_LIMIT_SECONDS:-2400}
OUTPUT=${TEST_OUTPUT:-short}
mkdir -p .build
build_log=.build/test-build.log
log=.build/test-output.log

echo "building the tests (output: $build_log)"
build_started=$SECONDS
$SWIFT build --build-tests > "$build_log" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
    echo "== the build failed; its errors, then its last lines =="
    grep -E ': (error|fatal error):' "$build_log" | sort -u | cut -c1-400 | head -n 60
    echo "--"
    tail -n 40 "$build_log" | cut -c1-400
    exit "$status"
fi
echo "built in $((SECONDS - build_started)) s ($(grep -c ': warning:' "$build_log") warning lines)"
echo "running the tests (output: $log)"

# Line-buffered (stdout into a file is otherwise flushed every 4 KiB): the output file, and so
# the watchdog's "tests under way", are up to the moment.
linebuffered=()
command -v stdbuf > /dev/null && linebuffered=(stdbuf -oL -eL)
# The run's own process group, so the watchdog can end it and everything it started.
set -m
: > "$log"  # there before the follower below starts: `tail -f` gives up on a file that is not
"${linebuffered[@]}" $SWIFT test --skip-build --no-parallel "$@" > "$log" 2>&1 &
runner=$!
set +m
if [ "$OUTPUT" = full ]; then
    tail -n +1 -f --pid="$runner" "$log" &
else
    # Suites' results and failures as they happen; at most 200 failure lines.
    tail -n +1 -f --pid="$runner" "$log" | awk '
        /^(✔|✘) Suite / || /^(✔|✘) Test run / { print; fflush(); next }
        /^✘ / { if (++failures <= 200) print substr($0, 1, 400); else if (failures == 201) print "(more failures in the output file)"; fflush() }
    ' &
fi
follower=$!

# Every process under `runner`, deepest last.
descendants() {
    local children
    children=$(pgrep -P "$1" || true)
    for child in $children; do
        echo "$child"
        descendants "$child"
    done
}

# Tests that printed "started" and neither "passed" nor "failed" yet.
running_tests() {
    awk '
        /^◇ Test case passing / { next }  # a parameterized test'"'"'s case: its test is listed
        /^◇ Test .* started\.$/ { name = substr($0, length("◇ Test ") + 1); sub(/ started\.$/, "", name); open[name] = 1 }
        /^(✔|✘) Test .* (passed|failed) / {
            name = substr($0, length("✔ Test ") + 1)
            sub(/ (with [0-9]+ test cases? )?(passed|failed) .*$/, "", name)
            delete open[name]
        }
        END { for (name in open) print "  " name }
    ' "$log"
}

stuck() {
    echo
    echo "== the test run is stuck: $1 =="
    echo "tests under way:"
    running_tests
    for pid in $(descendants "$runner"); do
        echo "-- process $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)"
        if command -v gdb > /dev/null; then
            timeout 120 gdb -p "$pid" -batch -nx -ex "set pagination off" -ex "thread apply all bt 30" 2>&1 \
                | grep -E '^(Thread|#)' | cut -c1-240 | head -n 400
        else
            for task in /proc/"$pid"/task/*; do
                echo "   thread ${task##*/} $(cat "$task/comm" 2>/dev/null) waits in $(cat "$task/wchan" 2>/dev/null)"
            done
        fi
    done
    kill -TERM -- "-$runner" 2> /dev/null
    sleep 5
    kill -KILL -- "-$runner" 2> /dev/null
}

started=$SECONDS
last_change=$SECONDS
last_size=0
verdict=""
while kill -0 "$runner" 2> /dev/null; do
    sleep 2
    size=$(stat -c %s "$log" 2> /dev/null || echo 0)
    if [ "$size" != "$last_size" ]; then
        last_size=$size
        last_change=$SECONDS
    fi
    if (( SECONDS - last_change > STALL )); then
        verdict="no output for ${STALL} s"
    elif (( SECONDS - started > LIMIT )); then
        verdict="still running after ${LIMIT} s"
    fi
    if [ -n "$verdict" ]; then
        stuck "$verdict"
        break
    fi
done
wait "$runner"
status=$?
wait "$follower" 2> /dev/null
[ -n "$verdict" ] && status=124

if [ "$status" -ne 0 ]; then
    echo
    echo "== failures (repeated from above) =="
    # Swift Testing marks every failed expectation, test and suite with ✘; the lines after an
    # issue carry the values the expectation saw.
    grep -n -A3 '✘' "$log" | grep -v -e '^--$' | cut -c1-400 | head -n 80
    if ! grep -q '✘' "$log"; then
        echo "(none recorded; the output ends with)"
        tail -n 40 "$log" | cut -c1-400
    fi
    [ -n "$verdict" ] && echo "== stuck: $verdict; see the tests under way and the stacks above =="
    echo "== swift test exited with $status =="
fi
exit "$status"
