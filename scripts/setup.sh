#!/usr/bin/env bash
# Installs what building the site needs (idempotent): the wasm32 target, Trunk, wasm-bindgen-cli
# pinned to Cargo.lock, wasm-opt from the npm package binaryen, and every crate (so Trunk runs offline).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  # Not --locked: that pins dependencies that need a newer rustc than this machine's.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! "$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  # Debian's binaryen (v108) produces Wasm that crashes in Chromium: use the npm package.
  mkdir -p "$TOOLS"
  npm install --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION"
fi
cargo fetch --locked
