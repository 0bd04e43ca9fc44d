#!/usr/bin/env bash
# Serves the reader locally at http://127.0.0.1:8080/ (installs what is missing first).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
