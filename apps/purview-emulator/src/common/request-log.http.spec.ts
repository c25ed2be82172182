import 'reflect-metadata';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WebSocket } from 'ws';
import { createSasToken, type IntegrationRuntimeRelay } from '@purview-emulator/contracts';
import { pollUntil } from '@purview-emulator/testing';
import { createEmulatorApp } from '../app.factory';
import { loadConfig } from '../config/emulator-config';

/** The app's logger, as the boundary: every line Nest hands it, with level and context. */
class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: unknown; context?: string }[] = [];
  private push =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      void this.lines.push({ level, message, context: rest.at(-1) as string | undefined });
  log = this.push('log');
  error = this.push('error');
  warn = this.push('warn');
  debug = this.push('debug');
  verbose = this.push('verbose');
  requests(): string[] {
    return this.lines.filter((l) => l.context === 'Request').map((l) => String(l.message));
  }
}

/** The whole emulator, its API (through Fastify) and its relay (beside Fastify), seen through its request log. */
describe('request log of the emulator', () => {
  let dataDir: string;
  let app: NestFastifyApplication;
  let base: string;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'request-log-'));
    app = await createEmulatorApp(
      loadConfig({
        PURVIEW_DATA_DIR: dataDir,
        PURVIEW_EMULATOR_PORT: '0',
        AZURITE_BLOB_PORT: '1',
        AZURITE_QUEUE_PORT: '1',
      }),
      { logger },
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs API calls, relay senders and relay upgrades, one line each, with request ids and no tokens', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'purview-emulator',
      client_secret: 'purview-emulator-secret',
      scope: 'https://purview.azure.net/.default',
    });
    const tokenResponse = await fetch(`${base}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token`, {
      method: 'POST',
      body: form,
      headers: { 'x-ms-client-request-id': 'token-call' },
    });
    expect(tokenResponse.headers.get('x-ms-client-request-id')).toBe('token-call');
    const bearer = {
      authorization: `Bearer ${((await tokenResponse.json()) as { access_token: string }).access_token}`,
      'content-type': 'application/json',
    };
    expect(
      (
        await fetch(`${base}/scan/integrationruntimes/log-ir?api-version=2023-09-01`, {
          method: 'PUT',
          headers: bearer,
          body: JSON.stringify({ kind: 'SelfHosted' }),
        })
      ).status,
    ).toBeLessThan(300);
    const relay = (await (
      await fetch(`${base}/_emulator/integrationruntimes/log-ir/relay?sig=NotASecretButLooksLikeOne`, {
        headers: bearer,
      })
    ).json()) as IntegrationRuntimeRelay;

    const listenToken = createSasToken(
      relay.httpUrl,
      relay.sasKeyName,
      relay.sasKey,
      Math.floor(Date.now() / 1000) + 600,
    );
    const ws = new WebSocket(`${relay.listenUrl}&sb-hc-token=${encodeURIComponent(listenToken)}`, {
      perMessageDeflate: false,
    });
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.close();
    const forged = createSasToken(relay.httpUrl, relay.sasKeyName, 'not-the-key', Math.floor(Date.now() / 1000) + 600);
    expect(
      (await fetch(`${relay.httpUrl}/x?sb-hc-token=${encodeURIComponent(forged)}`, { method: 'POST', body: 'x' }))
        .status,
    ).toBe(401);

    const lines = await pollUntil(() => (logger.requests().length >= 5 ? logger.requests() : undefined), {
      description: 'five request lines',
      timeoutMs: 5000,
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^POST \/00000000-0000-0000-0000-000000000000\/oauth2\/v2\.0\/token 200 [\d.]+ms request-id=[0-9a-f-]{36} client-request-id=token-call$/,
        ),
        expect.stringMatching(
          /^PUT \/scan\/integrationruntimes\/log-ir\?api-version=2023-09-01 20[01] [\d.]+ms request-id=[0-9a-f-]{36}$/,
        ),
        expect.stringMatching(/^GET \/_emulator\/integrationruntimes\/log-ir\/relay\?sig=\*\*\* 200 /),
        expect.stringMatching(
          new RegExp(
            `^GET /\\$hc/${relay.hybridConnectionPath}\\?sb-hc-action=listen&sb-hc-token=\\*\\*\\* 101 [\\d.]+ms upgrade$`,
          ),
        ),
        expect.stringMatching(new RegExp(`^POST /${relay.hybridConnectionPath}/x\\?sb-hc-token=\\*\\*\\* 401 `)),
      ]),
    );
    expect(logger.lines.filter((l) => l.context === 'Request').map((l) => l.level)).toEqual(
      expect.arrayContaining(['debug']),
    );
    const all = JSON.stringify(logger.lines);
    for (const secret of ['NotASecret', encodeURIComponent(listenToken), encodeURIComponent(forged), relay.sasKey])
      expect(all).not.toContain(secret);
  });
});
