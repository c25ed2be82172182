import 'reflect-metadata';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WebSocket } from 'ws';
import { WELL_KNOWN_TENANT_ID, type IntegrationRuntimeRelay } from '@purview-emulator/contracts';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';

interface Answer {
  status: number;
  code?: string;
  text: string;
}

/** Sends the request target byte for byte (fetch and supertest would normalise `/./` and `..` away). */
function raw(
  base: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = http.request(
      {
        host: hostname,
        port,
        method,
        path: target,
        headers: {
          ...(body !== undefined
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            const parsed = JSON.parse(text) as { error?: string | { code?: string }; errorCode?: string };
            code = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.code ?? parsed.errorCode);
          } catch {
            code = undefined;
          }
          resolve({ status: res.statusCode ?? 0, code, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every route the app serves, read from the controllers' own metadata, so a route added later is covered too. */
function routesOf(app: NestFastifyApplication): { method: string; path: string }[] {
  const seen = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as Type;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const base of bases)
          for (const p of ([] as string[]).concat(paths))
            seen.add(`${method} ${`/${base}/${p}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')}`);
      }
    }
  }
  return [...seen].sort().map((route) => ({ method: route.split(' ')[0], path: route.split(' ')[1] }));
}

/**
 * The routes anyone may call: Entra ID's endpoints, health, info, metrics (Prometheus scrapes without a token),
 * reading the clock, node registration (it carries the auth key), and the portal's static files (its API calls
 * carry a token).
 */
const PUBLIC = new Set([
  'POST /:tenantId/oauth2/v2.0/token',
  'POST /:tenantId/oauth2/token',
  'GET /:tenantId/discovery/v2.0/keys',
  'GET /:tenantId/discovery/keys',
  'GET /:tenantId/v2.0/.well-known/openid-configuration',
  'GET /_emulator/health',
  'GET /_emulator/info',
  'GET /_emulator/metrics',
  'GET /_emulator/clock',
  'POST /_emulator/runtime/register',
  'GET /',
  'GET /portal',
  'GET /portal/*',
]);

/** The 401 each family answers without credentials: the node credential, ARM's, Atlas's, Purview's. */
function refusalCode(routePath: string): string {
  if (routePath.startsWith('/_emulator/runtime/')) return 'MissingNodeCredential';
  if (routePath.startsWith('/subscriptions/')) return 'AuthenticationFailed';
  if (/^\/(datamap|catalog)\/api\//.test(routePath)) return 'ATLAS-401-00-001';
  return 'Unauthorized';
}

function concrete(routePath: string): string {
  const filled = routePath.replace(/:tenantId/g, WELL_KNOWN_TENANT_ID).replace(/:[A-Za-z]+/g, 'x');
  return `${filled}?api-version=${routePath.startsWith('/subscriptions/') ? '2021-07-01' : '2023-09-01'}`;
}

/** Spellings of one target a router or a proxy may treat as the same path (or not). */
function variants(target: string): [string, string][] {
  const q = target.indexOf('?');
  const p = target.slice(0, q);
  const query = target.slice(q);
  const second = p.indexOf('/', 1);
  const last = p.lastIndexOf('/');
  const out: [string, string][] = [
    ['doubled leading slash', `/${p}`],
    ['tripled leading slash', `//${p}`],
    ['dot segment', `/.${p}`],
    ['dot-dot segment', `/x/..${p}`],
    ['encoded leading slash', `/%2F${p.slice(1)}`],
    ['trailing slash', `${p}/`],
    ['upper case', p.toUpperCase()],
    ['first letter upper case', `/${p.charAt(1).toUpperCase()}${p.slice(2)}`],
  ];
  if (second > 0) {
    out.push(['doubled inner slash', `${p.slice(0, second)}/${p.slice(second)}`]);
    out.push(['encoded inner slash', `${p.slice(0, second)}%2F${p.slice(second + 1)}`]);
  }
  if (last > 0) out.push(['doubled last slash', `${p.slice(0, last)}/${p.slice(last)}`]);
  return out.map(([name, v]) => [name, v + query]);
}

/**
 * Authentication is decided on the route the router matched, never on the raw URL: every route needs a credential
 * unless it is one of PUBLIC, and every other spelling of a route either is that route (same answer) or is no
 * route (404). Built on the real app factory and a real port, so the router, its URL rewrite and the relay's
 * request interception are the ones in production.
 */
describe('authentication on the matched route', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let base: string;
  const tokens: Record<string, string> = {};
  const bearer = (name: string): Record<string, string> => ({ authorization: `Bearer ${tokens[name]}` });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'route-auth-'));
    const clients = [
      { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Data Reader'] },
      { clientId: 'curator-app', clientSecret: 'curator-secret', roles: ['Data Curator'] },
      { clientId: 'collection-admin-app', clientSecret: 'collection-admin-secret', roles: ['Collection Admin'] },
      { clientId: 'source-admin-app', clientSecret: 'source-admin-secret', roles: ['Data Source Admin'] },
    ];
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '5380',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
        PURVIEW_EMULATOR_CLIENTS: JSON.stringify(clients),
      }),
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const grant = async (id: string, secret: string, scope: string): Promise<string> => {
      const response = await fetch(`${base}/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret, scope }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    for (const [id, secret] of [
      ['purview-emulator', 'purview-emulator-secret'],
      ...clients.map((c) => [c.clientId, c.clientSecret]),
    ])
      tokens[id] = await grant(id, secret, 'https://purview.azure.net/.default');
    tokens.arm = await grant('purview-emulator', 'purview-emulator-secret', 'https://management.azure.com/.default');
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('knows the routes it checks (the table below is not empty or stale)', () => {
    const routes = routesOf(app).map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThan(40);
    for (const route of PUBLIC) expect(routes).toContain(route);
  });

  describe.each([false, true])('without credentials (public: %s)', (publicRoutes) => {
    // Resolved lazily: the app exists only once beforeAll ran.
    const table = (): { method: string; path: string }[] =>
      routesOf(app).filter((r) => PUBLIC.has(`${r.method} ${r.path}`) === publicRoutes);

    // Every route in a dozen spellings, one request at a time: seconds on a busy machine.
    it('answers every route, and every spelling of it, as the matched route decides', async () => {
      const wrong: string[] = [];
      for (const { method, path: routePath } of table()) {
        const target = concrete(routePath);
        const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
        const canonical = await raw(base, method, target, {}, body);
        // Health is 503 here (no storage): public routes only must not ask for credentials or fail.
        if (
          publicRoutes
            ? canonical.status === 401 || canonical.status === 500
            : canonical.status !== 401 || canonical.code !== refusalCode(routePath)
        ) {
          wrong.push(`${method} ${target} → ${canonical.status} ${canonical.code ?? ''}`);
          continue;
        }
        for (const [name, variant] of variants(target)) {
          const answer = await raw(base, method, variant, {}, body);
          // A spelling of a public route stays public; it may change a parameter (`/%2F{tenant}` is tenant '/{tenant}').
          const ok = publicRoutes
            ? answer.status !== 401 && answer.status !== 500
            : answer.status === 404 || (answer.status === canonical.status && answer.code === canonical.code);
          if (!ok)
            wrong.push(
              `${method} ${variant} (${name}) → ${answer.status} ${answer.code ?? ''}, but ${target} → ${canonical.status} ${canonical.code ?? ''}`,
            );
        }
      }
      expect(wrong).toEqual([]);
    }, 60_000);
  });

  it('does not say more on unmatched routes with or without a token', async () => {
    for (const headers of [{}, bearer('reader-app')]) {
      const answer = await raw(base, 'GET', '/_emulator/nothing-here', headers);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.text)).toEqual({
        error: { code: 'NotFound', message: 'No operation matches GET /_emulator/nothing-here.' },
      });
    }
  });

  describe("the issue's reproductions, with and without tokens", () => {
    const ARM_ACCOUNT =
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Purview/accounts/emulator?api-version=2021-07-01';

    it.each([
      ['GET', '//account'],
      ['GET', `/${ARM_ACCOUNT}`],
      [
        'GET',
        '//subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Purview/accounts?api-version=2021-07-01',
      ],
      [
        'POST',
        '//subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Purview/checkNameAvailability?api-version=2021-07-01',
      ],
      ['POST', `/${ARM_ACCOUNT.replace('?', '/listkeys?')}`],
      ['HEAD', '//account'],
    ])('%s %s needs a token', async (method, target) => {
      const answer = await raw(base, method, target, {}, method === 'POST' ? '{}' : undefined);
      expect(answer.status).toBe(401);
    });

    it('takes the audience from the matched controller: ARM tokens on ARM routes, Purview tokens elsewhere', async () => {
      expect(await raw(base, 'GET', `/${ARM_ACCOUNT}`, bearer('purview-emulator'))).toMatchObject({
        status: 401,
        code: 'InvalidAuthenticationTokenAudience',
      });
      expect((await raw(base, 'GET', `/${ARM_ACCOUNT}`, bearer('arm'))).status).toBe(200);
      expect(await raw(base, 'GET', '//account', bearer('arm'))).toMatchObject({ status: 401, code: 'InvalidToken' });
      expect((await raw(base, 'GET', '//account', bearer('reader-app'))).status).toBe(200);
    });

    it('checks roles and api-version on every spelling of a route', async () => {
      const reader = bearer('reader-app');
      expect(
        await raw(
          base,
          'PUT',
          '//scan/integrationruntimes/spelled?api-version=2023-09-01',
          reader,
          '{"kind":"SelfHosted"}',
        ),
      ).toMatchObject({ status: 403, code: 'Forbidden' });
      expect(await raw(base, 'GET', '//_emulator/integrationruntimes/spelled/relay', reader)).toMatchObject({
        status: 403,
        code: 'Forbidden',
      });
      expect(await raw(base, 'GET', '//scan/integrationruntimes?api-version=1999-01-01', reader)).toMatchObject({
        status: 400,
        code: 'InvalidApiVersionParameter',
      });
      const missing = '/datamap/api/atlas/v2/entity/guid/missing?api-version=2023-09-01';
      const atlas404 = await raw(base, 'GET', missing, reader);
      expect(atlas404).toMatchObject({ status: 404, code: expect.stringMatching(/^ATLAS-404-/) });
      expect(await raw(base, 'GET', `/${missing}`, reader)).toMatchObject({ status: 404, code: atlas404.code });
    });
  });

  describe('emulator control', () => {
    afterEach(async () => {
      await raw(base, 'DELETE', '/_emulator/clock', bearer('purview-emulator'));
    });

    it('lets anyone read the clock', async () => {
      expect((await raw(base, 'GET', '/_emulator/clock')).status).toBe(200);
    });

    it.each([
      ['PUT', '{"advanceSeconds":60}'],
      ['DELETE', undefined],
    ])('%s /_emulator/clock needs a token with Collection Admin or Data Source Admin', async (method, body) => {
      expect(await raw(base, method, '/_emulator/clock', {}, body)).toMatchObject({
        status: 401,
        code: 'Unauthorized',
      });
      for (const client of ['reader-app', 'curator-app']) {
        const refused = await raw(base, method, '/_emulator/clock', bearer(client), body);
        expect(refused).toMatchObject({ status: 403, code: 'Forbidden' });
        expect(JSON.parse(refused.text).error.message).toContain(
          `The client '${client}' has none of the roles Collection Admin or Data Source Admin`,
        );
      }
      expect((await raw(base, 'GET', '/_emulator/clock')).text).toContain('"offsetSeconds":0');
      for (const client of ['collection-admin-app', 'source-admin-app'])
        expect((await raw(base, method, '/_emulator/clock', bearer(client), body)).status).toBe(200);
    });
  });

  describe('relay (its HTTP senders and upgrades bypass the router)', () => {
    let relay: IntegrationRuntimeRelay;

    beforeAll(async () => {
      const admin = { ...bearer('purview-emulator') };
      expect(
        (
          await raw(
            base,
            'PUT',
            '/scan/integrationruntimes/spelled-relay?api-version=2023-09-01',
            admin,
            '{"kind":"SelfHosted"}',
          )
        ).status,
      ).toBe(201);
      relay = JSON.parse(
        (await raw(base, 'GET', '/_emulator/integrationruntimes/spelled-relay/relay', admin)).text,
      ) as IntegrationRuntimeRelay;
    });

    it('asks an HTTP sender for a SAS token on every spelling of a hybrid connection path', async () => {
      const hc = relay.hybridConnectionPath;
      for (const target of [
        `/${hc}/x`,
        `//${hc}/x`,
        `/./${hc}/x`,
        `/%2F${hc}/x`,
        `/${hc.toUpperCase()}/x`,
        `/${hc}%2Fx`,
        `/x/../${hc}/x`,
      ]) {
        const answer = await raw(base, 'POST', target, {}, '{}');
        // 401 from the relay, or 404 from the app; a 502 (no listener) would mean the request got past authentication.
        expect([target, [401, 404].includes(answer.status)]).toEqual([target, true]);
      }
    });

    it('asks a listener for a SAS token on every spelling of the listen path', async () => {
      const hc = relay.hybridConnectionPath;
      const wsBase = base.replace(/^http/, 'ws');
      for (const target of [
        `/$hc/${hc}`,
        `//$hc/${hc}`,
        `/%24hc/${hc}`,
        `/$HC/${hc.toUpperCase()}`,
        `/$hc//${hc}`,
        `/$hc/%2F${hc}`,
      ]) {
        const status = await new Promise<number>((resolve) => {
          const ws = new WebSocket(`${wsBase}${target}?sb-hc-action=listen`, { perMessageDeflate: false });
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => resolve(0));
        });
        expect([target, [401, 404].includes(status)]).toEqual([target, true]);
      }
    });
  });
});
