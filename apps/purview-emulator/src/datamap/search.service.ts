import { Injectable } from '@nestjs/common';
import type { QueryResult, SearchResultValue } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { AtlasEntityRecord } from './atlas-entity.record';
import { DataMapRepository, SearchHitRow } from './datamap.repository';
import { classificationNamesOf, toSearchDocument } from './entity-model';
import { assetTypesOf, evaluateFilter, objectTypeOf, planFilter } from './search/search-filter';
import { searchResultValue } from './search/search-result';
import { highlightsOf, keywordScoreSql, keywordWhereSql, scoreFromSql } from './search/search-keywords';
import {
  COMPUTED_FACETS,
  Cursor,
  FacetRequest,
  SearchRequest,
  encodeContinuationToken,
  facetValues,
  parseQueryOptions,
} from './search/search-query';
import { Sql, joinSql, sql } from './search/sql';
import { SearchTerm, SearchTerms } from './search/term-index';
import { classificationCountsSql, countableFromTypes, typeCountsSql } from './search/search-counts';
import { TermHit, matchingTerms, termHitRows, termResultValue } from './search/term-hits';
import {
  INACTIVE_COUNT_SQL,
  keywordCountSql,
  prefixTierCountSql,
  prefixTierKeyword,
  prefixTierPageSql,
} from './search/name-prefix-tier';
import { SearchIndex } from './search/search-index';

/** Rows read per round trip when part of the filter runs in JS; memory stays bounded by this and the page size. */
export const SEARCH_CHUNK = 500;

interface Tally {
  total: number;
  byType: Map<string, number>;
  byClassification: Map<string, number>;
  byTerm: Map<string, number>;
  /** Glossary term hits: glossaryType, termStatus and termTemplate facets. */
  byGlossaryType: Map<string, number>;
  byTermStatus: Map<string, number>;
  byTermTemplate: Map<string, number>;
}

