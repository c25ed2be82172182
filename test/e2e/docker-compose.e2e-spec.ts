import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The container files, checked without a Docker engine: the Dockerfiles and the runtime's entrypoint statically,
 * docker-compose.yml through the `docker-compose` CLI (`config` resolves and validates the file without an engine).
 * When `docker-compose` is not installed, the compose checks are skipped and the reason is printed.
 */
const REPO_ROOT = path.resolve(__dirname, '../..');
const COMPOSE_FILE = 'docker-compose.yml';

/** The environment without variables docker-compose.yml interpolates, so the defaults of the file are what we check. */
function composeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(PURVIEW_|AZURITE_|SHIR_|COMPOSE_)/.test(name)) env[name] = value;
  }
  return env;
}

function dockerCompose(args: string[]): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const result = spawnSync('docker-compose', args, {
    cwd: REPO_ROOT,
    env: composeEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

function composeUnavailableReason(): string | undefined {
  const probe = dockerCompose(['version']);
  if (probe.error) {
    return (probe.error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'docker-compose is not on PATH (install it, e.g. `apt-get install docker-compose`)'
      : `docker-compose could not be run: ${probe.error.message}`;
  }
  if (probe.status !== 0) return `\`docker-compose version\` exited with ${probe.status}: ${probe.stderr.trim()}`;
  return undefined;
}

const skipReason = composeUnavailableReason();
if (skipReason)
  process.stderr.write(`\n[docker-compose.e2e-spec] skipping the docker-compose.yml checks: ${skipReason}\n\n`);
const describeCompose = skipReason ? describe.skip : describe;

/** The lines of one service in `docker-compose config` output (service keys are indented two spaces). */
function serviceBlock(config: string, service: string): string {
  const lines = config.split(/\r?\n/);
  const servicesAt = lines.findIndex((line) => /^services:\s*$/.test(line));
  const start = lines.findIndex((line, i) => i > servicesAt && line === `  ${service}:`);
  if (servicesAt < 0 || start < 0) throw new Error(`service '${service}' not found in:\n${config}`);
  const block = [lines[start]];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !/^ {3,}/.test(line) && !/^ {2}- /.test(line)) break;
    block.push(line);
  }
  return block.join('\n');
}

/** The text of `depends_on.<service>` up to the next sibling key. */
function dependsOn(block: string, service: string): string {
  const match = new RegExp(`\\n( +)depends_on:\\n((?:\\1 +.*\\n?)*)`).exec(block);
  if (!match) throw new Error(`no depends_on in:\n${block}`);
  const entry = new RegExp(`^( +)${service}:\\n((?:\\1 +.*\\n?)*)`, 'm').exec(match[2]);
  if (!entry) throw new Error(`no depends_on.${service} in:\n${block}`);
  return entry[2];
}

describeCompose(`docker-compose.yml${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let config = '';

  beforeAll(() => {
    const result = dockerCompose(['-f', COMPOSE_FILE, 'config']);
    if (result.status !== 0)
      throw new Error(`docker-compose config failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
    config = result.stdout;
  });

  it('is valid and defines azurite, purview-emulator and runtime', () => {
    const result = dockerCompose(['-f', COMPOSE_FILE, 'config', '--services']);
    expect(result.status).toBe(0);
    expect(result.stdout.split(/\s+/).filter(Boolean).sort()).toEqual(['azurite', 'purview-emulator', 'runtime']);
  });

  it('runs the pinned Azurite image on all interfaces with its data in a named volume', () => {
    const azurite = serviceBlock(config, 'azurite');
    expect(azurite).toContain('image: mcr.microsoft.com/azure-storage/azurite:3.35.0');
    for (const flag of [
      '--blobHost 0.0.0.0',
      '--queueHost 0.0.0.0',
      '--tableHost 0.0.0.0',
      '--location',
      '--disableTelemetry',
      '--skipApiVersionCheck',
    ]) {
      expect(azurite.replace(/\s+/g, ' ')).toContain(flag);
    }
    expect(azurite).toMatch(/- azurite-data:\/data/);
    expect(azurite).toContain('healthcheck:');
  });

  it('configures the emulator for the compose network, with a health check on /_emulator/health', () => {
    const emulator = serviceBlock(config, 'purview-emulator');
    expect(emulator).toContain('dockerfile: apps/purview-emulator/Dockerfile');
    expect(emulator).toMatch(/PURVIEW_EMULATOR_PUBLIC_URL: '?http:\/\/purview-emulator:5380'?/);
    expect(emulator).toMatch(/PURVIEW_EMULATOR_HOST: '?0\.0\.0\.0'?/);
    expect(emulator).toMatch(/PURVIEW_EMULATOR_PORT: '?5380'?/);
    expect(emulator).toMatch(/PURVIEW_EMULATOR_HTTPS_PORT: '?5443'?/);
    expect(emulator).toMatch(/PURVIEW_DATA_DIR: '?\/data'?/);
    expect(emulator).toMatch(/AZURITE_HOST: '?azurite'?/);
    expect(emulator).toMatch(/AZURITE_BLOB_PORT: '?10000'?/);
    expect(emulator).toMatch(/AZURITE_QUEUE_PORT: '?10001'?/);
    expect(emulator).toMatch(/- emulator-data:\/data/);
    // The seed file (npm start's unless PURVIEW_SEED names another), mounted read-only where PURVIEW_SEED_FILE points.
    expect(emulator).toMatch(/PURVIEW_SEED_FILE: '?\/seed\/seed\.yaml'?/);
    expect(emulator).toMatch(/scripts\/seed\/local-stack\.yaml:\/seed\/seed\.yaml:ro/);
    expect(emulator).toContain('healthcheck:');
    expect(emulator).toContain("fetch('http://127.0.0.1:5380/_emulator/health')");
    expect(dependsOn(emulator, 'azurite')).toContain('condition: service_healthy');
  });

  it('starts the runtime only once the emulator is healthy, with its home in a named volume', () => {
    const runtime = serviceBlock(config, 'runtime');
    expect(runtime).toContain('dockerfile: apps/runtime/Dockerfile');
    expect(runtime).toMatch(/PURVIEW_ENDPOINT: '?http:\/\/purview-emulator:5380'?/);
    expect(runtime).toMatch(/SHIR_HOME: '?\/shir-home'?/);
    expect(runtime).toMatch(/SHIR_INTEGRATION_RUNTIME: '?default-shir'?/);
    expect(runtime).toMatch(/- shir-home:\/shir-home/);
    expect(dependsOn(runtime, 'purview-emulator')).toContain('condition: service_healthy');
    // Healthy only once its host service is Connected, read from the home without asking the emulator.
    expect(runtime).toContain('healthcheck:');
    expect(runtime).toContain('shir status --local --json');
    expect(runtime).toContain("state==='Connected'");
  });
});

