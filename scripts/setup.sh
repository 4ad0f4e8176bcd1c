#!/usr/bin/env bash
# Installs what building and testing need; skips whatever is already there.
# Usage: scripts/setup.sh [run|test]   (run: Rust toolchain parts only; test: also browser and npm parts)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown
fi

# rustfmt and clippy come with rustup's default profile; add them if a minimal one left them out.
for tool in rustfmt clippy; do
  if ! cargo "${tool/rustfmt/fmt}" --version >/dev/null 2>&1; then
    say "adding the $tool component"; rustup component add "$tool"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "installing cargo-leptos 0.3.10 (about 20 minutes, once)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi

# leptosfmt formats view! macro bodies (rustfmt leaves them alone); scripts/lint.sh checks them.
if ! leptosfmt --version 2>/dev/null | grep -q ' 0\.1\.33$'; then
  say "installing leptosfmt 0.1.33 (a few minutes, once)"
  cargo install leptosfmt --version 0.1.33 --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen library in Cargo.lock exactly.
wbg=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, "", $0); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
  say "installing wasm-bindgen-cli $wbg"
  # Not --locked: its own lockfile names a crate version the registry no longer has.
  cargo install wasm-bindgen-cli --version "$wbg"
fi

[ "$mode" = run ] && exit 0

missing=()
for pkg in chromium fonts-noto-cjk wrk brotli; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d /usr/lib/postgresql ]; then
  say "installing PostgreSQL"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# The Prometheus project's own Python parser reads /metrics in server/tests/observe.rs; the
# GeoReport client library drives /open311/v2 in server/tests/open311.rs.
if ! target/py/bin/python -c 'import prometheus_client, georeport' 2>/dev/null; then
  say "installing the Python prometheus_client parser and georeport client into target/py"
  if ! python3 -m venv target/py 2>/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv --clear target/py
  fi
  target/py/bin/pip install -q --disable-pip-version-check prometheus_client==0.21.1 georeport==0.3.1
fi

# Playwright drives Debian's Chromium; binaryen gives wasm-opt for release builds.
if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages for end-to-end tests"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi
