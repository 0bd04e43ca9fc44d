#!/usr/bin/env bash
# Runs every test (idempotent set-up included): native parser and app tests over the corpus,
# wasm-bindgen tests in headless Chromium, and end-to-end tests of the built site served on
# 127.0.0.1 under a sub-path. Tests that need ../shared skip with a message when it is absent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update
  $SUDO apt-get install -y chromium chromium-driver
fi
(cd tests/e2e && npm ci --no-audit --no-fund)

echo "== native tests (parser, CLI, app logic)"
cargo test --workspace --profile ci

echo "== wasm tests in headless Chromium"
CHROMEDRIVER="$(command -v chromedriver)" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown

echo "== build the site under $TEST_PUBLIC_URL"
trunk build --release --public-url "$TEST_PUBLIC_URL" --dist dist-test

echo "== the cable CLI (the hosted-corpus test publishes a corpus with it)"
cargo build --profile ci -p cable-cli

echo "== end-to-end tests in headless Chromium"
(cd tests/e2e && DIST="$ROOT/dist-test" PUBLIC_URL="$TEST_PUBLIC_URL" CABLE_BIN="$ROOT/target/ci/cable" node --test --test-concurrency=1 --test-timeout=600000 ./*.test.mjs)
