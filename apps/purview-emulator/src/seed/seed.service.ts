import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { KEY_VAULT_RESOURCE, type SeedFile, type SeedItemReport } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { ConfigError } from '../config/config-error';
import { ResetHooks } from '../common/reset-hooks';
import { WELL_KNOWN_CLIENT } from '../identity/clients';
import { TokenService } from '../identity/token.service';
import { readSeedFile } from './seed-file';

const SCAN = 'api-version=2023-09-01';
const DATA_MAP = 'api-version=2023-09-01';
const ACCOUNT = 'api-version=2019-11-01-preview';
const KEY_VAULT = 'api-version=7.4';
const TYPE_CATEGORIES = [
  'enumDefs',
  'structDefs',
  'classificationDefs',
  'entityDefs',
  'relationshipDefs',
  'businessMetadataDefs',
  'termTemplateDefs',
];

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Applies the seed file through the emulator's own API (in-process requests, the well-known client's roles), so an
 * entry is validated as the same PUT or POST from a script would be. Idempotent: what exists is left as it is, so a
 * second start changes nothing. Applied once the app is ready, and again after `POST /_emulator/reset`.
 */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: TokenService,
    private readonly resets: ResetHooks,
  ) {}

  /** After every module's own reset hook: a reset ends in the state of a first start. */
  onApplicationBootstrap(): void {
    if (this.config.seedFile) this.resets.register('the seed file', () => this.applyConfigured().then(() => undefined));
  }

  /** The configured seed file, if any; a bad file or an entry the API refuses is a ConfigError naming it. */
  async applyConfigured(): Promise<SeedItemReport[]> {
    if (!this.config.seedFile) return [];
    return this.apply(readSeedFile(this.config.seedFile), this.config.seedFile);
  }

  async apply(seed: SeedFile, source = 'the seed'): Promise<SeedItemReport[]> {
    const purview = `Bearer ${(await this.tokens.issue(WELL_KNOWN_CLIENT)).token}`;
    const vault = `Bearer ${(await this.tokens.issue(WELL_KNOWN_CLIENT, KEY_VAULT_RESOURCE)).token}`;
    const reports: SeedItemReport[] = [];
    const fail = (item: string, request: string, answer: Answer): never => {
      const error = answer.body.error as { message?: string } | undefined;
      const message = error?.message ?? (answer.body.errorMessage as string | undefined) ?? JSON.stringify(answer.body);
      throw new ConfigError(`${source}: ${item} was refused: ${request} answered ${answer.status}: ${message}`);
    };
    const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
      this.request(method, url, body, { authorization: purview, ...headers });
    /** PUT unless it exists. */
    const ensure = async (
      item: string,
      url: string,
      body: unknown,
      headers?: Record<string, string>,
    ): Promise<void> => {
      const existing = await call('GET', url, undefined, headers);
      if (existing.status === 200) return void reports.push({ item, outcome: 'exists' });
      const put = await call('PUT', url, body, headers);
      if (put.status >= 300) fail(item, `PUT ${url.split('?')[0]}`, put);
      reports.push({ item, outcome: 'created' });
    };
    const without = (entry: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
      Object.fromEntries(Object.entries(entry).filter(([k]) => !keys.includes(k)));
    const e = encodeURIComponent;

    for (const [i, c] of (seed.collections ?? []).entries())
      await ensure(`collections[${i}] '${c.name}'`, `/account/collections/${e(c.name)}?${ACCOUNT}`, c);
    if (seed.typedefs) await this.typedefs(seed.typedefs, call, reports, fail);
    if (seed.entities?.length) {
      const url = `/datamap/api/atlas/v2/entity/bulk?${DATA_MAP}`;
      const answer = await call('POST', url, { entities: seed.entities });
      if (answer.status >= 300) fail(`entities (${seed.entities.length})`, `POST ${url.split('?')[0]}`, answer);
      const mutated = (answer.body.mutatedEntities ?? {}) as Record<string, unknown[]>;
      const created = mutated.CREATE?.length ?? 0;
      reports.push({
        item: `entities: ${created} created of ${seed.entities.length}`,
        outcome: created ? 'created' : 'exists',
      });
    }
    for (const [i, ir] of (seed.integrationRuntimes ?? []).entries())
      await ensure(
        `integrationRuntimes[${i}] '${ir.name}'`,
        `/scan/integrationruntimes/${e(ir.name)}?${SCAN}`,
        without(ir, 'name'),
      );
    for (const [i, s] of (seed.secrets ?? []).entries()) {
      const item = `secrets[${i}] '${s.name}'`;
      const headers = { authorization: vault, ...(s.vault ? { host: `${s.vault}.vault.azure.net` } : {}) };
      const url = `/secrets/${e(s.name)}?${KEY_VAULT}`;
      const current = await this.request('GET', url, undefined, headers);
      if (current.status === 200 && current.body.value === s.value) {
        reports.push({ item, outcome: 'exists' });
        continue;
      }
      const put = await this.request('PUT', url, { value: s.value, contentType: s.contentType }, headers);
      if (put.status >= 300) fail(item, `PUT /secrets/${s.name}`, put);
      reports.push({ item, outcome: current.status === 200 ? 'updated' : 'created' });
    }
    for (const [i, kv] of (seed.keyVaults ?? []).entries())
      await ensure(`keyVaults[${i}] '${kv.name}'`, `/scan/azureKeyVaults/${e(kv.name)}?${SCAN}`, without(kv, 'name'));
    for (const [i, c] of (seed.credentials ?? []).entries())
      await ensure(`credentials[${i}] '${c.name}'`, `/scan/credentials/${e(c.name)}?${SCAN}`, without(c, 'name'));
    for (const [i, ds] of (seed.dataSources ?? []).entries())
      await ensure(`dataSources[${i}] '${ds.name}'`, `/scan/datasources/${e(ds.name)}?${SCAN}`, without(ds, 'name'));
    for (const [i, s] of (seed.scans ?? []).entries())
      await ensure(
        `scans[${i}] '${s.dataSource}/${s.name}'`,
        `/scan/datasources/${e(s.dataSource)}/scans/${e(s.name)}?${SCAN}`,
        without(s, 'name', 'dataSource'),
      );
    for (const [i, t] of (seed.triggers ?? []).entries())
      await ensure(
        `triggers[${i}] '${t.dataSource}/${t.scan}'`,
        `/scan/datasources/${e(t.dataSource)}/scans/${e(t.scan)}/triggers/default?${SCAN}`,
        without(t, 'dataSource', 'scan'),
      );
    for (const [i, g] of (seed.glossaries ?? []).entries()) await this.glossary(i, g, call, reports, fail);
    for (const r of reports) this.logger.log(`${source}: ${r.item} ${r.outcome}`);
    return reports;
  }

  /** A glossary by name, then each of its terms by name (glossaries have no PUT by name: found, or POSTed). */
  private async glossary(
    index: number,
    entry: NonNullable<SeedFile['glossaries']>[number],
    call: (method: string, url: string, body?: unknown) => Promise<Answer>,
    reports: SeedItemReport[],
    fail: (item: string, request: string, answer: Answer) => never,
  ): Promise<void> {
    const base = '/datamap/api/atlas/v2/glossary';
    const item = `glossaries[${index}] '${entry.name}'`;
    const { terms = [], ...body } = entry;
    const listed = await call('GET', `${base}?${DATA_MAP}&limit=1000`);
    const glossaries = (Array.isArray(listed.body) ? listed.body : []) as { guid: string; name: string }[];
    let guid = glossaries.find((g) => g.name === entry.name)?.guid;
    if (guid) reports.push({ item, outcome: 'exists' });
    else {
      const created = await call('POST', `${base}?${DATA_MAP}`, body);
      if (created.status >= 300) fail(item, `POST ${base}`, created);
      guid = created.body.guid as string;
      reports.push({ item, outcome: 'created' });
    }
    const existing = await call('GET', `${base}/${guid}/terms/headers?${DATA_MAP}&limit=1000`);
    const names = new Set(
      ((Array.isArray(existing.body) ? existing.body : []) as { displayText?: string }[]).map((t) => t.displayText),
    );
    for (const [j, term] of terms.entries()) {
      const termItem = `${item} terms[${j}] '${term.name}'`;
      if (names.has(term.name)) {
        reports.push({ item: termItem, outcome: 'exists' });
        continue;
      }
      const created = await call('POST', `${base}/term?${DATA_MAP}`, { ...term, anchor: { glossaryGuid: guid } });
      if (created.status >= 300) fail(termItem, `POST ${base}/term`, created);
      reports.push({ item: termItem, outcome: 'created' });
    }
  }

  /** Only the types that do not exist yet, in one POST (types may refer to each other). */
  private async typedefs(
    typedefs: Record<string, unknown>,
    call: (method: string, url: string, body?: unknown) => Promise<Answer>,
    reports: SeedItemReport[],
    fail: (item: string, request: string, answer: Answer) => never,
  ): Promise<void> {
    const missing: Record<string, unknown[]> = {};
    for (const category of TYPE_CATEGORIES) {
      const defs = typedefs[category];
      if (!Array.isArray(defs)) continue;
      for (const def of defs as { name?: unknown }[]) {
        const item = `typedefs.${category} '${String(def.name)}'`;
        const url = `/datamap/api/atlas/v2/types/typedef/name/${encodeURIComponent(String(def.name))}?${DATA_MAP}`;
        if ((await call('GET', url)).status === 200) reports.push({ item, outcome: 'exists' });
        else (missing[category] ??= []).push(def);
      }
    }
    if (Object.keys(missing).length === 0) return;
    const url = `/datamap/api/atlas/v2/types/typedefs?${DATA_MAP}`;
    const answer = await call('POST', url, missing);
    if (answer.status >= 300) fail('typedefs', `POST ${url.split('?')[0]}`, answer);
    for (const [category, defs] of Object.entries(missing))
      for (const def of defs as { name: string }[])
        reports.push({ item: `typedefs.${category} '${def.name}'`, outcome: 'created' });
  }

  private async request(method: string, url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const response = await fastify.inject({
      method: method as 'GET',
      url,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    try {
      return { status: response.statusCode, body: response.body ? (JSON.parse(response.body) as Answer['body']) : {} };
    } catch {
      return { status: response.statusCode, body: { text: response.body } };
    }
  }
}
