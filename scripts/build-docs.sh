#!/usr/bin/env bash
# Builds the DocC reference of MultiPrecision and DerivationKit (the API derivation authors use) with the
# toolchain's docc, from the modules of a finished debug build, and fails on any warning.
# Usage: scripts/build-docs.sh [OUTPUT_FOLDER]   (default .build/docc; run `swift build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.build/docc}"
modules="$(swift build --show-bin-path)/Modules"
mkdir -p "$out"
graphs="$(mktemp -d)"
trap 'rm -rf "$graphs"' EXIT
triple="$(swiftc -print-target-info | sed -n 's/.*"triple": "\(.*\)".*/\1/p' | head -n 1)"
for module in MultiPrecision DerivationKit; do
    mkdir -p "$graphs/$module"
    swift-symbolgraph-extract -module-name "$module" -I "$modules" -I Sources/CMPFR -target "$triple" \
        -minimum-access-level public -output-dir "$graphs/$module"
    log="$graphs/$module.log"
    docc convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$graphs/$module" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.literate-derivations.$module" \
        --output-dir "$out/$module.doccarchive" --warnings-as-errors >"$log" 2>&1 || { cat "$log"; exit 1; }
    if grep -q "warning:" "$log"; then cat "$log"; exit 1; fi
    echo "$module: $out/$module.doccarchive"
done
