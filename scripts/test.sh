#!/usr/bin/env bash
# Sets up and runs every test: unit and property tests, server integration tests on
# SQLite and PostgreSQL, and end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

# Tests get their own target dir so they don't rebuild what cargo-leptos built.
export CARGO_TARGET_DIR="$PWD/target/test"
# Views type-erased as in the app that ships (cargo-leptos's `always-erase-components`): unerased,
# a case page's render nests so deep in a debug build that it overflows a 2 MiB worker stack.
export RUSTFLAGS="--cfg erase_components"

step "formatting and lints (scripts/lint.sh)"
scripts/lint.sh

step "unit tests (domain, store, services, pages)"
cargo test -p app --features ssr

step "server integration tests on SQLite and PostgreSQL"
source scripts/pg.sh
cargo test -p server

step "end-to-end tests in Chromium"
unset CARGO_TARGET_DIR RUSTFLAGS
cargo leptos build --split
end2end/run.sh
