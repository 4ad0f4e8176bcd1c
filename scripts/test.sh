#!/usr/bin/env bash
# Sets up and runs every test: unit and property tests, server integration tests on
# SQLite and PostgreSQL, and end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
# Each step says at which minute of the run it starts: CI stops the whole run at 90 minutes.
step() { printf '\n\033[1;34m== [minute %d] %s\033[0m\n' $(((SECONDS - started) / 60)) "$*"; }

step "setup (scripts/setup.sh test)"
scripts/setup.sh test

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

# The browser suite runs the server binary the integration tests just built (same features,
# type-erased views, LEPTOS_OUTPUT_NAME from .cargo/config.toml): a second debug build of the
# server by cargo-leptos took 9½ minutes. cargo-leptos builds only the browser bundle.
step "browser bundle (cargo leptos build --split --frontend-only)"
server_bin="$CARGO_TARGET_DIR/debug/server"
unset CARGO_TARGET_DIR RUSTFLAGS
cargo leptos build --split --frontend-only

step "end-to-end tests in Chromium"
# Ten loads of every page for every role (about 1,070 loads) on the debug build; the spec's
# default of 20 runs on the release build in scripts/bench.sh step 10.
E2E_SERVER="${E2E_SERVER:-$server_bin}" LOAD_RATE_LOADS="${LOAD_RATE_LOADS:-5}" end2end/run.sh
step "all tests passed"
