import { InteractiveQueryRequestSchema, parseStoragePath } from './interactive-authoring';

describe('parseStoragePath', () => {
  it.each([
    ['', { prefix: '' }],
    ['data', { container: 'data', prefix: '' }],
    ['data/', { container: 'data', prefix: '' }],
    ['data/sales/2024/', { container: 'data', prefix: 'sales/2024/' }],
    ['data/sales/customers.csv', { container: 'data', prefix: 'sales/customers.csv' }],
    ['$root/a.csv', { container: '$root', prefix: 'a.csv' }],
    ['data/my%20file.csv', { container: 'data', prefix: 'my%20file.csv' }],
  ])('accepts %j', (raw, expected) => {
    expect(parseStoragePath(raw)).toEqual({ path: expected });
  });

  it.each([
    ['/data/a.csv', /absolute path/],
    ['\\data', /absolute path/],
    ['data/../other', /'\.\.' segment; path traversal/],
    ['..', /'\.\.' segment/],
    ['data/./a.csv', /'\.' segment/],
    ['data/%2e%2e/x', /'\.\.' segment/],
    ['data/%2E%2e/', /'\.\.' segment/],
    ['data\\..\\x', /backslash/],
    ['C:/windows', /URL or a drive/],
    ['file:///etc/passwd', /URL or a drive/],
    ['https://evil.example/x', /URL or a drive/],
    ['data//a.csv', /empty folder name/],
    ['data/a\u0000.csv', /control characters/],
    ['Data', /not a container name/],
    ['a--b', /not a container name/],
  ])('refuses %j', (raw, message) => {
    const result = parseStoragePath(raw);
    expect('problem' in result && result.problem).toMatch(message);
  });
});

describe('InteractiveQueryRequestSchema', () => {
  it('defaults to 60 minutes and bounds the value', () => {
    expect(InteractiveQueryRequestSchema.parse({}).autoTerminationMinutes).toBe(60);
    expect(InteractiveQueryRequestSchema.parse({ autoTerminationMinutes: 10 }).autoTerminationMinutes).toBe(10);
    expect(InteractiveQueryRequestSchema.safeParse({ autoTerminationMinutes: 0 }).success).toBe(false);
    expect(InteractiveQueryRequestSchema.safeParse({ autoTerminationMinutes: 1.5 }).success).toBe(false);
    expect(InteractiveQueryRequestSchema.safeParse({ autoTerminationMinutes: 1441 }).success).toBe(false);
  });
});
