import { Command, Option } from 'commander';
import { runBackup, runRestore } from './commands/backup';
import { registerDiagnoseCommand } from './commands/diagnose';
import { runKey } from './commands/key';
import { registerLogsCommand } from './commands/logs';
import { registerProxyCommand } from './commands/proxy';
import { runRegister } from './commands/register';
import { runAutoUpdate, runLogLevel, runRemoteAccess } from './commands/settings-commands';
import { runStart } from './commands/start';
import { runStatus } from './commands/status';
import { runRestart, runStop } from './commands/stop';
import { runUnregister } from './commands/unregister';
import { processIO } from './commands/io';
import { refuseInvalidEnvironment } from './environment';
import { describeError } from './redact';
import { EXIT, RUNTIME_VERSION } from './version';

const EXIT_CODES = `
Exit codes:
  0  success
  1  bad arguments or input: malformed key, invalid node name, home already (or not) registered, invalid setting,
     a host service already running (or not stopping), a wrong backup password
  2  the integration service refused the request, could not be reached, or revoked the node's credential`;

const ENVIRONMENT = `
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

/** The `shir` command line: commander wiring only; each command lives in src/commands. */
export function buildProgram(): Command {
  const program = new Command('shir')
    .description('A reference self-hosted integration runtime (SHIR) for the Purview emulator: registers this machine as a node and runs scans for it.')
    .version(RUNTIME_VERSION, '-V, --version', 'print the runtime version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  shir register --key 'IR@…@myaccount@ServiceEndpoint=127.0.0.1:5380@…' --node-name node1
  shir start --detach
  shir status --json
  shir stop
  shir proxy set --address proxy.corp.example --port 3128 --user shir --password-stdin < password.txt
  shir diagnose
  shir logs --follow
${EXIT_CODES}
${ENVIRONMENT}
`,
    );

  program
    .command('register')
    .description('Register this machine as a node of the integration runtime an authentication key belongs to.')
    .requiredOption('--key <authKey>', "one of the integration runtime's authentication keys (listAuthKeys); it is not stored")
    .option('--node-name <name>', 'name of the node (letters, digits, _ . -; default: this machine\'s host name)')
    .option('--home <dir>', 'where the node keeps its configuration (default: $SHIR_HOME or ~/.shir)')
    .option('--force', 're-register cleanly: unregister the node this home holds, and replace a node of the same name in the integration runtime')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
The key's ServiceEndpoint (host:port) says where to register. The node credential issued in return is stored in
the home encrypted (AES-256-GCM) with <home>/credential.key, or with SHIR_ENCRYPTION_KEY when it is set.
One home holds one node of one integration runtime. The machine is checked against the recommended minimum
(4 cores, 8 GB of memory, 80 GB of free disk); below it, register warns on stderr and carries on.

Examples:
  shir register --key "$AUTH_KEY"
  shir register --key "$AUTH_KEY" --node-name node2 --home /var/lib/shir-node2
  shir register --key "$AUTH_KEY" --force      # replace whatever this home and the node name held
${EXIT_CODES}
`,
    )
    .action(async (options: { key: string; nodeName?: string; home?: string; json?: boolean; force?: boolean }) => {
      process.exitCode = await runRegister(options);
    });

  program
    .command('start')
    .description('Run the host service: heartbeats, leasing scan jobs and running them. In the foreground until SIGTERM/SIGINT, or in the background with --detach.')
    .option('--home <dir>', 'home of the registered node (default: $SHIR_HOME or ~/.shir)')
    .option('--detach', 'run in the background: print the pid once the host service holds the home, then exit')
    .option('--json', 'log JSON lines instead of plain lines (or SHIR_LOG_FORMAT=json); with --detach, print the result as one JSON object')
    // What --detach passes to the process it starts: write to <home>/logs/host-service.out, rotated.
    .addOption(new Option('--detached-output').hideHelp())
    .addHelpText(
      'after',
      `
One host service runs per home; <home>/host-service.pid names it (a pid file left by a process that is gone is
taken over). While running, the connection state (Connected / Connecting / Disconnected) is kept in
<home>/state.json for 'shir status'. When the service is unreachable the node reconnects by itself, with backoff.
SIGTERM or SIGINT (or 'shir stop') stops it at once (exit 0); running scans are left to their leases, and the
emulator queues them again. With --detach the output goes to <home>/logs/host-service.out, rotated like the
event log (host-service-000001.out, … kept).

Examples:
  shir start
  shir start --detach --json
  SHIR_MAX_CONCURRENT_JOBS=2 shir start --home /var/lib/shir-node2 --json
