#!/usr/bin/env bash
# Fuzz the parse → fix → diff pipeline (fuzz/fuzz_targets/pipeline.rs) with libFuzzer for
# N minutes, seeded from ../shared/corpus and testdata/.
#
#   scripts/fuzz.sh N_MINUTES        (FUZZ_JOBS=2 for two processes; default 1)
#
# Needs a nightly toolchain (`rustup toolchain list`) and a C++ compiler (libFuzzer is built
# from source by the libfuzzer-sys crate). The growing corpus is kept in fuzz/corpus/ and
# crashing inputs land in fuzz/artifacts/ (both ignored by git): a crash becomes a file in
# tests/regressions/ (replayed by tests/properties.rs) and a fix. Prints libFuzzer's execution
# counts at the end.
set -euo pipefail

minutes=${1:?usage: scripts/fuzz.sh N_MINUTES}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo/fuzz"
shared=${DOCKFIX_CORPUS:-$repo/../shared/corpus}
jobs=${FUZZ_JOBS:-1}
host=$(rustc -vV | sed -n 's/^host: //p')

rustup toolchain list | grep -q '^nightly' || {
    echo "scripts/fuzz.sh: a nightly toolchain is needed (rustup toolchain install nightly)" >&2
    exit 2
}

# What cargo-fuzz sets: sanitizer-coverage for libFuzzer's guidance, `cfg(fuzzing)`, and
# debug assertions and overflow checks (fuzz/Cargo.toml's release profile). --target keeps
# the flags off build scripts and proc macros.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
export CARGO_TARGET_DIR=$repo/fuzz/target
cargo +nightly build --quiet --release --target "$host" --bin pipeline
binary=$CARGO_TARGET_DIR/$host/release/pipeline

# Seeds: every corpus file and fixture, copied once (libFuzzer reads directories).
seeds=$repo/fuzz/seeds
if [[ ! -d $seeds ]]; then
    mkdir -p "$seeds"
    n=0
    while IFS= read -r -d '' file; do
        n=$((n + 1))
        cp "$file" "$seeds/$n"
    done < <(find "$repo/testdata" "$shared/files" -type f -size -64k -print0 2>/dev/null)
fi
mkdir -p corpus/pipeline artifacts
start=$(date +%s)
# Fork mode: a crash, timeout or out-of-memory input is saved and fuzzing goes on.
"$binary" corpus/pipeline "$seeds" \
    -dict="$repo/fuzz/dockerfile.dict" \
    -max_total_time=$((minutes * 60)) \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$repo/fuzz/artifacts/" >fuzz.log 2>&1 || true
grep -E '^#[0-9]+: cov' fuzz.log | tail -1
crashes=$(find artifacts -type f -newermt "@$start" | wc -l)
echo "fuzzed $(($(date +%s) - start)) s; corpus: $(ls corpus/pipeline | wc -l) inputs; new crashing inputs: $crashes (fuzz/artifacts/; details in fuzz/fuzz.log)"
[[ $crashes -eq 0 ]]
