#!/usr/bin/env bash
# End-to-end check of dockfix on real builds: every fixture under testdata/e2e/<case>/ is built
# as written and after `dockfix --write`, and the two images are compared — size, the files
# in the image (cache/index directories set aside), a smoke check of the app, and the time of a
# rebuild after one source file changed. The table goes to stdout and target/e2e-report.md.
#
#   scripts/e2e.sh [--quick] [--dockfix PATH] [CASE...]
#
#   --quick        only the cases whose e2e.conf has QUICK=1 (the CI subset)
#   --dockfix P    the binary to test (default target/release/dockfix, built when missing)
#
# Needs a running Docker engine (the legacy builder is enough), Python 3, and debootstrap
# (installed with apt-get when missing). No image registry is needed: the base images the
# fixtures name in FROM are made here — `debian:bookworm-slim` by debootstrap from the Debian
# mirror apt on this machine uses (or $DOCKFIX_E2E_MIRROR), the others from
# scripts/e2e-bases/*.Dockerfile — and are rebuilt only when their recipe changes (the recipe's
# hash is a label on the image). Python packages come from wheels downloaded on the host
# (`pip download`) and served on 127.0.0.1:3141 to builds run with `--network host`.
#
# Exit status: 0 when every case built, passed its smoke check on both sides and showed no
# unexplained file difference; 1 otherwise; 2 when it cannot run here.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scripts=$repo/scripts
work=$repo/target/e2e
export DOCKER_BUILDKIT=0
index_port=3141

quick=0
dockfix=$repo/target/release/dockfix
cases=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) quick=1 ;;
        --dockfix) dockfix=$2; shift ;;
        -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
        -*) echo "e2e: unknown option $1" >&2; exit 2 ;;
        *) cases+=("$1") ;;
    esac
    shift
done

log() { echo "e2e: $*" >&2; }
die() { log "$*"; exit 2; }

docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed)"
command -v python3 >/dev/null || die "python3 is missing"
if [[ ! -x $dockfix ]]; then
    (cd "$repo" && cargo build --release --quiet)
fi
mkdir -p "$work"

# The Debian mirror apt on this machine is configured with (never written into the repo).
mirror() {
    if [[ -n ${DOCKFIX_E2E_MIRROR:-} ]]; then
        echo "$DOCKFIX_E2E_MIRROR"
        return
    fi
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        awk '/^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") { print uri; exit } }' "$f"
    done | head -1 | grep . && return
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' | grep . && return
    echo "http://deb.debian.org/debian"
}

recipe_label=dockfix.e2e.recipe
has_recipe() {
    [[ $(docker image inspect -f "{{index .Config.Labels \"$recipe_label\"}}" "$1" 2>/dev/null) == "$2" ]]
}

debian_hash=$(cat "$scripts/e2e-bases/debian-slim.sh" <(echo "debootstrap --variant=minbase bookworm") | sha256sum | cut -c1-16)

base_debian() {
    has_recipe debian:bookworm-slim "$debian_hash" && return
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap"
        apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null
    fi
    local root=$work/rootfs start=$SECONDS
    rm -rf "$root"
    log "debootstrap bookworm (minbase) …"
    debootstrap --variant=minbase bookworm "$root" "$(mirror)" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log: $work/debootstrap.log)"; }
    bash "$scripts/e2e-bases/debian-slim.sh" "$root"
    tar -C "$root" -c . | docker import \
        --change 'CMD ["bash"]' --change "LABEL $recipe_label=$debian_hash" - debian:bookworm-slim >/dev/null
    rm -rf "$root"
    log "debian:bookworm-slim made in $((SECONDS - start)) s"
}

