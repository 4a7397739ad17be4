#!/usr/bin/env bash
# The mutation gate CI runs: `verify --mutate` on every derivation, each held to the floor README.md gives it
# (the table between <!-- mutation-floors --> and <!-- /mutation-floors -->). A derivation without a floor fails.
set -euo pipefail
cd "$(dirname "$0")/.."
floors=()
while IFS= read -r entry; do floors+=("$entry"); done < <(
    sed -n '/<!-- mutation-floors -->/,/<!-- \/mutation-floors -->/p' README.md \
        | sed -nE 's/^\| `([^`]+)` \| ([0-9.]+) %.*/\1=\2/p')
arguments=()
for file in derivations/*.md; do
    floor=""
    for entry in "${floors[@]}"; do [ "${entry%%=*}" = "$file" ] && floor="${entry#*=}"; done
    if [ -z "$floor" ]; then
        echo "mutation gate: $file has no floor in README.md (table \"Mutation score floors\"): add one" >&2
        exit 1
    fi
    arguments+=(--min-score "$file=$floor")
done
# A release build: the derivation programs link its library objects, which run two to four times faster than debug ones.
exec swift run -c release verify --mutate derivations/ "${arguments[@]}" "$@"
