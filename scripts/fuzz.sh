#!/usr/bin/env bash
# Fuzzes the parser (`fuzz/fuzz_targets/parse.rs`) for SECONDS (default 600), installing cargo-fuzz
# first when it is missing. Stable Rust: RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the sanitizer flags.
# A crash is written to fuzz/artifacts/parse/; make it a named test in parser/tests/robustness.rs.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cd fuzz
RUSTC_BOOTSTRAP=1 cargo fuzz run parse -- -max_total_time="${1:-600}"
