import { Command } from 'commander';
import { runRegister } from './commands/register';
import { runStart } from './commands/start';
import { runStatus } from './commands/status';
import { describeError } from './redact';
import { EXIT, RUNTIME_VERSION } from './version';

const EXIT_CODES = `
Exit codes:
  0  success
  1  bad arguments or input: malformed key, invalid node name, home already (or not) registered, invalid setting
  2  the integration service refused the request, could not be reached, or revoked the node's credential`;

const ENVIRONMENT = `
Environment:
  SHIR_HOME                 home directory of the node (default ~/.shir); --home wins
  SHIR_ENCRYPTION_KEY       base64 of 32 bytes sealing the node credential, instead of <home>/credential.key
  SHIR_MAX_CONCURRENT_JOBS  jobs run at once at most (default: cores, between 1 and 8)
  SHIR_RECONNECT_MAX_MS     longest wait between reconnection attempts (default and maximum 10000)
  SHIR_LOG_FORMAT           'json' for JSON log lines (same as start --json)`;

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
  shir start
  shir status --json
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
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
The key's ServiceEndpoint (host:port) says where to register. The node credential issued in return is stored in
the home encrypted (AES-256-GCM) with <home>/credential.key, or with SHIR_ENCRYPTION_KEY when it is set.

Examples:
  shir register --key "$AUTH_KEY"
  shir register --key "$AUTH_KEY" --node-name node2 --home /var/lib/shir-node2
${EXIT_CODES}
`,
    )
    .action(async (options: { key: string; nodeName?: string; home?: string; json?: boolean }) => {
      process.exitCode = await runRegister(options);
    });

  program
    .command('start')
    .description('Run the host service in the foreground: heartbeats, leasing scan jobs and running them, until SIGTERM/SIGINT.')
    .option('--home <dir>', 'home of the registered node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'log JSON lines instead of plain lines (or SHIR_LOG_FORMAT=json)')
    .addHelpText(
      'after',
      `
While running, the connection state (Connected / Connecting / Disconnected) is kept in <home>/state.json for
'shir status'. When the service is unreachable the node reconnects by itself, with backoff. SIGTERM or SIGINT stops
it at once (exit 0); running scans are left to their leases, and the emulator queues them again.

Examples:
  shir start
  SHIR_MAX_CONCURRENT_JOBS=2 shir start --home /var/lib/shir-node2 --json
${EXIT_CODES}
${ENVIRONMENT}
`,
    )
    .action(async (options: { home?: string; json?: boolean }) => {
      process.exitCode = await runStart(options);
    });

  program
    .command('status')
    .description("Show the node: its name, integration runtime, account, endpoint, connection state and last heartbeat.")
    .option('--home <dir>', 'home of the node (default: $SHIR_HOME or ~/.shir)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The state is Disconnected unless a host service ('shir start') is running for this home.
Exits 0 when a node is registered in the home (whatever its state), 1 when none is.

Examples:
  shir status
  shir status --home /var/lib/shir-node2 --json
`,
    )
    .action((options: { home?: string; json?: boolean }) => {
      process.exitCode = runStatus(options);
    });

  return program;
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
