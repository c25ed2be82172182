import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureHomeDirectory, HomeError, readFileIfExists, writeFileAtomic } from '../home/files';
import { loadEncryptionKey, open, seal, type SealedSecret } from '../home/secret-box';
import { invalidBypassEntry, isBypassed, parseBypassList } from './bypass';

/**
 * The runtime's proxy settings, as the SHIR's Configuration Manager has them, kept in `<home>/proxy.json`:
 *   none    — "Do not use proxy": every connection goes direct.
 *   system  — "Use system proxy" (the default): HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY of the runtime's
 *             environment, plus this file's bypass list.
 *   custom  — "Use custom proxy": address and port required, user name and password optional; the password is
 *             sealed (AES-256-GCM) with the home's key, as the SHIR seals it with DPAPI.
 * One setting governs every connection the runtime makes: the emulator, the relay and storage.
 */
export type ProxyMode = 'none' | 'system' | 'custom';

export interface ProxySettingsFile {
  configVersion: 1;
  mode: ProxyMode;
  /** custom: host name or IP of the proxy (an http:// proxy). */
  address?: string;
  port?: number;
  username?: string;
  password?: SealedSecret;
  /** Hosts that go around the proxy (grammar in bypass.ts). */
  bypass: string[];
  updatedAt: string;
}

/** The settings in clear, for this process only (the password is never written or printed). */
export interface ProxySettings {
  mode: ProxyMode;
  address?: string;
  port?: number;
  username?: string;
  password?: string;
  bypass: string[];
  updatedAt?: string;
}

export const DEFAULT_PROXY_SETTINGS: ProxySettings = { mode: 'system', bypass: [] };
const PASSWORD_CONTEXT = 'shir-proxy-password';

/** A bad proxy setting: the message says what to fix. */
export class ProxySettingsError extends Error {
  override readonly name = 'ProxySettingsError';
}

export function proxySettingsFile(home: string): string {
  return path.join(home, 'proxy.json');
}

/** The settings of a home, with the password opened; the defaults (system proxy) when the file does not exist. */
export function readProxySettings(home: string, env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const file = proxySettingsFile(home);
  const text = readFileIfExists(file);
  if (text === undefined) return { ...DEFAULT_PROXY_SETTINGS };
  let stored: ProxySettingsFile;
  try {
    stored = JSON.parse(text) as ProxySettingsFile;
  } catch {
    throw new HomeError(
      `${file} is not valid JSON. Fix it, or set the proxy again with 'shir proxy set' (or 'shir proxy clear').`,
    );
  }
  if (stored.configVersion !== 1 || !['none', 'system', 'custom'].includes(stored.mode)) {
    throw new HomeError(
      `${file} is not proxy settings this runtime understands. Set the proxy again with 'shir proxy set'.`,
    );
  }
  let password: string | undefined;
  if (stored.password) {
    const key = loadEncryptionKey(path.join(home, 'credential.key'), { create: false, env });
    if (!key)
      throw new HomeError(
        `The proxy password in ${file} cannot be decrypted: the home's key (credential.key or SHIR_ENCRYPTION_KEY) is missing. Set the proxy again with 'shir proxy set'.`,
      );
    try {
      password = open(stored.password, key, PASSWORD_CONTEXT);
    } catch {
      throw new HomeError(
        `The proxy password in ${file} cannot be decrypted with this home's key. Set the proxy again with 'shir proxy set --password …'.`,
      );
    }
  }
  return {
    mode: stored.mode,
    address: stored.address,
    port: stored.port,
    username: stored.username,
    password,
    bypass: stored.bypass ?? [],
    updatedAt: stored.updatedAt,
  };
}