${EXIT_CODES}
${ENVIRONMENT}
`,
    )
    .action(async (options: { home?: string; json?: boolean; detach?: boolean; detachedOutput?: boolean }) => {
      process.exitCode = await runStart(options);
    });

  program
    .command('stop')
    .description("Stop the host service of a home (the one 'shir start --detach' or 'shir start' runs), and wait until it is gone.")
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--timeout <seconds>', 'how long to wait for it to exit', '15')
    .option('--json', 'print one JSON object: {stopped, wasRunning, home, pid}')
    .addHelpText(
      'after',
      `
Sends SIGTERM to the process in <home>/host-service.pid (on Windows the process is ended at once) and waits until
it exits. Exits 0 when it stopped or was not running, 1 when it did not stop in time.

Examples:
  shir stop
  shir stop --home /var/lib/shir-node2 --json
${EXIT_CODES}
`,
    )
    .action(async (options: { home?: string; json?: boolean; timeout: string }) => {
      process.exitCode = await runStop({ ...options, timeoutMs: secondsOption(options.timeout) });
    });

  program
    .command('restart')
    .description('Stop the host service if it runs, then start it in the background (start --detach).')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--timeout <seconds>', 'how long to wait for the old host service to exit', '15')
    .option('--json', 'print one JSON object: {restarted, previousPid, pid, home, log}')
    .addHelpText(
      'after',
      `
Examples:
  shir restart
  shir restart --home /var/lib/shir-node2 --json
${EXIT_CODES}
`,
    )
    .action(async (options: { home?: string; json?: boolean; timeout: string }) => {
      process.exitCode = await runRestart({ ...options, timeoutMs: secondsOption(options.timeout) });
    });

  program
    .command('status')
    .description('Show the node: name, integration runtime, account, endpoint, connection state, and how the integration service sees it.')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--local', 'only what the home says; do not ask the integration service')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The state is Disconnected unless a host service ('shir start') is running for this home. When the integration
service answers (within 3 s), status also shows the node's status and its reason, the integration runtime's
state, whether the node is the dispatcher, its version status, auto-update and remote access ("service" in JSON;
{"reachable": false, "error": …} when it does not answer).
Exits 0 when a node is registered in the home (whatever its state), 1 when none is.

Examples:
  shir status
  shir status --home /var/lib/shir-node2 --json
  shir status --local
`,
    )
    .action(async (options: { home?: string; json?: boolean; local?: boolean }) => {
      process.exitCode = await runStatus(options);
    });

  program
    .command('key')
    .description('Re-point this home\'s node with another authentication key (as dmgcmd -Key does), keeping the home\'s settings.')
    .requiredOption('--key <authKey>', 'an authentication key of the integration runtime the node should belong to; it is not stored')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
The node registers again under its name with the new key, replacing a node of that name in the integration
runtime. A key of another integration runtime (or account) moves the home there, and the node is removed from
its old integration runtime. Stop the host service first ('shir stop'); start it again afterwards.

Examples:
  shir key --key "$NEW_AUTH_KEY"
  shir key --key "$OTHER_IR_KEY" --home /var/lib/shir-node2 --json
