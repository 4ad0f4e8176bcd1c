#!/usr/bin/env bash
# Builds the release: the optimised server and its site in one folder, dist/shezhi, and a
# tarball of it. The folder runs without the Rust toolchain: dist/shezhi/run (README, "Deploy").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
say() { printf '\033[1;34m[release]\033[0m %s\n' "$*"; }

# wasm-opt comes from npm's binaryen, installed with the end-to-end packages.
if [ ! -x end2end/node_modules/.bin/wasm-opt ]; then
  say "installing binaryen (wasm-opt)"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi
export PATH="$PWD/end2end/node_modules/.bin:$PATH"

say "building the release (server and site; a first build takes a while)"
# --precompress: brotli (quality 11) and gzip copies of the site's files, which the server sends
# as they are; per request it can only afford brotli at quality 4, a fifth bigger for the wasm.
cargo leptos build --release --split --precompress

version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
out=dist/shezhi
rm -rf "$out" && mkdir -p "$out/bin"
cp target/release/server "$out/bin/server"
cp -r target/site "$out/site"
cp deploy/run "$out/run"
cp deploy/shezhi.service deploy/shezhi.env.example "$out/"
printf 'shezhi %s (%s), built %s\n' "$version" "$commit" "$(date -u +%Y-%m-%dT%H:%MZ)" > "$out/VERSION"
tar -C dist -czf "dist/shezhi-$version-$commit-linux-$(uname -m).tar.gz" shezhi
say "dist/shezhi ($(du -sh "$out" | cut -f1)) and dist/shezhi-$version-$commit-linux-$(uname -m).tar.gz"
