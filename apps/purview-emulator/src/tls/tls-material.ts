import * as fs from 'node:fs';
import * as path from 'node:path';
import { X509Certificate, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as forge from 'node-forge';

/** The local CA and the server certificate the HTTPS listener uses, as PEM, with where they live. */
export interface TlsMaterial {
  dir: string;
  /** What a client trusts (NODE_EXTRA_CA_CERTS=<caPath>). */
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
  /** The DNS names and IP addresses the server certificate covers. */
  hosts: string[];
}

const CA_CERT = 'ca.pem';

/** Where the local CA's certificate lives: what a client passes as NODE_EXTRA_CA_CERTS. */
export function caCertificatePath(dataDir: string): string {
  return path.join(dataDir, 'tls', CA_CERT);
}
const CA_KEY = 'ca-key.pem';
const SERVER_CERT = 'server.pem';
const SERVER_KEY = 'server-key.pem';
const DAY_MS = 24 * 3600 * 1000;
/** Renew the server certificate this long before it expires, so a long-lived data dir never serves an expired one. */
const RENEW_BEFORE_MS = 30 * DAY_MS;

/** Key Vault's product-style host names: `https://{vault}.vault.azure.net/` reaches the emulator's vault of that name. */
export const KEY_VAULT_WILDCARD_HOST = '*.vault.azure.net';

/** The names every local client may use (and Key Vault's), plus the configured ones (public host, bind address). */
export function certificateHosts(extra: string[]): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1', KEY_VAULT_WILDCARD_HOST, ...extra]
    .map((h) =>
      h
        .trim()
        .replace(/^\[|\]$/g, '')
        .toLowerCase(),
    )
    .filter((h) => h !== '' && h !== '0.0.0.0' && h !== '::');
  return [...new Set(hosts)];
}

/**
 * Loads the CA and server certificate from `{dataDir}/tls`, creating what is missing. The CA is made once and kept
 * (users trust it once); the server certificate is re-issued when the host set changes, when it nears expiry or
 * when it was not issued by the CA on disk. Private keys are written with mode 0600.
 */
export function ensureTlsMaterial(dataDir: string, hostNames: string[], now = new Date()): TlsMaterial {
  const dir = path.dirname(caCertificatePath(dataDir));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hosts = certificateHosts(hostNames);
  const file = (name: string): string => path.join(dir, name);

  let caPem = readIfExists(file(CA_CERT));
  let caKeyPem = readIfExists(file(CA_KEY));
  if (!caPem || !caKeyPem || !isValidAt(caPem, now)) {
    ({ certPem: caPem, keyPem: caKeyPem } = createCa(now));
    writeKey(file(CA_KEY), caKeyPem);
    fs.writeFileSync(file(CA_CERT), caPem, { mode: 0o644 });
    // A new CA invalidates the old server certificate.
    fs.rmSync(file(SERVER_CERT), { force: true });
  }

  let certPem = readIfExists(file(SERVER_CERT));
  let keyPem = readIfExists(file(SERVER_KEY));
  if (!certPem || !keyPem || !serverCertificateFits(certPem, caPem, hosts, now)) {
    ({ certPem, keyPem } = createServerCertificate(caPem, caKeyPem, hosts, now));
    writeKey(file(SERVER_KEY), keyPem);
    fs.writeFileSync(file(SERVER_CERT), certPem, { mode: 0o644 });
  }
  return { dir, caPath: file(CA_CERT), caPem, certPem, keyPem, hosts };
}

function readIfExists(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function writeKey(file: string, pem: string): void {
  fs.writeFileSync(file, pem, { mode: 0o600 });
  // writeFileSync keeps the mode of an existing file; make sure an older, looser key file is tightened.
  fs.chmodSync(file, 0o600);
}

function isValidAt(pem: string, now: Date): boolean {
  try {
    const cert = new X509Certificate(pem);
    return new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

/** True when the certificate on disk was issued by this CA, covers exactly these hosts and is not near expiry. */
export function serverCertificateFits(certPem: string, caPem: string, hosts: string[], now: Date): boolean {
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.verify(new X509Certificate(caPem).publicKey)) return false;
    if (!isValidAt(certPem, now)) return false;
    return sameSet(sanHosts(cert), hosts);
  } catch {
    return false;
  }
}

/** The DNS names and IP addresses of a certificate's subjectAltName, normalised like certificateHosts. */
export function sanHosts(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .map((entry) => entry.replace(/^(DNS|IP Address):/, '').toLowerCase())
    .map((h) => (h === '0:0:0:0:0:0:0:1' ? '::1' : h))
    .filter((h) => h !== '');
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((h) => sa.has(h));
}

function newKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  // Node's native generator: node-forge's pure-JS RSA takes seconds.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem: privateKey };
}

function serial(): string {
  // Positive, 16 bytes: RFC 5280 serials must be positive and unique per CA.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function createCa(now: Date): { certPem: string; keyPem: string } {
  const { privateKey, publicKey, keyPem } = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * DAY_MS);
  const subject = [
    { name: 'commonName', value: 'Purview Emulator Local CA' },
    { name: 'organizationName', value: 'Purview Emulator' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function createServerCertificate(
  caPem: string,
  caKeyPem: string,
  hosts: string[],
  now: Date,
): { certPem: string; keyPem: string } {
  const ca = forge.pki.certificateFromPem(caPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const { publicKey, keyPem } = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  // 397 days: the longest validity browsers and Apple platforms accept for a server certificate.
  cert.validity.notAfter = new Date(now.getTime() + 397 * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: hosts.find((h) => net.isIP(h) === 0) ?? 'localhost' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}
