#!/usr/bin/env bash
# Validates deploy/ offline (deploy/validate.mjs): the Kubernetes manifests against the schemas,
# what must hold between them and the pods' warren.ini (read by build/bin/warren), and the
# Dockerfile. Installs its npm packages (deploy/package-lock.json) on first use; no other network.
#   WARREN_BIN, WARREN_PLUGIN_DIR   the warren binary and a plugin dir (default: build/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec node validate.mjs
