/**
 * First start of the shir container (docker-entrypoint.sh runs this when the home holds no node yet).
 *
 * The auth key is SHIR_AUTH_KEY if set; otherwise this asks the emulator at PURVIEW_ENDPOINT for one —
 * client-credentials token, create-or-replace the integration runtime SHIR_INTEGRATION_RUNTIME (default-shir), list
 * its keys — and registers as SHIR_NODE_NAME (default: the host name). The key never reaches the shell, stdout or a
 * log: it goes straight to `shir register`. Usage: node container-bootstrap.js <path of cli.js>
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeEnvProblems, EnvReader, resourceNameProblem } from '@purview-emulator/contracts';

const API = 'api-version=2023-09-01';
const log = (line: string): void => void process.stdout.write(`shir-entrypoint: ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface BootstrapSettings {
  endpoint: string;
  runtimeName: string;
  nodeName: string;
  attempts: number;
  authKey?: string;
}

/** The bootstrap's variables, parsed strictly: every problem at once, before any call. */
export function bootstrapSettings(env: NodeJS.ProcessEnv): {
  settings: BootstrapSettings;
  problems: readonly string[];
} {
  const read = new EnvReader(env);
  const settings: BootstrapSettings = {
    endpoint: read.url('PURVIEW_ENDPOINT', 'http://purview-emulator:5380'),
    runtimeName: read.text('SHIR_INTEGRATION_RUNTIME', 'default-shir'),
    nodeName: read.text('SHIR_NODE_NAME', os.hostname()),
    attempts: read.integer('SHIR_BOOTSTRAP_ATTEMPTS', 1, 10_000, 30),
    // A secret: only whether it is set matters here, and its value is never shown.
    authKey: read.text('SHIR_AUTH_KEY', undefined),
  };
  const nameProblem = resourceNameProblem(settings.runtimeName, 'integration runtime name');
  if (nameProblem) read.problem(`SHIR_INTEGRATION_RUNTIME is not valid: ${nameProblem}`);
  return { settings, problems: read.problems };
}

class HttpError extends Error {
  retry = false;
}

/** One call; 5xx and network errors are retried (the emulator may still be starting), 4xx fail at once. */
async function call(
  settings: BootstrapSettings,
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<Record<string, string>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${settings.endpoint}${url}`, { method, headers: init.headers, body: init.body });
      const text = await response.text();
      if (response.ok) return text ? (JSON.parse(text) as Record<string, string>) : {};
      const error = new HttpError(`${method} ${url.split('?')[0]} answered ${response.status}: ${text.slice(0, 500)}`);
      error.retry = response.status >= 500;
      throw error;
    } catch (error) {
      if ((error instanceof HttpError && !error.retry) || attempt >= settings.attempts) throw error;
      log(
        `waiting for the emulator at ${settings.endpoint} (${(error as Error).message}); attempt ${attempt}/${settings.attempts}`,
      );
      await sleep(2000);
    }
  }
}

async function authKey(settings: BootstrapSettings): Promise<string> {
  if (settings.authKey) {
    log('using the auth key from SHIR_AUTH_KEY');
    return settings.authKey;
  }
  log(`fetching an auth key of integration runtime '${settings.runtimeName}' from ${settings.endpoint}`);
  const token = await call(settings, 'POST', '/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'purview-emulator',
      client_secret: 'purview-emulator-secret',
      scope: 'https://purview.azure.net/.default',
    }).toString(),
  });
  const auth = { authorization: `Bearer ${token.access_token}` };
  const ir = `/scan/integrationruntimes/${encodeURIComponent(settings.runtimeName)}`;
  await call(settings, 'PUT', `${ir}?${API}`, {
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'SelfHosted',
      properties: { description: 'Self-hosted integration runtime of the docker-compose stack' },
    }),
  });
  // No body, so no content-type: the emulator (like Fastify) rejects an empty JSON body.
  const keys = await call(settings, 'POST', `${ir}:listAuthKeys?${API}`, { headers: auth });
  if (!keys.authKey1) throw new Error(`${ir}:listAuthKeys returned no authKey1`);
  return keys.authKey1;
}

async function main(): Promise<number> {
  const cli = process.argv[2] ?? path.join(__dirname, 'cli.js');
  const { settings, problems } = bootstrapSettings(process.env);
  if (problems.length > 0) {
    process.stderr.write(`shir-entrypoint: not registering: ${describeEnvProblems(problems)}\n`);
    return 1;
  }
  const key = await authKey(settings);
  log(`registering node '${settings.nodeName}'`);
  const result = spawnSync(process.execPath, [cli, 'register', '--key', key, '--node-name', settings.nodeName], {
    stdio: 'inherit',
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`shir-entrypoint: could not register the node: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