describe('container images', () => {
  const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const instructions = (dockerfile: string): string[] =>
    read(dockerfile)
      .replace(/\\\r?\n/g, ' ')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));

  it.each(['apps/purview-emulator/Dockerfile', 'apps/runtime/Dockerfile'])(
    '%s builds on Node 20 in stages and runs as the node user',
    (dockerfile) => {
      const lines = instructions(dockerfile);
      expect(lines[0]).toMatch(/^FROM node:20\b/);
      const stages = lines.filter((line) => /^FROM /i.test(line));
      expect(stages.length).toBeGreaterThanOrEqual(2);
      for (const stage of stages) expect(stage).toMatch(/^FROM node:20/);
      expect(lines).toContain('RUN npm ci --no-audit --no-fund');
      expect(lines.filter((line) => line.startsWith('USER ')).pop()).toBe('USER node');
    },
  );

  it('the emulator image exposes 5380 and 5443 (HTTPS) and starts the emulator', () => {
    const lines = instructions('apps/purview-emulator/Dockerfile');
    expect(lines).toContain('EXPOSE 5380 5443');
    expect(lines.join('\n')).toContain('apps/purview-emulator/dist/main.js');
  });

  it('the runtime entrypoint is an executable POSIX sh script that parses', () => {
    const entrypoint = path.join(REPO_ROOT, 'apps/runtime/docker-entrypoint.sh');
    expect(read('apps/runtime/docker-entrypoint.sh').startsWith('#!/bin/sh\n')).toBe(true);
    expect(fs.statSync(entrypoint).mode & 0o111).not.toBe(0);
    const parsed = spawnSync('sh', ['-n', entrypoint], { encoding: 'utf8' });
    expect(parsed.stderr).toBe('');
    expect(parsed.status).toBe(0);
  });

  it('.dockerignore keeps local build output and state out of the build context', () => {
    const ignored = read('.dockerignore')
      .split(/\r?\n/)
      .map((line) => line.trim());
    for (const pattern of ['**/node_modules', '**/dist', '.data', '.git', '**/coverage'])
      expect(ignored).toContain(pattern);
  });
});
