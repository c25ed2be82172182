import { type Command, InvalidArgumentError, Option } from 'commander';
import type { CommandIO } from './io';

/** What every command's `register(program, cli)` gets: where to write, and where its exit code goes. */
export interface CliContext {
  io: CommandIO;
  /** Records the exit code of the command that ran; `main()` returns it. */
  exit(code: number): void;
}

/** A command module: adds its command(s) to the program. */
export type RegisterCommand = (program: Command, cli: CliContext) => void;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  bad arguments or input: malformed key, invalid node name, home already (or not) registered, invalid setting,
     a host service already running (or not stopping), a wrong backup password
  2  the integration service refused the request, could not be reached, or revoked the node's credential`;

export const ENVIRONMENT_HELP = `
Environment:
  SHIR_HOME                 home directory of the node (default ~/.shir); --home wins
  SHIR_ENCRYPTION_KEY       base64 of 32 bytes sealing the node credential, instead of <home>/credential.key
  SHIR_MAX_CONCURRENT_JOBS  jobs run at once at most (default: cores, between 1 and 8)
  SHIR_RECONNECT_MAX_MS     longest wait between reconnection attempts (default and maximum 10000)
  SHIR_LOG_FORMAT           'json' for JSON log lines (same as start --json)
  SHIR_LOG_LEVEL            error, warn, info or debug; wins over 'shir log-level'
  SHIR_VERSION              the version the node reports (testing aid for version skew and expiry);
                            default: the version adopted by auto-update, else the runtime's own
  SHIR_BACKUP_PASSWORD      the password of backup/restore when --password is not given
  SHIR_SKIP_MACHINE_CHECK   1 (or true) to skip the machine check (cores, memory, free disk) of register and start
  HTTPS_PROXY, HTTP_PROXY,  the system proxy, used while 'shir proxy' is in mode system (the default)
  ALL_PROXY, NO_PROXY
  SHIR_PROXY_PASSWORD       the custom proxy's password for 'shir proxy set --user …' without --password
  SHIR_EVENT_LOG_MAX_BYTES  size at which <home>/logs/events-*.log and host-service.out rotate (default 5242880)
  SHIR_EVENT_LOG_FILES      files of each kept (default 5)
Values are parsed strictly (decimal digits only, exact lowercase words): a value that is not valid stops every
command with exit code 1 and a message naming the variable, its value and what is allowed. Defaults and allowed
values of each: the Runtime table under Configuration in the repository's README.md.`;

/** Where `--home` comes from when it is not given (resolveHome falls back to ~/.shir). */
export const HOME_ENV = 'SHIR_HOME';

/** `--home <dir>`, the same on every command; `--help` shows SHIR_HOME behind it. */
export function homeOption(description = 'home of the node'): Option {
  return new Option('--home <dir>', `${description} (default: ~/.shir)`).env(HOME_ENV);
}

/**
 * A strict option parser: decimal digits only, from `min` to `max`. 'abc', '-5' or '1.5' are refused with what is
 * allowed (commander prints it and exits 1) instead of falling back to a default.
 */
export function wholeNumber(allowed: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= min && number <= max)) throw new InvalidArgumentError(`Allowed: ${allowed} from ${min} to ${max}.`);
    return number;
  };
}
