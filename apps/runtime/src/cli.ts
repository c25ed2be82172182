import { Command, CommanderError } from 'commander';
import * as backup from './commands/backup';
import { type CliContext, ENVIRONMENT_HELP, EXIT_CODES_HELP, type RegisterCommand } from './commands/cli-kit';
import * as diagnose from './commands/diagnose';
import { type CommandIO, processIO } from './commands/io';
import * as key from './commands/key';
import * as logs from './commands/logs';
import * as proxy from './commands/proxy';
import * as registerCommand from './commands/register';
import * as settings from './commands/settings-commands';
import * as start from './commands/start';
import * as status from './commands/status';
import * as stop from './commands/stop';
import * as unregister from './commands/unregister';
import { refuseInvalidEnvironment } from './environment';
import { describeError } from './redact';
import { EXIT, RUNTIME_VERSION } from './version';

/** Every command, in the order `shir --help` lists them; each module registers its own. */
const COMMANDS: readonly RegisterCommand[] = [
  registerCommand.register, // register
  start.register, // start
  stop.register, // stop, restart
  status.register, // status
  key.register, // key
  unregister.register, // unregister
  settings.register, // remote-access, auto-update, log-level
  backup.register, // backup, restore
  proxy.register, // proxy show|set|clear
  diagnose.register, // diagnose
  logs.register, // logs
];

/** The `shir` command line, without parsing anything: `main()` parses, tests may parse in-process. */
export function buildProgram(cli: CliContext): Command {
  const program = new Command('shir')
    .description(
      'A reference self-hosted integration runtime (SHIR) for the Purview emulator: registers this machine as a node and runs scans for it.',
    )
    .version(RUNTIME_VERSION, '-V, --version', 'print the runtime version')
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors, --help and --version come back to main() as a CommanderError instead of ending the process;
    // set before the commands are added, so that they inherit it (and the output).
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => cli.io.err(text.replace(/\n$/, '')),
    })
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
${EXIT_CODES_HELP}
${ENVIRONMENT_HELP}
`,
    );

  // Before any command: an environment variable with a value that is not valid stops it with what to fix.
  program.hook('preAction', (_program, command) => {
    const refused = refuseInvalidEnvironment(cli.io, command.opts<{ json?: boolean }>().json);
    if (refused !== undefined) throw new CommanderError(refused, INVALID_ENVIRONMENT, 'invalid environment (reported)');
  });

  for (const register of COMMANDS) register(program, cli);
  return program;
}

const INVALID_ENVIRONMENT = 'shir.invalidEnvironment';

/** Runs `shir` with `argv` (node, script, args…) and resolves with its exit code. */
export async function main(argv: readonly string[] = process.argv, io: CommandIO = processIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram({ io, exit: (code) => (exitCode = code) });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) {
      io.err(`shir: ${describeError(error)}`);
      return EXIT.service;
    }
    // Commander has printed the usage error (or the help, or the version) on stderr/stdout already; under --json,
    // scripts get it on stdout too, in the shape of every other failure: {"error":{code,message}}.
    if (error.exitCode !== EXIT.ok && error.code !== INVALID_ENVIRONMENT && wantsJson(argv)) {
      io.out(JSON.stringify({ error: { code: 'InvalidUsage', message: error.message.replace(/^error: /, '') } }));
    }
    return error.exitCode;
  }
}

/** Whether the command line asks for JSON output (`--json` before any `--`). */
function wantsJson(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

if (require.main === module) void main().then((code) => process.exit(code));
