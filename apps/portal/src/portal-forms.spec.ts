import type { Trigger } from '@contracts/scan-triggers';
import type { AtlasGlossaryTerm } from '@contracts/glossary';
import { termTree } from './api/glossary';
import { NO_SCHEDULE, describeTrigger, scheduleOf, scheduleValid, triggerBody } from './components/scanning/schedule';
import { credentialsFor, parentPath, scanSettings, sourceAddress } from './components/scanning/source-kinds';

const trigger = (recurrence: Partial<Trigger['properties']['recurrence']>): Trigger =>
  ({
    id: 'datasources/s/scans/x/triggers/default',
    name: 'default',
    properties: {
      recurrence: { frequency: 'Week', interval: 1, startTime: null, endTime: null, schedule: null, ...recurrence },
      state: 'Enabled',
    },
  }) as unknown as Trigger;

describe('the portal’s forms', () => {
  it('writes a weekly schedule as a 2023-09-01 trigger and reads it back', () => {
    const schedule = {
      recurring: true,
      frequency: 'Week' as const,
      interval: '2',
      time: '03:30',
      weekDays: ['Monday'],
    };
    const body = triggerBody(schedule) as { properties: { recurrence: Trigger['properties']['recurrence'] } };
    expect(body.properties.recurrence).toEqual(
      expect.objectContaining({
        frequency: 'Week',
        interval: 2,
        timeZone: 'UTC',
        schedule: { hours: [3], minutes: [30], weekDays: ['Monday'] },
      }),
    );
    expect(body.properties.recurrence.startTime).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
    const read = scheduleOf(trigger(body.properties.recurrence));
    expect(read).toEqual(schedule);
    expect(describeTrigger(trigger(body.properties.recurrence))).toBe('Every 2 weeks on Monday at 03:30 UTC · Enabled');
    expect(describeTrigger(null)).toBe('Once (no schedule)');
    expect(scheduleOf(null)).toEqual(NO_SCHEDULE);
  });

  it('runs an hourly schedule at a minute, with no hour', () => {
    const body = triggerBody({ ...NO_SCHEDULE, recurring: true, frequency: 'Hour', time: '00:15' }) as {
      properties: { recurrence: Trigger['properties']['recurrence'] };
    };
    expect(body.properties.recurrence.schedule).toEqual({ minutes: [15] });
    expect(describeTrigger(trigger(body.properties.recurrence))).toBe('Every hour at minute 15 · Enabled');
  });

  it('refuses intervals the API would refuse, and a weekly schedule with no day', () => {
    const recurring = { ...NO_SCHEDULE, recurring: true };
    expect(scheduleValid({ ...recurring, interval: '0' })).toBe(false);
    expect(scheduleValid({ ...recurring, interval: '1001' })).toBe(false);
    expect(scheduleValid({ ...recurring, interval: '1.5' })).toBe(false);
    expect(scheduleValid({ ...recurring, weekDays: [] })).toBe(false);
    expect(scheduleValid({ ...recurring, frequency: 'Day', weekDays: [] })).toBe(true);
    expect(scheduleValid({ ...NO_SCHEDULE, interval: 'x' })).toBe(true);
  });

  it('spells a source’s address and goes up a level in storage and database paths', () => {
    expect(sourceAddress({ endpoint: 'https://a.blob.core.windows.net/' })).toBe('https://a.blob.core.windows.net/');
    expect(sourceAddress({ serverEndpoint: 'pg.local', port: 5432 })).toBe('pg.local:5432');
    expect(sourceAddress({ serverEndpoint: 'pg.local' })).toBe('pg.local');
    expect(sourceAddress({})).toBe('');
    expect(parentPath('samples/sample-data/')).toBe('samples/');
    expect(parentPath('samples/')).toBe('');
    expect(parentPath('sales/public')).toBe('sales');
    expect(parentPath('sales')).toBe('');
    expect(
      scanSettings({
        connectedVia: { referenceName: 'ir' },
        credential: { referenceName: 'c', credentialType: 'SqlAuth' },
        databaseName: 'db',
      }),
    ).toEqual({
      runtime: 'ir',
      credential: 'c',
      credentialType: 'SqlAuth',
      databaseName: 'db',
    });
  });

  it('orders terms by their hierarchy, children under parents, and survives a cycle', () => {
    const t = (guid: string, name: string, parent?: string): AtlasGlossaryTerm =>
      ({ guid, name, ...(parent ? { parentTerm: { termGuid: parent } } : {}) }) as AtlasGlossaryTerm;
    const tree = termTree([t('3', 'Key account', '1'), t('1', 'Customer'), t('2', 'Address'), t('4', 'Top key', '3')]);
    expect(tree.map(({ term, depth }) => `${depth}:${term.name}`)).toEqual([
      '0:Address',
      '0:Customer',
      '1:Key account',
      '2:Top key',
    ]);
    // A parent outside the glossary's terms makes a root; a cycle loses no term and never loops.
    expect(termTree([t('a', 'A', 'missing')]).map((x) => x.depth)).toEqual([0]);
    expect(termTree([t('a', 'A', 'b'), t('b', 'B', 'a')]).map(({ term, depth }) => `${depth}:${term.name}`)).toEqual([
      '0:A',
      '1:B',
    ]);
  });

  it('offers a source only the credentials its kind reads with', () => {
    const credentials = [
      { name: 'key', kind: 'AccountKey' },
      { name: 'sql', kind: 'SqlAuth' },
      { name: 'basic', kind: 'BasicAuth' },
      { name: 'sp', kind: 'ServicePrincipal' },
    ];
    expect(credentialsFor('AzurePostgreSql', credentials).map((c) => c.name)).toEqual(['sql', 'basic']);
    expect(credentialsFor('AzureStorage', credentials).map((c) => c.name)).toEqual(['key']);
    expect(credentialsFor('Teradata', credentials)).toEqual([]);
  });
});
