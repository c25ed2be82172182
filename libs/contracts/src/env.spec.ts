import { describeEnvProblems, EnvReader } from './env';

/** What one read gives and what it reports, for a variable X set to `value` (unset when undefined). */
function readX<T>(
  value: string | undefined,
  read: (reader: EnvReader) => T,
): { value: T; problems: readonly string[] } {
  const reader = new EnvReader(value === undefined ? {} : { X: value });
  return { value: read(reader), problems: reader.problems };
}

describe('EnvReader', () => {
  it.each([
    '5380.5',
    '0x1500',
    '443.7',
    ' 5380',
    '5380\n',
    '1e3',
    '-1',
    '70000',
    '+1',
    '05380',
    '',
    '9007199254740993',
  ])('refuses the port %p', (raw) => {
    const { value, problems } = readX(raw, (r) => r.port('X', 5380));
    expect(value).toBe(5380);
    expect(problems).toEqual([
      expect.stringMatching(/^X='.*' is not valid: expected a whole number from 1 to 65535 \(decimal digits only\)/),
    ]);
  });

  it.each([
    ['1', 1],
    ['5380', 5380],
    ['65535', 65535],
  ])('takes the port %p', (raw, port) => {
    expect(readX(raw, (r) => r.port('X', 5380))).toEqual({ value: port, problems: [] });
  });

  it('defaults an unset variable, and says how to get the default when one is set but empty', () => {
    expect(readX(undefined, (r) => r.port('X', 5380))).toEqual({ value: 5380, problems: [] });
    expect(readX('', (r) => r.port('X', 5380)).problems).toEqual([
      "X='' is not valid: expected a whole number from 1 to 65535 (decimal digits only); unset it for the default (5380).",
    ]);
  });

  it.each([
    ['0.5', 0.5],
    ['2', 2],
    ['3600', 3600],
  ])('takes the duration %p as a decimal', (raw, seconds) => {
    expect(readX(raw, (r) => r.decimal('X', 0.1, 3600, 5))).toEqual({ value: seconds, problems: [] });
  });

  it.each(['.5', '5.', '1e1', '0x10', '0.05', '3600.1', 'NaN', 'Infinity'])('refuses the duration %p', (raw) => {
    expect(readX(raw, (r) => r.decimal('X', 0.1, 3600, 5)).problems).toHaveLength(1);
  });

  it.each(['Managed', 'MANAGED', ' managed', 'both'])('refuses the enum value %p (exact words only)', (raw) => {
    expect(readX(raw, (r) => r.oneOf('X', ['managed', 'ingestion'], undefined)).problems).toEqual([
      `X='${raw}' is not valid: expected one of managed, ingestion (exactly, in that case).`,
    ]);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('takes the boolean %p', (raw, flag) => {
    expect(readX(raw, (r) => r.boolean('X', false))).toEqual({ value: flag, problems: [] });
  });

  it.each(['TRUE', 'yes', 'on', '2'])('refuses the boolean %p', (raw) => {
    expect(readX(raw, (r) => r.boolean('X', false)).problems).toHaveLength(1);
  });

  it.each([
    'localhost:5380',
    '127.0.0.1:5380',
    'purview-emulator',
    '//host:1',
    'ftp://host',
    ' http://host',
    'http://',
    'http://exa mple',
  ])('refuses the URL %p (absolute http/https only)', (raw) => {
    expect(readX(raw, (r) => r.url('X', undefined)).problems).toEqual([
      expect.stringContaining(`X='${raw}' is not valid: expected an absolute URL starting with http:// or https://`),
    ]);
  });

  it('takes URLs without their trailing slashes, and only https where only https is allowed', () => {
    expect(readX('http://purview-emulator:5380/', (r) => r.url('X', undefined)).value).toBe(
      'http://purview-emulator:5380',
    );
    expect(readX('HTTPS://[::1]:5443', (r) => r.url('X', undefined)).value).toBe('HTTPS://[::1]:5443');
    expect(readX('http://host:5443', (r) => r.url('X', undefined, ['https'])).problems).toHaveLength(1);
  });

  it.each(['127.0.0.1', '0.0.0.0', 'localhost', 'purview-emulator', 'azurite_1', '::', '::1'])(
    'takes the host %p',
    (raw) => {
      expect(readX(raw, (r) => r.host('X', 'localhost'))).toEqual({ value: raw, problems: [] });
    },
  );

  it.each(['http://host', 'host:5380', 'ho st', '-host', 'host.'])('refuses the host %p', (raw) => {
    expect(readX(raw, (r) => r.host('X', 'localhost')).problems).toHaveLength(1);
  });

  it('collects every problem and reports them together', () => {
    const reader = new EnvReader({ A: '1.5', B: 'Yes', C: 'nope' });
    reader.integer('A', 1, 10, 1);
    reader.boolean('B', false);
    reader.url('C', undefined);
    expect(describeEnvProblems(reader.problems).split('\n')).toEqual([
      '3 environment variables are not valid:',
      "  A='1.5' is not valid: expected a whole number from 1 to 10 (decimal digits only).",
      "  B='Yes' is not valid: expected one of true, false, 1, 0 (exactly, in that case).",
      "  C='nope' is not valid: expected an absolute URL starting with http:// or https://, like http://host:port.",
    ]);
  });
});
