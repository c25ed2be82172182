/**
 * Ranged reads against a real HTTP server standing in for the blob endpoint, so that a body can be cut off part way
 * (something Azurite cannot be made to do on purpose).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil } from '@purview-emulator/testing';
import { AzureBlobConnector } from './azure-blob.connector';
import { ConnectorError } from './connector';

const CONTENT = Buffer.from('0123456789abcdefghijklmnop');
const SAS = 'sv=2026-04-06&sig=secret-signature';

interface Seen {
  url: string;
  range: string | undefined;
  ifMatch: string | undefined;
}

/** Serves CONTENT's ranges; the first `cuts` responses send 4 bytes of their body and then drop the connection. */
async function blobServer(cuts: number): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const range = request.headers['x-ms-range'] as string | undefined;
    seen.push({ url: request.url ?? '', range, ifMatch: request.headers['if-match'] });
    const [, from, to] = /^bytes=(\d+)-(\d*)$/.exec(range ?? '') ?? [];
    const body = CONTENT.subarray(Number(from ?? 0), to ? Number(to) + 1 : undefined);
    response.writeHead(206, { 'content-length': body.length, etag: '"v1"', 'content-type': 'text/csv' });
    if (seen.length > cuts) return void response.end(body);
    response.write(body.subarray(0, 4), () => setImmediate(() => request.socket.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/devstoreaccount1`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('AzureBlobConnector.openBlob, a body cut off part way', () => {
  it('asks for the rest of the range, of the same blob version, and returns every byte once', async () => {
    const server = await blobServer(1);
    try {
      const connector = new AzureBlobConnector({ serviceUrl: server.url, sasToken: SAS });
      const text = await readAll(await connector.openBlob('data', 'dir/a b.csv', { offset: 0, count: 10 }));
      expect(text).toBe('0123456789');
      expect(server.seen.map((s) => [s.range, s.ifMatch])).toEqual([
        ['bytes=0-9', undefined],
        ['bytes=4-9', '"v1"'],
      ]);
      expect(server.seen[0].url).toMatch(
        /^\/devstoreaccount1\/data\/dir\/a%20b\.csv\?sv=2026-04-06&sig=secret-signature/,
      );
    } finally {
      await server.close();
    }
  });

  it('gives up after two resumes with a clear error that carries no SAS', async () => {
    const server = await blobServer(Infinity);
    try {
      const connector = new AzureBlobConnector({ serviceUrl: server.url, sasToken: SAS });
      const error = await readAll(await connector.openBlob('data', 'a.csv', { offset: 2, count: 20 })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as Error).message).toMatch(
        /^Cannot read http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/data\/a\.csv: /,
      );
      expect((error as Error).message).not.toContain('secret-signature');
      expect(server.seen.map((s) => s.range)).toEqual(['bytes=2-21', 'bytes=6-21', 'bytes=10-21']);
    } finally {
      await server.close();
    }
  });
  it('closes the connection at once when the reader stops part way (the rest of the range is never waited for)', async () => {
    let closed = false;
    const server = http.createServer((request, response) => {
      response.writeHead(206, { 'content-length': CONTENT.length, etag: '"v1"' });
      response.write(CONTENT.subarray(0, 4)); // and the rest never comes
      request.socket.once('close', () => (closed = true));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const connector = new AzureBlobConnector({
        serviceUrl: `http://127.0.0.1:${port}/devstoreaccount1`,
        sasToken: SAS,
      });
      const stream = await connector.openBlob('data', 'a.csv', { offset: 0, count: CONTENT.length });
      for await (const chunk of stream) {
        expect((chunk as Buffer).toString()).toBe('0123');
        break; // destroys the stream
      }
      await pollUntil(() => closed || undefined, { timeoutMs: 10_000, description: 'the connection to close' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
