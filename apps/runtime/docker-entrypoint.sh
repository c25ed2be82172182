#!/bin/sh
# Entrypoint of the shir container.
#
#   (no arguments) | start [...]  register the node on first start, then run `shir start` in the foreground
#   any other shir command        passed through, e.g. `status --json`
#
# First start (the home in SHIR_HOME holds no node yet): the auth key is SHIR_AUTH_KEY if set; otherwise the
# entrypoint asks the emulator at PURVIEW_ENDPOINT for one — client-credentials token, create-or-replace the
# integration runtime SHIR_INTEGRATION_RUNTIME, list its keys — and registers as SHIR_NODE_NAME. Defaults and
# allowed values: README.md, Configuration, the Runtime table. The key never reaches the shell, stdout or a log:
# container-bootstrap.js (src/container-bootstrap.ts) gets or reads it and hands it straight to `shir register`.
set -eu

CLI=/app/apps/runtime/dist/cli.js
# The launcher: the host service runs with a bounded heap unless NODE_OPTIONS sets one.
LAUNCHER=/app/apps/runtime/bin/shir.js

if [ "$#" -eq 0 ]; then
  set -- start
fi
if [ "$1" != "start" ]; then
  exec node "$LAUNCHER" "$@"
fi

: "${SHIR_HOME:=/shir-home}"
export SHIR_HOME

if node "$CLI" status --json >/dev/null 2>&1; then
  echo "shir-entrypoint: the node in $SHIR_HOME is already registered"
else
  echo "shir-entrypoint: no node registered in $SHIR_HOME yet; registering"
  # Reads its variables strictly (a bad one stops it, named), gets or reads the key and runs `shir register`.
  node /app/apps/runtime/dist/container-bootstrap.js "$CLI"
fi

exec node "$LAUNCHER" "$@"
