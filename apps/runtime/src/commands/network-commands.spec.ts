import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saveNewNode } from '../home/node-config';
import { homePaths } from '../home/paths';
import { EventLog } from '../log';
import { ForwardProxy } from '../network/testing/forward-proxy';
import { FakeEmulator } from '../testing/fake-emulator';
import { newNodeConfig } from '../testing/node-fixtures';
import { pollUntil } from '@purview-emulator/testing';
import { runDiagnose } from './diagnose';
import type { CommandIO } from './io';
import { runLogs } from './logs';
import { runProxyClear, runProxySet, runProxyShow } from './proxy';

const CREDENTIAL = '0b6f3a52-5d0e-4c8b-9a0e-0d2c9f1e7a11.c2VjcmV0LWNyZWRlbnRpYWwtdmFsdWUtMTIzNDU2Nzg5MA';
const PASSWORD = 'Sup3r-Secret-Proxy-Pw';

function captureIO(env: NodeJS.ProcessEnv = {}): CommandIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), env };
}

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-netcmd-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

describe('shir proxy', () => {
  it('sets, shows and clears the settings without ever printing the password', async () => {
    const set = captureIO();
    expect(
      await runProxySet(
        {
          home,
          address: '127.0.0.1',
          port: '3128',
          user: 'shir',
          password: PASSWORD,
          bypass: ['*.internal', 'localhost'],
          json: true,
        },
        set,
      ),
    ).toBe(0);
    expect(JSON.parse(set.stdout[0])).toEqual(
      expect.objectContaining({
        saved: true,
        mode: 'custom',
        address: '127.0.0.1',
        port: 3128,
        user: 'shir',
        passwordSet: true,
        bypass: ['*.internal', 'localhost'],
        hostService: null,
      }),
    );

    const show = captureIO();
    expect(runProxyShow({ home }, show)).toBe(0);
    expect(show.stdout).toEqual(
      expect.arrayContaining([
        'Mode:     custom',
        'Proxy:    http://127.0.0.1:3128',
        'User:     shir',
        'Password: (set, stored encrypted)',
        'Bypass:   *.internal, localhost',
      ]),
    );

    const fromStdin = captureIO();
    expect(
      await runProxySet(
        { home, mode: 'custom', address: 'proxy.corp', port: '8080', user: 'u', passwordStdin: true },
        fromStdin,
        async () => `${PASSWORD}\n`,
      ),
    ).toBe(0);
    const fromEnv = captureIO({ SHIR_PROXY_PASSWORD: PASSWORD });
    expect(await runProxySet({ home, address: 'proxy.corp', port: '8080', user: 'u', json: true }, fromEnv)).toBe(0);
    expect(JSON.parse(fromEnv.stdout[0]).passwordSet).toBe(true);

    const clear = captureIO();
    expect(await runProxyClear({ home }, clear)).toBe(0);
    const after = captureIO();
    expect(runProxyShow({ home, json: true }, after)).toBe(0);
    expect(JSON.parse(after.stdout[0])).toEqual(expect.objectContaining({ mode: 'system', bypass: [] }));

    const everything = [set, show, fromStdin, fromEnv, clear, after]
      .flatMap((io) => [...io.stdout, ...io.stderr])
      .join('\n');
    expect(everything).not.toContain(PASSWORD);
    const logs = fs
      .readdirSync(path.join(home, 'logs'))
      .map((f) => fs.readFileSync(path.join(home, 'logs', f), 'utf8'))
      .join('');
    expect(logs).toMatch(/Proxy settings saved: custom proxy http:\/\/127.0.0.1:3128 as 'shir'/);
    expect(logs).not.toContain(PASSWORD);
  });

  it('says what to fix and exits 1 on bad settings', async () => {
    for (const [options, message] of [
      [{}, /Say which proxy to use: --mode none, --mode system, or --mode custom/],
      [{ mode: 'auto' }, /Unknown proxy mode 'auto'/],
      [{ address: 'p', port: 'eighty' }, /port must be a whole number from 1 to 65535/],
      [{ mode: 'custom', port: '80' }, /needs its address/],
    ] as const) {
      const io = captureIO();
      expect(await runProxySet({ home, ...options }, io)).toBe(1);
      expect(io.stderr.join('\n')).toMatch(message);
    }
  });
});

