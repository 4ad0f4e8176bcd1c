#!/usr/bin/env bash
# The house's habits, checked: formatting (leptosfmt.toml for view! bodies, rustfmt.toml) and clippy with warnings as errors,
# on the server build of the app and the server. `scripts/test.sh` runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."
# rustfmt does not format view! macros; leptosfmt does (leptosfmt.toml). To fix: leptosfmt app/src && cargo fmt --all
leptosfmt --quiet --check app/src
cargo fmt --all -- --check
# The same flags and target dir as the test build, so both share what they compile.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/test}"
export RUSTFLAGS="${RUSTFLAGS:---cfg erase_components}"
cargo clippy -p app --features ssr -p server --tests -- -D warnings
