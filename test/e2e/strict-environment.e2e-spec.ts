import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess } from '../../scripts/src/stack/processes';
import { REPO_ROOT } from '../../scripts/src/stack/stack';

/** The built programs, started as users start them, with a bad environment: they say what to fix and start nothing. */
const EMULATOR_MAIN = path.join(REPO_ROOT, 'apps', 'purview-emulator', 'dist', 'main.js');
const SHIR_MAIN = path.join(REPO_ROOT, 'apps', 'runtime', 'dist', 'cli.js');
const CONTAINER_BOOTSTRAP = path.join(REPO_ROOT, 'apps', 'runtime', 'dist', 'container-bootstrap.js');

/** The environment without the variables under test, so the developer's shell cannot change the outcome. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(PURVIEW_|AZURITE_|SHIR_)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

describe('a bad environment', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-strict-env-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('stops the emulator before it starts: exit 1, every bad variable named on stderr', async () => {
    const dataDir = path.join(work, 'emulator-data');
    const result = await runProcess(process.execPath, [EMULATOR_MAIN], {
      env: cleanEnv({
        PURVIEW_EMULATOR_PORT: '5380.5',
        PURVIEW_EMULATOR_HTTPS_PORT: '0x1500',
        PURVIEW_DATA_DIR: dataDir,
      }),
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('purview-emulator: not starting: 2 environment variables are not valid:');
    expect(result.stderr).toContain(
      "PURVIEW_EMULATOR_PORT='5380.5' is not valid: expected a whole number from 0 to 65535 (decimal digits only).",
    );
    expect(result.stderr).toContain(
      "PURVIEW_EMULATOR_HTTPS_PORT='0x1500' is not valid: expected a whole number from 0 to 65535 (decimal digits only).",
    );
    // Not the crash it used to be ("Invalid URL" with a stack), and nothing started: no listener, no data directory.
    expect(result.stderr).not.toMatch(/Invalid URL|\n\s+at /);
    expect(result.stdout).not.toMatch(/listening/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('stops shir with a message saying what to fix, and under --json one JSON error object', async () => {
    const env = cleanEnv({
      SHIR_HOME: path.join(work, 'shir-home'),
      SHIR_MAX_CONCURRENT_JOBS: '4.5',
      SHIR_LOG_FORMAT: 'JSON',
    });
    const plain = await runProcess(process.execPath, [SHIR_MAIN, 'status'], { env, timeoutMs: 30_000 });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain(
      "SHIR_MAX_CONCURRENT_JOBS='4.5' is not valid: expected a whole number from 1 to 64 (decimal digits only).",
    );
    expect(plain.stderr).toContain(
      "SHIR_LOG_FORMAT='JSON' is not valid: expected one of json, text (exactly, in that case).",
    );

    const json = await runProcess(process.execPath, [SHIR_MAIN, 'status', '--json'], { env, timeoutMs: 30_000 });
    expect(json.code).toBe(1);
    const printed = JSON.parse(json.stdout) as { error: { code: string; message: string; problems: string[] } };
    expect(printed.error.code).toBe('InvalidEnvironment');
    expect(printed.error.problems).toEqual([
      "SHIR_MAX_CONCURRENT_JOBS='4.5' is not valid: expected a whole number from 1 to 64 (decimal digits only).",
      "SHIR_LOG_FORMAT='JSON' is not valid: expected one of json, text (exactly, in that case).",
    ]);
  });

  it("stops the container's first-start registration before any call (a bad SHIR_BOOTSTRAP_ATTEMPTS used to retry forever)", async () => {
    const env = cleanEnv({
      SHIR_HOME: path.join(work, 'container-home'),
      PURVIEW_ENDPOINT: 'purview-emulator:5380',
      SHIR_BOOTSTRAP_ATTEMPTS: 'abc',
      SHIR_INTEGRATION_RUNTIME: 'my_runtime',
    });
    const result = await runProcess(process.execPath, [CONTAINER_BOOTSTRAP, SHIR_MAIN], { env, timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('shir-entrypoint: not registering: 3 environment variables are not valid:');
    expect(result.stderr).toContain(
      "PURVIEW_ENDPOINT='purview-emulator:5380' is not valid: expected an absolute URL starting with http:// or https://",
    );
    expect(result.stderr).toContain(
      "SHIR_BOOTSTRAP_ATTEMPTS='abc' is not valid: expected a whole number from 1 to 10000",
    );
    expect(result.stderr).toContain(
      "SHIR_INTEGRATION_RUNTIME is not valid: The integration runtime name 'my_runtime' may contain only letters, digits and single hyphens",
    );
    expect(result.stdout).not.toMatch(/fetching an auth key|registering node/);
  });
});
