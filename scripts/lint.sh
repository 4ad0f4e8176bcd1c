#!/usr/bin/env bash
# The house's habits, checked: formatting (rustfmt.toml) and clippy with warnings as errors,
# on the server build of the app and the server. `scripts/test.sh` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
# The same flags and target dir as the test build, so both share what they compile.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/test}"
export RUSTFLAGS="${RUSTFLAGS:---cfg erase_components}"
cargo clippy -p app --features ssr -p server --tests -- -D warnings
