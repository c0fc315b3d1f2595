#!/usr/bin/env bash
# Throughput of `dockfix --diff` over the whole corpus, on 1 and on 2 threads.
#
#   benches/throughput.sh [CORPUS_DIR]      (default: ../shared/corpus beside the repository)
#   RUNS=20 benches/throughput.sh           (runs per configuration; default 10)
#   NO_HYPERFINE=1 benches/throughput.sh    (time with date +%s.%N even if hyperfine is there)
#
# Builds with `cargo build --release` first. Uses hyperfine when it is installed
# (apt-get install -y hyperfine), else times RUNS runs with `date +%s.%N` and takes the median.
# --diff only reads the files, so it runs on the corpus itself. The lines after "results:" are
# meant to be pasted into issue notes.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$repo/../shared/corpus}
runs=${RUNS:-10}
warmup=${WARMUP:-2}

if [[ ! -f $corpus/MANIFEST.tsv ]]; then
    echo "throughput: skipped ($corpus has no MANIFEST.tsv)"
    exit 0
fi
corpus=$(cd "$corpus" && pwd)
target=$corpus/files

(cd "$repo" && cargo build --release --quiet)
dockfix=$repo/target/release/dockfix

# How many files one run processes (and a sanity check that the binary works on the corpus).
status=0
stats=$("$dockfix" --diff --statistics -q "$target" 2>/dev/null | grep '^files: ') || status=$?
files=$(sed -n 's/^files: \([0-9]*\),.*/\1/p' <<<"$stats")
if [[ -z $files || $files -eq 0 ]]; then
    echo "throughput: error: dockfix --diff --statistics found no files in $target" >&2
    exit 2
fi
expected=$(($(wc -l <"$corpus/MANIFEST.tsv") - 1))

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo "+dirty" || true)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)

median_of() { # numbers on stdin → their median
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Prints "median stddev-or-spread method" in seconds for one thread count.
measure() {
    local threads=$1
    if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
        local json log
        json=$(mktemp)
        log=$(mktemp)
        # --ignore-failure: --diff exits 1 when files would change. Its warnings about that go
        # to the log, shown only when hyperfine itself fails.
        if ! RAYON_NUM_THREADS=$threads hyperfine --shell=none --ignore-failure --style none \
            --warmup "$warmup" --runs "$runs" --export-json "$json" \
            "$dockfix --diff -q $target" >/dev/null 2>"$log"; then
            cat "$log" >&2
            exit 2
        fi
        rm -f "$log"
        python3 - "$json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['median']:.4f} {r['stddev'] or 0:.4f} hyperfine")
EOF
        rm -f "$json"
    else
        local i start end times=()
        for ((i = 0; i < warmup; i++)); do
            RAYON_NUM_THREADS=$threads "$dockfix" --diff -q "$target" >/dev/null 2>&1 || true
        done
        for ((i = 0; i < runs; i++)); do
            start=$(date +%s.%N)
            RAYON_NUM_THREADS=$threads "$dockfix" --diff -q "$target" >/dev/null 2>&1 || true
            end=$(date +%s.%N)
            times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }')")
        done
        local median min max
        median=$(printf '%s\n' "${times[@]}" | median_of)
        min=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
        max=$(printf '%s\n' "${times[@]}" | sort -g | tail -1)
        awk -v m="$median" -v lo="$min" -v hi="$max" 'BEGIN { printf "%.4f %.4f date\n", m, (hi - lo) / 2 }'
    fi
}

echo "dockfix $commit$dirty, $(nproc) CPUs ($cpu), corpus $corpus"
echo "files processed per run: $files (MANIFEST: $expected); $stats"
echo "results:"
for threads in 1 2; do
    read -r seconds spread method < <(measure "$threads")
    awk -v t="$threads" -v f="$files" -v s="$seconds" -v d="$spread" -v m="$method" -v n="$runs" 'BEGIN {
        printf "throughput --diff, %d thread%s: %d files in %.3f s (median of %d, %s, ±%.3f s) = %.0f files/s, %.3f ms/file\n",
            t, (t == 1 ? "" : "s"), f, s, n, m, d, f / s, 1000 * s / f
    }'
done

# Scale: the corpus replicated ×10 (hard links in a temporary tree), one run per thread count:
# time should grow linearly and the peak RSS stay flat (results are printed as they complete).
# Hard links are distinct files to dockfix (a write replaces one name), so each copy is processed.
if [[ -z ${NO_SCALE:-} ]]; then
    scale=$(mktemp -d)
    trap 'rm -rf "$scale"' EXIT
    for copy in 0 1 2 3 4 5 6 7 8 9; do
        cp -al "$target" "$scale/$copy" 2>/dev/null || cp -r "$target" "$scale/$copy"
    done
    for threads in 1 2; do
        /usr/bin/time -f '%e %M' -o "$scale/time" env RAYON_NUM_THREADS=$threads \
            "$dockfix" --diff -q "$scale" >/dev/null 2>&1 || true
        read -r seconds rss < <(tail -1 "$scale/time")
        awk -v t="$threads" -v f="$((files * 10))" -v s="$seconds" -v r="$rss" 'BEGIN {
            printf "scale ×10 --diff, %d thread%s: %d files in %.2f s = %.0f files/s, peak RSS %.1f MB\n",
                t, (t == 1 ? "" : "s"), f, s, f / s, r / 1024
        }'
    done
fi
