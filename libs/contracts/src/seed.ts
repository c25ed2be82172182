/**
 * The seed file (`PURVIEW_SEED_FILE`, `npm start -- --seed file`): what an emulator holds when it starts, written
 * as the API itself takes it. Each entry is the resource's name (and its parents' names) beside the body its PUT or
 * POST accepts, so bodies are copied from scripts as they are. JSON or YAML. An emulator extension.
 */
import { z } from 'zod';

const name = (what: string) =>
  z
    .string({ required_error: `${what} is required` })
    .trim()
    .min(1)
    .max(256);

/** A body of a PUT addressed by `name` (the rest of the entry is the body). */
const NamedBody = z.object({ name: name('name') }).passthrough();

export const SeedFileSchema = z
  .object({
    /** `PUT /account/collections/{name}` bodies. */
    collections: z.array(NamedBody).optional(),
    /** The body of `POST /datamap/api/atlas/v2/types/typedefs` (entityDefs, classificationDefs, …). */
    typedefs: z.object({}).passthrough().optional(),
    /** `AtlasEntity`s, as the `entities` of `POST …/atlas/v2/entity/bulk`. */
    entities: z.array(z.object({ typeName: name('typeName') }).passthrough()).optional(),
    /** `PUT /scan/integrationruntimes/{name}` bodies. */
    integrationRuntimes: z.array(NamedBody).optional(),
    /** Secrets of the emulator's Key Vault: `vault` (default `default`), `name`, `value`. */
    secrets: z
      .array(
        z
          .object({
            vault: name('vault').optional(),
            name: name('name'),
            value: z.string({ required_error: 'value is required' }),
            contentType: z.string().optional(),
          })
          .strict(),
      )
      .optional(),
    /** `PUT /scan/azureKeyVaults/{name}` bodies. */
    keyVaults: z.array(NamedBody).optional(),
    /** `PUT /scan/credentials/{name}` bodies. */
    credentials: z.array(NamedBody).optional(),
    /** `PUT /scan/datasources/{name}` bodies. */
    dataSources: z.array(NamedBody).optional(),
    /** `PUT /scan/datasources/{dataSource}/scans/{name}` bodies. */
    scans: z.array(NamedBody.extend({ dataSource: name('dataSource') })).optional(),
    /**
     * `POST /datamap/api/atlas/v2/glossary` bodies, each with its `terms` (`POST …/glossary/term` bodies without the
     * anchor: the glossary is the one they are listed under).
     */
    glossaries: z.array(NamedBody.extend({ terms: z.array(NamedBody).optional() })).optional(),
    /** `PUT …/scans/{scan}/triggers/default` bodies. */
    triggers: z.array(z.object({ dataSource: name('dataSource'), scan: name('scan') }).passthrough()).optional(),
  })
  .strict();
export type SeedFile = z.infer<typeof SeedFileSchema>;

/** What applying one entry did. */
export interface SeedItemReport {
  item: string;
  outcome: 'created' | 'exists' | 'updated';
}
