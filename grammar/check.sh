#!/usr/bin/env bash
# Checks that the committed generated parser is what grammar.js produces, and runs the
# tree-sitter corpus tests (test/corpus/*.txt). Needs tree-sitter-cli 0.27.1:
#   cargo install tree-sitter-cli --version 0.27.1 --locked
# Without the CLI it only checks grammar.js against the hash recorded in GRAMMAR_SHA256
# (cheap: catches grammar.js edited without regenerating).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

recorded=$(cut -d' ' -f1 GRAMMAR_SHA256)
actual=$(sha256sum grammar.js | cut -d' ' -f1)
if [[ $recorded != "$actual" ]]; then
    echo "check: grammar.js changed since generation (sha256 $actual, recorded $recorded);" >&2
    echo "       run: tree-sitter generate --js-runtime native && sha256sum grammar.js > GRAMMAR_SHA256" >&2
    exit 1
fi

if ! command -v tree-sitter >/dev/null; then
    echo "check: tree-sitter CLI not installed; grammar.js hash OK, generate/test skipped"
    exit 0
fi
version=$(tree-sitter --version | awk '{print $2}')
if [[ $version != 0.27.1 ]]; then
    echo "check: tree-sitter CLI $version, expected 0.27.1" >&2
    exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r grammar.js src "$tmp/"
(cd "$tmp" && tree-sitter generate --js-runtime native >/dev/null)
status=0
for file in parser.c grammar.json node-types.json tree_sitter/parser.h tree_sitter/alloc.h tree_sitter/array.h; do
    if ! cmp -s "src/$file" "$tmp/src/$file"; then
        echo "check: src/$file differs from what tree-sitter generate produces" >&2
        status=1
    fi
done
[[ $status -eq 0 ]] || exit $status

tree-sitter test
