import { createEmulatorLogger } from './quiet-logger';
import type { LogSettings } from '../config/emulator-config';

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC; that is what is looked for.
const ANSI = /\u001b\[/;
const TTY = { stdoutIsTTY: true, stderrIsTTY: true };
const PIPE = { stdoutIsTTY: false, stderrIsTTY: false };

/** What the logger writes to stdout and stderr (the process streams are the boundary). */
function capture(run: () => void): string[] {
  const lines: string[] = [];
  const record = (chunk: unknown) => (lines.push(String(chunk)), true);
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(record);
  try {
    run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines;
}

const settings = (overrides: Partial<LogSettings> = {}): LogSettings => ({
  format: 'text',
  level: 'log',
  noColor: false,
  ...overrides,
});

describe('the emulator console logger', () => {
  it('writes text lines with ISO timestamps and no colour codes into a pipe or file', () => {
    const [line] = capture(() => createEmulatorLogger(settings(), PIPE).log('listening', 'PurviewEmulator'));
    expect(line).toMatch(
      /^\[PurviewEmulator\] \d+ {2}- \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z {5}LOG \[PurviewEmulator\] listening\n$/,
    );
    expect(line).not.toMatch(ANSI);
  });

  it('colours only on a terminal, and never with NO_COLOR', () => {
    expect(capture(() => createEmulatorLogger(settings(), TTY).log('hello', 'X'))[0]).toMatch(ANSI);
    expect(capture(() => createEmulatorLogger(settings({ noColor: true }), TTY).log('hello', 'X'))[0]).not.toMatch(
      ANSI,
    );
    expect(
      capture(() =>
        createEmulatorLogger(settings(), { stdoutIsTTY: true, stderrIsTTY: false }).error('bad', undefined, 'X'),
      )[0],
    ).not.toMatch(ANSI);
  });

  it('writes one JSON object per line with PURVIEW_LOG_FORMAT=json, even on a terminal', () => {
    const lines = capture(() =>
      createEmulatorLogger(settings({ format: 'json' }), TTY).warn({ method: 'GET', status: 200 }, 'Request'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(ANSI);
    expect(JSON.parse(lines[0])).toEqual({
      level: 'warn',
      pid: process.pid,
      timestamp: expect.any(Number),
      message: { method: 'GET', status: 200 },
      context: 'Request',
    });
  });

  it('shows the configured level and everything more severe', () => {
    const atLog = capture(() => {
      const logger = createEmulatorLogger(settings(), PIPE);
      logger.debug('request line', 'Request');
      logger.verbose('detail', 'X');
      logger.error('fault', undefined, 'X');
    });
    expect(atLog.join('')).not.toContain('request line');
    expect(atLog.join('')).toContain('fault');
    expect(
      capture(() => createEmulatorLogger(settings({ level: 'debug' }), PIPE).debug('request line', 'Request')).join(''),
    ).toContain('request line');
    expect(capture(() => createEmulatorLogger(settings({ level: 'error' }), PIPE).warn('careful', 'X'))).toEqual([]);
  });

  it("drops Nest's boot chatter but keeps the emulator's own lines", () => {
    const lines = capture(() => {
      const logger = createEmulatorLogger(settings(), PIPE);
      logger.log('AppModule dependencies initialized', 'InstanceLoader');
      logger.log('Mapped {/x, GET} route', 'RouterExplorer');
      logger.log('listening', 'PurviewEmulator');
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('listening');
  });
});
