import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MAX_OLD_SPACE_MB, DEFAULT_MAX_SEMI_SPACE_MB, heapLimitFlags } from './heap-limit';

const LAUNCHER = path.resolve(__dirname, '..', 'bin', 'shir.js');

describe('heapLimitFlags', () => {
  const both = [
    `--max-old-space-size=${DEFAULT_MAX_OLD_SPACE_MB}`,
    `--max-semi-space-size=${DEFAULT_MAX_SEMI_SPACE_MB}`,
  ];
  it('bounds the heap unless node flags or NODE_OPTIONS set a limit', () => {
    expect(heapLimitFlags([], undefined)).toEqual(both);
    expect(heapLimitFlags(['--enable-source-maps'], '--require x.js')).toEqual(both);
    expect(heapLimitFlags(['--max-old-space-size=512'], undefined)).toBeUndefined();
    expect(heapLimitFlags([], '--trace-gc --max_old_space_size=300')).toBeUndefined();
    expect(heapLimitFlags([], '--max-old-space-size 300')).toBeUndefined();
  });

  it('keeps a young generation size the user set', () => {
    expect(heapLimitFlags(['--max-semi-space-size=16'], undefined)).toEqual([both[0]]);
  });
});

describe('the shir launcher (bin/shir.js, built dist)', () => {
  // A preload that reports each node process's heap limit: the launcher's and the one it relaunches.
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-heap-'));
    fs.writeFileSync(
      path.join(dir, 'report.js'),
      `process.stderr.write('heap ' + require('node:v8').getHeapStatistics().heap_size_limit + '\\n');`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (nodeOptions: string) => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [LAUNCHER, '--version'], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
    });
    const limitsMb = [...stderr.matchAll(/^heap (\d+)$/gm)].map((m) => Number(m[1]) / 1024 / 1024);
    return { stdout, limitsMb };
  };

  it('relaunches node with a bounded heap and passes the command through', async () => {
    const { stdout, limitsMb } = await run(`--require ${path.join(dir, 'report.js')}`);
    expect(stdout).toMatch(/\d+\.\d+/);
    expect(limitsMb).toHaveLength(2);
    // heap_size_limit is old space plus young space: a little over the flag, far under an unbounded default.
    expect(limitsMb[1]).toBeGreaterThanOrEqual(DEFAULT_MAX_OLD_SPACE_MB);
    expect(limitsMb[1]).toBeLessThan(DEFAULT_MAX_OLD_SPACE_MB + 64);
  });

  it('runs in place with the limit the user set', async () => {
    const { stdout, limitsMb } = await run(`--max-old-space-size=300 --require ${path.join(dir, 'report.js')}`);
    expect(stdout).toMatch(/\d+\.\d+/);
    expect(limitsMb).toHaveLength(1);
    expect(limitsMb[0]).toBeGreaterThanOrEqual(300);
  });
});
