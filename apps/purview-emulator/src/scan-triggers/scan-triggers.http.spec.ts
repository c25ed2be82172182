import * as path from 'node:path';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { ScanResultWithIngestion } from '@purview-emulator/contracts';
import { contractViolations, RUN_UNDECLARED, SCANNING_2023_09_01, tempDir, TempDir } from '@purview-emulator/testing';
import { DATABASE_FILE } from '../database/data-directory';
import request from 'supertest';
import { WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET } from '@purview-emulator/contracts';
import { createTestApp, requestToken, TestApp } from '../testing/test-app';

const V = '?api-version=2023-09-01';
const OLD = '?api-version=2018-12-01-preview';
const DS = 'storage-t';
const SCAN = 'scan-t';
const TRIGGER = `/scan/datasources/${DS}/scans/${SCAN}/triggers/default`;
const RUNS = `/scan/datasources/${DS}/scans/${SCAN}/runs`;
/** The emulator clock is set here before each test: a Monday, 00:10 UTC (it runs on from there in real time). */
const T0 = '2030-01-07T00:10:00.000Z';

/** The trigger PUT body the recorded real service answered 201 to (2018-12-01-preview): monthly, China Standard Time. */
const RECORDED_BODY = {
  properties: {
    recurrence: {
      frequency: 'Month',
      interval: 1,
      startTime: '2021-10-12T09:30:00',
      endTime: null,
      schedule: { monthDays: [1] },
      timezone: 'China Standard Time',
    },
    recurrenceInterval: null,
    scanLevel: 'Incremental',
  },
};

function hourly(extra: Record<string, unknown> = {}) {
  return {
    properties: {
      scanLevel: 'Full',
      recurrence: { frequency: 'Hour', interval: 1, startTime: '2030-01-07T01:00:00Z', ...extra },
    },
  };
}