/** Checks settings and normalizes them: address without scheme, bypass entries parsed. */
export function validateProxySettings(input: ProxySettings): ProxySettings {
  const bypass = parseBypassList(input.bypass);
  for (const entry of bypass) {
    const problem = invalidBypassEntry(entry);
    if (problem) throw new ProxySettingsError(`Invalid bypass entry: ${problem}.`);
  }
  if (input.mode !== 'custom') {
    if (input.address || input.port || input.username || input.password) {
      throw new ProxySettingsError(
        `--address, --port, --user and --password belong to --mode custom; with --mode ${input.mode} leave them out.`,
      );
    }
    return { mode: input.mode, bypass };
  }
  let address = (input.address ?? '').trim();
  if (!address) throw new ProxySettingsError('A custom proxy needs its address: --address <host> (and --port <port>).');
  let port = input.port;
  if (/^[a-z]+:\/\//i.test(address)) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new ProxySettingsError(`The proxy address '${address}' is not a valid host name or URL.`);
    }
    if (url.protocol !== 'http:')
      throw new ProxySettingsError(
        `The proxy address must be an http:// proxy (it is ${url.protocol}//); connections to https:// services are tunnelled through it with CONNECT.`,
      );
    if (url.username || url.password)
      throw new ProxySettingsError('Give the proxy user and password with --user and --password, not in the address.');
    if (url.port && port === undefined) port = Number(url.port);
    address = url.hostname;
  }
  if (!/^[A-Za-z0-9._-]+$|^\[[0-9a-fA-F:]+\]$/.test(address))
    throw new ProxySettingsError(`The proxy address '${address}' is not a valid host name or IP address.`);
  if (port === undefined) throw new ProxySettingsError('A custom proxy needs its port: --port <1-65535>.');
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ProxySettingsError(`The proxy port must be a whole number from 1 to 65535 (it is '${String(port)}').`);
  if (input.password && !input.username)
    throw new ProxySettingsError('A proxy password needs a user name: add --user <name>.');
  if (input.username && /:/.test(input.username))
    throw new ProxySettingsError(
      'The proxy user name cannot contain ":" (Basic authentication separates user and password with it).',
    );
  return {
    mode: 'custom',
    address,
    port,
    username: input.username || undefined,
    password: input.password || undefined,
    bypass,
  };
}

/** Validates and writes the settings (mode 0600), the password sealed with the home's key (created if need be). */
export function saveProxySettings(
  home: string,
  input: ProxySettings,
  env: NodeJS.ProcessEnv = process.env,
): ProxySettings {
  const settings = validateProxySettings(input);
  ensureHomeDirectory(home);
  const stored: ProxySettingsFile = {
    configVersion: 1,
    mode: settings.mode,
    bypass: settings.bypass,
    updatedAt: new Date().toISOString(),
  };
  if (settings.mode === 'custom') {
    stored.address = settings.address;
    stored.port = settings.port;
    if (settings.username) stored.username = settings.username;
    if (settings.password) {
      const key = loadEncryptionKey(path.join(home, 'credential.key'), { create: true, env })!;
      stored.password = seal(settings.password, key, PASSWORD_CONTEXT);
    }
  }
  writeFileAtomic(proxySettingsFile(home), `${JSON.stringify(stored, null, 2)}\n`, 0o600);
  return { ...settings, updatedAt: stored.updatedAt };
}

/** Back to the defaults (system proxy, no bypass list): the file goes. */
export function clearProxySettings(home: string): void {
  fs.rmSync(proxySettingsFile(home), { force: true });
}