# base_derived NAME TAG [ALIAS...]: build scripts/e2e-bases/NAME.Dockerfile FROM the Debian base
# as TAG, also tagged ALIAS (other names of the same official image, as DF300 may write them).
base_derived() {
    local file=$scripts/e2e-bases/$1.Dockerfile tag=$2 hash start=$SECONDS alias
    hash=$(cat "$file" <(echo "$debian_hash") | sha256sum | cut -c1-16)
    if ! has_recipe "$tag" "$hash"; then
        log "building $tag from $(basename "$file") …"
        docker build --network host --label "$recipe_label=$hash" -t "$tag" -f "$file" "$scripts/e2e-bases" \
            >"$work/base-$1.log" 2>&1 || { tail -20 "$work/base-$1.log" >&2; die "$tag: the build failed"; }
        log "$tag made in $((SECONDS - start)) s"
    fi
    for alias in "${@:3}"; do
        has_recipe "$alias" "$hash" || docker tag "$tag" "$alias"
    done
}

# base NAME...: make the base images a case names in BASE.
base() {
    base_debian
    local name
    for name in "$@"; do
        case $name in
            debian) ;;
            python) base_derived python python:3.11-slim python:3.11-slim-bookworm ;;
            python-full) base_derived python-full python:3.11-bookworm ;;
            node) base_derived node node:18-bookworm-slim ;;
            node-full) base_derived node-full node:18-bookworm ;;
            nginx) base_derived nginx nginx:stable-bookworm ;;
            maven) base_derived maven maven:3.8-eclipse-temurin-17 ;;
            temurin-jre) base_derived temurin-jre eclipse-temurin:17-jre ;;
            golang) base_derived golang golang:1.19-bookworm ;;
            rust) base_derived rust rust:1.63-bookworm ;;
            *) die "unknown base $name" ;;
        esac
    done
}

index_pid=
stop_index() { [[ -z $index_pid ]] || kill "$index_pid" 2>/dev/null || true; }
trap stop_index EXIT

