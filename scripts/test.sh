#!/usr/bin/env bash
# Sets up and runs every test: unit and property tests, server integration tests on
# SQLite and PostgreSQL, and end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

# Tests get their own target dir so they don't rebuild what cargo-leptos built.
export CARGO_TARGET_DIR="$PWD/target/test"

step "unit tests (domain, store, services, pages)"
cargo test -p app --features ssr

step "server integration tests on SQLite and PostgreSQL"
source scripts/pg.sh
cargo test -p server

step "end-to-end tests in Chromium"
unset CARGO_TARGET_DIR
cargo leptos build --split
end2end/run.sh
