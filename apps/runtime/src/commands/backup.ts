import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackupError, createBackup, openBackup, parseBackup } from '../home/backup';
import { writeFileAtomic } from '../home/files';
import { readLocalSettings, writeLocalSettings } from '../home/local-settings';
import { type NodeConfig, openNodeCredential, readNodeConfig, replaceNode } from '../home/node-config';
import { homePaths, resolveHome } from '../home/paths';
import { machineInfo } from '../machine';
import { EXIT } from '../version';
import { type CommandIO, processIO } from './io';
import { CommandFailure, ensureStopped, registeredHome, reportFailure } from './node-home';
import { type Command, Option } from 'commander';
import { type CliContext, EXIT_CODES_HELP, homeOption } from './cli-kit';

/** Where the password comes from when --password is not given (keeps it out of the process list). */
export const BACKUP_PASSWORD_ENV = 'SHIR_BACKUP_PASSWORD';

export interface BackupOptions {
  file: string;
  password?: string;
  home?: string;
  json?: boolean;
  /** backup: overwrite an existing file; restore: replace the node the home holds. */
  force?: boolean;
}

function passwordOf(options: BackupOptions, env: NodeJS.ProcessEnv): string {
  const password = options.password ?? env[BACKUP_PASSWORD_ENV];
  if (password === undefined || password === '')
    throw new CommandFailure(
      'PasswordRequired',
      `Give the backup password with --password <password> or in ${BACKUP_PASSWORD_ENV}.`,
      EXIT.usage,
    );
  if (password.length < 8)
    throw new CommandFailure('PasswordTooShort', 'The backup password must have at least 8 characters.', EXIT.usage);
  return password;
}

/**
 * `shir backup --file <path> --password <password>` (dmgcmd -GenerateBackupFile): the node's configuration,
 * credential and settings in one file, encrypted with a key derived from the password (scrypt, AES-256-GCM).
 */
export function runBackup(options: BackupOptions, io: CommandIO = processIO): number {
  try {
    const password = passwordOf(options, io.env);
    const { paths, config, home } = registeredHome(options.home, io.env);
    const file = path.resolve(options.file);
    if (fs.existsSync(file) && !options.force)
      throw new CommandFailure(
        'FileExists',
        `${file} already exists. Choose another --file, or add --force to overwrite it.`,
        EXIT.usage,
      );
    const nodeCredential = openNodeCredential(paths, config, io.env);
    const { configVersion: _v, nodeCredential: _sealed, ...node } = config;
    const backup = createBackup({ config: node, nodeCredential, settings: readLocalSettings(paths) }, password);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, `${JSON.stringify(backup, null, 2)}\n`, 0o600);
    } catch (error) {
      throw new CommandFailure('CannotWriteBackup', `Cannot write ${file}: ${(error as Error).message}`, EXIT.usage);
    }
    if (options.json)
      io.out(
        JSON.stringify({
          backedUp: true,
          file,
          nodeName: config.node.name,
          integrationRuntime: config.integrationRuntime.name,
          account: config.accountName,
          home,
          createdAt: backup.createdAt,
        }),
      );
    else {
      io.out(
        `Backed up node '${config.node.name}' of integration runtime '${config.integrationRuntime.name}' to ${file}.`,
      );
      io.out(
        'Keep the password: the file cannot be restored without it. Restore with: shir restore --file <path> --password <password>',
      );
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json, { backedUp: false });
  }
}

/**
 * `shir restore --file <path> --password <password>` (dmgcmd -ImportBackupFile): puts a backed-up node into a home
 * that holds none (or, with --force, replaces the one it holds), sealing the credential with this home's key.
 */
export function runRestore(options: BackupOptions, io: CommandIO = processIO): number {
  try {
    const password = passwordOf(options, io.env);
    const home = resolveHome(options.home, io.env);
    const paths = homePaths(home);
    const file = path.resolve(options.file);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new CommandFailure(
        'CannotReadBackup',
        `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
        EXIT.usage,
      );
    }
    let contents;
    try {
      contents = openBackup(parseBackup(text), password);
    } catch (error) {
      if (error instanceof BackupError) throw new CommandFailure(error.code, error.message, EXIT.usage);
      throw error;
    }
    const existing: NodeConfig | undefined = readNodeConfig(paths);
    if (existing) {
      if (!options.force) {
        throw new CommandFailure(
          'HomeAlreadyRegistered',
          `The home ${home} already holds node '${existing.node.name}' of integration runtime '${existing.integrationRuntime.name}'. Restore into another --home, or add --force to replace that node (it stays registered in its integration runtime).`,
          EXIT.usage,
        );
      }
      ensureStopped(paths, 'restoring into this home');
    }
    const config = replaceNode(
      paths,
      { ...contents.config, machineName: machineInfo().machineName },
      contents.nodeCredential,
      io.env,
    );
    writeLocalSettings(paths, contents.settings);
    fs.rmSync(paths.state, { force: true });
    if (options.json)
      io.out(
        JSON.stringify({
          restored: true,
          file,
          nodeName: config.node.name,
          nodeId: config.node.id,
          integrationRuntime: config.integrationRuntime.name,
          account: config.accountName,
          endpoint: config.emulatorUrl,
          home,
        }),
      );
    else {
      io.out(
        `Restored node '${config.node.name}' of integration runtime '${config.integrationRuntime.name}' (account '${config.accountName}', ${config.emulatorUrl}) into ${home}.`,
      );
      io.out(`Start the host service with: shir start${options.home ? ` --home ${options.home}` : ''}`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, options.json, { restored: false });
  }
}

/** `shir backup` and `shir restore`. */
export function register(program: Command, cli: CliContext): void {
  program
    .command('backup')
    .description(
      'Write the node (configuration, credential, settings) to a file encrypted with a password (dmgcmd -GenerateBackupFile).',
    )
    .requiredOption('--file <path>', 'the backup file to write')
    .addOption(
      new Option('--password <password>', 'the password protecting the file, at least 8 characters').env(
        BACKUP_PASSWORD_ENV,
      ),
    )
    .option('--force', 'overwrite an existing file')
    .addOption(homeOption())
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The file is JSON: a header (format version, scrypt parameters and salt, the node's name) authenticated with
AES-256-GCM, and the node encrypted under a key derived from the password. Without the password it is useless.

Examples:
  shir backup --file node1.shirbackup --password "$BACKUP_PASSWORD"
  SHIR_BACKUP_PASSWORD=… shir backup --file /backups/node1.shirbackup --json
${EXIT_CODES_HELP}
`,
    )
    .action((options: BackupOptions) => cli.exit(runBackup(options, cli.io)));

  program
    .command('restore')
    .description('Restore a node from a backup file into a home that holds none (dmgcmd -ImportBackupFile).')
    .requiredOption('--file <path>', 'the backup file (from shir backup)')
    .addOption(new Option('--password <password>', 'the password given to shir backup').env(BACKUP_PASSWORD_ENV))
    .option('--force', 'replace the node the home holds (it stays registered in its integration runtime)')
    .addOption(homeOption('home to restore into'))
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
The node credential is sealed again with the new home's key (credential.key, or SHIR_ENCRYPTION_KEY). Start the
host service afterwards; the node comes back as it was. A wrong password exits 1 and changes nothing.

Examples:
  shir restore --file node1.shirbackup --password "$BACKUP_PASSWORD" --home /var/lib/shir-node1
  SHIR_BACKUP_PASSWORD=… shir restore --file node1.shirbackup --json && shir start --detach
${EXIT_CODES_HELP}
`,
    )
    .action((options: BackupOptions) => cli.exit(runRestore(options, cli.io)));
}