function emptyTally(): Tally {
  const maps = () => new Map<string, number>();
  return {
    total: 0,
    byType: maps(),
    byClassification: maps(),
    byTerm: maps(),
    byGlossaryType: maps(),
    byTermStatus: maps(),
    byTermTemplate: maps(),
  };
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Counts glossary term hits into the total and the facets a term has (entityType and objectType via its typeName). */
function addTermHits(tally: Tally, hits: readonly TermHit[]): void {
  for (const { term, doc } of hits) {
    tally.total++;
    increment(tally.byType, doc.typeName);
    increment(tally.byGlossaryType, doc.typeName);
    increment(tally.byTermStatus, term.status);
    for (const template of new Set(term.templateNames)) increment(tally.byTermTemplate, template);
  }
}

/**
 * Purview discovery search (`POST /search/query`) over the data map. Keywords, and every filter clause SQL can
 * express, run in SQLite; attribute filters SQL cannot express run in JS over ordered chunks of the SQL matches.
 */
@Injectable()
export class SearchService {
  /** Rows per round trip on the JS-filter path (tests lower it to exercise the keyset paging). */
  chunkSize = SEARCH_CHUNK;

  constructor(
    private readonly repository: DataMapRepository,
    private readonly clock: Clock,
    private readonly terms: SearchTerms,
    private readonly index: SearchIndex,
  ) {}

  async query(body: unknown): Promise<QueryResult> {
    await this.index.catchUp();
    const request = parseQueryOptions(body);
    const now = this.clock.nowMs();
    const plan = planFilter(request.filter, now, this.terms.index);
    const where = joinSql([sql(`e.status = 'ACTIVE'`), keywordWhereSql(request.tokens), plan.where], 'AND');
    const score = keywordScoreSql(request.tokens);
    const wantsFacets = request.facets.some((f) => (COMPUTED_FACETS as readonly string[]).includes(f.facet));
    const wantsTerms = request.facets.some((f) => f.facet === 'term');
    // Glossary terms are hits too: matched here, merged into SQL's order as extra rows.
    const termHits = await matchingTerms(this.terms.index, request.tokens, request.filter, now);
    const extra = termHits.length ? termHitRows(termHits) : undefined;

    let page: SearchHitRow[];
    let tally: Tally;
    const broad = termHits.length ? undefined : await this.prefixTierPage(request, score);
    if (broad) {
      ({ page } = broad);
      tally = { ...emptyTally(), total: broad.total };
    } else if (!plan.residual) {
      // Keyword queries rank every match anyway: without facets, the page query counts them too.
      const withTotal = request.tokens.length > 0 && request.facets.length === 0;
      page = await this.repository.hits(where, score, request.orderBy, {
        limit: request.limit,
        offset: request.offset,
        extra,
        withTotal,
      });
      // The page's own count is the total (entities; the term hits are added below).
      const counted = !withTotal
        ? undefined
        : page.length
          ? page[0].total - termHits.length
          : request.offset === 0
            ? 0
            : undefined;
      tally =
        counted !== undefined
          ? { ...emptyTally(), total: counted }
          : countableFromTypes(request.tokens, request.filter)
            ? await this.tallyFromCounts(where, request.facets)
            : await this.tallyInSql(where, request.facets, wantsFacets);
      if (wantsTerms && this.terms.index) tally.byTerm = await this.terms.index.countByTerm(where);
    } else {
      const residual = plan.residual;
      ({ page, tally } = await this.scan(
        where,
        score,
        request,
        extra,
        (record) => evaluateFilter(residual, toSearchDocument(record), now),
        wantsFacets,
        wantsTerms,
      ));
    }
    addTermHits(tally, termHits);
    const entityGuids = page.flatMap((row) => (row.record ? [row.record.guid] : []));
    const termsOf = this.terms.index ? await this.terms.index.termsOf(entityGuids) : new Map<string, SearchTerm[]>();
    const hitByGuid = new Map(termHits.map((h) => [h.term.guid, h]));

    const result: QueryResult = {
      '@search.count': tally.total,
      '@search.count.approximate': false,
      '@search.facets': request.facets.length ? this.facets(request.facets, tally) : null,
      value: page.map((row) =>
        row.record
          ? { ...this.toValue(row.record, row.score, request), term: termsOf.get(row.record.guid) ?? [] }
          : termResultValue(hitByGuid.get(row.guid)!, request.tokens),
      ),
    };
    if (request.offset + request.limit < tally.total)
      result.continuationToken = encodeContinuationToken(request.offset + request.limit);
    return result;
  }

  /** A broad keyword's page from the name index and its total from the full-text index (see prefixTierKeyword). */
  private async prefixTierPage(
    request: SearchRequest,
    score: Sql,
  ): Promise<{ page: SearchHitRow[]; total: number } | undefined> {
    const token = prefixTierKeyword(request);
    if (token === undefined) return undefined;
    if (request.offset + request.limit > (await this.repository.countOf(prefixTierCountSql(token)))) return undefined;
    const [page, inactive] = await Promise.all([
      this.repository.hitsFrom(prefixTierPageSql(token, score, request.limit, request.offset), request.orderBy),
      this.repository.countOf(INACTIVE_COUNT_SQL),
    ]);
    return { page, total: await this.repository.countOf(keywordCountSql(token, inactive)) };
  }

  /** The total and facets from the count tables (type-only queries: the whole catalog, `not entityType`…). */
  private async tallyFromCounts(where: Sql, facets: FacetRequest[]): Promise<Tally> {
    const needsClassifications = facets.some((f) => f.facet === 'classification');
    const [byType, byClassification] = await Promise.all([
      this.repository.counted(typeCountsSql(where)),
      needsClassifications
        ? this.repository.counted(classificationCountsSql(where))
        : Promise.resolve(new Map<string, number>()),
    ]);
    return { ...emptyTally(), total: [...byType.values()].reduce((a, b) => a + b, 0), byType, byClassification };
  }

  private async tallyInSql(where: Sql, facets: FacetRequest[], wantsFacets: boolean): Promise<Tally> {
    const needsClassifications = facets.some((f) => f.facet === 'classification');
    // Every entity has one type: with the per-type counts at hand, their sum is the total.
    const [total, byType, byClassification] = await Promise.all([
      wantsFacets ? Promise.resolve(-1) : this.repository.countMatches(where),
      wantsFacets ? this.repository.countByType(where) : Promise.resolve(new Map<string, number>()),
      needsClassifications ? this.repository.countByClassification(where) : Promise.resolve(new Map<string, number>()),
    ]);
    return {
      ...emptyTally(),
      total: wantsFacets ? [...byType.values()].reduce((a, b) => a + b, 0) : total,
      byType,
      byClassification,
    };
  }

  /** Walks all SQL matches in order, chunk by chunk, keeping the requested page and the counts. */
  private async scan(
    where: Sql,
    score: Sql,
    request: SearchRequest,
    extra: string | undefined,
    accept: (record: AtlasEntityRecord) => boolean,
    wantsFacets: boolean,
    wantsTerms: boolean,
  ): Promise<{ page: SearchHitRow[]; tally: Tally }> {
    const page: SearchHitRow[] = [];
    // Extra rows (glossary terms) already passed the filter: they take a place in the page but are tallied apart.
    let position = 0;
    const tally = emptyTally();
    let after: Cursor | undefined;
    for (;;) {
      const chunk = await this.repository.hits(where, score, request.orderBy, {
        limit: this.chunkSize,
        after,
        extra,
      });
      const accepted = chunk.filter((row) => !row.record || accept(row.record));
      const entities = accepted.flatMap((row) => (row.record ? [row.record] : []));
      if (wantsTerms && this.terms.index)
        for (const terms of (await this.terms.index.termsOf(entities.map((r) => r.guid))).values())
          for (const name of new Set(terms.map((t) => t.name))) increment(tally.byTerm, name);
      for (const row of accepted) {
        if (position >= request.offset && page.length < request.limit) page.push(row);
        position++;
        if (!row.record) continue;
        tally.total++;
        if (wantsFacets) {
          increment(tally.byType, row.record.typeName);
          for (const c of new Set(classificationNamesOf(row.record))) increment(tally.byClassification, c);
        }
      }
      if (chunk.length < this.chunkSize) break;
      after = chunk[chunk.length - 1].cursor;
    }
    return { page, tally };
  }

  private facets(requests: FacetRequest[], tally: Tally): Record<string, { count: number; value: string }[]> {
    const out: Record<string, { count: number; value: string }[]> = {};
    for (const request of requests) {
      const counts = new Map<string, number>();
      switch (request.facet) {
        case 'entityType':
          for (const [t, n] of tally.byType) increment(counts, t, n);
          break;
        case 'assetType':
          for (const [t, n] of tally.byType) for (const a of assetTypesOf(t)) increment(counts, a, n);
          break;
        case 'objectType':
          for (const [t, n] of tally.byType) increment(counts, objectTypeOf(t), n);
          break;
        case 'classification':
          for (const [c, n] of tally.byClassification) increment(counts, c, n);
          break;
        case 'term':
          for (const [t, n] of tally.byTerm) increment(counts, t, n);
          break;
        case 'glossaryType':
          for (const [t, n] of tally.byGlossaryType) increment(counts, t, n);
          break;
        case 'termStatus':
          for (const [t, n] of tally.byTermStatus) increment(counts, t, n);
          break;
        case 'termTemplate':
          for (const [t, n] of tally.byTermTemplate) increment(counts, t, n);
          break;
        default:
          break; // contact and label facets: the emulator indexes neither
      }
      out[request.facet] = facetValues(counts, request);
    }
    return out;
  }

  private toValue(record: AtlasEntityRecord, score: number, request: SearchRequest): SearchResultValue {
    const value = searchResultValue(record, scoreFromSql(score, request.tokens.length));
    const highlights = highlightsOf(toSearchDocument(record), request.tokens);
    if (highlights) value['@search.highlights'] = highlights;
    return value;
  }
}
