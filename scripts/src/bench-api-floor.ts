/**
 * The floor of `npm run bench:api`: a bare Fastify server doing the least an authenticated status read must do —
 * verify an RS256 bearer token (jose, issuer, audience and lifetime, as the emulator checks them) and read one
 * SQLite row (better-sqlite3, a prepared statement) — so the emulator's figure can be read as a share of it.
 * Started as its own process by bench-api.ts; prints `{"port":n,"token":"…"}` on stdout once it listens.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import * as jose from 'jose';

const ISSUER = 'https://login.microsoftonline.com/floor/v2.0';
const AUDIENCE = 'https://purview.azure.net';

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-bench-floor-'));
  const db = new Database(path.join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE runtime (name TEXT PRIMARY KEY, state TEXT, properties TEXT)');
  db.prepare('INSERT INTO runtime VALUES (?, ?, ?)').run('ir', 'Online', JSON.stringify({ type: 'SelfHosted' }));
  const read = db.prepare<[string], { name: string; state: string; properties: string }>(
    'SELECT name, state, properties FROM runtime WHERE name = ?',
  );

  const { privateKey, publicKey } = await jose.generateKeyPair('RS256');
  const token = await new jose.SignJWT({ roles: ['Data Source Admin'] })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);

  const app = Fastify({ logger: false });
  app.get<{ Params: { name: string } }>('/scan/integrationruntimes/:name/status', async (request, reply) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) return reply.code(401).send({ error: { code: 'Unauthorized' } });
    await jose.jwtVerify(match[1], publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] });
    const row = read.get(request.params.name);
    if (!row) return reply.code(404).send({ error: { code: 'NotFound' } });
    const properties = JSON.parse(row.properties) as Record<string, unknown>;
    return { name: row.name, properties: { ...properties, state: row.state } };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port, token })}\n`);
  const stop = (): void => {
    void app.close().then(() => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
