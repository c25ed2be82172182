import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkMachine } from './commands/machine-check';
import { EventLog, logFormatFrom } from './log';
import { hostServiceSettings, nodeVersion, SettingsError } from './settings';

/** The problems a setting reader reports for an environment (it throws SettingsError), or [] when it takes it. */
function problemsOf(read: () => unknown): string[] {
  try {
    read();
    return [];
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return error.message.split('\n');
  }
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-env-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

describe('the runtime reads its environment strictly', () => {
  // Number() took '0x10' as 16, '1e3' as 1000 and ' 8' as 8; values above the maximum were quietly capped.
  it.each(['4.5', '0x10', '1e1', ' 8', '8 ', '-1', '0', '65', '', 'many'])(
    'refuses SHIR_MAX_CONCURRENT_JOBS=%p, naming the variable, the value and what is allowed',
    (value) => {
      expect(problemsOf(() => hostServiceSettings({ SHIR_MAX_CONCURRENT_JOBS: value }, 4))).toEqual([
        `SHIR_MAX_CONCURRENT_JOBS='${value}' is not valid: expected a whole number from 1 to 64 (decimal digits only)${value === '' ? '; unset it' : ''}.`,
      ]);
    },
  );

  it.each(['500.5', '0x1f4', '1e3', '70000'])('refuses SHIR_RECONNECT_MAX_MS=%p', (value) => {
    expect(problemsOf(() => hostServiceSettings({ SHIR_RECONNECT_MAX_MS: value }, 4))).toEqual([
      `SHIR_RECONNECT_MAX_MS='${value}' is not valid: expected a whole number from 1 to 10000 (decimal digits only).`,
    ]);
  });

  it('takes valid numbers, and defaults when unset', () => {
    expect(hostServiceSettings({ SHIR_MAX_CONCURRENT_JOBS: '64', SHIR_RECONNECT_MAX_MS: '500' }, 4)).toEqual({
      maxConcurrentJobs: 64,
      reconnectMaxMs: 500,
    });
    expect(hostServiceSettings({}, 4)).toEqual({ maxConcurrentJobs: 4, reconnectMaxMs: 10000 });
  });

  it.each([
    ['SHIR_LOG_FORMAT', 'JSON', 'one of json, text'],
    ['SHIR_LOG_FORMAT', 'yaml', 'one of json, text'],
    ['SHIR_LOG_LEVEL', 'Debug', 'one of error, warn, info, debug'],
    ['SHIR_SKIP_MACHINE_CHECK', 'yes', 'one of true, false, 1, 0'],
    ['SHIR_EVENT_LOG_MAX_BYTES', '5e6', 'a whole number from 1024 to 1073741824'],
    ['SHIR_EVENT_LOG_FILES', '2.5', 'a whole number from 1 to 1000'],
    ['SHIR_VERSION', '5.1', 'a four-part version like 5.40.9000.1'],
  ])('refuses %s=%p: expected %s', (name, value, allowed) => {
    for (const read of [
      () => logFormatFrom(false, { [name]: value }),
      () => EventLog.forHome(home, { [name]: value }),
      () => checkMachine(home, () => undefined, { [name]: value }),
      () => nodeVersion({ [name]: value }),
    ]) {
      expect(problemsOf(read)).toEqual([
        expect.stringContaining(`${name}='${value}' is not valid: expected ${allowed}`),
      ]);
    }
  });

  it('takes valid words exactly as documented', () => {
    expect(logFormatFrom(false, { SHIR_LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatFrom(false, { SHIR_LOG_FORMAT: 'text' })).toBe('text');
    expect(checkMachine(home, () => undefined, { SHIR_SKIP_MACHINE_CHECK: 'true' })).toEqual([]);
    expect(checkMachine(home, () => undefined, { SHIR_SKIP_MACHINE_CHECK: '1' })).toEqual([]);
    expect(nodeVersion({ SHIR_VERSION: '5.30.8000.1' })).toBe('5.30.8000.1');
  });

  it('names every bad variable at once', () => {
    expect(
      problemsOf(() =>
        hostServiceSettings(
          { SHIR_MAX_CONCURRENT_JOBS: '4.5', SHIR_LOG_FORMAT: 'JSON', SHIR_EVENT_LOG_FILES: '0x5' },
          4,
        ),
      ),
    ).toEqual([
      '3 environment variables are not valid:',
      "  SHIR_MAX_CONCURRENT_JOBS='4.5' is not valid: expected a whole number from 1 to 64 (decimal digits only).",
      "  SHIR_LOG_FORMAT='JSON' is not valid: expected one of json, text (exactly, in that case).",
      "  SHIR_EVENT_LOG_FILES='0x5' is not valid: expected a whole number from 1 to 1000 (decimal digits only).",
    ]);
  });
});