describe('shir diagnose', () => {
  let fake: FakeEmulator;
  beforeEach(async () => {
    fake = await FakeEmulator.start();
    saveNewNode(homePaths(home), newNodeConfig({ emulatorUrl: fake.url }), CREDENTIAL, {});
  });
  afterEach(() => fake.close());

  it('probes the account endpoint step by step and prints a ✓/✗ table', async () => {
    const io = captureIO();
    expect(await runDiagnose({ home }, io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/^Proxy: system \(HTTPS_PROXY=unset/);
    expect(text).toContain(
      `✓ Account endpoint (runtime protocol)  ${fake.url}/_emulator/health  (direct (system proxy: HTTP_PROXY not set))`,
    );
    expect(text).toMatch(/ {4}✓ DNS {3}127\.0\.0\.1 \(an IP address, no lookup needed\)/);
    expect(text).toMatch(/ {4}✓ TCP {3}connected to 127\.0\.0\.1:\d+/);
    expect(text).toMatch(/ {4}– TLS {3}not applicable \(http\)/);
    expect(text).toMatch(/ {4}✓ HTTP {2}HTTP \d{3}/);
    expect(text).toMatch(/All \d+ reachable\./);
    expect(text).not.toContain(CREDENTIAL.split('.')[1]);
  });

  it('goes through the proxy when one is set, and exits 2 naming the failed step of a data source', async () => {
    const proxy = await ForwardProxy.start({ username: 'shir', password: PASSWORD });
    try {
      expect(
        await runProxySet(
          { home, address: '127.0.0.1', port: String(proxy.port), user: 'shir', password: PASSWORD },
          captureIO(),
        ),
      ).toBe(0);
      const io = captureIO();
      expect(await runDiagnose({ home, json: true, dataSourceUrl: ['http://no-such-account.invalid/'] }, io)).toBe(2);
      const report = JSON.parse(io.stdout[0]) as {
        ok: boolean;
        results: { label: string; ok: boolean; route: string; failedStep?: string; reason?: string }[];
      };
      expect(report.ok).toBe(false);
      expect(report.results[0]).toEqual(
        expect.objectContaining({
          label: 'Account endpoint (runtime protocol)',
          ok: true,
          route: `proxy ${proxy.url} (custom)`,
        }),
      );
      expect(report.results.find((r) => r.label === 'Data source')).toEqual(
        expect.objectContaining({
          ok: false,
          failedStep: 'proxy',
          reason: expect.stringMatching(/could not reach no-such-account.invalid:80 \(HTTP 502 Bad Gateway/),
        }),
      );
      expect(proxy.seen(`127.0.0.1:${fake.port}`).map((r) => r.method)).toContain('GET'); // forwarded (http://), no CONNECT
      expect(io.stdout.join('')).not.toContain(PASSWORD);
    } finally {
      await proxy.close();
    }
  });

  it('exits 1 when there is nothing to probe or a URL is not one', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-empty-'));
    const io = captureIO();
    expect(await runDiagnose({ home: empty }, io)).toBe(1);
    expect(io.stderr[0]).toMatch(/No node is registered in .*give --url <url> \/ --data-source-url <url>/);
    const bad = captureIO();
    expect(await runDiagnose({ home, url: ['not a url'] }, bad)).toBe(1);
    expect(bad.stderr[0]).toMatch(/--url 'not a url' is not a URL/);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

describe('shir logs', () => {
  const append = (log: EventLog, message: string, level: 'INFO' | 'WARN' | 'ERROR' = 'INFO', event?: string) =>
    log.append({ time: new Date().toISOString(), level, message, pid: 1, ...(event ? { event } : {}) });

  it('prints the event log, filters by level and event, and follows new records', async () => {
    const log = EventLog.forHome(home, {});
    append(log, 'first');
    append(log, 'Unable to connect to the remote server. …', 'WARN', 'UnableToConnect');
    const all = captureIO();
    expect(await runLogs({ home }, all)).toBe(0);
    expect(all.stdout).toEqual([
      expect.stringMatching(/ INFO first$/),
      expect.stringMatching(/ WARN Unable to connect to the remote server\. … \[UnableToConnect\]$/),
    ]);
    const warn = captureIO();
    expect(await runLogs({ home, level: 'warn', json: true }, warn)).toBe(0);
    expect(warn.stdout.map((l) => JSON.parse(l).event)).toEqual(['UnableToConnect']);
    const byEvent = captureIO();
    expect(await runLogs({ home, event: 'UnableToConnect', lines: '1' }, byEvent)).toBe(0);
    expect(byEvent.stdout).toHaveLength(1);
    const badLevel = captureIO();
    expect(await runLogs({ home, level: 'loud' }, badLevel)).toBe(1);

    const abort = new AbortController();
    const follow = captureIO();
    const following = runLogs({ home, follow: true, lines: '0', signal: abort.signal, pollMs: 20 }, follow);
    await pollUntil(() => (follow.stdout.length === 2 ? true : undefined), { description: 'the existing records' });
    append(log, 'later');
    await pollUntil(() => (follow.stdout.some((l) => l.endsWith(' INFO later')) ? true : undefined), {
      description: 'the new record',
    });
    abort.abort();
    expect(await following).toBe(0);
  });
});
