import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from './cli';
import type { CommandIO } from './commands/io';
import { RUNTIME_VERSION } from './version';

// The real command line, parsed in-process: what commander accepts or refuses before a command runs.

function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

async function shir(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIO(env);
  const code = await main(['node', 'shir', ...args], io);
  return {
    code,
    stdout: io.stdout.join('\n'),
    stderr: io.stderr.join('\n'),
    io,
    flat: io.stdout.join(' ').replace(/\s+/g, ' '),
  };
}

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-cli-'));
  // A usage error must come back as an exit code, never end the process (tests parse in-process).
  jest.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${String(code)}) called`);
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('shir command line', () => {
  it.each([['abc'], ['-5'], ['0'], ['1.5'], ['99999']])(
    'refuses stop --timeout %s, saying what is allowed',
    async (value) => {
      const result = await shir(['stop', '--timeout', value, '--home', home]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`option '--timeout <seconds>' argument '${value}' is invalid`);
      expect(result.stderr).toContain('a whole number of seconds from 1 to 3600');
      expect(result.stdout).toBe('');
    },
  );

  it('refuses restart --timeout abc too, and takes a valid timeout', async () => {
    const restart = await shir(['restart', '--timeout', 'abc', '--home', home]);
    expect(restart.code).toBe(1);
    expect(restart.stderr).toContain('a whole number of seconds from 1 to 3600');
    const stopped = await shir(['stop', '--timeout', '2', '--home', home, '--json']);
    expect(stopped.code).toBe(0);
    expect(JSON.parse(stopped.stdout)).toEqual({ stopped: false, wasRunning: false, home, pid: null });
  });

  it('prints a usage error as JSON under --json: register without --key', async () => {
    const result = await shir(['register', '--json', '--home', home]);
    expect(result.code).toBe(1);
    expect(result.io.stdout).toHaveLength(1);
    expect(JSON.parse(result.io.stdout[0])).toEqual({
      error: { code: 'InvalidUsage', message: "required option '--key <authKey>' not specified" },
    });
    expect(result.stderr).toContain("error: required option '--key <authKey>' not specified");
  });

  it('prints no JSON for a usage error without --json', async () => {
    const result = await shir(['register', '--home', home]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("required option '--key <authKey>' not specified");
  });

  it('refuses an unknown proxy mode and log level with the allowed values', async () => {
    const mode = await shir(['proxy', 'set', '--mode', 'bogus', '--home', home, '--json']);
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain("argument 'bogus' is invalid. Allowed choices are none, system, custom.");
    expect(JSON.parse(mode.stdout)).toEqual({
      error: { code: 'InvalidUsage', message: expect.stringContaining('Allowed choices are none, system, custom') },
    });
    expect(fs.existsSync(path.join(home, 'proxy.json'))).toBe(false);

    const logs = await shir(['logs', '--level', 'loud', '--home', home]);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toContain('Allowed choices are debug, info, warn, error.');

    const level = await shir(['log-level', 'loud', '--home', home]);
    expect(level.code).toBe(1);
    expect(level.stderr).toContain('Allowed choices are error, warn, info, debug.');
    expect(fs.existsSync(path.join(home, 'settings.json'))).toBe(false);
  });

  it('lists the environment variables behind --home and the passwords in --help', async () => {
    const stop = await shir(['stop', '--help']);
    expect(stop.code).toBe(0);
    expect(stop.flat).toMatch(/--home <dir> .*\(env: SHIR_HOME\)/);
    expect((await shir(['backup', '--help'])).flat).toContain('(env: SHIR_BACKUP_PASSWORD)');
    expect((await shir(['restore', '--help'])).flat).toContain('(env: SHIR_BACKUP_PASSWORD)');
    expect((await shir(['proxy', 'set', '--help'])).flat).toContain('(env: SHIR_PROXY_PASSWORD)');
    const modes = await shir(['proxy', 'set', '--help']);
    expect(modes.flat).toContain('(choices: "none", "system", "custom")');
  });

  it('takes SHIR_HOME and SHIR_PROXY_PASSWORD from the environment where they applied before', async () => {
    const saved = { home: process.env.SHIR_HOME, password: process.env.SHIR_PROXY_PASSWORD };
    process.env.SHIR_HOME = home;
    process.env.SHIR_PROXY_PASSWORD = 'proxy-secret';
    try {
      const level = await shir(['log-level', '--json'], process.env);
      expect(JSON.parse(level.stdout)).toEqual({ logLevel: 'info', home });

      // Without --user the variable does not count (it is not a password given on the command line).
      const system = await shir(['proxy', 'set', '--mode', 'system', '--json'], process.env);
      expect(system.stderr).toBe('');
      expect(system.code).toBe(0);
      const custom = await shir(
        ['proxy', 'set', '--address', '127.0.0.1', '--port', '3128', '--user', 'shir', '--json'],
        process.env,
      );
      expect(custom.code).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(home, 'proxy.json'), 'utf8'))).toEqual(
        expect.objectContaining({ mode: 'custom', username: 'shir', password: expect.anything() }),
      );
    } finally {
      for (const [name, value] of [
        ['SHIR_HOME', saved.home],
        ['SHIR_PROXY_PASSWORD', saved.password],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('prints the version and exits 0', async () => {
    const result = await shir(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(RUNTIME_VERSION);
  });

  it('refuses an invalid environment before any command, as JSON under --json, without ending the process', async () => {
    const result = await shir(['status', '--home', home, '--json'], { SHIR_LOG_LEVEL: 'loud' });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ error: expect.objectContaining({ code: 'InvalidEnvironment' }) });
    expect(result.stderr).toContain('SHIR_LOG_LEVEL');
  });
});
