# Sourced by the other scripts: tool versions and PATH. Pinned versions live here and in Cargo.lock.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
export PATH="$TOOLS/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The sub-path the test build is served under, as on a GitHub Pages project site.
TEST_PUBLIC_URL=/cable-reader/
