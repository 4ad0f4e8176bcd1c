#!/usr/bin/env bash
# Sets up and runs the app on http://127.0.0.1:3000 with a SQLite file and demo data.
# First start prints the demo accounts' one-time passwords.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
export DATABASE_URL="${DATABASE_URL:-sqlite://shezhi.db}"
exec cargo leptos serve --split