# Download the wheels every case needs and serve them on loopback, once.
start_index() {
    [[ -z $index_pid ]] || return 0
    local wheels=$work/wheels reqs
    reqs=$(cat "$repo"/testdata/e2e/*/e2e.conf | sed -n 's/^WHEELS="\(.*\)"/\1/p' | tr ' ' '\n' | sort -u)
    mkdir -p "$wheels"
    if [[ $(cat "$wheels/.requirements" 2>/dev/null) != "$reqs" ]]; then
        log "pip download $(echo $reqs)"
        # shellcheck disable=SC2086
        python3 -m pip download --quiet --only-binary=:all: --python-version 3.11 \
            --implementation cp --platform manylinux2014_x86_64 -d "$wheels" $reqs
        echo "$reqs" >"$wheels/.requirements"
    fi
    if (echo >"/dev/tcp/127.0.0.1/$index_port") 2>/dev/null; then
        die "port $index_port is taken: the local package index cannot start"
    fi
    python3 "$scripts/e2e.py" serve "$wheels" "$index_port" &
    index_pid=$!
    local i
    for i in $(seq 50); do
        curl -fs "http://127.0.0.1:$index_port/simple/" >/dev/null && return
        sleep 0.1
    done
    die "the local package index did not start"
}

# build DIR TAG LOG: build and print the wall seconds.
build() {
    local start
    start=$(date +%s.%N)
    docker build --network host -t "$2" "$1" >"$3" 2>&1 || { tail -30 "$3" >&2; return 1; }
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# smoke IMAGE PORT EXPECT: run the image, GET / on PORT, the body must contain EXPECT.
smoke() {
    local cid port body i
    cid=$(docker run -d -p "127.0.0.1::$2" "$1")
    port=$(docker port "$cid" "$2/tcp" | head -1 | sed 's/.*://')
    body=
    for i in $(seq 100); do
        body=$(curl -fs "http://127.0.0.1:$port/" 2>/dev/null) && break
        sleep 0.2
    done
    docker rm -f "$cid" >/dev/null
    [[ $body == *"$3"* ]] || { log "$1: expected '$3' from port $2, got '${body:0:200}'"; return 1; }
}

inventory() {
    local cid
    cid=$(docker create "$1")
    docker export "$cid" | python3 "$scripts/e2e.py" inventory "$2"
    docker rm "$cid" >/dev/null
}

cached_steps() { grep -c -- '---> Using cache' "$1" || true; }

failed=0
run_case() {
    local case=$1 dir=$repo/testdata/e2e/$1
    local PROVES="" BASE="" FIXES=safe EXPECT="" WHEELS="" GIT=0 SMOKE_PORT="" SMOKE_PORT_AFTER="" SMOKE_EXPECT="" EDIT="" QUICK=0 EXPECTED_OTHER="" IGNORE="" SMALLER=0
    # shellcheck disable=SC1091
    source "$dir/e2e.conf"
    local out=$work/$case
    rm -rf "$out"
    mkdir -p "$out"
    log "== $case =="
    # Every image the case's FROM lines name, the runtime a fix adds included.
    # shellcheck disable=SC2086
    base $BASE
    [[ -z $WHEELS ]] || start_index
    local side
    for side in before after; do
        cp -r "$dir" "$out/$side"
        rm "$out/$side/e2e.conf"
        if [[ $GIT == 1 ]]; then
            # The same repository on both sides: fixed dates give the same object names.
            (cd "$out/$side" && git init -q && git add -A \
                && GIT_AUTHOR_DATE=2024-01-01T00:00:00Z GIT_COMMITTER_DATE=2024-01-01T00:00:00Z \
                    git -c user.name=e2e -c user.email=e2e@example.invalid commit -qm fixture)
        fi
    done
    local flags=()
    [[ $FIXES == safe ]] || flags+=(--unsafe-fixes)
    [[ -z $IGNORE ]] || flags+=(--ignore "$IGNORE")
    "$dockfix" --write --format json "${flags[@]}" "$out/after/Dockerfile" >"$out/dockfix.json" || true
    local applied
    applied=$(python3 - "$out/dockfix.json" "$EXPECT" <<'PY'
import json, sys
report, expect = json.load(open(sys.argv[1])), sys.argv[2]
rules = report["statistics"]["rules"]
codes = sorted(code for code, counts in rules.items() if counts["fixed"])
missing = [c for c in expect.split(",") if c not in codes]
if missing or report["summary"]["errors"]:
    sys.exit(f"expected fixes missing: {','.join(missing)} (applied {','.join(codes)})")
print(",".join(codes))
PY
    ) || { log "$case: $applied"; failed=1; return; }
    diff -ruN -x .git "$out/before" "$out/after" | sed "s|$out/||g" >"$out/dockerfile.diff" || true
    [[ -s $out/dockerfile.diff ]] || { log "$case: dockfix changed nothing"; failed=1; return; }

    local t_before t_after r_before r_after image=dockfix-e2e/$case
    t_before=$(build "$out/before" "$image:before" "$out/build-before.log") || { log "$case: the original does not build"; failed=1; return; }
    t_after=$(build "$out/after" "$image:after" "$out/build-after.log") || { log "$case: the fixed Dockerfile does not build"; failed=1; return; }
    log "$case: built in ${t_before}s / ${t_after}s"

    local smoke_result=ok
    smoke "$image:before" "$SMOKE_PORT" "$SMOKE_EXPECT" || smoke_result="before FAILED"
    smoke "$image:after" "${SMOKE_PORT_AFTER:-$SMOKE_PORT}" "$SMOKE_EXPECT" || smoke_result="after FAILED"
    [[ $smoke_result == ok ]] || failed=1

    inventory "$image:before" "$out/before.json"
    inventory "$image:after" "$out/after.json"
    python3 "$scripts/e2e.py" compare "$out/before.json" "$out/after.json" >"$out/diff.json"

    # One source file changes (a comment new to every run, so no earlier run's layer matches):
    # how long the rebuild takes, and how many steps the cache kept. Each side gets its own
    # comment: a fix that keeps the original's first steps (DF300's builder stage) would
    # otherwise find them cached by the other side's rebuild.
    local comment
    for side in before after; do
        comment="edit $(date +%s%N)"
        case $EDIT in
            *.go | *.js | *.java | *.rs) comment="// $comment" ;;
            *.html) comment="<!-- $comment -->" ;;
            *) comment="# $comment" ;;
        esac
        echo "$comment" >>"$out/$side/$EDIT"
    done
    r_before=$(build "$out/before" "$image:before" "$out/rebuild-before.log") || { failed=1; return; }
    r_after=$(build "$out/after" "$image:after" "$out/rebuild-after.log") || { failed=1; return; }

    local size_before size_after
    size_before=$(docker image inspect -f '{{.Size}}' "$image:before")
    size_after=$(docker image inspect -f '{{.Size}}' "$image:after")
    CASE=$case PROVES=$PROVES APPLIED=$applied SIZE_BEFORE=$size_before SIZE_AFTER=$size_after \
        R_BEFORE=$r_before R_AFTER=$r_after SMOKE=$smoke_result EXPECTED_OTHER=$EXPECTED_OTHER \
        C_BEFORE=$(cached_steps "$out/rebuild-before.log") C_AFTER=$(cached_steps "$out/rebuild-after.log") \
        FIXES=$FIXES SMALLER=$SMALLER python3 - "$out" <<'PY' || failed=1
import fnmatch, json, os, sys
out = sys.argv[1]
e = os.environ
diff = json.load(open(os.path.join(out, "diff.json")))
expected = e["EXPECTED_OTHER"].split()
unexplained = [
    (side, p)
    for side in ("before", "after")
    for p in diff[side]["other"]
    if not any(fnmatch.fnmatch("/" + p, pattern) for pattern in expected)
]
json.dump({
    "case": e["CASE"], "proves": e["PROVES"], "applied": e["APPLIED"] + ("" if e["FIXES"] == "safe" else " (unsafe)"),
    "size_before": int(e["SIZE_BEFORE"]), "size_after": int(e["SIZE_AFTER"]),
    "rebuild_before": float(e["R_BEFORE"]), "rebuild_after": float(e["R_AFTER"]),
    "cached_before": int(e["C_BEFORE"]), "cached_after": int(e["C_AFTER"]),
    "smoke": e["SMOKE"], "diff": diff, "expected_other": e["EXPECTED_OTHER"],
    "dockerfile_diff": open(os.path.join(out, "dockerfile.diff")).read(),
}, open(os.path.join(out, "result.json"), "w"), indent=1)
if e["SMALLER"] == "1" and int(e["SIZE_AFTER"]) >= int(e["SIZE_BEFORE"]):
    sys.exit(f"e2e: {e['CASE']}: the fixed image is not smaller")
if e["FIXES"] == "safe" and unexplained:
    for side, p in unexplained[:20]:
        print(f"e2e: {e['CASE']}: /{p} only {side}: a safe fix changed the image's files", file=sys.stderr)
    sys.exit(1)
PY
}

if [[ ${#cases[@]} -eq 0 ]]; then
    for dir in "$repo"/testdata/e2e/*/; do
        name=$(basename "$dir")
        if [[ $quick == 1 ]] && ! grep -qx 'QUICK=1' "$dir/e2e.conf"; then
            continue
        fi
        cases+=("$name")
    done
fi
rm -f "$work"/*/result.json
for case in "${cases[@]}"; do
    [[ -f $repo/testdata/e2e/$case/e2e.conf ]] || die "no case $case"
    run_case "$case" || failed=1
done
python3 "$scripts/e2e.py" report "$work" "$repo/target/e2e-report.md"
log "report: $repo/target/e2e-report.md"
if [[ $failed != 0 ]]; then
    log "FAILED"
    exit 1
fi
