import { HomeError } from '../home/files';
import { type NodeConfig, openNodeCredential, readNodeConfig } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import { isHostServiceProcess, readHostServiceState } from '../home/state-file';
import { HostService, type HostServiceOptions } from '../host-service/host-service';
import { createLogger, type Logger, logFormatFrom } from '../log';
import { describeError } from '../redact';
import { hostServiceSettings, SettingsError } from '../settings';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { NOT_REGISTERED } from './status';

export interface StartOptions {
  home?: string;
  json?: boolean;
}

/** How long a shutdown may wait for jobs and calls to wind down before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 1500;

export interface PreparedHostService {
  service: HostService;
  logger: Logger;
}

/** Everything `shir start` checks before running: a registered node, a readable credential, valid settings, no twin. */
export function prepareHostService(options: StartOptions, io: CommandIO, overrides: Partial<HostServiceOptions> = {}): PreparedHostService | number {
  const home = resolveHome(options.home, io.env);
  const paths = homePaths(home);
  const logger = overrides.logger ?? createLogger({ format: logFormatFrom(options.json, io.env), write: io.out });
  let config: NodeConfig | undefined;
  let credential: string;
  try {
    config = readNodeConfig(paths);
    if (!config) {
      io.err(`${NOT_REGISTERED} (home: ${home})`);
      return EXIT.usage;
    }
    credential = openNodeCredential(paths, config, io.env);
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    io.err(error.message);
    return EXIT.usage;
  }
  let settings;
  try {
    settings = hostServiceSettings(io.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.err(error.message);
    return EXIT.usage;
  }
  const previous = readHostServiceState(paths);
  if (previous && previous.state !== 'Disconnected' && previous.pid !== process.pid && isHostServiceProcess(previous.pid)) {
    io.err(`The host service of node '${config.node.name}' already runs in process ${previous.pid} (home: ${home}). A node runs one host service at a time. If that process is not shir, delete ${paths.state} and start again.`);
    return EXIT.usage;
  }
  const service = new HostService({ paths, config, credential, settings, logger, ...overrides });
  return { service, logger };
}

/**
 * `shir start`: the host service in the foreground, until SIGTERM/SIGINT (exit 0) or until the service rejects the
 * node's credential (exit 2).
 */
export async function runStart(options: StartOptions, io: CommandIO = processIO): Promise<number> {
  const prepared = prepareHostService(options, io);
  if (typeof prepared === 'number') return prepared;
  const { service, logger } = prepared;

  let stopping = false;
  let graceExpired!: () => void;
  const grace = new Promise<'timeout'>((resolve) => (graceExpired = () => resolve('timeout')));
  let graceTimer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`Received ${signal}: stopping the host service`);
    service.stop();
    // A slow call must not hold the exit: after the grace period, record Disconnected and go.
    graceTimer = setTimeout(graceExpired, SHUTDOWN_GRACE_MS);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const exit = await Promise.race([service.run(), grace]);
    if (exit === 'timeout') {
      service.connection.disconnected();
      logger.info('Host service stopped');
      return EXIT.ok;
    }
    return exit === 'revoked' ? EXIT.service : EXIT.ok;
  } catch (error) {
    logger.error(`The host service failed: ${describeError(error)}`);
    service.connection.disconnected(`The host service failed: ${describeError(error)}`);
    return EXIT.service;
  } finally {
    if (graceTimer) clearTimeout(graceTimer);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