/** One proxy server, as connections use it. */
export interface ProxyEndpoint {
  /** http://host:port, without credentials: safe to print. */
  url: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/** Where a connection to a URL goes: through a proxy, or direct (and why). */
export interface ProxyRoute {
  proxy?: ProxyEndpoint;
  /** For people: "direct (mode none)", "proxy http://… (custom)", "direct (bypass list)". */
  description: string;
}

/** The settings applied: which proxy (if any) a given URL goes through. */
export interface ProxyPlan {
  settings: ProxySettings;
  routeFor(url: string | URL): ProxyRoute;
  /** Secrets to keep out of every log line (the proxy password, credentials in HTTPS_PROXY). */
  secrets: string[];
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value && value.trim() ? value.trim() : undefined;
}

function endpointFromUrl(raw: string, variable: string): ProxyEndpoint {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ProxySettingsError(
      `${variable} is not a valid proxy URL. Use http://host:port, or run 'shir proxy set --mode none' to ignore it.`,
    );
  }
  if (url.protocol !== 'http:')
    throw new ProxySettingsError(`${variable} must be an http:// proxy (it is ${url.protocol}//).`);
  const port = Number(url.port || 80);
  return {
    url: `http://${url.host.includes(':') ? url.host : `${url.hostname}:${port}`}`,
    host: url.hostname,
    port,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

/** How the settings route each connection; system mode reads the environment now. */
export function proxyPlan(settings: ProxySettings, env: NodeJS.ProcessEnv = process.env): ProxyPlan {
  const own = parseBypassList(settings.bypass);
  if (settings.mode === 'none')
    return { settings, secrets: [], routeFor: () => ({ description: 'direct (proxy mode none)' }) };
  if (settings.mode === 'custom') {
    const proxy: ProxyEndpoint = {
      url: `http://${settings.address}:${settings.port}`,
      host: settings.address!,
      port: settings.port!,
      username: settings.username,
      password: settings.password,
    };
    return {
      settings,
      secrets: settings.password ? [settings.password] : [],
      routeFor: (url) =>
        isBypassed(new URL(url), own)
          ? { description: 'direct (bypass list)' }
          : { proxy, description: `proxy ${proxy.url} (custom)` },
    };
  }
  const httpsRaw = envValue(env, 'HTTPS_PROXY') ?? envValue(env, 'ALL_PROXY');
  const httpRaw = envValue(env, 'HTTP_PROXY') ?? envValue(env, 'ALL_PROXY');
  const https = httpsRaw
    ? endpointFromUrl(httpsRaw, envValue(env, 'HTTPS_PROXY') ? 'HTTPS_PROXY' : 'ALL_PROXY')
    : undefined;
  const http = httpRaw ? endpointFromUrl(httpRaw, envValue(env, 'HTTP_PROXY') ? 'HTTP_PROXY' : 'ALL_PROXY') : undefined;
  const bypass = [...parseBypassList(envValue(env, 'NO_PROXY')), ...own];
  const secrets = [https?.password, http?.password].filter((s): s is string => !!s);
  return {
    settings,
    secrets,
    routeFor: (input) => {
      const url = new URL(input);
      const secure = url.protocol === 'https:' || url.protocol === 'wss:';
      const proxy = secure ? https : http;
      if (!proxy) return { description: `direct (system proxy: ${secure ? 'HTTPS_PROXY' : 'HTTP_PROXY'} not set)` };
      if (isBypassed(url, bypass)) return { description: 'direct (NO_PROXY / bypass list)' };
      return { proxy, description: `proxy ${proxy.url} (system, ${secure ? 'HTTPS_PROXY' : 'HTTP_PROXY'})` };
    },
  };
}

/** What `shir proxy show` prints: never the password, only whether one is set. */
export function describeProxySettings(
  settings: ProxySettings,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> {
  const base: Record<string, unknown> = { mode: settings.mode, bypass: settings.bypass };
  if (settings.mode === 'custom')
    Object.assign(base, {
      address: settings.address,
      port: settings.port,
      user: settings.username ?? null,
      passwordSet: !!settings.password,
    });
  if (settings.mode === 'system') {
    const show = (name: string) => {
      const raw = envValue(env, name);
      if (!raw) return null;
      try {
        return endpointFromUrl(raw, name).url;
      } catch {
        return '(invalid)';
      }
    };
    Object.assign(base, {
      environment: {
        HTTPS_PROXY: show('HTTPS_PROXY'),
        HTTP_PROXY: show('HTTP_PROXY'),
        ALL_PROXY: show('ALL_PROXY'),
        NO_PROXY: envValue(env, 'NO_PROXY') ?? null,
      },
    });
  }
  if (settings.updatedAt) base.updatedAt = settings.updatedAt;
  return base;
}