describe('scan triggers over HTTP', () => {
  let dir: TempDir;
  let emulator: TestApp;
  let http: TestApp['api'];

  async function boot(): Promise<void> {
    emulator = await createTestApp({ env: { PURVIEW_DATA_DIR: dir.path } });
    http = emulator.api;
  }

  /** Moves the emulator clock; tokens are issued on its time, so a new one is taken for the new time. */
  async function moveClock(body: object): Promise<void> {
    await http.put('/_emulator/clock').send(body).expect(200);
    const token = await requestToken(emulator.http, WELL_KNOWN_CLIENT_ID, WELL_KNOWN_CLIENT_SECRET);
    http = request.agent(emulator.app.getHttpServer()).set('authorization', `Bearer ${token}`);
  }

  const setClock = (now: string) => moveClock({ now });
  const advance = (seconds: number) => moveClock({ advanceSeconds: seconds });

  async function runs(): Promise<ScanResultWithIngestion[]> {
    const response = await http.get(`${RUNS}${V}`).expect(200);
    return response.body.value as ScanResultWithIngestion[];
  }

  async function createScan(): Promise<void> {
    await http
      .put(`/scan/datasources/${DS}${V}`)
      .send({ kind: 'AzureStorage', properties: { endpoint: 'https://devstoreaccount1.blob.core.windows.net/' } })
      .expect((r) => expect([200, 201]).toContain(r.status));
    // No connectedVia: its runs fail at once (IntegrationRuntimeRequired), which leaves the scan free for the next.
    await http
      .put(`/scan/datasources/${DS}/scans/${SCAN}${V}`)
      .send({ kind: 'AzureStorageMsi', properties: {} })
      .expect((r) => expect([200, 201]).toContain(r.status));
  }

  beforeEach(async () => {
    dir = tempDir('scan-triggers-');
    await boot();
    await setClock(T0);
    await createScan();
  });

  afterEach(async () => {
    await emulator.close();
    dir.remove();
  });

  describe('Triggers_* routes', () => {
    it('stores the recorded real trigger (201) and answers older api-versions with `timezone`, 2023-09-01 with `timeZone` and `state`', async () => {
      const created = await http.put(`${TRIGGER}${OLD}`).send(RECORDED_BODY).expect(201);
      expect(created.body).toEqual({
        id: `datasources/${DS}/scans/${SCAN}/triggers/default`,
        name: 'default',
        properties: {
          recurrence: {
            frequency: 'Month',
            interval: 1,
            startTime: '2021-10-12T09:30:00',
            endTime: null,
            schedule: { minutes: null, hours: null, weekDays: null, monthDays: [1], monthlyOccurrences: null },
            timezone: 'China Standard Time',
          },
          recurrenceInterval: null,
          createdAt: expect.stringMatching(/^2030-01-07T00:10:0\d\.\d{3}Z$/),
          lastModifiedAt: expect.stringMatching(/^2030-01-07T00:10:0\d\.\d{3}Z$/),
          lastScheduled: null,
          scanLevel: 'Incremental',
        },
      });
      const current = await http.get(`${TRIGGER}${V}`).expect(200);
      expect(current.body.properties.recurrence.timeZone).toBe('China Standard Time');
      expect(current.body.properties.recurrence).not.toHaveProperty('timezone');
      expect(current.body.properties.state).toBe('Enabled');
      expect(contractViolations(SCANNING_2023_09_01, 'Trigger', current.body)).toEqual([]);
      // No api-version: 2023-09-01, as on the other scanning routes.
      expect((await http.get(TRIGGER).expect(200)).body.properties.recurrence.timeZone).toBe('China Standard Time');
    });

    it('replaces a trigger (200), keeping createdAt, and accepts `timeZone` as 2023-09-01 spells it', async () => {
      const created = await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await advance(60);
      const replaced = await http
        .put(`${TRIGGER}${V}`)
        .send({
          properties: {
            scanLevel: 'Incremental',
            state: 'Disabled',
            recurrence: {
              frequency: 'Week',
              interval: 2,
              startTime: '2030-01-07T00:00:00Z',
              timeZone: 'Europe/Paris',
              schedule: { weekDays: ['Monday', 'Thursday'], hours: [6], minutes: [30] },
            },
          },
        })
        .expect(200);
      expect(replaced.body.properties).toMatchObject({
        createdAt: created.body.properties.createdAt,
        lastModifiedAt: expect.stringMatching(/^2030-01-07T00:11:0\d\.\d{3}Z$/),
        state: 'Disabled',
        scanLevel: 'Incremental',
        recurrence: {
          frequency: 'Week',
          interval: 2,
          timeZone: 'Europe/Paris',
          schedule: { weekDays: ['Monday', 'Thursday'], hours: [6], minutes: [30], monthDays: null },
        },
      });
    });

    it('refuses a bad trigger with 400 in the scanning error shape, naming the field', async () => {
      const cases: [unknown, string, RegExp][] = [
        [{}, 'InvalidRequestBody', /properties is required/],
        [{ properties: {} }, 'InvalidRequestBody', /recurrence is required/],
        [
          { properties: { recurrence: { frequency: 'Minute' } } },
          'InvalidRequestBody',
          /frequency .* Hour, Day, Week, Month/,
        ],
        [hourly({ interval: 0 }), 'InvalidRequestBody', /interval must be at least 1/],
        [hourly({ interval: 1.5 }), 'InvalidRequestBody', /interval must be a whole number/],
        [hourly({ schedule: { minutes: [60] } }), 'InvalidRequestBody', /minutes must be between 0 and 59/],
        [hourly({ schedule: { hours: [24] } }), 'InvalidRequestBody', /hours must be between 0 and 23/],
        [hourly({ schedule: { weekDays: ['Funday'] } }), 'InvalidRequestBody', /day of the week/],
        [hourly({ schedule: { monthDays: [0] } }), 'InvalidRequestBody', /monthDays must be between 1 and 31/],
        [
          hourly({ schedule: { monthlyOccurrences: [{ day: 'Monday', occurrence: 6 }] } }),
          'InvalidRequestBody',
          /occurrence must be 1 to 5/,
        ],
        [hourly({ startTime: 'next tuesday' }), 'InvalidRequestBody', /startTime must be an ISO-8601 date-time/],
        [hourly({ timeZone: 'Mars Standard Time' }), 'InvalidTimeZone', /'Mars Standard Time' is not known/],
        [
          { properties: { ...hourly().properties, scanLevel: 'Partial' } },
          'InvalidScanLevel',
          /scanLevel 'Partial' is not valid/,
        ],
        [
          { properties: { ...hourly().properties, state: 'On' } },
          'InvalidRequestBody',
          /state must be 'Enabled' or 'Disabled'/,
        ],
        [
          hourly({ startTime: '2030-01-07T01:10:00Z', endTime: '2030-01-07T01:50:00Z', schedule: { minutes: [0] } }),
          'InvalidRecurrence',
          /never fires/,
        ],
      ];
      for (const [body, code, message] of cases) {
        const response = await http.put(`${TRIGGER}${V}`).send(body as object);
        expect({ body, status: response.status, code: response.body.error?.code }).toEqual({ body, status: 400, code });
        expect(response.body.error.message).toMatch(message);
      }
      await http.get(`${TRIGGER}${V}`).expect(404);
    });

    it('answers 404 for an unknown data source, scan, trigger name, or a scan without a trigger', async () => {
      const missingScan = await http.put(`/scan/datasources/${DS}/scans/nope/triggers/default${V}`).send(hourly());
      expect([missingScan.status, missingScan.body.error.code]).toEqual([404, 'ScanNotFound']);
      const missingSource = await http.get(`/scan/datasources/nope/scans/${SCAN}/triggers/default${V}`);
      expect(missingSource.status).toBe(404);
      const noTrigger = await http.get(`${TRIGGER}${V}`);
      expect([noTrigger.status, noTrigger.body.error.code]).toEqual([404, 'TriggerNotFound']);
      await http.delete(`${TRIGGER}${V}`).expect(404);
      await http.post(`${TRIGGER}:enable${V}`).expect(404);
      const otherName = await http.get(`/scan/datasources/${DS}/scans/${SCAN}/triggers/Trigger1${V}`);
      expect([otherName.status, otherName.body.error.code]).toEqual([404, 'TriggerNotFound']);
    });

    it('deletes a trigger (204), and a scan deleted takes its trigger with it', async () => {
      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await http.delete(`${TRIGGER}${V}`).expect(204);
      await http.get(`${TRIGGER}${V}`).expect(404);

      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await http.delete(`/scan/datasources/${DS}/scans/${SCAN}${V}`).expect(204);
      await createScan();
      await http.get(`${TRIGGER}${V}`).expect(404);
    });
  });

  describe('firing on the emulator clock', () => {
    it('starts a Scheduled run with the trigger’s scanLevel once the clock passes the occurrence, before the clock call answers', async () => {
      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await advance(45 * 60); // 00:55: not yet
      expect(await runs()).toEqual([]);
      await advance(10 * 60); // 01:05
      const [run] = await runs();
      expect(run).toMatchObject({ runType: 'Scheduled', scanLevelType: 'Full' });
      expect(
        contractViolations(SCANNING_2023_09_01, 'ScanResultWithIngestion', run, { undeclared: RUN_UNDECLARED }),
      ).toEqual([]);
      // No integration runtime: the run fails at once, with the reason (it was started all the same).
      expect(run.error?.code).toBe('IntegrationRuntimeRequired');
      const trigger = await http.get(`${TRIGGER}${V}`).expect(200);
      expect(trigger.body.properties.lastScheduled).toBe('2030-01-07T01:00:00.000Z');
      expect(contractViolations(SCANNING_2023_09_01, 'Trigger', trigger.body)).toEqual([]);

      // A user's run is Manual.
      await http.put(`${RUNS}/${randomUUID()}${V}`).expect(202);
      expect((await runs()).map((r) => r.runType)).toEqual(['Manual', 'Scheduled']);
    });

    it('fires missed occurrences once, not once per missed slot', async () => {
      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await advance(5 * 3600); // 05:10: the 01:00 … 05:00 occurrences have all come
      expect(await runs()).toHaveLength(1);
      expect((await http.get(`${TRIGGER}${V}`)).body.properties.lastScheduled).toBe('2030-01-07T05:00:00.000Z');
      await advance(3600); // 06:10
      expect(await runs()).toHaveLength(2);
    });

    it('skips an occurrence while the scan’s run is still queued (one run at a time)', async () => {
      // A real integration runtime without nodes: the scheduled run waits in the queue.
      await http
        .put(`/scan/integrationruntimes/trigger-ir${V}`)
        .send({ kind: 'SelfHosted', properties: {} })
        .expect(201);
      await http
        .put(`/scan/datasources/${DS}/scans/${SCAN}${V}`)
        .send({ kind: 'AzureStorageMsi', properties: { connectedVia: { referenceName: 'trigger-ir' } } })
        .expect(200);
      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await advance(3600); // 01:10
      const [queued] = await runs();
      expect(queued).toMatchObject({ status: 'Queued', runType: 'Scheduled' });
      await advance(3600); // 02:10: the 02:00 occurrence comes while the 01:00 run waits
      expect((await runs()).map((r) => r.id)).toEqual([queued.id]);
      expect((await http.get(`${TRIGGER}${V}`)).body.properties.lastScheduled).toBe('2030-01-07T02:00:00.000Z');
      await http.post(`${RUNS}/${queued.id}:cancel${V}`).expect(202);
      await advance(3600); // 03:10
      expect(await runs()).toHaveLength(2);
    });

    it('honours interval and endTime, and a Windows time zone', async () => {
      // Every 2 hours at minute 0 in China Standard Time (UTC+8), from 09:00 local (01:00 UTC) to 13:00 local.
      await http
        .put(`${TRIGGER}${V}`)
        .send({
          properties: {
            scanLevel: 'Full',
            recurrence: {
              frequency: 'Hour',
              interval: 2,
              startTime: '2030-01-07T09:00:00',
              endTime: '2030-01-07T13:00:00',
              timeZone: 'China Standard Time',
              schedule: { minutes: [0] },
            },
          },
        })
        .expect(201);
      const fired: string[] = [];
      for (let i = 0; i < 6; i++) {
        await advance(3600);
        fired.push((await http.get(`${TRIGGER}${V}`)).body.properties.lastScheduled);
      }
      expect([...new Set(fired)]).toEqual([
        '2030-01-07T01:00:00.000Z',
        '2030-01-07T03:00:00.000Z',
        '2030-01-07T05:00:00.000Z',
      ]);
      expect(await runs()).toHaveLength(3);
    });

    it('does not fire while disabled; enabled again, it fires from then on only', async () => {
      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      const disabled = await http.post(`${TRIGGER}:disable${V}`).expect(200);
      expect(disabled.body.properties.state).toBe('Disabled');
      await advance(3 * 3600); // 03:10
      expect(await runs()).toEqual([]);
      const enabled = await http.post(`${TRIGGER}:enable${V}`).expect(200);
      expect(enabled.body.properties.state).toBe('Enabled');
      expect(await runs()).toEqual([]);
      await advance(3600); // 04:10
      expect(await runs()).toHaveLength(1);
    });

    it('keeps triggers across a restart, and fires occurrences missed while down once at start', async () => {
      await http.put(`${TRIGGER}${V}`).send(hourly()).expect(201);
      await emulator.close();
      // Three hours pass while the emulator is down (the clock's offset is what the emulator keeps of its time).
      const db = new Database(path.join(dir.path, DATABASE_FILE));
      const { value } = db.prepare(`SELECT "value" FROM "emulator_settings" WHERE "key" = 'clock.offsetMs'`).get() as {
        value: string;
      };
      db.prepare(`UPDATE "emulator_settings" SET "value" = ? WHERE "key" = 'clock.offsetMs'`).run(
        String(Number(value) + 3 * 3_600_000),
      );
      db.close();
      await boot();
      await advance(0); // a token for the emulator's time
      const [run, ...others] = await runs();
      expect(others).toEqual([]);
      expect(run.runType).toBe('Scheduled');
      const trigger = await http.get(`${TRIGGER}${V}`).expect(200);
      expect(trigger.body.properties).toMatchObject({ lastScheduled: '2030-01-07T03:00:00.000Z', state: 'Enabled' });
    });
  });
});