${EXIT_CODES}
`,
    )
    .action(async (options: { key: string; home?: string; json?: boolean }) => {
      process.exitCode = await runKey(options);
    });

  program
    .command('unregister')
    .description('Remove the node from its integration runtime (its credential stops working) and clear its home.')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--force', 'clear the home even when the integration service cannot be reached (the node then stays in its integration runtime)')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
Clears node.json, settings.json, state.json and the pid file; logs stay. Stop the host service first ('shir stop').

Examples:
  shir unregister
  shir unregister --home /var/lib/shir-node2 --json
${EXIT_CODES}
`,
    )
    .action(async (options: { home?: string; json?: boolean; force?: boolean }) => {
      process.exitCode = await runUnregister(options);
    });

  const remoteAccess = program
    .command('remote-access')
    .description('Enable or disable remote access from intranet (dmgcmd -EnableRemoteAccess / -DisableRemoteAccess); other nodes join an integration runtime only while it is enabled on its nodes.')
    .addHelpText(
      'after',
      `
Examples:
  shir remote-access enable
  shir remote-access enable --port 8061 --json
  shir remote-access disable
${EXIT_CODES}
`,
    );
  remoteAccess
    .command('enable')
    .description('Enable remote access from intranet on a TCP port (default 8060).')
    .option('--port <port>', 'TCP port of the node-to-node channel', '8060')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object: {remoteAccess: {enabled, port, internalChannelEncryption}}')
    .addHelpText('after', `\nExamples:\n  shir remote-access enable\n  shir remote-access enable --port 8061 --home /var/lib/shir-node2\n${EXIT_CODES}\n`)
    .action(async (options: { home?: string; json?: boolean; port?: string }) => {
      process.exitCode = await runRemoteAccess('enable', options);
    });
  remoteAccess
    .command('disable')
    .description('Disable remote access from intranet (refused while other nodes are registered to the integration runtime).')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object: {remoteAccess: {enabled, port, internalChannelEncryption}}')
    .addHelpText('after', `\nExamples:\n  shir remote-access disable\n  shir remote-access disable --json\n${EXIT_CODES}\n`)
    .action(async (options: { home?: string; json?: boolean }) => {
      process.exitCode = await runRemoteAccess('disable', options);
    });

  program
    .command('auto-update')
    .description("Turn the integration runtime's auto-update on or off (dmgcmd -TurnOnAutoUpdate / -TurnOffAutoUpdate).")
    .argument('<on|off>', 'on or off')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object: {autoUpdate, integrationRuntime, home}')
    .addHelpText(
      'after',
      `
Auto-update is a setting of the integration runtime: it applies to all its nodes. While it is on, a node whose
version differs from the pushed version reports Upgrading, installs it and logs
"Integration Runtime upgraded from X to Y".

Examples:
  shir auto-update off
  shir auto-update on --json
${EXIT_CODES}
`,
    )
    .action(async (value: string, options: { home?: string; json?: boolean }) => {
      process.exitCode = await runAutoUpdate(value, options);
    });

  program
    .command('log-level')
    .description('Show or set the log level of the host service (dmgcmd -Loglevel): error, warn, info (default) or debug.')
    .argument('[level]', 'error, warn, info or debug; without it, print the current level')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object: {logLevel, …}')
    .addHelpText(
      'after',
      `
Kept in <home>/settings.json; the host service reads it when it starts ('shir restart' applies it to a running
one). SHIR_LOG_LEVEL wins over it.

Examples:
  shir log-level
  shir log-level debug
  shir log-level warn --home /var/lib/shir-node2 --json
${EXIT_CODES}
`,
    )
    .action((level: string | undefined, options: { home?: string; json?: boolean }) => {
      process.exitCode = runLogLevel(level, options);
    });

  program
    .command('backup')
    .description('Write the node (configuration, credential, settings) to a file encrypted with a password (dmgcmd -GenerateBackupFile).')
    .requiredOption('--file <path>', 'the backup file to write')
    .option('--password <password>', 'the password protecting the file, at least 8 characters (or SHIR_BACKUP_PASSWORD)')
    .option('--force', 'overwrite an existing file')
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The file is JSON: a header (format version, scrypt parameters and salt, the node's name) authenticated with
AES-256-GCM, and the node encrypted under a key derived from the password. Without the password it is useless.

Examples:
  shir backup --file node1.shirbackup --password "$BACKUP_PASSWORD"
  SHIR_BACKUP_PASSWORD=… shir backup --file /backups/node1.shirbackup --json
${EXIT_CODES}
`,
    )
    .action((options: { file: string; password?: string; force?: boolean; home?: string; json?: boolean }) => {
      process.exitCode = runBackup(options);
    });

  program
    .command('restore')
    .description('Restore a node from a backup file into a home that holds none (dmgcmd -ImportBackupFile).')
    .requiredOption('--file <path>', 'the backup file (from shir backup)')
    .option('--password <password>', 'the password given to shir backup (or SHIR_BACKUP_PASSWORD)')
    .option('--force', 'replace the node the home holds (it stays registered in its integration runtime)')
    .option('--home <dir>', 'home to restore into (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The node credential is sealed again with the new home's key (credential.key, or SHIR_ENCRYPTION_KEY). Start the
host service afterwards; the node comes back as it was. A wrong password exits 1 and changes nothing.

Examples:
  shir restore --file node1.shirbackup --password "$BACKUP_PASSWORD" --home /var/lib/shir-node1
  SHIR_BACKUP_PASSWORD=… shir restore --file node1.shirbackup --json && shir start --detach
${EXIT_CODES}
`,
    )
    .action((options: { file: string; password?: string; force?: boolean; home?: string; json?: boolean }) => {
      process.exitCode = runRestore(options);
    });

  // Before any command: an environment variable with a value that is not valid stops it with what to fix.
  program.hook('preAction', (_program, command) => {
    const refused = refuseInvalidEnvironment(processIO, command.opts<{ json?: boolean }>().json);
    if (refused !== undefined) process.exit(refused);
  });

  registerProxyCommand(program, EXIT_CODES);
  registerDiagnoseCommand(program);
  registerLogsCommand(program);

  return program;
}

/** `--timeout <seconds>` in milliseconds (a bad value falls back to 15 s). */
function secondsOption(value: string | undefined): number {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 15_000;
}

buildProgram()
  .parseAsync(process.argv)
  .then(
    () => process.exit(process.exitCode ?? EXIT.ok),
    (error: unknown) => {
      process.stderr.write(`shir: ${describeError(error)}\n`);
      process.exit(EXIT.service);
    },
  );
