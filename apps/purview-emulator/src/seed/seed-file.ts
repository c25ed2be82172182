import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SeedFile, SeedFileSchema } from '@purview-emulator/contracts';
import { ConfigError } from '../config/config-error';

/** Reads and checks a seed file (JSON, or YAML by its `.yaml`/`.yml` name); what is wrong is a ConfigError naming where. */
export function readSeedFile(file: string): SeedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`PURVIEW_SEED_FILE=${file} cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path.extname(file)) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `The seed file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
  const result = SeedFileSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '');
    const what =
      issue.code === 'unrecognized_keys'
        ? `${issue.message}; a seed file has collections, typedefs, entities, integrationRuntimes, secrets, keyVaults, credentials, dataSources, scans, triggers, glossaries`
        : issue.message;
    return `${where || 'the file'}: ${what}`;
  });
  throw new ConfigError(`The seed file ${file} is not valid: ${problems.join('; ')}.`);
}
