import { createLogger } from './log';
import { describeError } from './redact';

const SAS = 'sv=2024-08-04&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&sig=AbCdEf0123456789%2BSecret%3D';

describe('describeError', () => {
  it('keeps the first line only, redacted', () => {
    expect(describeError(new Error(`failed at https://h/p?${SAS}\nstack…`))).toBe('failed at https://h/p');
    expect(describeError('plain')).toBe('plain');
  });
});

describe('logger', () => {
  it('writes plain lines with time and level, redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), now: () => new Date('2026-11-27T00:00:00.000Z') });
    logger.addSecret('my-node-credential');
    logger.info(`Connected to http://127.0.0.1:5380?${SAS} with my-node-credential`);
    expect(lines).toEqual(['2026-11-27T00:00:00.000Z INFO Connected to http://127.0.0.1:5380 with ***']);
  });

  it('writes JSON lines with fields, redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({
      format: 'json',
      write: (l) => lines.push(l),
      now: () => new Date('2026-11-27T00:00:00.000Z'),
    });
    logger.warn('Lost it', { url: `http://h/q?${SAS}`, runningJobs: 2, skipped: undefined });
    expect(JSON.parse(lines[0])).toEqual({
      time: '2026-11-27T00:00:00.000Z',
      level: 'WARN',
      message: 'Lost it',
      url: 'http://h/q',
      runningJobs: 2,
    });
  });
});
