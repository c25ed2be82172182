import * as fs from 'node:fs';
import { HomeError, ensureHomeDirectory, readFileIfExists, writeFileAtomic } from './files';
import type { HomePaths } from './paths';
import { ENCRYPTION_KEY_ENV, loadEncryptionKey, open, seal, type SealedSecret } from './secret-box';

/**
 * A registered node, as its home keeps it. The auth key is not kept: after registration the node proves who it is
 * with its node credential only, and that credential is stored sealed (AES-256-GCM), never in plain text.
 */
export interface NodeConfig {
  configVersion: 1;
  /** The emulator's base URL, from the key's ServiceEndpoint, e.g. http://127.0.0.1:5380 */
  emulatorUrl: string;
  accountName: string;
  integrationRuntime: { name: string; id: string };
  node: { name: string; id: string };
  machineName: string;
  registeredAt: string;
  /** Runtime version that registered the node. */
  runtimeVersion: string;
  heartbeatIntervalSeconds: number;
  offlineAfterSeconds: number;
  nodeCredential: SealedSecret;
}

export type NewNodeConfig = Omit<NodeConfig, 'configVersion' | 'nodeCredential'>;

const CREDENTIAL_CONTEXT = (nodeId: string) => `shir-node-credential:${nodeId}`;

/** The node registered in this home, or undefined when none is. */
export function readNodeConfig(paths: HomePaths): NodeConfig | undefined {
  const text = readFileIfExists(paths.nodeConfig);
  if (text === undefined) return undefined;
  let value: Partial<NodeConfig>;
  try {
    value = JSON.parse(text) as Partial<NodeConfig>;
  } catch {
    throw new HomeError(
      `${paths.nodeConfig} is not valid JSON; the node configuration is damaged. Register the node again in a new home.`,
    );
  }
  if (
    value.configVersion !== 1 ||
    !value.emulatorUrl ||
    !value.node?.id ||
    !value.node?.name ||
    !value.integrationRuntime?.name ||
    !value.nodeCredential?.ciphertext
  ) {
    throw new HomeError(
      `${paths.nodeConfig} is not a node configuration this runtime understands. Register the node again in a new home.`,
    );
  }
  return value as NodeConfig;
}

/** Seals the credential and writes the node configuration (mode 0600) into a home that holds no node yet. */
export function saveNewNode(
  paths: HomePaths,
  node: NewNodeConfig,
  nodeCredential: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeConfig {
  ensureHomeDirectory(paths.home);
  if (fs.existsSync(paths.nodeConfig)) throw new HomeError(`${paths.home} already holds a registered node.`);
  return replaceNode(paths, node, nodeCredential, env);
}

/** Seals the credential and writes the node configuration, replacing the node the home held (`shir key`, `restore --force`). */
export function replaceNode(
  paths: HomePaths,
  node: NewNodeConfig,
  nodeCredential: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeConfig {
  ensureHomeDirectory(paths.home);
  const key = loadEncryptionKey(paths.credentialKey, { create: true, env })!;
  const config: NodeConfig = {
    configVersion: 1,
    ...node,
    nodeCredential: seal(nodeCredential, key, CREDENTIAL_CONTEXT(node.node.id)),
  };
  writeFileAtomic(paths.nodeConfig, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  return config;
}

/** Saves changes to a registered node (say, a new heartbeat interval); the sealed credential is kept as it is. */
export function updateNodeConfig(paths: HomePaths, config: NodeConfig): void {
  writeFileAtomic(paths.nodeConfig, `${JSON.stringify(config, null, 2)}\n`, 0o600);
}

/** The node credential in clear, for the Authorization header only. */
export function openNodeCredential(paths: HomePaths, config: NodeConfig, env: NodeJS.ProcessEnv = process.env): string {
  const key = loadEncryptionKey(paths.credentialKey, { create: false, env });
  if (!key) {
    throw new HomeError(
      config.nodeCredential.keySource === 'env'
        ? `The node credential was sealed with ${ENCRYPTION_KEY_ENV}, which is not set. Set it to the same key used at registration.`
        : `${paths.credentialKey} is missing, so the node credential cannot be decrypted. Restore it (or set ${ENCRYPTION_KEY_ENV} if that held the key), or register the node again in a new home.`,
    );
  }
  return open(config.nodeCredential, key, CREDENTIAL_CONTEXT(config.node.id));
}
