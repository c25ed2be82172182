import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { ensureTlsMaterial, sanHosts } from './tls-material';

describe('TLS material', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-'))));
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a CA and a server certificate for localhost, 127.0.0.1 and the configured hosts, keys 0600', () => {
    const material = ensureTlsMaterial(dataDir, ['purview-emulator', '0.0.0.0']);
    expect(material.caPath).toBe(path.join(dataDir, 'tls', 'ca.pem'));
    expect(fs.readdirSync(material.dir).sort()).toEqual(['ca-key.pem', 'ca.pem', 'server-key.pem', 'server.pem']);
    for (const key of ['ca-key.pem', 'server-key.pem'])
      expect(fs.statSync(path.join(material.dir, key)).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(material.certPem);
    expect(sanHosts(cert).sort()).toEqual(['*.vault.azure.net', '127.0.0.1', '::1', 'localhost', 'purview-emulator']);
    expect(cert.verify(new X509Certificate(material.caPem).publicKey)).toBe(true);
    expect(new X509Certificate(material.caPem).ca).toBe(true);
    expect(cert.checkHost('purview-emulator')).toBe('purview-emulator');
    // Key Vault's product-style names ({vault}.vault.azure.net mapped to the emulator) are covered by one wildcard.
    expect(cert.checkHost('myvault.vault.azure.net')).toBe('*.vault.azure.net');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('keeps both certificates across restarts, and re-issues only the server one when the hosts change', () => {
    const first = ensureTlsMaterial(dataDir, ['a.example']);
    const again = ensureTlsMaterial(dataDir, ['a.example']);
    expect(again.certPem).toBe(first.certPem);
    expect(again.caPem).toBe(first.caPem);
    const moved = ensureTlsMaterial(dataDir, ['b.example']);
    expect(moved.caPem).toBe(first.caPem);
    expect(moved.certPem).not.toBe(first.certPem);
    expect(sanHosts(new X509Certificate(moved.certPem))).toContain('b.example');
  });

  it('renews a server certificate that is about to expire', () => {
    const first = ensureTlsMaterial(dataDir, []);
    const later = new Date(Date.now() + 380 * 24 * 3600 * 1000);
    expect(ensureTlsMaterial(dataDir, [], later).certPem).not.toBe(first.certPem);
  });

  it('is trusted by a TLS client that is given only the CA', async () => {
    const material = ensureTlsMaterial(dataDir, []);
    const server = https.createServer({ key: material.keyPem, cert: material.certPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(`https://${host}:${port}/`, { ca: material.caPem, agent: false }, (res) => {
              let text = '';
              res.on('data', (c) => (text += c));
              res.on('end', () => resolve(text));
            })
            .on('error', reject);
        });
        expect(body).toBe('ok');
      }
      // And refused without it: a self-made CA must not pass for a public one.
      await expect(
        new Promise((resolve, reject) =>
          tls.connect({ host: '127.0.0.1', port }, resolve as () => void).on('error', reject),
        ),
      ).rejects.toThrow(/self-signed|unable to verify|local issuer/i);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
