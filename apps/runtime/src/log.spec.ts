import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLogger, EventLog, eventLogFiles, parseLogLevel, readEventLog } from './log';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-log-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('logger levels', () => {
  it('drops lines below the minimum level (default info) and knows the level names', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), level: 'warn' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => l.split(' ').slice(1).join(' '))).toEqual(['WARN w', 'ERROR e']);
    const all: string[] = [];
    const debug = createLogger({ write: (l) => all.push(l), level: 'debug' });
    debug.debug('d');
    expect(all[0]).toMatch(/ DEBUG d$/);
    const fallback: string[] = [];
    createLogger({ write: (l) => fallback.push(l) }).debug('hidden');
    expect(fallback).toEqual([]);
    expect(parseLogLevel(' WARN ')).toBe('warn');
    expect(parseLogLevel('loud')).toBeUndefined();
  });
});

describe('event log', () => {
  it('writes redacted JSON records with the pid, to <dir>/events-000001.log', () => {
    const eventLog = new EventLog(dir);
    const logger = createLogger({ write: () => undefined, eventLog, eventFields: { source: 'test' } });
    logger.addSecret('proxy-password-123');
    logger.warn('Lost http://h/x?sv=1&sig=abc with proxy-password-123', { event: 'UnableToConnect' });
    const [record] = readEventLog(dir);
    expect(record).toEqual({
      time: expect.any(String),
      level: 'WARN',
      message: 'Lost http://h/x with ***',
      event: 'UnableToConnect',
      pid: process.pid,
      source: 'test',
    });
    expect(eventLogFiles(dir).map((f) => path.basename(f))).toEqual(['events-000001.log']);
  });

  it('rotates by size and keeps the newest N files', () => {
    const eventLog = new EventLog(dir, { maxBytes: 1024, keep: 3 });
    const logger = createLogger({ write: () => undefined, eventLog });
    for (let i = 0; i < 100; i++) logger.info(`record ${i} ${'x'.repeat(100)}`);
    const files = eventLogFiles(dir).map((f) => path.basename(f));
    expect(files).toHaveLength(3);
    expect(files[2]).toMatch(/^events-0000\d\d\.log$/);
    for (const file of eventLogFiles(dir)) expect(fs.statSync(file).size).toBeLessThanOrEqual(1024);
    const records = readEventLog(dir);
    expect(records.at(-1)!.message).toMatch(/^record 99 /);
    expect(records.length).toBeLessThan(100);
  });

  it('attaches to an existing logger, and never throws when it cannot write', () => {
    const logger = createLogger({ write: () => undefined });
    const blocked = path.join(dir, 'file');
    fs.writeFileSync(blocked, '');
    logger.attachEventLog?.(new EventLog(path.join(blocked, 'logs')));
    expect(() => logger.error('still fine')).not.toThrow();
  });
});
