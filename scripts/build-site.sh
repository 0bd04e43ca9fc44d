#!/usr/bin/env bash
# Builds the static site for a sub-path: scripts/build-site.sh /REPO/ [DIST_DIR]
# (a GitHub Pages project site is served at https://USER.github.io/REPO/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
PUBLIC_URL="${1:-/}"
DIST="${2:-dist}"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
trunk build --release --public-url "$PUBLIC_URL" --dist "$DIST"
