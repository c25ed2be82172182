import { PurviewError } from '../common/errors';
import { databaseOfPath } from './database-authoring-sources';

describe('databaseOfPath', () => {
  it('names the database of db, db/schema, db/schema/table and a folder-like trailing slash', () => {
    expect(databaseOfPath(undefined)).toBeUndefined();
    expect(databaseOfPath('')).toBeUndefined();
    expect(databaseOfPath('sales')).toBe('sales');
    expect(databaseOfPath('sales/public/')).toBe('sales');
    expect(databaseOfPath('sales/public/payments')).toBe('sales');
  });

  it.each(['/sales', '../x', 'sales//public', 'sales/./t', 'sa\u0000les'])('refuses %j as InvalidPath', (path) => {
    let thrown: unknown;
    try {
      databaseOfPath(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PurviewError);
    expect((thrown as PurviewError).code).toBe('InvalidPath');
  });
});
