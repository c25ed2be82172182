#!/bin/sh
# Entrypoint of the shir container.
#
#   (no arguments) | start [...]  register the node on first start, then run `shir start` in the foreground
#   any other shir command        passed through, e.g. `status --json`
#
# First start (the home in SHIR_HOME holds no node yet): the auth key is SHIR_AUTH_KEY if set; otherwise the
# entrypoint asks the emulator at PURVIEW_ENDPOINT for one — client-credentials token, create-or-replace the
# integration runtime SHIR_INTEGRATION_RUNTIME (default-shir), list its keys — and registers as SHIR_NODE_NAME
# (default: the host name). The key never reaches the shell, stdout or a log: the node script below gets or
# reads it and hands it straight to `shir register`.
set -eu

CLI=/app/apps/runtime/dist/cli.js

if [ "$#" -eq 0 ]; then
  set -- start
fi
if [ "$1" != "start" ]; then
  exec node "$CLI" "$@"
fi

: "${SHIR_HOME:=/shir-home}"
export SHIR_HOME

if node "$CLI" status --json >/dev/null 2>&1; then
  echo "shir-entrypoint: the node in $SHIR_HOME is already registered"
else
  echo "shir-entrypoint: no node registered in $SHIR_HOME yet; registering"
  node - "$CLI" <<'NODE'
const { spawnSync } = require('node:child_process');
const os = require('node:os');

const cli = process.argv[2];
const endpoint = (process.env.PURVIEW_ENDPOINT || 'http://purview-emulator:5380').replace(/\/+$/, '');
const runtimeName = process.env.SHIR_INTEGRATION_RUNTIME || 'default-shir';
const nodeName = process.env.SHIR_NODE_NAME || os.hostname();
const API = 'api-version=2023-09-01';
const log = (line) => process.stdout.write(`shir-entrypoint: ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class HttpError extends Error {}

/** One call; 5xx and network errors are retried (the emulator may still be starting), 4xx fail at once. */
async function call(method, path, { headers = {}, body } = {}) {
  const attempts = Number(process.env.SHIR_BOOTSTRAP_ATTEMPTS || 30);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${endpoint}${path}`, { method, headers, body });
      const text = await response.text();
      if (response.ok) return text ? JSON.parse(text) : {};
      const error = new HttpError(`${method} ${path.split('?')[0]} answered ${response.status}: ${text.slice(0, 500)}`);
      if (response.status < 500) throw error;
      throw Object.assign(error, { retry: true });
    } catch (error) {
      if ((error instanceof HttpError && !error.retry) || attempt >= attempts) throw error;
      log(`waiting for the emulator at ${endpoint} (${error.message}); attempt ${attempt}/${attempts}`);
      await sleep(2000);
    }
  }
}

async function authKey() {
  if (process.env.SHIR_AUTH_KEY) {
    log('using the auth key from SHIR_AUTH_KEY');
    return process.env.SHIR_AUTH_KEY;
  }
  log(`fetching an auth key of integration runtime '${runtimeName}' from ${endpoint}`);
  const token = await call('POST', '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'purview-emulator',
      client_secret: 'purview-emulator-secret',
      scope: 'https://purview.azure.net/.default',
    }).toString(),
  });
  const auth = { authorization: `Bearer ${token.access_token}` };
  const ir = `/scan/integrationruntimes/${encodeURIComponent(runtimeName)}`;
  await call('PUT', `${ir}?${API}`, {
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'SelfHosted', properties: { description: 'Self-hosted integration runtime of the docker-compose stack' } }),
  });
  // No body, so no content-type: the emulator (like Fastify) rejects an empty JSON body.
  const keys = await call('POST', `${ir}:listAuthKeys?${API}`, { headers: auth });
  if (!keys.authKey1) throw new Error(`${ir}:listAuthKeys returned no authKey1`);
  return keys.authKey1;
}

authKey()
  .then((key) => {
    log(`registering node '${nodeName}'`);
    const result = spawnSync(process.execPath, [cli, 'register', '--key', key, '--node-name', nodeName], { stdio: 'inherit' });
    if (result.error) throw result.error;
    process.exit(result.status ?? 1);
  })
  .catch((error) => {
    process.stderr.write(`shir-entrypoint: could not register the node: ${error.message}\n`);
    process.exit(1);
  });
NODE
fi

exec node "$CLI" "$@"
