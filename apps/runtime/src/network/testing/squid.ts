import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, isPortInUse, pollUntil } from '@purview-emulator/testing';

/** Where Debian's `squid` package puts the binary; SQUID_BINARY overrides it. */
const CANDIDATES = ['/usr/sbin/squid', '/usr/bin/squid'];

/** The squid binary of this machine, or undefined (tests then skip, saying why). */
export function squidBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SQUID_BINARY) return fs.existsSync(env.SQUID_BINARY) ? env.SQUID_BINARY : undefined;
  return CANDIDATES.find((file) => fs.existsSync(file));
}

/** Why Squid tests skip on this machine (undefined: they run). */
export function squidSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (squidBinary(env)) return undefined;
  return `Squid is not installed (looked for ${env.SQUID_BINARY ?? CANDIDATES.join(', ')}): the tests against a stock Squid are skipped. Install Debian's package: apt-get install -y squid (.ci/run does).`;
}

/**
 * The access rules of Debian's stock /etc/squid/squid.conf (Squid 5.7), verbatim in effect: CONNECT only to port 443,
 * only "safe" ports, the cache manager from localhost only, every other request allowed from localhost and denied from
 * anywhere else. Nothing added for WebSocket (http_upgrade_request_protocols stays at its default: no upgrades).
 */
const STOCK_RULES = `acl SSL_ports port 443
acl Safe_ports port 80
acl Safe_ports port 21
acl Safe_ports port 443
acl Safe_ports port 70
acl Safe_ports port 210
acl Safe_ports port 1025-65535
acl Safe_ports port 280
acl Safe_ports port 488
acl Safe_ports port 591
acl Safe_ports port 777
http_access deny !Safe_ports
http_access deny CONNECT !SSL_ports
http_access allow localhost manager
http_access deny manager
http_access allow localhost
http_access deny all
refresh_pattern ^ftp: 1440 20% 10080
refresh_pattern ^gopher: 1440 0% 1440
refresh_pattern -i (/cgi-bin/|\\?) 0 0% 0
refresh_pattern . 0 20% 4320`;

/**
 * A real Squid (Debian's package) on a free loopback port with the stock access rules, its cache, logs and pid file in
 * a temporary directory. Run as root (CI), Squid refuses to stay root and switches to `cache_effective_user`: Debian's
 * `proxy` user then owns the directory. Run as anyone else, Squid cannot switch and runs as that user.
 */
export class SquidProxy {
  private output = '';
  private exited?: string;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.once(
      'exit',
      (code, signal) =>
        (this.exited = `Squid exited (${signal ?? `code ${code}`}) before it listened:\n${this.output.slice(-2000)}`),
    );
  }

  static async start(options: { binary?: string; extraConfig?: string } = {}): Promise<SquidProxy> {
    const binary = options.binary ?? squidBinary();
    if (!binary) throw new Error(squidSkipReason());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shir-squid-'));
    const port = await freePort();
    const user = process.getuid?.() === 0 ? 'proxy' : os.userInfo().username;
    const config = [
      `http_port 127.0.0.1:${port}`,
      `visible_hostname shir-test-squid`,
      `cache_effective_user ${user}`,
      `pid_filename ${dir}/squid.pid`,
      `cache_log ${dir}/cache.log`,
      `access_log stdio:${dir}/access.log`,
      `coredump_dir ${dir}`,
      `netdb_filename none`,
      `shutdown_lifetime 0 seconds`,
      STOCK_RULES,
      options.extraConfig ?? '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'squid.conf'), `${config}\n`);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', `${user}:`, dir]);
    // -N: stay in the foreground (no daemon, no kid processes to chase); -d 1: errors to stderr.
    const child = spawn(binary, ['-N', '-d', '1', '-f', path.join(dir, 'squid.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const squid = new SquidProxy(port, dir, child);
    try {
      const outcome = await pollUntil(
        async () => (squid.exited ? 'exited' : (await isPortInUse(port)) && 'listening'),
        {
          timeoutMs: 20_000,
          description: `Squid to listen on 127.0.0.1:${port}`,
        },
      );
      if (outcome === 'exited') throw new Error(squid.exited);
    } catch (error) {
      await squid.stop();
      throw error;
    }
    return squid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The access log lines so far ("… TCP_DENIED/403 … CONNECT 127.0.0.1:5380 …"). */
  accessLog(): string[] {
    try {
      return fs.readFileSync(path.join(this.dir, 'access.log'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  /** Requests of `method` to a target containing `target` that Squid answered with `status` (e.g. 'TCP_DENIED/403'). */
  seen(method: string, target: string, status?: RegExp): string[] {
    return this.accessLog().filter((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[5] === method && fields[6]?.includes(target) && (!status || status.test(fields[3] ?? ''));
    });
  }

  /**
   * The same once at least one such line is there: Squid writes a line when the transaction ends, which may be a
   * moment after the client saw the answer. Returns [] when none came within `timeoutMs`.
   */
  async logged(method: string, target: string, status?: RegExp, timeoutMs = 5000): Promise<string[]> {
    const seen = () => {
      const lines = this.seen(method, target, status);
      return lines.length > 0 ? lines : undefined;
    };
    return pollUntil(seen, { timeoutMs, description: `Squid to log ${method} ${target}` }).catch(() => []);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const gone = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
